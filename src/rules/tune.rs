//! `cls rules tune`: replay the patient's own history under other weight
//! thresholds and P2 counts, and keep the candidates no other beats on every
//! count at once (the Pareto front), to discuss with the patient's doctor.
//!
//! Only what docs/rules.md "Tuning" allows moves, and only inside
//! its bounds: W1 and W4 watch between max(0.5 kg, 0.75 %) and max(2.0 kg,
//! 3 %); W3 between 0.5 kg and 2.0 kg; P3's lowered W1 never above W1; P2's
//! count 2–3. Every other rule keeps the config's thresholds: W2, the L, H
//! and R rules and D1–D3 change only by a clinician editing the config.
//!
//! Pure and printing nothing: the caller loads the diary and shows the
//! result. About 20 ms of engine time per candidate on ten years, so the grid
//! is kept to a few hundred candidates and shared among the cores.

use chrono::NaiveDate;
use serde::Serialize;

use super::{engine, Diary, Level, RuleId, RulesConfig};

/// The lowest and highest W1/W4 watch thresholds tune may propose, as
/// (kg, %) pairs: max(0.5 kg, 0.75 %) to max(2.0 kg, 3 %).
pub const W1_W4_FLOOR: (f64, f64) = (0.5, 0.75);
pub const W1_W4_CEILING: (f64, f64) = (2.0, 3.0);
/// W3's watch_kg bounds.
pub const W3_FLOOR_KG: f64 = 0.5;
pub const W3_CEILING_KG: f64 = 2.0;
/// P2's count bounds.
pub const P2_COUNT: (u32, u32) = (2, 3);

/// The thresholds tune moves, and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// W1 `weight_gain.watch_kg` / `watch_pct`.
    pub w1_kg: f64,
    pub w1_pct: f64,
    /// W3 `overnight_jump.watch_kg` / `watch_pct`.
    pub w3_kg: f64,
    pub w3_pct: f64,
    /// P3 `trigger.watch_kg` / `watch_pct` (W1 while a trigger is present).
    pub p3_kg: f64,
    pub p3_pct: f64,
    /// W4 `sustained_gain.watch_kg` / `watch_pct`.
    pub w4_kg: f64,
    pub w4_pct: f64,
    /// P2 `prodrome_cluster.min_count`.
    pub p2_count: u32,
}

/// One config key tune may write: `[rules.<table>] <key>`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Key {
    pub table: &'static str,
    pub key: &'static str,
}

/// A number tune may write: an integer for a count, else a float.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Float(f64),
    Int(u32),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Float(x) => write!(f, "{x}"),
            Value::Int(n) => write!(f, "{n}"),
        }
    }
}

impl Thresholds {
    pub fn of(cfg: &RulesConfig) -> Thresholds {
        Thresholds {
            w1_kg: cfg.weight_gain.watch_kg,
            w1_pct: cfg.weight_gain.watch_pct,
            w3_kg: cfg.overnight_jump.watch_kg,
            w3_pct: cfg.overnight_jump.watch_pct,
            p3_kg: cfg.trigger.watch_kg,
            p3_pct: cfg.trigger.watch_pct,
            w4_kg: cfg.sustained_gain.watch_kg,
            w4_pct: cfg.sustained_gain.watch_pct,
            p2_count: cfg.prodrome_cluster.min_count,
        }
    }

    /// `cfg` with these thresholds.
    pub fn apply(&self, cfg: &RulesConfig) -> RulesConfig {
        let mut c = cfg.clone();
        c.weight_gain.watch_kg = self.w1_kg;
        c.weight_gain.watch_pct = self.w1_pct;
        c.overnight_jump.watch_kg = self.w3_kg;
        c.overnight_jump.watch_pct = self.w3_pct;
        c.trigger.watch_kg = self.p3_kg;
        c.trigger.watch_pct = self.p3_pct;
        c.sustained_gain.watch_kg = self.w4_kg;
        c.sustained_gain.watch_pct = self.w4_pct;
        c.prodrome_cluster.min_count = self.p2_count;
        c
    }

