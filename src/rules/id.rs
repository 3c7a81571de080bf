//! The built-in rules' ids ("W1") and names ("weight_gain"): the only place
//! either is spelled. A rule's name is also its `[rules.<name>]` table.

use std::fmt;

/// A built-in rule, in rule order (docs/rules.md): D, W, P, L, H, R, M.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    D1,
    D2,
    D3,
    W1,
    W2,
    W3,
    W4,
    P1,
    P2,
    P3,
    L1,
    L2,
    L3,
    L4,
    L5,
    L6,
    L7,
    L8,
    L9,
    L10,
    H1,
    H2,
    R1,
    M1,
}

impl RuleId {
    /// Every built-in rule, in rule order.
    pub const ALL: [RuleId; 24] = [
        RuleId::D1,
        RuleId::D2,
        RuleId::D3,
        RuleId::W1,
        RuleId::W2,
        RuleId::W3,
        RuleId::W4,
        RuleId::P1,
        RuleId::P2,
        RuleId::P3,
        RuleId::L1,
        RuleId::L2,
        RuleId::L3,
        RuleId::L4,
        RuleId::L5,
        RuleId::L6,
        RuleId::L7,
        RuleId::L8,
        RuleId::L9,
        RuleId::L10,
        RuleId::H1,
        RuleId::H2,
        RuleId::R1,
        RuleId::M1,
    ];

    /// The short id findings carry: "W1".
    pub const fn code(self) -> &'static str {
        match self {
            RuleId::D1 => "D1",
            RuleId::D2 => "D2",
            RuleId::D3 => "D3",
            RuleId::W1 => "W1",
            RuleId::W2 => "W2",
            RuleId::W3 => "W3",
            RuleId::W4 => "W4",
            RuleId::P1 => "P1",
            RuleId::P2 => "P2",
            RuleId::P3 => "P3",
            RuleId::L1 => "L1",
            RuleId::L2 => "L2",
            RuleId::L3 => "L3",
            RuleId::L4 => "L4",
            RuleId::L5 => "L5",
            RuleId::L6 => "L6",
            RuleId::L7 => "L7",
            RuleId::L8 => "L8",
            RuleId::L9 => "L9",
            RuleId::L10 => "L10",
            RuleId::H1 => "H1",
            RuleId::H2 => "H2",
            RuleId::R1 => "R1",
            RuleId::M1 => "M1",
        }
    }

    /// The readable name, which is also the rule's `[rules.<name>]` table:
    /// "weight_gain".
    pub const fn name(self) -> &'static str {
        match self {
            RuleId::D1 => "no_baseline",
            RuleId::D2 => "stale",
            RuleId::D3 => "weigh_now",
            RuleId::W1 => "weight_gain",
            RuleId::W2 => "weight_gain_large",
            RuleId::W3 => "overnight_jump",
            RuleId::W4 => "sustained_gain",
            RuleId::P1 => "weight_thirst",
            RuleId::P2 => "prodrome_cluster",
            RuleId::P3 => "trigger",
            RuleId::L1 => "hypotension",
            RuleId::L2 => "low_bp",
            RuleId::L3 => "orthostatic",
            RuleId::L4 => "shock_index",
            RuleId::L5 => "tachycardia",
            RuleId::L6 => "syncope",
            RuleId::L7 => "low_urine",
            RuleId::L8 => "leak_combo",
            RuleId::L9 => "breathing",
            RuleId::L10 => "swelling",
            RuleId::H1 => "hemoconcentration",
            RuleId::H2 => "albumin",
            RuleId::R1 => "recruitment",
            RuleId::M1 => "med_overdue",
        }
    }

    /// The rule whose short id is `code` (exactly as findings carry it).
    pub fn from_code(code: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether `id` is the id or the name of a built-in rule, ignoring case
    /// (a patient rule may not reuse either).
    pub fn is_taken(id: &str) -> bool {
        RuleId::ALL
            .iter()
            .any(|r| r.code().eq_ignore_ascii_case(id) || r.name().eq_ignore_ascii_case(id))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn codes_and_names_are_unique_and_round_trip() {
        for (i, a) in RuleId::ALL.iter().enumerate() {
            assert_eq!(RuleId::from_code(a.code()), Some(*a));
            for b in &RuleId::ALL[i + 1..] {
                assert_ne!(a.code(), b.code());
                assert_ne!(a.name(), b.name());
            }
        }
        assert_eq!(RuleId::from_code("w1"), None);
        assert!(RuleId::is_taken("w1") && RuleId::is_taken("Weight_Gain"));
        assert!(!RuleId::is_taken("my_rule"));
    }
}
