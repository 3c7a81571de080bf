//! Time: entries around the 2026 daylight-saving changes in New York keep
//! their local day and time; a time that does not exist (2026-03-08 02:30)
//! is refused; an ambiguous one (2026-11-01 01:30) takes the earlier
//! instant and shows its offset; export and import keep it all, also when
//! the importing machine is in another time zone. The other zones are
//! POSIX rules (`JST-9`...), so no tzdata package is needed for them.

use std::fs;

use crate::safety_util::{new_york, Env};

const TIMES: &[(&str, &str, &str)] = &[
    // date, time, the UTC offset then
    ("2026-03-07", "23:30", "-05:00"),
    ("2026-03-08", "00:30", "-05:00"),
    ("2026-03-08", "01:59", "-05:00"),
    ("2026-03-08", "03:00", "-04:00"),
    ("2026-03-08", "23:59", "-04:00"),
    ("2026-03-09", "00:01", "-04:00"),
    ("2026-10-31", "23:30", "-04:00"),
    ("2026-11-01", "00:30", "-04:00"),
    ("2026-11-01", "01:30", "-04:00"),
    ("2026-11-01", "02:30", "-05:00"),
    ("2026-11-01", "23:59", "-05:00"),
    ("2026-11-02", "00:01", "-05:00"),
];

fn logged() -> Env {
    let env = Env::with_tz(new_york());
    for (d, t, _) in TIMES {
        env.ok(&[
            "log",
            "--date",
            d,
            "--time",
            t,
            "--weight",
            "70",
            "--note",
            &format!("{d} {t}"),
        ]);
    }
    env
}

/// The notes of the entries `cls list` shows for one day.
fn day(env: &Env, date: &str) -> Vec<String> {
    let out = env
        .ok(&["list", "--from", date, "--to", date, "--json"])
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["note"].as_str().unwrap().to_string())
        .collect()
}

fn shown_offset(env: &Env, id: usize) -> String {
    let out = env.ok(&["show", &id.to_string()]).stdout;
    let when = out
        .lines()
        .find(|l| l.trim_start().starts_with("when"))
        .unwrap()
        .to_string();
    // "(UTC-05:00)", maybe followed by ", counted for <day>" (logical day).
    when.split("(UTC")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_string()
}

fn assert_days_and_offsets(env: &Env, check_offsets: bool) {
    let mut dates: Vec<&str> = TIMES.iter().map(|(d, _, _)| *d).collect();
    dates.dedup();
    for d in dates {
        let want: Vec<String> = TIMES
            .iter()
            .filter(|(date, _, _)| *date == d)
            .map(|(date, t, _)| format!("{date} {t}"))
            .collect();
        assert_eq!(day(env, d), want, "entries of {d}");
    }
    if check_offsets {
        for (i, (d, t, offset)) in TIMES.iter().enumerate() {
            assert_eq!(shown_offset(env, i + 1), *offset, "{d} {t}");
        }
    }
}

#[test]
fn entries_across_dst_keep_their_day_and_offset() {
    let env = logged();
    assert_days_and_offsets(&env, true);
    // The ambiguous 01:30 is the earlier one, shown with its offset.
    let out = env.ok(&["show", "9"]).stdout;
    assert!(out.contains("2026-11-01 01:30 (UTC-04:00)"), "{out}");
    // Its UTC instant is the EDT one: 05:30Z.
    let utc: i64 = env
        .conn()
        .query_row("SELECT utc FROM entry WHERE id = 9", [], |r| r.get(0))
        .unwrap();
    assert_eq!(utc, 1_793_511_000, "2026-11-01T05:30:00Z");
}

#[test]
fn a_time_skipped_by_dst_is_refused() {
    let env = Env::with_tz(new_york());
    env.ok(&["log", "--date", "2026-03-07", "--weight", "70"]);
    let r = env.run(&[
        "log",
        "--date",
        "2026-03-08",
        "--time",
        "02:30",
        "--weight",
        "70",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("2026-03-08 02:30 does not exist"),
        "{}",
        r.stderr
    );
    assert_eq!(env.count("entry"), 1);
    // The same in an import names the line.
    let csv = env.path("gap.csv");
    fs::write(
        &csv,
        "date,time,weight_kg\n2026-03-08,01:30,70\n2026-03-08,02:30,70\n",
    )
    .unwrap();
    let r = env.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("line 3: time: 2026-03-08 02:30 does not exist"),
        "{}",
        r.stderr
    );
    assert_eq!(env.count("entry"), 1);
}

#[test]
fn export_and_import_keep_days_across_time_zones() {
    let env = logged();
    let json = env.path("diary.json");
    let csv = env.path("diary.csv");
    env.ok(&["export", "--output", json.to_str().unwrap()]);
    env.ok(&["export", "--output", csv.to_str().unwrap()]);

    // JSON keeps the instant and offset wherever it is imported.
    let tokyo = Env::with_tz("JST-9");
    tokyo.ok(&["import", json.to_str().unwrap()]);
    assert_days_and_offsets(&tokyo, true);
    let a: Vec<i64> = utc_column(&env);
    assert_eq!(utc_column(&tokyo), a);

    // CSV has no offset: the day and time stay, the offset is the importing
    // machine's.
    let paris = Env::with_tz("CET-1CEST,M3.5.0,M10.5.0/3");
    paris.ok(&["import", csv.to_str().unwrap()]);
    assert_days_and_offsets(&paris, false);

    // Reading the New York diary with the clock in another zone does not
    // move any entry to another day.
    let mut moved = Env::with_tz("NZST-12NZDT,M9.5.0,M4.1.0/3");
    moved.db = env.db.clone();
    assert_days_and_offsets(&moved, true);
}

fn utc_column(env: &Env) -> Vec<i64> {
    let c = env.conn();
    let mut s = c
        .prepare("SELECT utc FROM entry ORDER BY date, time")
        .unwrap();
    let v: Vec<i64> = s
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    v
}
