// Data safety and portability (export/import, backup/restore, doctor,
// faults, concurrency, round trips, DST).
mod concurrency;
mod dst;
mod faults;
mod parsers;
mod roundtrip;
mod safety;
mod safety_util;