    /// Every key with its value, in the config's order.
    pub fn values(&self) -> Vec<(Key, Value)> {
        // A rule's table is named after the rule.
        let k = |rule: RuleId, key| Key {
            table: rule.name(),
            key,
        };
        vec![
            (k(RuleId::W1, "watch_kg"), Value::Float(self.w1_kg)),
            (k(RuleId::W1, "watch_pct"), Value::Float(self.w1_pct)),
            (k(RuleId::W3, "watch_kg"), Value::Float(self.w3_kg)),
            (k(RuleId::W3, "watch_pct"), Value::Float(self.w3_pct)),
            (k(RuleId::W4, "watch_kg"), Value::Float(self.w4_kg)),
            (k(RuleId::W4, "watch_pct"), Value::Float(self.w4_pct)),
            (k(RuleId::P2, "min_count"), Value::Int(self.p2_count)),
            (k(RuleId::P3, "watch_kg"), Value::Float(self.p3_kg)),
            (k(RuleId::P3, "watch_pct"), Value::Float(self.p3_pct)),
        ]
    }

    /// The keys whose value differs from `other`'s: (key, from, to).
    pub fn changes(&self, from: &Thresholds) -> Vec<(Key, Value, Value)> {
        from.values()
            .into_iter()
            .zip(self.values())
            .filter(|((_, a), (_, b))| a.to_string() != b.to_string())
            .map(|((k, a), (_, b))| (k, a, b))
            .collect()
    }
}

/// How one set of thresholds did on the history (docs/rules.md, "The backtest").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored {
    pub thresholds: Thresholds,
    /// Episodes with at least one day of warning before they started.
    pub caught: usize,
    /// Days of warning lead summed over the episodes (none counts 0).
    pub warning_lead_days: i64,
    /// Days at watch, and at warning or above, outside the episodes'
    /// windows, per year.
    pub watch_per_year: f64,
    pub warning_per_year: f64,
}

impl Scored {
    /// True when `self` is at least as good as `other` on every count and
    /// better on one.
    fn dominates(&self, other: &Scored) -> bool {
        let ge = self.caught >= other.caught
            && self.warning_lead_days >= other.warning_lead_days
            && self.watch_per_year <= other.watch_per_year
            && self.warning_per_year <= other.warning_per_year;
        let gt = self.caught > other.caught
            || self.warning_lead_days > other.warning_lead_days
            || self.watch_per_year < other.watch_per_year
            || self.warning_per_year < other.warning_per_year;
        ge && gt
    }
}

/// What tune found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tuned {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub episodes: usize,
    pub candidates_tried: usize,
    pub current: Scored,
    /// The Pareto front, most episodes caught first, then fewest false
    /// alarms.
    pub front: Vec<Scored>,
}

/// The grid: every combination inside the tuning limits.
pub fn grid(cfg: &RulesConfig) -> Vec<Thresholds> {
    let now = Thresholds::of(cfg);
    // W1 and W4 keep the default's shape: 1.5 % per kg.
    let scales = [0.75, 1.0, 1.25, 1.5, 2.0];
    let w4_scales = [1.0, 1.5, 2.0];
    let w3_kgs = [0.75, 1.0, 1.5, 2.0];
    let mut out = Vec::new();
    for &w1 in &scales {
        // P3 lowers W1 by a trigger: never above it.
        let mut p3s: Vec<(f64, f64)> = vec![(0.5, 0.75), (0.7, 1.0), (w1, 1.5 * w1)];
        p3s.retain(|&(kg, pct)| kg <= w1 && pct <= 1.5 * w1);
        p3s.dedup();
        for &w3 in &w3_kgs {
            for &w4 in &w4_scales {
                for &(p3_kg, p3_pct) in &p3s {
                    for p2 in P2_COUNT.0..=P2_COUNT.1 {
                        out.push(Thresholds {
                            w1_kg: w1,
                            w1_pct: 1.5 * w1,
                            w3_kg: w3,
                            w3_pct: 1.5 * w3,
                            p3_kg,
                            p3_pct,
                            w4_kg: w4,
                            w4_pct: 1.5 * w4,
                            p2_count: p2,
                        });
                    }
                }
            }
        }
    }
    out.retain(|t| *t != now && within_limits(t));
    out
}

