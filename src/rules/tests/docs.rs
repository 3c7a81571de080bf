//! docs/rules.md's rule reference is generated from [`describe`] and the
//! default configuration, so that it can never drift from the code: this
//! test fails when it does, and rewrites it with `CLS_UPDATE_DOCS=1`.

use super::*;
use crate::rules::{describe, RuleId};

const BEGIN: &str = "<!-- BEGIN generated: the rules (src/rules/tests/docs.rs; CLS_UPDATE_DOCS=1 cargo test --lib docs) -->";
const END: &str = "<!-- END generated -->";

/// A TOML value as a patient would write it.
fn toml_value(v: &toml::Value) -> String {
    match v {
        toml::Value::Array(a) => format!(
            "[{}]",
            a.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// The reference section: every built-in rule with its level, inputs, when
/// it fires, and its `[rules.<name>]` keys with their defaults.
fn reference() -> String {
    let cfg = RulesConfig::default();
    let toml::Value::Table(tables) = toml::Value::try_from(&cfg).expect("rules serialize") else {
        panic!("rules serialize to a table");
    };
    let mut out = String::new();
    for info in describe(&cfg) {
        let id = RuleId::from_code(&info.rule).expect("built-in rules only");
        out.push_str(&format!(
            "### {} `{}`: {}\n\n",
            id.code(),
            id.name(),
            info.level
        ));
        out.push_str(&format!("- **Reads:** {}.\n", info.inputs));
        out.push_str(&format!("- **Fires when:** {}.\n", info.fires_when));
        let keys: Vec<String> = match tables.get(id.name()) {
            Some(toml::Value::Table(t)) => t
                .iter()
                .map(|(k, v)| format!("`{k} = {}`", toml_value(v)))
                .collect(),
            _ => Vec::new(),
        };
        out.push_str(&format!(
            "- **`[rules.{}]`:** {}.\n\n",
            id.name(),
            keys.join(", ")
        ));
    }
    out
}

#[test]
fn docs_rules_md_lists_every_rule_as_the_code_describes_it() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let text = std::fs::read_to_string(path).expect("docs/rules.md exists");
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("docs/rules.md lacks the generated section's markers");
    };
    let want = format!("{BEGIN}\n\n{}{END}", reference());
    let have = &text[b..e + END.len()];
    if have != want {
        if std::env::var_os("CLS_UPDATE_DOCS").is_some() {
            let new = format!("{}{want}{}", &text[..b], &text[e + END.len()..]);
            std::fs::write(path, new).expect("rewrite docs/rules.md");
            return;
        }
        panic!(
            "docs/rules.md's rule reference is out of date: run CLS_UPDATE_DOCS=1 cargo test --lib docs_rules_md"
        );
    }
    // Every built-in rule is there, by id and name.
    for id in RuleId::ALL {
        assert!(
            have.contains(&format!("### {} `{}`", id.code(), id.name())),
            "{id} missing"
        );
    }
}
