//! `cls export --format fhir`: the diary as a FHIR R4 `Bundle` of type
//! `collection` for a clinic, with one `Patient`, an optional `Condition`
//! for SCLS and one `Observation` per measured value or symptom.
//!
//! Hand-written serde structs, no FHIR crate (the Rust FHIR
//! crates are experimental, stale or churn a major version at a time). The
//! bundle is written resource by resource, one `entry` per line, so memory
//! does not grow with a document tree and a diff of two exports is readable.
//!
//! Codes (README, "Sharing with your clinic"): LOINC 29463-7 body weight (`kg`), 85354-9 blood
//! pressure panel with 8480-6 systolic and 8462-4 diastolic components
//! (`mm[Hg]`), 8867-4 heart rate (`/min`), all category `vital-signs`;
//! 42908-4 hematocrit (`%`), 718-7 hemoglobin (`g/dL`), 1751-7 albumin
//! (`g/dL`, converted from the diary's g/L), 9192-6 urine output 24 h
//! (`L/d`), category `laboratory`. Sitting and standing blood pressure carry
//! the core extension `observation-bodyPosition` with SNOMED CT 33586001
//! "Sitting position" or 10904000 "Orthostatic body position" (the
//! tx.fhir.org expansion of SNOMED CT International 2025 gives both).
//! Symptoms carry a SNOMED CT code only where it is verified (README),
//! else `code.text` alone; their severity (0 absent to 3 severe) is
//! `valueInteger`, with the scale in `method.text`.
//!
//! Ids are UUID version 5 (name-based, SHA-1, RFC 4122 §4.3) of the entry's
//! id, its UTC instant and the kind of value, in a namespace of cls's own:
//! exporting the same diary again gives the same `fullUrl`s and ids, and an
//! entry whose value is edited keeps them.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Number;

use crate::model::{Bp, Entry, LabKind, Stamp};

const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";
const UCUM: &str = "http://unitsofmeasure.org";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const BODY_POSITION: &str = "http://hl7.org/fhir/StructureDefinition/observation-bodyPosition";
const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
/// `HTEST` "test health data": marks every resource of a `cls demo` diary.
const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

/// The namespace of cls's name-based UUIDs (a random version 4 UUID, fixed
/// once; changing it would change every exported id).
const NAMESPACE: [u8; 16] = [
    0x60, 0x71, 0xca, 0x72, 0xf6, 0xa8, 0x43, 0xb2, 0x8e, 0x6b, 0x9e, 0x61, 0x9c, 0x77, 0x0b, 0xf5,
];

/// The symptoms with a verified SNOMED CT code (README), by the
/// name cls stores (custom names included: `palpitations` is not built in).
const SYMPTOM_CODES: &[(&str, &str, &str)] = &[
    ("breathlessness", "267036007", "Dyspnea"),
    ("swelling", "267038008", "Edema"),
    ("fatigue", "84229001", "Fatigue"),
    ("palpitations", "80313002", "Palpitations"),
    ("fainting", "271594007", "Syncope"),
];

/// What the bundle says about whom, beyond the entries.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `[patient] name`; left out when unset.
    pub name: Option<String>,
    /// `[patient] date_of_birth`; left out when unset.
    pub birth_date: Option<NaiveDate>,
    /// `[patient] include_condition`: add the SCLS `Condition`.
    pub include_condition: bool,
    /// The diary was made by `cls demo`: every resource is marked as test
    /// data (and the caller passes no identity).
    pub synthetic: bool,
    /// `Bundle.timestamp`.
    pub exported_at: DateTime<Utc>,
}

/// What a bundle holds, and what of the diary it leaves out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub entries: usize,
    pub observations: usize,
    /// Entries with medications, and with a note: not in the bundle.
    pub with_medications: usize,
    pub with_note: usize,
}

// ---- the resources, as FHIR JSON spells them ------------------------------

#[derive(Serialize)]
struct Coding {
    system: &'static str,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<&'static str>,
}

fn coding(system: &'static str, code: &'static str, display: &'static str) -> Coding {
    Coding {
        system,
        code,
        display: Some(display),
    }
}

#[derive(Serialize)]
struct Concept {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coding: Vec<Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

impl Concept {
    fn coded(c: Coding, text: &str) -> Concept {
        Concept {
            coding: vec![c],
            text: Some(text.to_string()),
        }
    }