/// True when `t` respects docs/rules.md's tuning limits.
pub fn within_limits(t: &Thresholds) -> bool {
    let (flo, fhi) = (W1_W4_FLOOR, W1_W4_CEILING);
    let pair = |kg: f64, pct: f64| kg >= flo.0 && pct >= flo.1 && kg <= fhi.0 && pct <= fhi.1;
    pair(t.w1_kg, t.w1_pct)
        && pair(t.w4_kg, t.w4_pct)
        && (W3_FLOOR_KG..=W3_CEILING_KG).contains(&t.w3_kg)
        && t.p3_kg <= t.w1_kg
        && t.p3_pct <= t.w1_pct
        && (P2_COUNT.0..=P2_COUNT.1).contains(&t.p2_count)
}

/// Replay the diary (its first to its last entry) under `t`.
fn score(
    diary: &Diary<'_>,
    cfg: &RulesConfig,
    t: Thresholds,
    from: NaiveDate,
    to: NaiveDate,
) -> Scored {
    let cfg = t.apply(cfg);
    let levels: Vec<Level> = engine::run(diary, from, to, NaiveDate::MAX, None, &cfg)
        .iter()
        .map(|d| d.assessment.level)
        .collect();
    let b = super::backtest::score(from, &levels, from, diary.episodes, diary.episodes);
    Scored {
        thresholds: t,
        caught: b.episodes_with_warning_lead,
        warning_lead_days: b.episodes.iter().filter_map(|e| e.lead_days_warning).sum(),
        watch_per_year: b.false_alarms.watch_per_year,
        warning_per_year: b.false_alarms_per_year,
    }
}

/// Search the grid on the diary's history. `None` when the diary has no
/// entries. `threads` ≥ 1 share the candidates.
pub fn tune(diary: &Diary<'_>, cfg: &RulesConfig, threads: usize) -> Option<Tuned> {
    let ds = cfg.day_start;
    let dates = diary.entries.iter().map(|e| e.day(ds));
    let (from, to) = (dates.clone().min()?, dates.max()?);
    let current = score(diary, cfg, Thresholds::of(cfg), from, to);
    let candidates = grid(cfg);
    let threads = threads.clamp(1, 16);
    let chunk = candidates.len().div_ceil(threads).max(1);
    let mut scored: Vec<Scored> = std::thread::scope(|s| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|t| score(diary, cfg, *t, from, to))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    scored.push(current);
    let front = pareto(&scored);
    Some(Tuned {
        from,
        to,
        episodes: diary.episodes.len(),
        candidates_tried: candidates.len(),
        current,
        front,
    })
}

/// The candidates no other dominates; of equal counts, the one closest to
/// the current thresholds is kept (the grid order puts lower thresholds
/// first, so ties keep the first).
pub fn pareto(all: &[Scored]) -> Vec<Scored> {
    let mut front: Vec<Scored> = Vec::new();
    for s in all {
        if all.iter().any(|o| o.dominates(s)) {
            continue;
        }
        let same = |o: &Scored| {
            o.caught == s.caught
                && o.warning_lead_days == s.warning_lead_days
                && o.watch_per_year == s.watch_per_year
                && o.warning_per_year == s.warning_per_year
        };
        if !front.iter().any(same) {
            front.push(*s);
        }
    }
    front.sort_by(|a, b| {
        b.caught
            .cmp(&a.caught)
            .then(a.warning_per_year.total_cmp(&b.warning_per_year))
            .then(a.watch_per_year.total_cmp(&b.watch_per_year))
            .then(b.warning_lead_days.cmp(&a.warning_lead_days))
    });
    front
}

/// The config text with `changes` made under `[rules.<table>]` and nothing
/// else touched: comments, order, spacing and every other key stay as they
/// are (a key's own trailing comment too). A table or key the file lacks is
/// added. `Err` when the text is not TOML.
pub fn edit_config(text: &str, changes: &[(Key, Value)]) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    for (k, v) in changes {
        let new = match v {
            Value::Float(x) => toml_edit::Value::from(*x),
            Value::Int(n) => toml_edit::Value::from(i64::from(*n)),
        };
        let rules = doc
            .entry("rules")
            .or_insert_with(|| toml_edit::Item::Table(implicit_table()));
        let table = rules
            .as_table_like_mut()
            .ok_or("[rules] is not a table")?
            .entry(k.table)
            .or_insert(toml_edit::Item::Table(toml_edit::Table::new()));
        let table = table
            .as_table_like_mut()
            .ok_or_else(|| format!("[rules.{}] is not a table", k.table))?;
        match table.get_mut(k.key).and_then(toml_edit::Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = new;
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(k.key, toml_edit::Item::Value(new));
            }
        }
    }
    Ok(doc.to_string())
}

