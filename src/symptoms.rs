//! The symptom vocabulary: canonical names, aliases, and the lookup that turns
//! what a patient typed into a name the rules know. An unknown word is an
//! error with a suggestion, never silently dropped: a typo must not dodge a
//! rule.

/// Canonical symptom names, as the rules and the diary use them.
pub const CANONICAL: &[&str] = &[
    "thirst",
    "fatigue",
    "weakness",
    "headache",
    "irritability",
    "nausea",
    "vomiting",
    "abdominal-pain",
    "muscle-pain",
    "cold-symptoms",
    "fever",
    "diarrhea",
    "swelling",
    "dizziness",
    "fainting",
    "breathlessness",
    "orthopnea",
    "polyuria",
];

/// Other words patients use, and the canonical symptom each one means.
pub const ALIASES: &[(&str, &str)] = &[
    ("myalgia", "muscle-pain"),
    ("aches", "muscle-pain"),
    ("muscle-ache", "muscle-pain"),
    ("muscle-aches", "muscle-pain"),
    ("edema", "swelling"),
    ("oedema", "swelling"),
    ("dyspnea", "breathlessness"),
    ("dyspnoea", "breathlessness"),
    ("shortness-of-breath", "breathlessness"),
    ("syncope", "fainting"),
    ("fainted", "fainting"),
    ("runny-nose", "cold-symptoms"),
    ("uri", "cold-symptoms"),
    ("sore-throat", "cold-symptoms"),
    ("cough", "cold-symptoms"),
    ("cold", "cold-symptoms"),
    ("tiredness", "fatigue"),
    ("tired", "fatigue"),
    ("lightheaded", "dizziness"),
    ("lightheadedness", "dizziness"),
    ("light-headed", "dizziness"),
    ("dizzy", "dizziness"),
    ("diarrhoea", "diarrhea"),
    ("orthopnoea", "orthopnea"),
    ("thirsty", "thirst"),
    ("stomach-ache", "abdominal-pain"),
    ("belly-pain", "abdominal-pain"),
];

/// The prodrome set counted by rule P2 (docs/rules.md). Triggers such as
/// cold-symptoms and fever are deliberately not members.
pub const PRODROME: &[&str] = &[
    "thirst",
    "fatigue",
    "weakness",
    "muscle-pain",
    "headache",
    "irritability",
    "nausea",
    "vomiting",
    "abdominal-pain",
    "diarrhea",
    "dizziness",
];

/// Lower-case, trim, and treat spaces and underscores as hyphens, so that
/// `Abdominal pain`, `abdominal_pain` and `abdominal-pain` are one word.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw
        .trim()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
    {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// Why a symptom name was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSymptom {
    pub given: String,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownSymptom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.given.is_empty() {
            return f.write_str("empty symptom name");
        }
        write!(f, "unknown symptom '{}'", self.given)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean '{s}'?")?;
        }
        f.write_str(" (see 'cls symptoms'; add your own under [symptoms] custom in the config)")
    }
}

/// Resolve a typed name to its canonical or custom symptom name.
pub fn resolve(raw: &str, custom: &[String]) -> Result<String, UnknownSymptom> {
    let name = normalize(raw);
    if name.is_empty() {
        return Err(UnknownSymptom {
            given: String::new(),
            suggestion: None,
        });
    }
    if let Some(c) = CANONICAL.iter().find(|c| **c == name) {
        return Ok((*c).to_string());
    }
    if let Some((_, c)) = ALIASES.iter().find(|(a, _)| *a == name) {
        return Ok((*c).to_string());
    }
    if let Some(c) = custom.iter().find(|c| normalize(c) == name) {
        return Ok(normalize(c));
    }
    Err(UnknownSymptom {
        suggestion: suggest(&name, custom),
        given: raw.trim().to_string(),
    })
}

/// True when `name` is canonical (after [`normalize`]).
pub fn is_canonical(name: &str) -> bool {
    CANONICAL.contains(&name)
}

/// The closest known word within a small edit distance, or a known word that
/// starts with what was typed.
fn suggest(name: &str, custom: &[String]) -> Option<String> {
    let customs: Vec<String> = custom.iter().map(|c| normalize(c)).collect();
    let candidates = CANONICAL
        .iter()
        .map(|c| (*c, *c))
        .chain(ALIASES.iter().copied())
        .chain(customs.iter().map(|c| (c.as_str(), c.as_str())));
    let mut best: Option<(usize, &str, &str)> = None;
    for (word, canonical) in candidates {
        let d = if word.starts_with(name) && name.len() >= 3 {
            1
        } else {
            edit_distance(name, word)
        };
        let limit = (word.chars().count() / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, _, _)| d < bd) {
            best = Some((d, word, canonical));
        }
    }
    best.map(|(_, word, canonical)| {
        if word == canonical {
            canonical.to_string()
        } else {
            format!("{word}' = '{canonical}")
        }
    })
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_and_aliases_resolve() {
        assert_eq!(resolve("thirst", &[]).unwrap(), "thirst");
        assert_eq!(resolve("Abdominal pain", &[]).unwrap(), "abdominal-pain");
        assert_eq!(resolve("abdominal_pain", &[]).unwrap(), "abdominal-pain");
        assert_eq!(resolve("  MYALGIA ", &[]).unwrap(), "muscle-pain");
        assert_eq!(resolve("oedema", &[]).unwrap(), "swelling");
        assert_eq!(resolve("Runny nose", &[]).unwrap(), "cold-symptoms");
        assert_eq!(resolve("syncope", &[]).unwrap(), "fainting");
        assert_eq!(resolve("lightheadedness", &[]).unwrap(), "dizziness");
        assert_eq!(resolve("diarrhoea", &[]).unwrap(), "diarrhea");
    }

    #[test]
    fn every_alias_points_at_a_canonical_name() {
        for (alias, canonical) in ALIASES {
            assert!(is_canonical(canonical), "{alias} -> {canonical}");
            assert!(!is_canonical(alias), "{alias} shadows a canonical name");
        }
        for p in PRODROME {
            assert!(is_canonical(p));
        }
    }

    #[test]
    fn typos_get_a_suggestion() {
        let e = resolve("thrist", &[]).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("thirst"));
        assert!(e.to_string().contains("did you mean 'thirst'"));
        let e = resolve("fatige", &[]).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("fatigue"));
        let e = resolve("dizzyness", &[]).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("dizziness"));
        let e = resolve("xyzzy", &[]).unwrap_err();
        assert_eq!(e.suggestion, None);
        assert!(resolve("   ", &[]).is_err());
    }

    #[test]
    fn custom_symptoms_are_accepted_and_suggested() {
        let custom = vec!["Joint pain".to_string()];
        assert_eq!(resolve("joint_pain", &custom).unwrap(), "joint-pain");
        let e = resolve("joint-pian", &custom).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("joint-pain"));
    }
}
