//! The bundle's shape, codes, units and ids, without a validator.

use super::*;
use crate::model::{Measurements, Urine};
use chrono::{NaiveTime, TimeZone};
use serde_json::Value;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn sha1_matches_the_fips_vectors() {
    assert_eq!(
        hex(&sha1(b"abc")),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    // Two blocks: 56 bytes leave no room for the length in the first.
    assert_eq!(
        hex(&sha1(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    );
    assert_eq!(
        hex(&sha1(&[b'a'; 1000])),
        "291e9a6c66994949b57ba5e650361e98fc36b1ba"
    );
}

#[test]
fn uuid5_matches_rfc_4122() {
    // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python.
    let dns = [
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    assert_eq!(
        uuid5_in(&dns, "python.org"),
        "886313e1-3b8a-5372-9b90-0c9aee199e5d"
    );
}

fn stamp(date: &str, time: &str, offset_secs: i32) -> Stamp {
    let date: NaiveDate = date.parse().unwrap();
    let time = NaiveTime::parse_from_str(time, "%H:%M").unwrap();
    let utc = date.and_time(time) - chrono::Duration::seconds(i64::from(offset_secs));
    Stamp {
        date,
        time,
        utc: Utc.from_utc_datetime(&utc),
        offset_secs,
    }
}

#[test]
fn effective_keeps_the_entrys_offset_when_fhir_allows_it() {
    for (offset, want) in [
        (-5 * 3600, "2026-03-07T23:30:00-05:00"),
        (0, "2026-03-07T23:30:00+00:00"),
        (19800, "2026-03-07T23:30:00+05:30"),
        (14 * 3600, "2026-03-07T23:30:00+14:00"),
        (-14 * 3600, "2026-03-07T23:30:00-14:00"),
    ] {
        assert_eq!(effective(&stamp("2026-03-07", "23:30", offset)), want);
    }
    // Beyond ±14:00, or with seconds: the same instant in UTC.
    assert_eq!(
        effective(&stamp("2026-03-07", "23:30", 15 * 3600)),
        "2026-03-07T08:30:00Z"
    );
    assert_eq!(
        effective(&stamp("1900-03-07", "12:00", 1172)),
        "1900-03-07T11:40:28Z"
    );
}

fn entry() -> Entry {
    let mut m = Measurements {
        weight_kg: Some(68.4),
        bp: Some(Bp {
            systolic: 118,
            diastolic: 76,
        }),
        standing_bp: Some(Bp {
            systolic: 96,
            diastolic: 70,
        }),
        heart_rate: Some(72),
        urine: Some(Urine::Less),
        urine_ml: Some(1234),
        note: Some("private".into()),
        ..Measurements::default()
    };
    m.set_lab(LabKind::Albumin, 35.5);
    m.set_lab(LabKind::Hematocrit, 44.0);
    m.set_lab(LabKind::Hemoglobin, 15.1);
    m.set_symptom("thirst", 2);
    m.set_symptom("breathlessness", 0);
    Entry {
        id: 7,
        stamp: stamp("2026-11-20", "07:30", -5 * 3600),
        m,
        source: None,
    }
}

fn bundle(entries: &[Entry], opts: &Options) -> (Value, Summary) {
    let mut buf = Vec::new();
    let s = write(entries, opts, &mut buf).unwrap();
    (serde_json::from_slice(&buf).unwrap(), s)
}

fn opts() -> Options {
    Options {
        exported_at: Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap(),
        ..Options::default()
    }
}

/// The observation whose code (LOINC, SNOMED or text) is `code`.
fn obs<'a>(b: &'a Value, code: &str) -> &'a Value {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| {
            r["code"]["coding"][0]["code"] == code
                || (r["code"]["coding"].is_null() && r["code"]["text"] == code)
        })
        .unwrap_or_else(|| panic!("no {code} in {b:#}"))
}

