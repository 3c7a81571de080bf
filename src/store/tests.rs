use super::*;
use std::fs;

use super::read::{parse_hm, parse_ymd};
use crate::model::{Bp, Entry, LabKind, Med};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

fn stamp(date: &str, time: &str) -> Stamp {
    let date: NaiveDate = date.parse().unwrap();
    let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
    Stamp {
        date,
        time,
        utc: Utc.from_utc_datetime(&date.and_time(time)),
        offset_secs: 0,
    }
}

fn sample() -> Measurements {
    let mut m = Measurements {
        weight_kg: Some(68.4),
        bp: Some(Bp {
            systolic: 118,
            diastolic: 76,
        }),
        standing_bp: Some(Bp {
            systolic: 110,
            diastolic: 70,
        }),
        heart_rate: Some(72),
        urine: Some(Urine::Less),
        urine_ml: Some(900),
        note: Some("slept badly; 'quoted' \"text\" 🙂".into()),
        meds: vec![
            Med {
                name: "ivig".into(),
                dose: Some("2g/kg".into()),
            },
            Med {
                name: "terbutaline".into(),
                dose: None,
            },
        ],
        ..Measurements::default()
    };
    m.set_symptom("thirst", 2);
    m.set_symptom("fatigue", 1);
    m.set_lab(LabKind::Hematocrit, 44.0);
    m.set_lab(LabKind::Albumin, 38.0);
    m
}

