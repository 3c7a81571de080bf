//! Property tests: no user-input parser panics, whatever it is given
//! (dates, times, weights, blood pressure, heart rate, urine, symptoms,
//! labs, medications, notes, spans, config files, CSV and JSON imports),
//! and what a parser accepts is within the ranges `cls log` promises.

use std::path::Path;

use chrono::NaiveDate;
use cls::config::Config;
use cls::input::{self, WeightUnit};
use cls::transfer::{self, Format, Options};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// Mostly plausible input, with the odd byte of anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[-+0-9./:=;, a-zA-Z%]{0,24}",
        1 => any::<String>(),
        1 => "[0-9]{1,30}(\\.[0-9]{0,30})?(e[-+]?[0-9]{1,4})?",
    ]
}

fn opts() -> Options {
    Options {
        today: today(),
        now: today()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .fixed_offset(),
        custom_symptoms: vec!["brain fog".into()],
        rules: vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn value_parsers_never_panic_and_respect_ranges(s in text()) {
        if let Ok(d) = input::parse_date("--date", &s, today()) {
            use chrono::Datelike;
            prop_assert!((1900..=2200).contains(&d.year()) || d <= today());
        }
        let _ = input::parse_time("--time", &s);
        for unit in [WeightUnit::Kg, WeightUnit::Lb] {
            if let Ok(kg) = input::parse_weight("--weight", &s, unit) {
                prop_assert!((20.0..=350.0).contains(&kg), "{s} -> {kg}");
            }
        }
        if let Ok(bp) = input::parse_bp("--bp", &s) {
            prop_assert!((40..=300).contains(&bp.systolic) && (20..=200).contains(&bp.diastolic));
            prop_assert!(bp.diastolic < bp.systolic);
        }
        if let Ok(hr) = input::parse_hr("--hr", &s) {
            prop_assert!((20..=250).contains(&hr));
        }
        let _ = input::parse_urine("--urine", &s);
        if let Ok(ml) = input::parse_urine_ml("--urine-ml", &s) {
            prop_assert!(ml <= 10_000);
        }
        if let Ok(list) = input::parse_symptoms("--symptom", &s, &["brain fog".to_string()]) {
            prop_assert!(list.iter().all(|(_, sev)| *sev <= 3));
        }
        if let Ok(lab) = input::parse_lab("--lab", &s) {
            let (lo, hi) = lab.kind.range();
            prop_assert!((lo..=hi).contains(&lab.value));
        }
        if let Ok(m) = input::parse_med("--med", &s) {
            prop_assert!(!m.name.is_empty() && !m.name.contains(';'));
        }
        let _ = input::check_note("--note", &s);
        match input::parse_span("--last", &s) {
            Ok(input::Span::Days(days)) => prop_assert!((1..=36_500).contains(&days)),
            Ok(input::Span::Months(m)) => prop_assert!((1..=1_200).contains(&m)),
            Err(_) => {}
        }
        let _ = cls::symptoms::resolve(&s, &[]);
    }

    #[test]
    fn structured_values_never_panic(
        a in "-?[0-9]{1,6}", b in "-?[0-9]{1,6}", unit in "(kg|lb|lbs|g/dl|g/l|%|ml|)",
        name in "(hematocrit|hct|hemoglobin|hb|albumin|alb|thirst|fatigue|x)",
    ) {
        let _ = input::parse_bp("--bp", &format!("{a}/{b}"));
        let _ = input::parse_weight("--weight", &format!("{a}.{b}{unit}"), WeightUnit::Kg);
        let _ = input::parse_lab("--lab", &format!("{name}={a}.{b}{unit}"));
        let _ = input::parse_symptoms("--symptom", &format!("{name}:{a},{name}"), &[]);
        let _ = input::parse_urine_ml("--urine-ml", &format!("{a}{unit}"));
        let _ = input::parse_date("--date", &format!("{a}-{b}-{a}"), today());
        let _ = input::parse_date("--date", &format!("-{a}d"), today());
        let _ = input::parse_span("--last", &format!("{a}{unit}"));
    }

    #[test]
    fn config_parser_never_panics(s in any::<String>()) {
        let _ = Config::from_toml(&s, Path::new("fuzz.toml"));
    }

    #[test]
    fn config_like_text_never_panics(
        section in "(units|symptoms|patient|actions|rules|medications|rules\\.[a-z_]{1,12})",
        key in "[a-z_]{1,16}",
        value in "(\"[^\"\\n]{0,12}\"|-?[0-9]{1,8}(\\.[0-9]{1,3})?|true|false|\\[\\]|\\[\"[a-z ]{0,8}\"\\]|\\{\\})",
    ) {
        let _ = Config::from_toml(&format!("[{section}]\n{key} = {value}\n"), Path::new("fuzz.toml"));
        let _ = Config::from_toml(&format!("[[{section}]]\n{key} = {value}\n"), Path::new("fuzz.toml"));
    }

    #[test]
    fn imports_of_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = transfer::parse(Format::Csv, &bytes, &opts());
        let _ = transfer::parse(Format::Json, &bytes, &opts());
    }

    #[test]
    fn csv_rows_never_panic_and_errors_have_a_line(
        cells in prop::collection::vec(prop::collection::vec(text(), 14), 1..6),
    ) {
        let mut csv = String::from(
            "date,time,weight_kg,systolic,diastolic,standing_systolic,standing_diastolic,heart_rate,urine,urine_ml,symptoms,labs,medications,note\n",
        );
        for row in &cells {
            let quoted: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            csv.push_str(&quoted.join(","));
            csv.push('\n');
        }
        match transfer::parse(Format::Csv, csv.as_bytes(), &opts()) {
            Ok(plan) => prop_assert_eq!(plan.entries.len(), cells.len()),
            Err(e) => prop_assert!(e.line.is_some_and(|l| l >= 2), "{e}"),
        }
    }

    #[test]
    fn json_entries_never_panic_and_errors_have_a_line(
        fields in prop::collection::vec(
            (
                "(date|time|utc_offset|weight_kg|systolic|diastolic|heart_rate|urine|urine_ml|symptoms|labs|medications|note|id)",
                prop_oneof![
                    text().prop_map(serde_json::Value::String),
                    any::<i64>().prop_map(serde_json::Value::from),
                    any::<f64>().prop_map(serde_json::Value::from),
                    Just(serde_json::json!({"thirst": 2, "hct": 44.5})),
                    Just(serde_json::json!([{"name": "ivig", "dose": "2g/kg"}, {"name": "a:b"}])),
                    Just(serde_json::Value::Null),
                ],
            ),
            0..8,
        ),
    ) {
        let mut entry = serde_json::Map::new();
        entry.insert("date".into(), "2026-11-01".into());
        for (k, v) in fields {
            entry.insert(k, v);
        }
        let doc = serde_json::json!({"format": "cls-diary", "version": 1, "entries": [entry]});
        let text = serde_json::to_string_pretty(&doc).unwrap();
        if let Err(e) = transfer::parse(Format::Json, text.as_bytes(), &opts()) {
            prop_assert!(e.line.is_some(), "{e}");
        }
    }
}
