//! A small JSON Schema validator for the subset `docs/schema/*.json` use,
//! so that `cargo test` fails when an output and its schema disagree
//! without a validator crate and its dependencies (the `jsonschema` crate
//! pulls in two regex engines and, with its default features, reqwest and
//! the aws-lc-rs TLS library: too heavy for a dev-dependency compiled on
//! every `cargo test`). Python's jsonschema 4.26 accepted the same
//! outputs against the same files (checked once by hand, 2026-12-06).
//!
//! Draft 2020-12 semantics for these keywords only: `type`, `enum`,
//! `const`, `properties`, `required`, `dependentRequired`,
//! `additionalProperties`, `items`,
//! `minItems`, `maxItems`, `contains`, `minimum`, `maximum`, `minLength`,
//! `maxLength`, `pattern`, `$ref` (to `#/$defs/...` or a sibling file),
//! `anyOf`, `allOf`, `if`/`then`/`else`; `$schema`, `$id`, `$defs`,
//! `title` and `description` are annotations. A schema using any other
//! keyword panics rather than being half-checked. `pattern` takes
//! anchored patterns built from literals, `[...]` classes, `(...)`
//! groups and the quantifiers `? * + {n} {n,m}`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Where the committed schemas live.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

/// Read one committed schema by file name.
pub fn load(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every place `doc` breaks the schema in file `name`, as "path: why";
/// empty when it validates.
pub fn errors(name: &str, doc: &Value) -> Vec<String> {
    let root = load(name);
    let mut errs = Vec::new();
    validate(&root, &root, doc, "$", &mut errs);
    errs
}

/// Panic with every error unless `doc` validates against schema `name`.
#[track_caller]
pub fn assert_valid(name: &str, doc: &Value, what: &str) {
    let errs = errors(name, doc);
    assert!(
        errs.is_empty(),
        "{what} does not match {name}:\n  {}\n{}",
        errs.join("\n  "),
        serde_json::to_string_pretty(doc).unwrap()
    );
}

fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    let s = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            errs.push(format!("{at}: not allowed here"));
            return;
        }
        Value::Object(s) => s,
        other => panic!("a schema must be an object or a boolean: {other}"),
    };
    let mut fail = |why: String| errs.push(format!("{at}: {why}"));
    let mut nested: Vec<(String, &Value, &Value)> = Vec::new();
    let mut conditional = None;
    for (key, k) in s {
        match key.as_str() {
            "$schema" | "$id" | "$defs" | "title" | "description" | "then" | "else" => {}
            "type" => {
                let types: Vec<&str> = match k {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                    _ => panic!("bad type keyword {k}"),
                };
                if !types.iter().any(|t| is_type(v, t)) {
                    fail(format!("{v} is not of type {}", types.join(" or ")));
                }
            }
            "enum" => {
                if !k.as_array().unwrap().contains(v) {
                    fail(format!("{v} is not one of {k}"));
                }
            }
            "const" => {
                if k != v {
                    fail(format!("{v} is not {k}"));
                }
            }
            "minimum" | "maximum" => {
                if let Some(x) = v.as_f64() {
                    let bound = k.as_f64().unwrap();
                    if (key == "minimum" && x < bound) || (key == "maximum" && x > bound) {
                        fail(format!("{x} is outside the {key} {bound}"));
                    }
                }
            }
            "minLength" | "maxLength" => {
                if let Some(t) = v.as_str() {
                    let n = t.chars().count() as u64;
                    let bound = k.as_u64().unwrap();
                    if (key == "minLength" && n < bound) || (key == "maxLength" && n > bound) {
                        fail(format!("length {n} is outside the {key} {bound}"));
                    }
                }
            }
            "pattern" => {
                if let Some(t) = v.as_str() {
                    if !Pattern::parse(k.as_str().unwrap()).matches(t) {
                        fail(format!("{t:?} does not match the pattern {k}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let Some(a) = v.as_array() {
                    let bound = k.as_u64().unwrap() as usize;
                    if (key == "minItems" && a.len() < bound)
                        || (key == "maxItems" && a.len() > bound)
                    {
                        fail(format!("{} items is outside the {key} {bound}", a.len()));
                    }
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for name in k.as_array().unwrap() {
                        let name = name.as_str().unwrap();
                        if !o.contains_key(name) {
                            fail(format!("the key {name:?} is missing"));
                        }
                    }
                }
            }
            "dependentRequired" => {
                if let Some(o) = v.as_object() {
                    for (name, needs) in k.as_object().unwrap() {
                        if !o.contains_key(name) {
                            continue;
                        }
                        for need in needs.as_array().unwrap() {
                            let need = need.as_str().unwrap();
                            if !o.contains_key(need) {
                                fail(format!("{name:?} without {need:?}"));
                            }
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (name, sub) in k.as_object().unwrap() {
                        if let Some(x) = o.get(name) {
                            nested.push((format!("{at}.{name}"), sub, x));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = v.as_object() {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (name, x) in o {
                        if !known.is_some_and(|p| p.contains_key(name)) {
                            nested.push((format!("{at}.{name}"), k, x));
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        nested.push((format!("{at}[{i}]"), k, x));
                    }
                }
            }
            "contains" => {
                if let Some(a) = v.as_array() {
                    if !a.iter().any(|x| passes(root, k, x)) {
                        fail(format!("no item matches {k}"));
                    }
                }
            }
            "anyOf" => {
                if !k.as_array().unwrap().iter().any(|sub| passes(root, sub, v)) {
                    fail(format!("{v} matches none of anyOf"));
                }
            }
            "allOf" => {
                for sub in k.as_array().unwrap() {
                    nested.push((at.to_string(), sub, v));
                }
            }
            "$ref" => {
                let target = resolve(root, k.as_str().unwrap());
                let mut sub = Vec::new();
                // A sibling file is its own root for the refs inside it.
                let target_root = if k.as_str().unwrap().starts_with('#') {
                    root.clone()
                } else {
                    target.clone()
                };
                validate(&target_root, &target, v, at, &mut sub);
                errs_extend(&mut fail, sub);
            }
            "if" => conditional = Some(k),
            other => panic!("the schema validator does not know the keyword {other:?}: teach it, or use another keyword"),
        }
    }
    for (path, sub, x) in nested {
        validate(root, sub, x, &path, errs);
    }
    if let Some(cond) = conditional {
        let branch = if passes(root, cond, v) {
            s.get("then")
        } else {
            s.get("else")
        };
        if let Some(b) = branch {
            validate(root, b, v, at, errs);
        }
    }
}

fn errs_extend(fail: &mut impl FnMut(String), sub: Vec<String>) {
    for e in sub {
        // Already "path: why"; keep it whole.
        fail(format!("(via $ref) {e}"));
    }
}

fn passes(root: &Value, schema: &Value, v: &Value) -> bool {
    let mut errs = Vec::new();
    validate(root, schema, v, "", &mut errs);
    errs.is_empty()
}

fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        // 2.0 is an integer in JSON Schema; cls writes whole numbers bare.
        "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

fn resolve(root: &Value, reference: &str) -> Value {
    let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let doc = if file.is_empty() {
        root.clone()
    } else {
        load(file)
    };
    if pointer.is_empty() {
        return doc;
    }
    doc.pointer(pointer)
        .unwrap_or_else(|| panic!("$ref {reference} points at nothing"))
        .clone()
}

/// An anchored pattern: a sequence of atoms, each with a repeat range.
#[derive(Debug)]
struct Pattern(Vec<Atom>);

#[derive(Debug)]
struct Atom {
    kind: Kind,
    min: usize,
    max: usize,
}

#[derive(Debug)]
enum Kind {
    Char(char),
    Class(Vec<(char, char)>),
    Group(Pattern),
}

impl Pattern {
    fn parse(src: &str) -> Pattern {
        let body = src
            .strip_prefix('^')
            .and_then(|s| s.strip_suffix('$'))
            .unwrap_or_else(|| panic!("pattern {src:?} must be anchored with ^ and $"));
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        let p = Self::seq(&chars, &mut i, src);
        assert_eq!(i, chars.len(), "pattern {src:?}: unbalanced ')'");
        p
    }

    fn seq(c: &[char], i: &mut usize, src: &str) -> Pattern {
        let mut atoms = Vec::new();
        while *i < c.len() && c[*i] != ')' {
            let kind = match c[*i] {
                '[' => {
                    let mut ranges = Vec::new();
                    *i += 1;
                    while c[*i] != ']' {
                        let lo = c[*i];
                        if c.get(*i + 1) == Some(&'-') && c.get(*i + 2) != Some(&']') {
                            ranges.push((lo, c[*i + 2]));
                            *i += 3;
                        } else {
                            ranges.push((lo, lo));
                            *i += 1;
                        }
                    }
                    *i += 1;
                    Kind::Class(ranges)
                }
                '(' => {
                    *i += 1;
                    let g = Self::seq(c, i, src);
                    assert_eq!(c.get(*i), Some(&')'), "pattern {src:?}: unclosed '('");
                    *i += 1;
                    Kind::Group(g)
                }
                '\\' => {
                    *i += 2;
                    Kind::Char(c[*i - 1])
                }
                '|' | '.' | '^' | '$' => panic!("pattern {src:?}: {:?} is not supported", c[*i]),
                ch => {
                    *i += 1;
                    Kind::Char(ch)
                }
            };
            let (min, max) = match c.get(*i) {
                Some('?') => (0, 1),
                Some('*') => (0, usize::MAX),
                Some('+') => (1, usize::MAX),
                Some('{') => {
                    let end = c[*i..].iter().position(|&x| x == '}').unwrap() + *i;
                    let inner: String = c[*i + 1..end].iter().collect();
                    let bounds = match inner.split_once(',') {
                        Some((lo, hi)) => (lo.parse().unwrap(), hi.parse().unwrap()),
                        None => (inner.parse().unwrap(), inner.parse().unwrap()),
                    };
                    // Past the '}' (the step below passes one character).
                    *i = end;
                    bounds
                }
                _ => {
                    atoms.push(Atom {
                        kind,
                        min: 1,
                        max: 1,
                    });
                    continue;
                }
            };
            *i += 1;
            atoms.push(Atom { kind, min, max });
        }
        Pattern(atoms)
    }

    fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        self.ends(&chars, 0).contains(&chars.len())
    }

    /// Every position this pattern can end at, starting at `from`.
    fn ends(&self, s: &[char], from: usize) -> Vec<usize> {
        let mut at = vec![from];
        for atom in &self.0 {
            let mut next = Vec::new();
            for &p in &at {
                let mut reps = vec![p];
                let mut n = 0;
                while n < atom.min {
                    reps = reps.iter().flat_map(|&q| atom.kind.step(s, q)).collect();
                    n += 1;
                }
                next.extend(reps.iter().copied());
                while n < atom.max && !reps.is_empty() {
                    reps = reps.iter().flat_map(|&q| atom.kind.step(s, q)).collect();
                    reps.retain(|q| !next.contains(q));
                    next.extend(reps.iter().copied());
                    n += 1;
                }
            }
            next.sort_unstable();
            next.dedup();
            at = next;
        }
        at
    }
}

impl Kind {
    fn step(&self, s: &[char], p: usize) -> Vec<usize> {
        match self {
            Kind::Char(c) => (s.get(p) == Some(c)).then_some(p + 1).into_iter().collect(),
            Kind::Class(ranges) => s
                .get(p)
                .filter(|c| ranges.iter().any(|(lo, hi)| (lo..=hi).contains(c)))
                .map(|_| p + 1)
                .into_iter()
                .collect(),
            Kind::Group(g) => g.ends(s, p),
        }
    }
}

#[test]
fn the_validator_catches_what_it_claims_to() {
    use serde_json::json;
    let p = Pattern::parse("^[+-][0-9]{2}:[0-9]{2}(:[0-9]{2})?$");
    for good in ["+00:00", "-05:00", "+05:30:15"] {
        assert!(p.matches(good), "{good}");
    }
    for bad in [
        "",
        "05:00",
        "+5:00",
        "+05:00:",
        "+05:00:1",
        "+05:00x",
        "+05:00:15:00",
    ] {
        assert!(!p.matches(bad), "{bad}");
    }
    assert!(Pattern::parse("^a+b*c?$").matches("aaab"));
    assert!(Pattern::parse("^a{1}b{2,3}$").matches("abbb"));
    assert!(!Pattern::parse("^a{1}b{2,3}$").matches("aab"));
    assert!(!Pattern::parse("^a+b*c?$").matches("bc"));

    let root = json!({
        "type": "object", "required": ["n"], "additionalProperties": false,
        "properties": {"n": {"type": "integer", "minimum": 1}, "l": {"$ref": "#/$defs/l"}},
        "$defs": {"l": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2}},
        "if": {"properties": {"n": {"const": 1}}},
        "then": {"required": ["l"], "properties": {"l": {"contains": {"const": "a"}}}}
    });
    let errs = |v: Value| {
        let mut e = Vec::new();
        validate(&root, &root, &v, "$", &mut e);
        e
    };
    assert!(errs(json!({"n": 2})).is_empty());
    assert!(errs(json!({"n": 1, "l": ["b", "a"]})).is_empty());
    for bad in [
        json!({}),
        json!({"n": 0}),
        json!({"n": 1.5}),
        json!({"n": 2, "x": 1}),
        json!({"n": 2, "l": ["c"]}),
        json!({"n": 2, "l": ["a", "a", "a"]}),
        json!({"n": 1}),
        json!({"n": 1, "l": ["b"]}),
        json!([]),
    ] {
        assert!(!errs(bad.clone()).is_empty(), "{bad} passed");
    }
}