/// `entries_for_rules` loads a subset of the long window; the rules must
/// reach exactly the same verdicts as on every entry, on daily and on
/// sparse diaries.
#[test]
fn the_rules_window_gives_the_same_verdicts_as_every_entry() {
    use crate::rules::{self, Diary, RulesConfig};
    let last: NaiveDate = "2026-11-25".parse().unwrap();
    let first: NaiveDate = "2023-11-25".parse().unwrap();
    let demo = crate::demo::generate(first, last, 7);
    let cfg = RulesConfig::default();
    let schedule = vec![crate::config::ScheduledMed {
        name: "ivig".into(),
        dose: None,
        every_days: 28,
        grace_days: 3,
    }];
    // Shuffled: ids no longer follow dates (entries logged late or
    // imported), so the id-range shortcuts must fall back. Late: a few
    // entries logged long after their day, so the id ranges of the
    // window and of the older days overlap.
    for (every, shuffled, late) in [
        (1usize, false, false),
        (5, false, false),
        (1, true, false),
        (1, false, true),
    ] {
        let mut order: Vec<usize> = (0..demo.entries.len()).collect();
        if shuffled {
            order.sort_by_key(|i| (i * 7919) % demo.entries.len());
        }
        if late {
            order.sort_by_key(|i| i % 97 == 0);
        }
        let mut s = Store::open_in_memory().unwrap();
        s.insert_batch("seed", false, |b| {
            for &i in &order {
                let e = &demo.entries[i];
                if i % every == 0 {
                    let stamp = crate::input::local_stamp("t", e.date, e.time).unwrap();
                    b.entry(&stamp, &e.m)?;
                }
            }
            for ep in &demo.episodes {
                b.episode(ep)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let episodes = s.episodes().unwrap();
        let mut fewer = false;
        let mut date = first + chrono::Duration::days(30);
        while date <= last {
            let back = |n| date - chrono::Duration::days(n);
            let all = s
                .entries(Some(back(rules::lookback_days(&cfg))), Some(date))
                .unwrap();
            let for_rules = |s: &Store| {
                s.entries_for_rules(
                    back(rules::lookback_days(&cfg)),
                    back(rules::recent_days(&cfg)),
                    date,
                    cfg.bp_baseline.readings,
                )
                .unwrap()
            };
            let some = for_rules(&s);
            // A schema-1 diary (read-only media) has no index of the
            // entries with a lab or a medication: its scan finds the same.
            if chrono::Datelike::ordinal(&date).is_multiple_of(15) {
                s.schema = 1;
                assert_eq!(for_rules(&s), some, "schema 1, {date}");
                s.schema = SCHEMA_VERSION;
            }
            assert!(some.len() <= all.len());
            fewer |= some.len() * 2 < all.len();
            // Whole entries, children once each (the older ones without
            // symptoms): by one id range for the window and the older
            // days when ids follow dates, and id by id where shuffled
            // or late ids make the ranges too wide.
            if chrono::Datelike::ordinal(&date).is_multiple_of(30) {
                let recent = back(rules::recent_days(&cfg));
                for e in &some {
                    let mut want = s.get(e.id).unwrap();
                    if e.date() < recent {
                        want.m.symptoms.clear();
                    }
                    assert_eq!(e, &want, "shuffled {shuffled}, late {late}, {date}");
                }
            }
            let verdict = |entries: &[Entry]| {
                let d = Diary {
                    entries,
                    episodes: &episodes,
                    schedule: &schedule,
                };
                rules::evaluate(&d, date, &cfg)
            };
            assert_eq!(
                verdict(&all),
                verdict(&some),
                "every {every}th entry, shuffled {shuffled}, late {late}, {date}"
            );
            date += chrono::Duration::days(3);
        }
        assert!(fewer, "the long window was never thinned");
    }
}

#[test]
fn round_trip_on_a_file_with_private_modes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/diary.sqlite3");
    let id = {
        let mut s = Store::open(&path).unwrap();
        s.insert(&stamp("2026-11-20", "07:30"), &sample()).unwrap()
    };
    let s = Store::open(&path).unwrap();
    let e = s.get(id).unwrap();
    assert_eq!(e.m, sample());
    assert_eq!(e.stamp, stamp("2026-11-20", "07:30"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
}

#[test]
fn loose_permissions_are_tightened() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("diary.sqlite3");
        drop(Store::open(&path).unwrap());
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        drop(Store::open(&path).unwrap());
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn ranges_order_and_delete() {
    let mut s = Store::open_in_memory().unwrap();
    let b = s
        .insert(&stamp("2026-11-21", "20:00"), &Measurements::default())
        .unwrap();
    let a = s.insert(&stamp("2026-11-21", "07:00"), &sample()).unwrap();
    let c = s.insert(&stamp("2026-11-22", "07:00"), &sample()).unwrap();
    let ids: Vec<i64> = s
        .entries(None, None)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, vec![a, b, c]);
    let d: NaiveDate = "2026-11-21".parse().unwrap();
    assert_eq!(s.entries(Some(d), Some(d)).unwrap().len(), 2);
    s.delete(a).unwrap();
    assert!(matches!(s.delete(a), Err(StoreError::NoEntry(_))));
    assert!(matches!(s.get(a), Err(StoreError::NoEntry(_))));
    // Children went with it.
    let n: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM symptom WHERE entry_id = ?1",
            [a],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn opening_for_writing_checks_pages_and_keeps_check_constraints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.sqlite3");
    {
        let mut s = Store::open(&path).unwrap();
        let mut m = sample();
        m.note = Some("x".repeat(3000));
        for d in 1..=9 {
            s.insert(&stamp(&format!("2026-11-0{d}"), "07:00"), &m)
                .unwrap();
        }
        // The pages-only check left CHECK constraints on for writes.
        let mut bad = sample();
        bad.weight_kg = Some(500.0);
        assert!(s.insert(&stamp("2026-11-10", "07:00"), &bad).is_err());
        assert!(s
            .connection()
            .execute("UPDATE entry SET systolic = 10 WHERE id = 1", [])
            .is_err());
    }
    let mut s = Store::open(&path).unwrap();
    let mut bad = sample();
    bad.weight_kg = Some(500.0);
    assert!(s.insert(&stamp("2026-11-10", "07:00"), &bad).is_err());
    drop(s);
    // A zeroed page is still found before anything is written.
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() > 4 * 4096);
    bytes[4096..8192].fill(0);
    fs::write(&path, &bytes).unwrap();
    let e = Store::open(&path).err().unwrap();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn stored_dates_and_times_parse_strictly() {
    assert_eq!(
        parse_ymd("2026-02-28"),
        NaiveDate::from_ymd_opt(2026, 2, 28)
    );
    assert_eq!(parse_hm("07:05"), NaiveTime::from_hms_opt(7, 5, 0));
    for bad in [
        "2026-02-30",
        "2026-2-28",
        "2026/02/28",
        "2026-02-2x",
        "",
        "+026-02-28",
    ] {
        assert_eq!(parse_ymd(bad), None, "{bad}");
    }
    for bad in ["24:00", "7:05", "07-05", "07:60", "0a:00"] {
        assert_eq!(parse_hm(bad), None, "{bad}");
    }
}

#[test]
fn children_load_whether_ids_follow_dates_or_not() {
    let mut s = Store::open_in_memory().unwrap();
    let day = |i: i64| {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i);
        stamp(&d.to_string(), "07:00")
    };
    // Entry 1 first sits long ago, later moved into the window below.
    let old = s.insert(&day(0), &sample()).unwrap();
    for i in 1..300 {
        let mut m = Measurements {
            weight_kg: Some(60.0 + i as f64 / 10.0),
            ..Measurements::default()
        };
        if i % 7 == 0 {
            m.set_symptom("headache", 1);
        }
        s.insert(&day(i), &m).unwrap();
    }
    let window = |s: &Store| s.entries(Some(day(290).date), Some(day(299).date)).unwrap();
    // Dense ids: read by id range.
    let dense = window(&s);
    assert_eq!(dense.len(), 10);
    for e in &dense {
        assert_eq!(e, &s.get(e.id).unwrap());
    }
    assert_eq!(dense.iter().filter(|e| !e.m.symptoms.is_empty()).count(), 1);
    // Sparse ids (entry 1 edited into the window): read by date.
    s.replace(old, &day(295), &sample()).unwrap();
    let sparse = window(&s);
    assert_eq!(sparse.len(), 11);
    let moved = sparse.iter().find(|e| e.id == old).unwrap();
    assert_eq!(moved.m, sample());
    for e in &sparse {
        assert_eq!(e, &s.get(e.id).unwrap());
    }
}

/// Each entry `entries_for_rules` returns is the stored entry, children
/// once each (older ones without symptoms), also when an older entry's
/// id sits among the recent ones (logged late with `--date`).
#[test]
fn rules_entries_come_whole_and_once_whatever_their_ids() {
    let mut s = Store::open_in_memory().unwrap();
    let day = |i: i64| {
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(i);
        stamp(&d.to_string(), "07:00")
    };
    let mut late = Vec::new();
    for i in 0..=420 {
        if i == 410 || i == 415 {
            late.push(s.insert(&day(100 + i / 100), &sample()).unwrap());
        }
        let mut m = Measurements {
            weight_kg: Some(60.0),
            ..Measurements::default()
        };
        if i % 50 == 0 {
            m = sample();
        }
        s.insert(&day(i), &m).unwrap();
    }
    let recent = day(400).date;
    let check = |s: &mut Store, late: &[i64]| {
        let got = s
            .entries_for_rules(day(0).date, recent, day(420).date, 7)
            .unwrap();
        s.schema = 1;
        let scanned = s.entries_for_rules(day(0).date, recent, day(420).date, 7);
        s.schema = SCHEMA_VERSION;
        assert_eq!(scanned.unwrap(), got, "schema 1");
        for id in late {
            assert!(got.iter().any(|e| e.id == *id), "late entry {id} missing");
        }
        assert_eq!(
            got.iter().filter(|e| e.m.meds.len() == 2).count(),
            8 + late.len() + 1
        );
        for e in &got {
            let mut want = s.get(e.id).unwrap();
            if e.date() < recent {
                want.m.symptoms.clear();
            }
            assert_eq!(e, &want, "entry {}", e.id);
        }
    };
    // The older entries' ids span about as many ids as the older days
    // hold: their children come by id range.
    check(&mut s, &late);
    // Two thousand entries dated after the window, then one more late
    // entry: now the ids span far more, and are sought one by one.
    for i in 0..2000 {
        s.insert(&day(500 + i), &Measurements::default()).unwrap();
    }
    late.push(s.insert(&day(105), &sample()).unwrap());
    check(&mut s, &late);
}

#[test]
fn an_older_diary_that_cannot_be_written_is_read_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(include_str!("sql/0001_init.sql")).unwrap();
        c.execute_batch(
            "PRAGMA user_version = 1;
                 INSERT INTO entry (id, date, time, utc, utc_offset, weight_kg)
                     VALUES (1, '2026-05-04', '08:00', 1777881600, 0, 70),
                            (2, '2026-11-20', '08:00', 1795161600, 0, 70);
                 INSERT INTO lab (entry_id, name, value) VALUES (1, 'albumin', 41);",
        )
        .unwrap();
    }
    // What SQLite does with a file it may not write (mode 0400 for a
    // user who is not root): the connection is read-only.
    let read_only = || Store {
        conn: Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap(),
        path: path.clone(),
        schema: SCHEMA_VERSION,
        checked: None,
    };
    let mut s = read_only();
    s.migrate(Use::Read).unwrap();
    assert_eq!(s.schema, 1);
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let got = s
        .entries_for_rules(d("2025-11-01"), d("2026-11-01"), d("2026-11-25"), 7)
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].m.lab(LabKind::Albumin), Some(41.0));
    // Writing needs the migration: refused, naming the diary.
    let e = read_only().migrate(Use::Write).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e}");
    // And no backup was made for a migration that could not happen.
    assert!(super::backup::find_backups(&path).is_empty());
}

