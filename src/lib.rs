//! `cls`: a private symptom diary and early-warning tool for systemic
//! capillary leak syndrome (SCLS, Clarkson disease).
//!
//! The library holds everything but the command line: the diary's data
//! ([`model`]), parsing of what a patient types ([`input`], [`symptoms`]),
//! the configuration ([`config`]), the SQLite diary ([`store`]), the rules
//! engine ([`rules`]) and the loading of what it reads ([`diary`]), export
//! and import ([`transfer`]), backups ([`backup`]), encrypted copies
//! ([`crypt`]) and health checks ([`doctor`]). It never prints and never
//! reads the clock: "now" and paths are passed in.

pub mod ack;
pub mod card;
pub mod config;
pub mod crypt;
pub mod demo;
pub mod diary;
pub mod doctor;
pub mod fsutil;
pub mod hooks;
pub mod input;
pub mod model;
pub mod outfile;
pub mod render;
pub mod report;
pub mod rules;
pub mod store;
pub mod symptoms;
pub mod transfer;

/// Backups live with the store (all of the diary's SQL does); this keeps
/// their short path.
pub use store::backup;

pub use config::Config;
pub use model::{Entry, Episode, Measurements};
pub use rules::Level;
pub use store::Store;