#[test]
fn every_value_has_its_code_unit_and_category() {
    let (b, s) = bundle(&[entry()], &opts());
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    assert_eq!(b["timestamp"], "2026-11-25T08:00:00Z");
    assert_eq!(
        s,
        Summary {
            entries: 1,
            observations: 11,
            with_medications: 0,
            with_note: 1
        }
    );
    let q = |code: &str| {
        let v = &obs(&b, code)["valueQuantity"];
        assert_eq!(v["system"], UCUM, "{code}");
        (
            v["value"].as_f64().unwrap(),
            v["code"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(q("29463-7"), (68.4, "kg".into()));
    assert_eq!(q("8867-4"), (72.0, "/min".into()));
    assert_eq!(q("42908-4"), (44.0, "%".into()));
    assert_eq!(q("718-7"), (15.1, "g/dL".into()));
    assert_eq!(q("1751-7"), (3.55, "g/dL".into()), "35.5 g/L");
    assert_eq!(q("9192-6"), (1.234, "L/d".into()), "1234 mL");
    let cat = |code: &str| obs(&b, code)["category"][0]["coding"][0]["code"].clone();
    for code in ["29463-7", "8867-4", "85354-9"] {
        assert_eq!(cat(code), "vital-signs", "{code}");
    }
    for code in ["42908-4", "718-7", "1751-7", "9192-6"] {
        assert_eq!(cat(code), "laboratory", "{code}");
    }

    // Sitting and standing: two panels, told apart by body position.
    let panels: Vec<&Value> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["code"]["coding"][0]["code"] == "85354-9")
        .collect();
    assert_eq!(panels.len(), 2);
    let position = |p: &Value| {
        assert_eq!(p["extension"][0]["url"], BODY_POSITION);
        p["extension"][0]["valueCodeableConcept"]["coding"][0]["code"].clone()
    };
    assert_eq!(position(panels[0]), "33586001");
    assert_eq!(position(panels[1]), "10904000");
    let parts = |p: &Value| {
        p["component"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                assert_eq!(c["valueQuantity"]["code"], "mm[Hg]");
                (
                    c["code"]["coding"][0]["code"].as_str().unwrap().to_string(),
                    c["valueQuantity"]["value"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        parts(panels[1]),
        [("8480-6".to_string(), 96), ("8462-4".to_string(), 70)]
    );
    assert!(panels[0]["valueQuantity"].is_null());

    // Symptoms: SNOMED only where verified; severity 0 is kept.
    let breath = obs(&b, "267036007");
    assert_eq!(breath["code"]["coding"][0]["system"], SNOMED);
    assert_eq!(breath["code"]["text"], "breathlessness");
    assert_eq!(breath["valueInteger"], 0);
    let thirst = obs(&b, "thirst");
    assert_eq!(thirst["valueInteger"], 2);
    assert!(thirst["category"].is_null());
    assert_eq!(
        obs(&b, "Urine amount compared with usual (patient-reported)")["valueString"],
        "less"
    );

    // Every observation: final, the entry's moment and offset, the patient.
    let patient = &b["entry"][0];
    assert_eq!(patient["resource"]["resourceType"], "Patient");
    let patient_url = patient["fullUrl"].as_str().unwrap();
    for e in b["entry"].as_array().unwrap().iter().skip(1) {
        let r = &e["resource"];
        assert_eq!(r["status"], "final");
        assert_eq!(r["effectiveDateTime"], "2026-11-20T07:30:00-05:00");
        assert_eq!(r["subject"]["reference"], patient_url);
        assert_eq!(
            e["fullUrl"],
            format!("urn:uuid:{}", r["id"].as_str().unwrap())
        );
    }
    // Nothing of the note.
    assert!(!b.to_string().contains("private"));
}

#[test]
fn ids_are_stable_unique_and_uuids() {
    let (a, _) = bundle(&[entry()], &opts());
    let mut later = opts();
    later.exported_at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let (b, _) = bundle(&[entry()], &later);
    let ids = |b: &Value| {
        b["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["fullUrl"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    let mut unique = ids(&a);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids(&a).len());
    for id in ids(&a) {
        let u = id.strip_prefix("urn:uuid:").unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "5", "version 5: {u}");
        assert!("89ab".contains(&u[19..20]), "RFC 4122 variant: {u}");
    }
    // Another entry id gives other ids.
    let mut other = entry();
    other.id = 8;
    let (c, _) = bundle(&[other], &opts());
    assert_ne!(ids(&a)[1], ids(&c)[1]);
    assert_eq!(ids(&a)[0], ids(&c)[0], "the same patient");
}

#[test]
fn patient_identity_condition_and_the_test_data_mark() {
    let (b, _) = bundle(&[], &opts());
    let p = &b["entry"][0]["resource"];
    let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "resourceType"], "no identity when unset");
    assert_eq!(b["entry"].as_array().unwrap().len(), 1, "no condition");
    assert!(b["meta"].is_null());

    let mut o = opts();
    o.name = Some("Alex Example".into());
    o.birth_date = Some("1970-01-31".parse().unwrap());
    o.include_condition = true;
    let (b, _) = bundle(&[], &o);
    let p = &b["entry"][0]["resource"];
    assert_eq!(p["name"][0]["text"], "Alex Example");
    assert_eq!(p["birthDate"], "1970-01-31");
    let c = &b["entry"][1]["resource"];
    assert_eq!(c["resourceType"], "Condition");
    assert_eq!(c["code"]["coding"][0]["system"], ICD10);
    assert_eq!(c["code"]["coding"][0]["code"], "I78.8");
    assert_eq!(c["subject"]["reference"], b["entry"][0]["fullUrl"]);

    let mut o = opts();
    o.synthetic = true;
    let (b, _) = bundle(&[entry()], &o);
    assert_eq!(b["meta"]["security"][0]["code"], "HTEST");
    for e in b["entry"].as_array().unwrap() {
        assert_eq!(e["resource"]["meta"]["security"][0]["code"], "HTEST");
    }
}

#[test]
fn one_entry_per_line() {
    let mut buf = Vec::new();
    write(&[entry(), entry()], &opts(), &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    // The head, the Patient, 22 observations, the tail.
    assert_eq!(text.lines().count(), 1 + 1 + 22 + 1);
    assert!(text.ends_with("\n]}\n"));
}