    fn text(text: &str) -> Concept {
        Concept {
            coding: Vec::new(),
            text: Some(text.to_string()),
        }
    }
}

#[derive(Serialize)]
struct Quantity {
    value: Number,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

/// A whole number in a UCUM unit (written without a decimal point).
fn quantity_int(value: u16, ucum: &'static str) -> Quantity {
    Quantity {
        value: Number::from(value),
        ..quantity(0.0, ucum)
    }
}

/// A value in a UCUM unit; `unit` is the unit as people write it.
fn quantity(value: f64, ucum: &'static str) -> Quantity {
    let unit = match ucum {
        "mm[Hg]" => "mmHg",
        "/min" => "beats/minute",
        other => other,
    };
    Quantity {
        // Values come from the diary, whose CHECKs keep them finite.
        value: Number::from_f64(value).unwrap_or_else(|| Number::from(0)),
        unit,
        system: UCUM,
        code: ucum,
    }
}

#[derive(Serialize)]
struct Reference {
    reference: String,
}

#[derive(Serialize)]
struct Meta {
    security: Vec<Coding>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Extension {
    url: &'static str,
    value_codeable_concept: Concept,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    code: Concept,
    value_quantity: Quantity,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Observation {
    resource_type: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extension: Vec<Extension>,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    category: Vec<Concept>,
    code: Concept,
    subject: Reference,
    effective_date_time: String,
    /// The patient measured or felt it.
    performer: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_integer: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_string: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<Concept>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    component: Vec<Component>,
}

#[derive(Serialize)]
struct HumanName {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Patient {
    resource_type: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    name: Vec<HumanName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
    resource_type: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<Meta>,
    clinical_status: Concept,
    code: Concept,
    subject: Reference,
}

// ---- building -------------------------------------------------------------

/// What one observation is, before the parts every observation shares.
struct Obs {
    kind: String,
    category: Option<(&'static str, &'static str)>,
    code: Concept,
    position: Option<Coding>,
    value_quantity: Option<Quantity>,
    value_integer: Option<u8>,
    value_string: Option<&'static str>,
    method: Option<Concept>,
    component: Vec<Component>,
}

impl Obs {
    fn new(kind: impl Into<String>, code: Concept) -> Obs {
        Obs {
            kind: kind.into(),
            category: None,
            code,
            position: None,
            value_quantity: None,
            value_integer: None,
            value_string: None,
            method: None,
            component: Vec::new(),
        }
    }

    fn vital(kind: &str, loinc: &'static str, display: &'static str, text: &str) -> Obs {
        let mut o = Obs::new(kind, Concept::coded(coding(LOINC, loinc, display), text));
        o.category = Some(("vital-signs", "Vital Signs"));
        o
    }

    fn lab(kind: &str, loinc: &'static str, display: &'static str, text: &str) -> Obs {
        let mut o = Obs::new(kind, Concept::coded(coding(LOINC, loinc, display), text));
        o.category = Some(("laboratory", "Laboratory"));
        o
    }
}

fn bp_obs(kind: &str, bp: Bp, standing: bool) -> Obs {
    let (text, position) = if standing {
        (
            "Blood pressure, standing",
            coding(SNOMED, "10904000", "Orthostatic body position"),
        )
    } else {
        (
            "Blood pressure, sitting",
            coding(SNOMED, "33586001", "Sitting position"),
        )
    };
    let mut o = Obs::vital(
        kind,
        "85354-9",
        "Blood pressure panel with all children optional",
        text,
    );
    o.position = Some(position);
    let part = |code, display, text: &str, v: u16| Component {
        code: Concept::coded(coding(LOINC, code, display), text),
        value_quantity: quantity_int(v, "mm[Hg]"),
    };
    o.component = vec![
        part("8480-6", "Systolic blood pressure", "Systolic", bp.systolic),
        part(
            "8462-4",
            "Diastolic blood pressure",
            "Diastolic",
            bp.diastolic,
        ),
    ];
    o
}

/// Round to `places` decimals, so that a unit conversion (g/L to g/dL, mL
/// to L) does not print `3.5500000000000003`.
fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// The observations of one entry, in a fixed order.
fn observations(e: &Entry) -> Vec<Obs> {
    let m = &e.m;
    let mut out = Vec::new();
    if let Some(w) = m.weight_kg {
        let mut o = Obs::vital("weight", "29463-7", "Body weight", "Body weight");
        o.value_quantity = Some(quantity(w, "kg"));
        out.push(o);
    }
    if let Some(bp) = m.bp {
        out.push(bp_obs("bp", bp, false));
    }
    if let Some(bp) = m.standing_bp {
        out.push(bp_obs("standing-bp", bp, true));
    }
    if let Some(hr) = m.heart_rate {
        let mut o = Obs::vital("heart-rate", "8867-4", "Heart rate", "Heart rate");
        o.value_quantity = Some(quantity_int(hr, "/min"));
        out.push(o);
    }
    for lab in &m.labs {
        let (loinc, display, text, value, unit) = match lab.kind {
            // A home meter measures capillary blood and calculates the
            // hematocrit: 42908-4 rather than 4544-3, the
            // automated count of a laboratory's venous sample.
            LabKind::Hematocrit => (
                "42908-4",
                "Hematocrit [Volume Fraction] of Capillary blood by calculation",
                "Hematocrit",
                lab.value,
                "%",
            ),
            LabKind::Hemoglobin => (
                "718-7",
                "Hemoglobin [Mass/volume] in Blood",
                "Hemoglobin",
                lab.value,
                "g/dL",
            ),
            // The diary keeps albumin in g/L; 1751-7 is usually in g/dL.
            LabKind::Albumin => (
                "1751-7",
                "Albumin [Mass/volume] in Serum or Plasma",
                "Albumin",
                round(lab.value / 10.0, 3),
                "g/dL",
            ),
        };
        let mut o = Obs::lab(&format!("lab/{}", lab.kind.as_str()), loinc, display, text);
        o.value_quantity = Some(quantity(value, unit));
        out.push(o);
    }
    if let Some(ml) = m.urine_ml {
        let mut o = Obs::lab(
            "urine-24h",
            "9192-6",
            "Urine output 24 hour",
            "Urine output 24 hour",
        );
        o.value_quantity = Some(quantity(round(f64::from(ml) / 1000.0, 3), "L/d"));
        out.push(o);
    }
    if let Some(u) = m.urine {
        // No code says "less than usual"; the words are the patient's.
        let mut o = Obs::new(
            "urine-vs-usual",
            Concept::text("Urine amount compared with usual (patient-reported)"),
        );
        o.value_string = Some(u.as_str());
        out.push(o);
    }
    for s in &m.symptoms {
        let code = match SYMPTOM_CODES.iter().find(|(name, ..)| *name == s.name) {
            Some(&(_, code, display)) => Concept::coded(coding(SNOMED, code, display), &s.name),
            None => Concept::text(&s.name),
        };
        let mut o = Obs::new(format!("symptom/{}", s.name), code);
        o.value_integer = Some(s.severity);
        o.method = Some(Concept::text(
            "Patient-reported severity: 0 absent, 1 mild, 2 moderate, 3 severe",
        ));
        out.push(o);
    }
    out
}

/// The moment of an entry as a FHIR `dateTime`, in the entry's own offset
/// (`2026-11-20T07:30:00-05:00`). FHIR allows whole-minute offsets up to
/// ±14:00 only; an entry with another (cls accepts ±18 h and historic
/// offsets with seconds) is given in UTC, the same instant.
pub fn effective(stamp: &Stamp) -> String {
    let off = stamp.offset_secs;
    if off % 60 == 0 && off.abs() <= 14 * 3600 {
        if let Some(o) = FixedOffset::east_opt(off) {
            return stamp
                .utc
                .with_timezone(&o)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string();
        }
    }
    stamp.utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn meta(synthetic: bool) -> Option<Meta> {
    synthetic.then(|| Meta {
        security: vec![coding(ACT_REASON, "HTEST", "test health data")],
    })
}

/// Write one `Bundle.entry` on its own line.
fn write_entry(
    out: &mut impl Write,
    first: &mut bool,
    id: &str,
    resource: &impl Serialize,
) -> io::Result<()> {
    let sep = if *first { "\n" } else { ",\n" };
    *first = false;
    write!(
        out,
        "{sep}{{\"fullUrl\":\"urn:uuid:{id}\",\"resource\":{}}}",
        serde_json::to_string(resource)?
    )
}

/// The id of the patient: the same for the same name and birth date.
fn patient_id(opts: &Options) -> String {
    let name = opts.name.as_deref().unwrap_or("");
    let birth = opts.birth_date.map(|d| d.to_string()).unwrap_or_default();
    uuid5(&format!("patient/{name}/{birth}"))
}

/// The id of one value of an entry.
pub fn observation_id(e: &Entry, kind: &str) -> String {
    uuid5(&format!(
        "entry/{}/{}/{kind}",
        e.id,
        e.stamp.utc.timestamp()
    ))
}

/// Write the whole bundle: the Patient, the Condition when asked for, then
/// the observations of `entries` in their order.
pub fn write(entries: &[Entry], opts: &Options, mut out: impl Write) -> io::Result<Summary> {
    let patient_id = patient_id(opts);
    let subject = || Reference {
        reference: format!("urn:uuid:{patient_id}"),
    };
    write!(out, "{{\"resourceType\":\"Bundle\",\"type\":\"collection\"")?;
    if let Some(m) = meta(opts.synthetic) {
        write!(out, ",\"meta\":{}", serde_json::to_string(&m)?)?;
    }
    write!(
        out,
        ",\"timestamp\":\"{}\",\"entry\":[",
        opts.exported_at.format("%Y-%m-%dT%H:%M:%SZ")
    )?;
    let mut first = true;
    let patient = Patient {
        resource_type: "Patient",
        id: patient_id.clone(),
        meta: meta(opts.synthetic),
        name: opts
            .name
            .iter()
            .map(|n| HumanName { text: n.clone() })
            .collect(),
        birth_date: opts.birth_date.map(|d| d.to_string()),
    };
    write_entry(&mut out, &mut first, &patient_id, &patient)?;
    if opts.include_condition {
        let id = uuid5(&format!("condition/scls/{patient_id}"));
        let condition = Condition {
            resource_type: "Condition",
            id: id.clone(),
            meta: meta(opts.synthetic),
            clinical_status: Concept::coded(
                coding(CONDITION_CLINICAL, "active", "Active"),
                "Active",
            ),
            code: Concept::coded(
                coding(ICD10, "I78.8", "Other diseases of capillaries"),
                "Systemic capillary leak syndrome (Clarkson disease)",
            ),
            subject: subject(),
        };
        write_entry(&mut out, &mut first, &id, &condition)?;
    }
    let mut summary = Summary::default();
    for e in entries {
        summary.entries += 1;
        summary.with_medications += usize::from(!e.m.meds.is_empty());
        summary.with_note += usize::from(e.m.note.is_some());
        let when = effective(&e.stamp);
        for o in observations(e) {
            let id = observation_id(e, &o.kind);
            let obs = Observation {
                resource_type: "Observation",
                id: id.clone(),
                meta: meta(opts.synthetic),
                extension: o
                    .position
                    .into_iter()
                    .map(|c| Extension {
                        url: BODY_POSITION,
                        value_codeable_concept: Concept {
                            coding: vec![c],
                            text: None,
                        },
                    })
                    .collect(),
                status: "final",
                category: o
                    .category
                    .into_iter()
                    .map(|(code, display)| Concept {
                        coding: vec![coding(CATEGORY, code, display)],
                        text: None,
                    })
                    .collect(),
                code: o.code,
                subject: subject(),
                effective_date_time: when.clone(),
                performer: vec![subject()],
                value_quantity: o.value_quantity,
                value_integer: o.value_integer,
                value_string: o.value_string,
                method: o.method,
                component: o.component,
            };
            write_entry(&mut out, &mut first, &id, &obs)?;
            summary.observations += 1;
        }
    }
    writeln!(out, "\n]}}")?;
    out.flush()?;
    Ok(summary)
}

// ---- name-based UUIDs -----------------------------------------------------

/// A version 5 UUID of `name` in cls's namespace, as text.
fn uuid5(name: &str) -> String {
    uuid5_in(&NAMESPACE, name)
}

fn uuid5_in(namespace: &[u8; 16], name: &str) -> String {
    let mut data = namespace.to_vec();
    data.extend_from_slice(name.as_bytes());
    let h = sha1(&data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// SHA-1 (FIPS 180-4), only for the name-based UUIDs above: their
/// definition asks for it. Not used for anything secret.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (wi, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *wi = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, x) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests;