#[test]
fn entries_with_a_lab_or_a_medication_are_marked_on_every_write() {
    let mut s = Store::open_in_memory().unwrap();
    let marked = |s: &Store, id: i64| -> i64 {
        s.conn
            .query_row(
                "SELECT has_lab_or_med FROM entry WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    let plain = Measurements {
        weight_kg: Some(70.0),
        ..Measurements::default()
    };
    let mut lab_only = plain.clone();
    lab_only.set_lab(LabKind::Albumin, 40.0);
    let mut med_only = plain.clone();
    med_only.meds.push(Med {
        name: "ivig".into(),
        dose: None,
    });
    let at = stamp("2026-11-20", "07:00");
    let a = s.insert(&at, &plain).unwrap();
    let b = s.insert(&at, &lab_only).unwrap();
    let c = s.insert(&at, &med_only).unwrap();
    assert_eq!([marked(&s, a), marked(&s, b), marked(&s, c)], [0, 1, 1]);
    // `cls edit` rewrites the entry whole, mark included.
    s.replace(b, &at, &plain).unwrap();
    s.replace(a, &at, &sample()).unwrap();
    assert_eq!([marked(&s, a), marked(&s, b), marked(&s, c)], [1, 0, 1]);
}

#[test]
fn replace_keeps_the_id() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.insert(&stamp("2026-11-21", "07:00"), &sample()).unwrap();
    let mut m = sample();
    m.weight_kg = Some(70.0);
    m.symptoms.clear();
    s.replace(id, &stamp("2026-11-21", "08:00"), &m).unwrap();
    let e = s.get(id).unwrap();
    assert_eq!(e.m, m);
    assert_eq!(e.stamp.time, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    assert!(matches!(
        s.replace(999, &e.stamp, &m),
        Err(StoreError::NoEntry(999))
    ));
}

#[test]
fn check_constraints_back_up_the_parser() {
    let mut s = Store::open_in_memory().unwrap();
    let mut m = sample();
    m.weight_kg = Some(500.0);
    assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
    let mut m = sample();
    m.bp = Some(Bp {
        systolic: 80,
        diastolic: 90,
    });
    assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
    let mut m = sample();
    m.symptoms[0].severity = 4;
    assert!(s.insert(&stamp("2026-11-21", "07:00"), &m).is_err());
    // Nothing half-written: the failed inserts left no entry behind.
    assert_eq!(s.count_entries().unwrap(), 0);
}

#[test]
fn episodes_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    let d: NaiveDate = "2026-10-01".parse().unwrap();
    let id = s.start_episode(d, true, Some("ER visit")).unwrap();
    s.end_episode(id, d + chrono::Duration::days(4)).unwrap();
    let eps = s.episodes().unwrap();
    assert_eq!(eps.len(), 1);
    assert!(eps[0].hospitalized);
    assert_eq!(eps[0].end, Some(d + chrono::Duration::days(4)));
    // An end before the start is refused by the schema.
    assert!(s.end_episode(id, d - chrono::Duration::days(1)).is_err());
    assert!(matches!(
        s.end_episode(99, d),
        Err(StoreError::NoEpisode(99))
    ));
}