/// `[rules]` added only to hold `[rules.x]` tables: no empty header line.
fn implicit_table() -> toml_edit::Table {
    let mut t = toml_edit::Table::new();
    t.set_implicit(true);
    t
}

/// The lines that differ between two texts, as `-`/`+` lines with their
/// line numbers (a longest-common-subsequence diff: configs are short).
pub fn diff_lines(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(format!("-{:>4} {}", i + 1, a[i]));
            i += 1;
        } else {
            out.push(format!("+{:>4} {}", j + 1, b[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_stays_inside_the_clinical_limits() {
        let cfg = RulesConfig::default();
        let g = grid(&cfg);
        assert!((100..=600).contains(&g.len()), "{}", g.len());
        assert!(g.iter().all(within_limits));
        assert!(!g.contains(&Thresholds::of(&cfg)));
        // P3's lowered W1 is never above W1.
        assert!(g.iter().all(|t| t.p3_kg <= t.w1_kg));
        assert!(g.iter().any(|t| t.p2_count == 3));
    }

    #[test]
    fn the_front_keeps_only_undominated_candidates() {
        let t = Thresholds::of(&RulesConfig::default());
        let s = |caught, lead, watch, warning| Scored {
            thresholds: t,
            caught,
            warning_lead_days: lead,
            watch_per_year: watch,
            warning_per_year: warning,
        };
        let all = [
            s(5, 8, 30.0, 4.0),
            s(5, 8, 20.0, 4.0), // beats the first
            s(3, 4, 5.0, 1.0),
            s(2, 2, 6.0, 1.0), // beaten by the third
            s(3, 4, 5.0, 1.0), // same counts as the third
        ];
        let front = pareto(&all);
        assert_eq!(front, vec![s(5, 8, 20.0, 4.0), s(3, 4, 5.0, 1.0)]);
    }

    #[test]
    fn changes_name_only_the_keys_that_differ() {
        let cfg = RulesConfig::default();
        let now = Thresholds::of(&cfg);
        let mut t = now;
        t.w3_kg = 1.5;
        t.w3_pct = 2.25;
        let ch = t.changes(&now);
        let keys: Vec<String> = ch
            .iter()
            .map(|(k, _, v)| format!("{}.{}={v}", k.table, k.key))
            .collect();
        assert_eq!(
            keys,
            [
                "overnight_jump.watch_kg=1.5",
                "overnight_jump.watch_pct=2.25"
            ]
        );
    }

    const COMMENTED: &str = "# my config, from Dr Okafor's visit\n\
[patient]\n\
name = \"Alex Example\"\n\
\n\
[rules.weight_gain]\n\
# agreed 2026-10\n\
watch_kg = 1.0   # W1\n\
watch_pct = 1.5\n\
\n\
[rules.hypotension]\n\
max_systolic = 85 # my own BP runs low\n";

    #[test]
    fn edit_config_changes_only_the_chosen_keys() {
        let k = |table, key| Key { table, key };
        let out = edit_config(
            COMMENTED,
            &[
                (k("weight_gain", "watch_kg"), Value::Float(1.5)),
                (k("weight_gain", "watch_pct"), Value::Float(2.25)),
                (k("prodrome_cluster", "min_count"), Value::Int(3)),
            ],
        )
        .unwrap();
        insta::assert_snapshot!(out);
        // Every line but the two values and the new table is the same.
        let diff = diff_lines(COMMENTED, &out);
        insta::assert_snapshot!("edit_config_diff", diff.join("\n"));
        assert!(out.contains("max_systolic = 85 # my own BP runs low"));
        assert!(out.contains("watch_kg = 1.5   # W1"));
    }
}
