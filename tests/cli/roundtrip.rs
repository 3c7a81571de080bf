//! Property tests: generated diaries full of hostile text (quotes, commas,
//! newlines, `'; DROP TABLE`, emoji, RTL, control characters) survive
//! export → import unchanged, in CSV and in JSON; importing an export into
//! the diary it came from adds nothing.

use chrono::{Duration, NaiveDate, NaiveTime};
use cls::input;
use cls::model::{Episode, LabKind, Measurements, Med, Stamp, Urine};
use cls::store::Store;
use cls::transfer::{self, Format, Options};
use proptest::prelude::*;
use proptest::sample::select;

const CUSTOM: &str = "brain-fog";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn opts() -> Options {
    Options {
        today: today(),
        now: today()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .fixed_offset(),
        custom_symptoms: vec![CUSTOM.to_string()],
        rules: transfer::known_rules(&cls::rules::RulesConfig::default()),
    }
}

/// Text that has broken exporters elsewhere, mixed with any character
/// (control characters included) except NUL, which `cls log` refuses.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragments = select(vec![
        "\"",
        "\"\"",
        "'",
        ",",
        "\n",
        "\r\n",
        "\r",
        ";",
        ":",
        "=",
        "'; DROP TABLE entry;--",
        "🙂",
        "👩‍👩‍👧",
        "עברית",
        "\u{202e}",
        "\u{1b}[2J",
        "\t",
        " ",
        "\\",
        "%",
        "_",
        "\u{7f}",
        "\u{1}",
        "é",
        "中文",
        "\u{feff}",
        "#",
        "\u{2028}",
    ]);
    let piece = prop_oneof![
        3 => fragments.prop_map(str::to_string),
        1 => any::<char>().prop_filter("no NUL", |c| *c != '\0').prop_map(String::from),
        2 => "[a-z ]{1,8}",
    ];
    prop::collection::vec(piece, 1..16).prop_map(|v| v.concat())
}

/// A medication as `cls log --med` would store it (lower-case name, trimmed,
/// no ';'), built by the real parser from hostile input.
fn med() -> impl Strategy<Value = Med> {
    (
        "[a-zA-Z0-9 ,.=éü🙂'\"()+-]{1,20}",
        prop::option::of("[a-zA-Z0-9 /.,:=🙂'\"()+-]{0,20}"),
    )
        .prop_filter_map("not a valid medication", |(name, dose)| {
            let raw = match dose {
                Some(d) => format!("{name}:{d}"),
                None => name,
            };
            input::parse_med("--med", &raw).ok()
        })
}

fn bp() -> impl Strategy<Value = cls::model::Bp> {
    (41u16..=300)
        .prop_flat_map(|s| (Just(s), 20u16..s.min(201)))
        .prop_map(|(systolic, diastolic)| cls::model::Bp {
            systolic,
            diastolic,
        })
}

fn measurements(allow_empty_note: bool) -> impl Strategy<Value = Measurements> {
    let names: Vec<&str> = cls::symptoms::CANONICAL
        .iter()
        .copied()
        .chain([CUSTOM])
        .collect();
    let note = if allow_empty_note {
        prop::option::of(prop_oneof![1 => Just(String::new()), 9 => hostile_text()]).boxed()
    } else {
        prop::option::of(hostile_text()).boxed()
    };
    (
        (
            prop::option::of(2000u32..=35000),
            prop::option::of(bp()),
            prop::option::of(bp()),
            prop::option::of(20u16..=250),
            prop::option::of(select(Urine::ALL.to_vec())),
            prop::option::of(0u32..=10_000),
        ),
        prop::collection::vec((select(names), 0u8..=3), 0..5),
        prop::collection::vec((select(LabKind::ALL.to_vec()), 0u32..=1000), 0..4),
        prop::collection::vec(med(), 0..4),
        note,
    )
        .prop_map(
            |((w, bp, sbp, hr, urine, ml), symptoms, labs, meds, note)| {
                let mut m = Measurements {
                    weight_kg: w.map(|k| f64::from(k) / 100.0),
                    bp,
                    standing_bp: sbp,
                    heart_rate: hr,
                    urine,
                    urine_ml: ml,
                    meds,
                    note,
                    ..Measurements::default()
                };
                for (name, sev) in symptoms {
                    m.set_symptom(name, sev);
                }
                for (kind, k) in labs {
                    let (lo, hi) = kind.range();
                    // One decimal, within the range.
                    let steps = ((hi - lo) * 10.0) as u32;
                    m.set_lab(kind, lo + f64::from(k % (steps + 1)) / 10.0);
                }
                if m.is_empty() {
                    m.weight_kg = Some(70.0);
                }
                m
            },
        )
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..=9800).prop_map(|d| today() + Duration::days(1) - Duration::days(d))
}

