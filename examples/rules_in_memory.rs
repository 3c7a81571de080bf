//! Using the `cls` library without the command line: an in-memory diary, a
//! week of mornings, then the rules engine's verdict with its reasons.
//!
//! Run with `cargo run --example rules_in_memory`.

use chrono::{Duration, NaiveDate, NaiveTime};
use cls::model::Measurements;
use cls::rules::{self, Diary, RulesConfig};
use cls::{input, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open_in_memory()?;
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("bad date")?;
    let morning = NaiveTime::from_hms_opt(7, 30, 0).ok_or("bad time")?;

    // A steady week around 68 kg, then today: +1.4 kg and thirst.
    for (days_ago, kg) in [
        (7, 67.9),
        (6, 68.1),
        (5, 68.0),
        (4, 67.8),
        (3, 68.2),
        (2, 68.0),
        (1, 68.0),
        (0, 69.4),
    ] {
        let date = today - Duration::days(days_ago);
        let mut m = Measurements {
            weight_kg: Some(kg),
            bp: Some(input::parse_bp("bp", "118/76")?),
            ..Measurements::default()
        };
        if days_ago == 0 {
            m.set_symptom("thirst", 2);
        }
        store.insert(&input::local_stamp("time", date, morning)?, &m)?;
    }

    let cfg = RulesConfig::default();
    let entries = store.entries(
        Some(today - Duration::days(rules::lookback_days(&cfg))),
        Some(today),
    )?;
    let episodes = store.episodes()?;
    let diary = Diary {
        entries: &entries,
        episodes: &episodes,
        schedule: &[],
    };
    let a = rules::evaluate(&diary, today, &cfg);
    let n = a.findings.len();
    println!("{}: {n} finding{}", a.level, if n == 1 { "" } else { "s" });
    for f in &a.findings {
        println!("  {} [{} {}] {}", f.level, f.rule, f.name, f.message);
    }
    Ok(())
}