#[test]
fn last_med_finds_the_latest_dose() {
    let mut s = Store::open_in_memory().unwrap();
    s.insert(&stamp("2026-10-01", "09:00"), &sample()).unwrap();
    s.insert(&stamp("2026-10-29", "09:00"), &sample()).unwrap();
    let d: NaiveDate = "2026-11-25".parse().unwrap();
    let (when, dose) = s.last_med("IVIG", d).unwrap().unwrap();
    assert_eq!(when, "2026-10-29".parse::<NaiveDate>().unwrap());
    assert_eq!(dose.as_deref(), Some("2g/kg"));
    assert!(s.last_med("prednisone", d).unwrap().is_none());
}

#[test]
fn garbage_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.sqlite3");
    fs::write(&path, b"this is not a database at all, just text").unwrap();
    let before = fs::read(&path).unwrap();
    let e = Store::open(&path).err().unwrap();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("cls doctor"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.sqlite3");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let e = Store::open(&path).err().unwrap();
    assert!(matches!(e, StoreError::NewerSchema { .. }), "{e}");
    assert!(e.to_string().contains("upgrade cls"));
}

/// Sorts and temporary tables never go to files in /var/tmp or /tmp,
/// where health data would outlive the command.
#[test]
fn temporary_data_stays_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diary.sqlite3");
    let temp_store = |s: &Store| -> i64 {
        s.conn
            .query_row("PRAGMA temp_store", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(temp_store(&Store::open(&path).unwrap()), 2);
    assert_eq!(temp_store(&Store::open_existing(&path).unwrap()), 2);
    assert_eq!(temp_store(&Store::open_in_memory().unwrap()), 2);
    let immutable = open_immutable(&path).unwrap();
    let t: i64 = immutable
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(t, 2);
}

#[test]
fn reading_a_missing_diary_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope/diary.sqlite3");
    let s = Store::open_or_empty(&path).unwrap();
    assert_eq!(s.count_entries().unwrap(), 0);
    assert!(!path.exists());
    assert!(!path.parent().unwrap().exists());
}