fn time() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, 0u32..60).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

/// A stamp in this process's local time zone, as `cls log` makes it (the
/// CSV import reads times the same way).
fn local_entry() -> impl Strategy<Value = (Stamp, Measurements)> {
    (date(), time(), measurements(false)).prop_filter_map("a time skipped by DST", |(d, t, m)| {
        input::local_stamp("time", d, t).ok().map(|s| (s, m))
    })
}

/// A stamp with any offset, as a traveller's diary has: JSON keeps it.
fn any_entry() -> impl Strategy<Value = (Stamp, Measurements)> {
    (date(), time(), -72i32..=72, measurements(true)).prop_map(|(date, time, q, m)| {
        let offset_secs = q * 900;
        let utc = (date.and_time(time) - Duration::seconds(i64::from(offset_secs))).and_utc();
        (
            Stamp {
                date,
                time,
                utc,
                offset_secs,
            },
            m,
        )
    })
}

fn episode() -> impl Strategy<Value = Episode> {
    (
        date(),
        prop::option::of(0i64..60),
        any::<bool>(),
        prop::option::of(hostile_text()),
    )
        .prop_map(|(start, len, hospitalized, note)| Episode {
            id: 0,
            start,
            end: len
                .map(|l| (start + Duration::days(l)).min(today()))
                .filter(|e| *e >= start),
            hospitalized,
            note,
        })
}

fn fill(entries: &[(Stamp, Measurements)], episodes: &[Episode]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for (stamp, m) in entries {
        s.insert(stamp, m).unwrap();
    }
    for e in episodes {
        s.insert_episode(e).unwrap();
    }
    s
}

fn export(s: &Store, format: Format) -> Vec<u8> {
    let (entries, episodes) = transfer::select(s, None, None).unwrap();
    let acks = transfer::select_acks(s, None, None).unwrap();
    let mut buf = Vec::new();
    match format {
        Format::Csv => transfer::csv::write(&entries, &mut buf).unwrap(),
        Format::Json => {
            let at = "2026-11-25T08:00:00+00:00";
            transfer::json::write(&entries, &episodes, &acks, at, &mut buf).unwrap();
        }
    }
    buf
}

fn without_ids(s: &Store) -> (Vec<(Stamp, Measurements)>, Vec<Episode>) {
    let entries = s
        .entries(None, None)
        .unwrap()
        .into_iter()
        .map(|e| (e.stamp, e.m))
        .collect();
    let episodes = s
        .episodes()
        .unwrap()
        .into_iter()
        .map(|mut e| {
            e.id = 0;
            e
        })
        .collect();
    (entries, episodes)
}

fn round_trip(format: Format, a: &Store) -> Result<(), TestCaseError> {
    let bytes = export(a, format);
    let plan = match transfer::parse(format, &bytes, &opts()) {
        Ok(p) => p,
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "{format:?} export did not import: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            )))
        }
    };
    let b = Store::open_in_memory().unwrap();
    let out = transfer::apply(&b, &plan, false, &mut |_, _| {}).unwrap();
    prop_assert_eq!(out.imported, a.count_entries().unwrap() as usize);
    let (ea, pa) = without_ids(a);
    let (eb, pb) = without_ids(&b);
    prop_assert_eq!(&ea, &eb);
    if format == Format::Json {
        prop_assert_eq!(&pa, &pb);
    }
    // The re-export is byte-identical (for JSON, whose lines carry ids,
    // once the ids are the import's own), and importing into the source
    // diary adds nothing.
    let rebytes = export(&b, format);
    if format == Format::Csv {
        prop_assert_eq!(&rebytes, &bytes);
    } else {
        let plan = transfer::parse(format, &rebytes, &opts()).unwrap();
        let c = Store::open_in_memory().unwrap();
        transfer::apply(&c, &plan, false, &mut |_, _| {}).unwrap();
        prop_assert_eq!(export(&c, format), rebytes);
    }
    let again = transfer::apply(a, &plan, false, &mut |_, _| {}).unwrap();
    prop_assert_eq!(again.imported, 0);
    prop_assert_eq!(again.episodes_imported, 0);
    prop_assert_eq!(a.count_entries().unwrap() as usize, ea.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn csv_round_trip(entries in prop::collection::vec(local_entry(), 1..12)) {
        round_trip(Format::Csv, &fill(&entries, &[]))?;
    }

    #[test]
    fn json_round_trip(
        entries in prop::collection::vec(any_entry(), 1..12),
        episodes in prop::collection::vec(episode(), 0..4),
    ) {
        round_trip(Format::Json, &fill(&entries, &episodes))?;
    }
}
