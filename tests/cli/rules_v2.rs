//! Rule set v2, written from the spec before the implementation: the
//! timelines of issue 13 and the window edges that docs/rules.md
//! settles, each driven through the contract of docs/cli.md (`cls log
//! --date --time`, `cls episode`, `cls check [--date] --json`, `CLS_NOW`).
//!
//! Every test starts with a comment naming its timeline. Assertions are on
//! the level (and, through `TestEnv::check`, the exit status that goes with
//! it), the rule ids that fire, and the numbers the spec asks a message to
//! name. Where the spec leaves something open, the test asserts only what it
//! clearly implies and quotes the sentence it relied on (`// spec:`).
//!
//! Unless a test says otherwise the diary is in UTC, weights are in kg, the
//! mornings are logged at 07:00 with 118/76, and "now" is set with `CLS_NOW`
//! before anything is logged (entries are logged with explicit past dates
//! and times, the way a patient back-fills a diary).

use chrono::Duration;
use serde_json::Value;

use crate::safety_util::new_york;
use crate::support::{assert_one_line_error, date, describe, stdout, TestEnv};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The levels lowest to highest (docs/cli.md: "Levels, lowest to highest:
/// ok, unknown, watch, warning, emergency").
fn rank(level: &str) -> u8 {
    match level {
        "ok" => 0,
        "unknown" => 1,
        "watch" => 2,
        "warning" => 3,
        "emergency" => 4,
        other => panic!("not a level: {other:?}"),
    }
}

fn level(v: &Value) -> &str {
    v["level"]
        .as_str()
        .unwrap_or_else(|| panic!("no level in {v:#}"))
}

/// The rule ids of every finding, in output order.
fn rules(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array in {v:#}"))
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn fired(v: &Value, rule: &str) -> bool {
    rules(v).iter().any(|r| r == rule)
}

/// The finding of `rule` (panics, with the whole output, when it did not fire).
#[track_caller]
fn finding<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["rule"] == rule))
        .unwrap_or_else(|| panic!("{rule} did not fire: {v:#}"))
}

/// The message of `rule`'s finding.
#[track_caller]
fn message(v: &Value, rule: &str) -> String {
    finding(v, rule)["message"]
        .as_str()
        .unwrap_or_else(|| panic!("{rule} has no message: {v:#}"))
        .to_string()
}

#[track_caller]
fn assert_level(v: &Value, want: &str) {
    assert_eq!(level(v), want, "level: {v:#}");
}

#[track_caller]
fn assert_at_least(v: &Value, min: &str) {
    assert!(
        rank(level(v)) >= rank(min),
        "level should be at least {min}: {v:#}"
    );
}

#[track_caller]
fn assert_fires(v: &Value, want: &[&str]) {
    for rule in want {
        assert!(fired(v, rule), "{rule} should fire: {v:#}");
    }
}

#[track_caller]
fn assert_silent(v: &Value, rule: &str) {
    assert!(!fired(v, rule), "{rule} should not fire: {v:#}");
}

/// `rule` fired at `want` (the finding's own `level`).
#[track_caller]
fn assert_finding_level(v: &Value, rule: &str, want: &str) {
    assert_eq!(finding(v, rule)["level"], want, "{rule}'s level: {v:#}");
}

/// `day` moved by `days` (`YYYY-MM-DD`).
fn shift(day: &str, days: i64) -> String {
    (date(day) + Duration::days(days)).to_string()
}

/// `cls log --date DAY --time TIME ARGS`, asserted to succeed; its stdout.
#[track_caller]
fn log_at(env: &TestEnv, day: &str, time: &str, args: &[&str]) -> String {
    let mut full = vec!["log", "--date", day, "--time", time];
    full.extend_from_slice(args);
    env.ok(&full)
}

/// One 07:00 entry with `weight` and a sitting 118/76.
#[track_caller]
fn morning(env: &TestEnv, day: &str, weight: &str) {
    log_at(env, day, "07:00", &["--weight", weight, "--bp", "118/76"]);
}

/// `n` steady mornings at 70.0 kg, 118/76, from `first`.
#[track_caller]
fn steady(env: &TestEnv, first: &str, n: i64) {
    for i in 0..n {
        morning(env, &shift(first, i), "70.0");
    }
}

/// `cls episode ARGS`, asserted to succeed.
#[track_caller]
fn episode(env: &TestEnv, args: &[&str]) {
    let mut full = vec!["episode"];
    full.extend_from_slice(args);
    env.ok(&full);
}

/// Plain `cls check ARGS` (text): exit status and stdout. Stderr is not
/// checked (it may carry the "clock fixed by CLS_NOW" note).
fn check_text(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let mut full = vec!["check"];
    full.extend_from_slice(args);
    let out = env.run(&full);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{}", describe(&out));
    (out.status.code(), stdout(&out))
}

/// The usual scene for the single-entry tests: a steady week before `today`
/// (2026-11-25), then one 07:30 entry with 70.0 kg, 118/76 and `extra`,
/// judged as of 08:00. Returns `cls check --json`.
#[track_caller]
fn week_then_today(extra: &[&str]) -> Value {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T08:00");
    steady(&env, "2026-11-18", 7);
    let mut args = vec!["--weight", "70.0", "--bp", "118/76"];
    args.extend_from_slice(extra);
    log_at(&env, "2026-11-25", "07:30", &args);
    env.check(None)
}

// ---------------------------------------------------------------------------
// 1. Fainting at night is not erased by a normal morning (L6)
// ---------------------------------------------------------------------------

// Timeline 1: fainted at 22:00, a normal weight and BP at 07:00 the next
// morning; checked at 07:30 → emergency (L6). The fainting day itself,
// checked afterwards with --date, is an emergency too.
#[test]
fn fainting_at_night_is_not_erased_by_a_normal_morning() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T07:30");
    steady(&env, "2026-11-17", 8); // 17th..24th
    log_at(&env, "2026-11-24", "22:00", &["--symptom", "fainting"]);
    let out = log_at(
        &env,
        "2026-11-25",
        "07:00",
        &["--weight", "70.0", "--bp", "120/78"],
    );

    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L6"]);

    let v = env.check(Some("2026-11-24"));
    assert_level(&v, "emergency");
    assert_fires(&v, &["L6"]);

    // spec: "`cls check` (and the status line of `cls log`) judges as of now".
    assert!(
        out.lines().nth(1).is_some_and(|l| l.contains("emergency")),
        "the log's status line judges as of now: {out}"
    );
}

// ---------------------------------------------------------------------------
// 2. A morning SBP 84 is not erased by an evening 112 (L1, worst reading)
// ---------------------------------------------------------------------------

// Timeline 2: SBP 84 at 07:30 and 112 at 20:00 the same day. As of 20:30 →
// emergency L1 naming 84, 07:30 and the latest 112. The next day,
// `check --date` for that day and its `--history` line are emergency too.
#[test]
fn a_morning_84_is_not_erased_by_an_evening_112() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T20:30");
    steady(&env, "2026-11-18", 7);
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &["--weight", "70.0", "--bp", "84/56"],
    );
    log_at(&env, "2026-11-25", "20:00", &["--bp", "112/74"]);

    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L1"]);
    // spec: "The message names the worst reading with its time, and the
    // latest one when they differ ("systolic 84 at 07:30; latest 112 at
    // 20:00")."
    let m = message(&v, "L1");
    for want in ["84", "07:30", "112"] {
        assert!(m.contains(want), "L1's message should name {want}: {m}");
    }

    env.set_now("2026-11-26T09:00");
    let day = env.check(Some("2026-11-25"));
    assert_level(&day, "emergency");
    assert_fires(&day, &["L1"]);

    // spec: "`cls check --date D` for a past D, `--history` and the backtest
    // judge as of the end of logical day D."
    let out = env.run(&[
        "check",
        "--history",
        "--from",
        "2026-11-25",
        "--to",
        "2026-11-25",
        "--json",
    ]);
    let h: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("--history --json is not JSON ({e})\n{}", describe(&out)));
    let line = h["days"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["date"] == "2026-11-25"))
        .unwrap_or_else(|| panic!("no line for 2026-11-25 in --history: {h:#}"));
    assert_level(line, "emergency");
    assert_fires(line, &["L1"]);
    assert_eq!(level(line), level(&day), "--history agrees with --date");
}

// ---------------------------------------------------------------------------
// 3. A standing-only 82/50 is judged by L1
// ---------------------------------------------------------------------------

// Timeline 3: standing BP 82/50 and no sitting reading today (sitting 118
// yesterday) → emergency L1.
#[test]
fn a_standing_only_82_is_an_emergency() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T09:00");
    steady(&env, "2026-11-17", 8); // the 24th's sitting 118 is yesterday's
    log_at(
        &env,
        "2026-11-25",
        "08:30",
        &["--weight", "70.0", "--standing-bp", "82/50"],
    );
    // spec: "L1's absolute threshold (≤90) applies to standing readings too
    // ... A window with only standing readings is still judged by L1, L4 and
    // L5 (they are not "skipped")."
    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L1"]);
}

// ---------------------------------------------------------------------------
// 4. The logical day: a weight at 00:30 counts for the day before
// ---------------------------------------------------------------------------

// Timeline 4: a week of 70.0 kg mornings; 70.0 kg logged at 00:30 on the
// 25th (it counts for the 24th), then 71.8 kg with thirst at 07:00 on the
// 25th. The 25th's day weight is 71.8 → warning (P1, on W1).
#[test]
fn an_after_midnight_weight_counts_for_the_previous_day() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T07:30");
    steady(&env, "2026-11-17", 8); // 17th..24th
    let out = log_at(&env, "2026-11-25", "00:30", &["--weight", "70.0"]);
    log_at(
        &env,
        "2026-11-25",
        "07:00",
        &["--weight", "71.8", "--bp", "118/76", "--symptom", "thirst"],
    );

    let v = env.check(None);
    assert_level(&v, "warning");
    assert_fires(&v, &["P1", "W1"]);
    assert_silent(&v, "W2");

    // spec (docs/cli.md): "`log`, `list` and `show` say so ("00:30 on Dec
    // 6, counted for Dec 5")".
    assert!(
        out.contains("counted for"),
        "log says which day 00:30 counts for: {out}"
    );
}

// Timeline 4b: the same diary with `[diary] day_starts_at = "00:00"`: the
// logical day is off, the 00:30 weight (70.0) is the 25th's day weight, and
// nothing fires.
#[test]
fn day_starts_at_midnight_turns_the_logical_day_off() {
    let mut env = TestEnv::new();
    env.write_config("[diary]\nday_starts_at = \"00:00\"\n");
    env.set_now("2026-11-25T07:30");
    steady(&env, "2026-11-17", 8);
    log_at(&env, "2026-11-25", "00:30", &["--weight", "70.0"]);
    log_at(
        &env,
        "2026-11-25",
        "07:00",
        &["--weight", "71.8", "--bp", "118/76", "--symptom", "thirst"],
    );
    // spec: "Day weight = the weight of the logical day's earliest entry".
    let v = env.check(None);
    assert_level(&v, "ok");
    assert_silent(&v, "W1");
    assert_silent(&v, "P1");
}

// ---------------------------------------------------------------------------
// 5. A baseline that holds: plateaus and slow rises (W1, W4)
// ---------------------------------------------------------------------------

// Timeline 5: 8 days at 70.0 kg, then a plateau at 71.6 kg. Day 1 of the
// plateau is watch (W1); each of the following 10 days is still at least
// watch, by W1 or W4 (v1 went back to ok after 4 days).
#[test]
fn a_plateau_stays_at_least_watch_for_ten_days() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-08T12:00");
    steady(&env, "2026-10-20", 8); // 20th..27th
    for k in 0..=10 {
        morning(&env, &shift("2026-10-28", k), "71.6"); // Oct 28..Nov 7
    }

    let v = env.check(Some("2026-10-28"));
    assert_level(&v, "watch");
    assert_fires(&v, &["W1"]);
    // From day 4 B is 71.6; W4's reference DATE−35..DATE−8 has ≥4 days of
    // 70.0 from day 3 and its median stays 70.0 up to day 10.
    for k in 1..=10 {
        let d = shift("2026-10-28", k);
        let v = env.check(Some(&d));
        assert_at_least(&v, "watch");
        assert!(
            fired(&v, "W1") || fired(&v, "W4"),
            "plateau day {k} ({d}): W1 or W4 should fire: {v:#}"
        );
    }
}

// Timeline 5b: 30 days at 70.0 kg, then +0.3 kg a day for 12 days (73.6 kg
// on the last). The last day is at least watch, and W4 fires (its median of
// DATE−2..DATE is 73.3 against a reference of 70.0).
#[test]
fn a_rise_of_0_3_kg_a_day_reaches_sustained_gain() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-06T07:30");
    steady(&env, "2026-09-26", 30); // Sep 26..Oct 25
    for i in 1..=12_i32 {
        let w = format!("{:.1}", 70.0 + 0.3 * f64::from(i));
        morning(&env, &shift("2026-10-25", i64::from(i)), &w); // ..Nov 6
    }
    let v = env.check(None);
    assert_at_least(&v, "watch");
    assert_fires(&v, &["W4"]);
}

// Timeline 5c: a slower rise, +0.2 kg a day for 14 days after 30 days at
// 70.0 kg: the 7-day baseline follows it (today's 72.8 is only +0.8 over
// B = 72.0, so no W1) but W4 sees 72.6 against 70.0 → watch by W4 alone.
#[test]
fn a_rise_of_0_2_kg_a_day_is_caught_by_w4_alone() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-08T07:30");
    steady(&env, "2026-09-25", 30); // Sep 25..Oct 24
    for i in 1..=14_i32 {
        let w = format!("{:.1}", 70.0 + 0.2 * f64::from(i));
        morning(&env, &shift("2026-10-24", i64::from(i)), &w); // ..Nov 7
    }
    // Nov 8 is day 15 of the rise; judge day 14 (Nov 7) as of its end.
    let v = env.check(Some("2026-11-07"));
    assert_level(&v, "watch");
    assert_fires(&v, &["W4"]);
    assert_silent(&v, "W1");
}

// ---------------------------------------------------------------------------
// 6. A relapse a week after an attack (episode days leave the baseline)
// ---------------------------------------------------------------------------

// Timeline 6: 70.0 kg for two weeks; an episode Nov 1..6 with leak weights
// 72.0–74.0; back at 70.0 on Nov 7..9; 72.2 kg on Nov 10. The baseline
// leaves out the episode's days, so B = 70.0 and +2.2 kg ≥ max(2.0 kg, 3%)
// → warning (W2). (With the leak weights in it B would be 71.0: only watch.)
#[test]
fn a_relapse_a_week_after_an_attack_is_measured_against_the_dry_baseline() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-10T07:30");
    steady(&env, "2026-10-18", 14); // Oct 18..31
    for (i, w) in ["72.0", "73.5", "74.0", "73.0", "72.0", "71.0"]
        .iter()
        .enumerate()
    {
        morning(&env, &shift("2026-11-01", i as i64), w);
    }
    episode(&env, &["start", "--date", "2026-11-01", "--hospitalized"]);
    episode(&env, &["end", "--date", "2026-11-06"]);
    steady(&env, "2026-11-07", 3); // Nov 7..9
    morning(&env, "2026-11-10", "72.2");

    // spec: "Baseline B = median of the day weights of the 7 most recent
    // weighed days before DATE ... leaving out days inside a recorded
    // episode (from its start to its end ...)".
    let v = env.check(None);
    assert_level(&v, "warning");
    assert_fires(&v, &["W2"]);
    let m = message(&v, "W2");
    assert!(
        m.contains("72.2") && m.contains("70.0"),
        "W2 names the weight and the baseline 70.0: {m}"
    );
}

// ---------------------------------------------------------------------------
// 7. Breathing and swelling outside a recovery window (L9, L10)
// ---------------------------------------------------------------------------

// Timeline 7a: severe breathlessness with orthopnoea, no episode and no
// recent emergency → emergency (L9).
#[test]
fn severe_breathlessness_with_orthopnea_is_an_emergency() {
    let v = week_then_today(&["--symptom", "breathlessness:3", "--symptom", "orthopnea:2"]);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L9"]);
    assert_finding_level(&v, "L9", "emergency");
    assert_silent(&v, "R1");
}

// Timeline 7b: moderate breathlessness alone → warning (L9).
#[test]
fn moderate_breathlessness_alone_is_a_warning() {
    let v = week_then_today(&["--symptom", "breathlessness:2"]);
    assert_level(&v, "warning");
    assert_fires(&v, &["L9"]);
    assert_finding_level(&v, "L9", "warning");
}

// Timeline 7c: moderate swelling alone (BP normal, no weight gain) → watch
// (L10), not L8.
#[test]
fn moderate_swelling_alone_is_watch() {
    let v = week_then_today(&["--symptom", "swelling:2"]);
    assert_level(&v, "watch");
    assert_fires(&v, &["L10"]);
    assert_silent(&v, "L8");
}

// ---------------------------------------------------------------------------
// 8. Recovery window (R1)
// ---------------------------------------------------------------------------

// Timeline 8: an episode started 36 days ago and is still open; today
// polyuria:2 and breathlessness:2, no weight anywhere in the diary →
// emergency (R1).
#[test]
fn an_episode_open_for_30_days_keeps_its_recovery_window() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T08:00");
    episode(&env, &["start", "--date", "2026-10-20", "--hospitalized"]);
    for d in 1..=3 {
        log_at(&env, &shift("2026-11-25", -d), "07:00", &["--bp", "118/76"]);
    }
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &[
            "--bp",
            "118/76",
            "--symptom",
            "polyuria:2",
            "--symptom",
            "breathlessness:2",
        ],
    );
    // spec: "Recovery window (R1) runs from an episode's start to 14 days
    // after its end (an open episode keeps it open)"; "polyuria ≥2 AND
    // (breathlessness ≥2 OR orthopnoea ≥2) → emergency (v2: no weight
    // needed)".
    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["R1"]);
    assert_finding_level(&v, "R1", "emergency");
}

// Timeline 8b (edge): R1's window ends 14 days after the episode's end,
// inclusive. Episode Nov 1..11, normal mornings after it: polyuria +
// breathlessness on Nov 25 (end + 14) → R1 emergency; the same on Nov 26
// (end + 15) with a normal 25th → no R1 (L9's warning stays). The symptoms
// are never on both days: an emergency day outside an episode opens a
// recovery window of its own.
#[test]
fn the_recovery_window_ends_14_days_after_the_episode() {
    let symptoms = [
        "--bp",
        "118/76",
        "--symptom",
        "polyuria:2",
        "--symptom",
        "breathlessness:2",
    ];
    for (day, in_window) in [("2026-11-25", true), ("2026-11-26", false)] {
        let mut env = TestEnv::new();
        env.set_now("2026-11-27T12:00");
        steady(&env, "2026-10-25", 7); // Oct 25..31
        episode(&env, &["start", "--date", "2026-11-01"]);
        episode(&env, &["end", "--date", "2026-11-11"]);
        steady(&env, "2026-11-12", 15); // Nov 12..26, every day normal
        log_at(&env, day, "07:30", &symptoms);
        // spec: "Day counts are inclusive: ... R1 runs from an episode's
        // start to its end + 14".
        let v = env.check(Some(day));
        if in_window {
            assert_fires(&v, &["R1"]);
            assert_level(&v, "emergency");
        } else {
            assert_silent(&v, "R1");
            assert_fires(&v, &["L9"]);
            assert_level(&v, "warning");
        }
    }
}

// ---------------------------------------------------------------------------
// 9. Hematocrit against the patient's own baseline (H1)
// ---------------------------------------------------------------------------

/// Hematocrit 40, 41, 40 on earlier days (baseline 40), then `today`'s
/// value with a normal morning. Returns `cls check --json` as of 08:00.
#[track_caller]
fn hct_today(today: &str) -> Value {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T08:00");
    for (day, v) in [
        ("2026-09-26", "40"),
        ("2026-10-16", "41"),
        ("2026-11-05", "40"),
    ] {
        log_at(&env, day, "09:00", &["--lab", &format!("hematocrit={v}")]);
    }
    steady(&env, "2026-11-18", 7);
    let lab = format!("hematocrit={today}");
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &["--weight", "70.0", "--bp", "118/76", "--lab", &lab],
    );
    env.check(None)
}

// Timeline 9: Hct 49.5 against a baseline of 40 (+9.5 points, below the
// absolute 55%) → emergency (H1); 45.5 (+5.5) → warning.
#[test]
fn hematocrit_nine_points_over_baseline_is_an_emergency() {
    let v = hct_today("49.5");
    assert_level(&v, "emergency");
    assert_fires(&v, &["H1"]);
    assert_finding_level(&v, "H1", "emergency");

    let v = hct_today("45.5");
    assert_level(&v, "warning");
    assert_fires(&v, &["H1"]);
    assert_finding_level(&v, "H1", "warning");
}

// ---------------------------------------------------------------------------
// 10. An orthostatic drop in the morning is not erased by the evening (L3)
// ---------------------------------------------------------------------------

// Timeline 10: sitting 120/80 and standing 92/66 at 07:30 (a drop of
// 28/14), a normal sitting + standing pair at 19:00; as of 19:30 → warning
// (L3).
#[test]
fn a_morning_orthostatic_drop_is_not_erased_by_the_evening() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T19:30");
    steady(&env, "2026-11-18", 7);
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &[
            "--weight",
            "70.0",
            "--bp",
            "120/80",
            "--standing-bp",
            "92/66",
        ],
    );
    log_at(
        &env,
        "2026-11-25",
        "19:00",
        &["--bp", "122/80", "--standing-bp", "120/78"],
    );
    // spec: "v2 L3 fires when any entry in the window has a drop of ≥20
    // systolic or ≥10 diastolic from its sitting to its standing BP".
    let v = env.check(None);
    assert_level(&v, "warning");
    assert_fires(&v, &["L3"]);
}

// ---------------------------------------------------------------------------
// 11. Switched-off rules are listed, never a bare "ok"
// ---------------------------------------------------------------------------

// Timeline 11: L1 and L6 switched off in the config, then SBP 70 with
// fainting. JSON lists "disabled": L1 and L6 (and they do not fire); the
// text says "switched off in your config"; it is never the bare "ok: no
// warning signs". A day that would only have fired L6 is ok, and that ok
// says on its first line that rules are switched off.
#[test]
fn switched_off_rules_are_listed_and_never_give_a_bare_ok() {
    let config = "[rules.hypotension]\nenabled = false\n[rules.syncope]\nenabled = false\n";
    let disabled = |v: &Value| -> Vec<String> {
        v["disabled"]
            .as_array()
            .unwrap_or_else(|| panic!("no \"disabled\" array: {v:#}"))
            .iter()
            .map(|r| r.as_str().unwrap_or("?").to_string())
            .collect()
    };

    // SBP 70 and fainting.
    let mut env = TestEnv::new();
    env.write_config(config);
    env.set_now("2026-11-25T08:00");
    steady(&env, "2026-11-18", 7);
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &["--weight", "70.0", "--bp", "70/45", "--symptom", "fainting"],
    );
    let v = env.check(None);
    let off = disabled(&v);
    assert!(
        off.iter().any(|r| r == "L1") && off.iter().any(|r| r == "L6"),
        "L1 and L6 are listed as disabled: {v:#}"
    );
    assert_silent(&v, "L1");
    assert_silent(&v, "L6");
    // spec: "listed as disabled in the text and JSON output of every check".
    let past = env.check(Some("2026-11-24"));
    assert!(
        disabled(&past).iter().any(|r| r == "L1"),
        "--date lists them too: {past:#}"
    );

    let (code, text) = check_text(&env, &[]);
    assert_eq!(
        code,
        Some(match level(&v) {
            "ok" => 0,
            "unknown" => 10,
            "watch" => 11,
            "warning" => 12,
            _ => 13,
        }),
        "{text}"
    );
    // spec (docs/cli.md): "text: one line "switched off in your config: …"".
    assert!(text.contains("switched off in your config"), "{text}");
    let first = text.lines().next().unwrap_or("");
    assert_ne!(first.trim(), "ok: no warning signs", "{text}");

    // Fainting alone, with L6 off: nothing else fires, so the level is ok.
    let mut env = TestEnv::new();
    env.write_config(config);
    env.set_now("2026-11-25T08:00");
    steady(&env, "2026-11-18", 7);
    log_at(
        &env,
        "2026-11-25",
        "07:30",
        &[
            "--weight",
            "70.0",
            "--bp",
            "118/76",
            "--symptom",
            "fainting",
        ],
    );
    let v = env.check(None);
    assert_level(&v, "ok");
    assert!(disabled(&v).iter().any(|r| r == "L6"), "{v:#}");
    let (code, text) = check_text(&env, &[]);
    assert_eq!(code, Some(0), "{text}");
    // spec: "an `ok` reached with an emergency-level rule disabled says so on
    // its first line." (The wording of that first line is not given.)
    let first = text.lines().next().unwrap_or("").to_lowercase();
    assert!(first.starts_with("ok"), "{text}");
    assert!(
        ["switched off", "disabled", "turned off"]
            .iter()
            .any(|w| first.contains(w)),
        "the first line of this ok says rules are switched off: {text}"
    );
    assert!(text.contains("switched off in your config"), "{text}");
}

// ---------------------------------------------------------------------------
// 12. Threshold edges
// ---------------------------------------------------------------------------

// Edge: the day cutoff. Fainting at 03:59 on the 25th counts for the 24th;
// at 04:00 it counts for the 25th; with `day_starts_at = "00:00"` 03:59
// counts for the 25th.
#[test]
fn edge_the_day_cutoff_0359_vs_0400() {
    for (time, config, counts_for, other) in [
        ("03:59", "", "2026-11-24", "2026-11-25"),
        ("04:00", "", "2026-11-25", "2026-11-24"),
        (
            "03:59",
            "[diary]\nday_starts_at = \"00:00\"\n",
            "2026-11-25",
            "2026-11-24",
        ),
    ] {
        let mut env = TestEnv::new();
        env.write_config(config);
        env.set_now("2026-11-26T12:00");
        steady(&env, "2026-11-16", 11); // 16th..26th
        log_at(&env, "2026-11-25", time, &["--symptom", "fainting"]);

        let v = env.check(Some(counts_for));
        assert_level(&v, "emergency");
        assert_fires(&v, &["L6"]);
        let v = env.check(Some(other));
        assert_silent(&v, "L6");
        assert_level(&v, "ok");
    }
}

// Edge: L9 by severity. breathlessness:1 → nothing; :2 → warning; :3 →
// emergency; orthopnea on its own the same way.
#[test]
fn edge_l9_at_2_and_at_3() {
    let v = week_then_today(&["--symptom", "breathlessness:1"]);
    assert_silent(&v, "L9");
    assert_level(&v, "ok");

    for name in ["breathlessness", "orthopnea"] {
        let v = week_then_today(&["--symptom", &format!("{name}:2")]);
        assert_level(&v, "warning");
        assert_finding_level(&v, "L9", "warning");

        let v = week_then_today(&["--symptom", &format!("{name}:3")]);
        assert_level(&v, "emergency");
        assert_finding_level(&v, "L9", "emergency");
    }
}

// Edge: L10 at swelling 1 / 2 / 3, and L10 gives way to L8 (swelling with
// dizziness).
#[test]
fn edge_l10_and_its_hand_over_to_l8() {
    let v = week_then_today(&["--symptom", "swelling:1"]);
    assert_silent(&v, "L10");
    assert_level(&v, "ok");

    let v = week_then_today(&["--symptom", "swelling:3"]);
    assert_level(&v, "watch");
    assert_fires(&v, &["L10"]);

    // spec: "L10 fires when swelling ≥2 and L8 does not."
    let v = week_then_today(&["--symptom", "swelling:2", "--symptom", "dizziness:2"]);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L8"]);
    assert_silent(&v, "L10");
}

// Edge: H1's bands against a baseline of 40: +4.9 nothing, +5.0 warning,
// +8.9 warning, +9.0 emergency.
#[test]
fn edge_h1_at_5_and_at_9_hct_points() {
    let v = hct_today("44.9");
    assert_silent(&v, "H1");
    assert_level(&v, "ok");

    for hct in ["45.0", "48.9"] {
        let v = hct_today(hct);
        assert_level(&v, "warning");
        assert_finding_level(&v, "H1", "warning");
    }

    let v = hct_today("49.0");
    assert_level(&v, "emergency");
    assert_finding_level(&v, "H1", "emergency");
}

// Edge: W4 at exactly 1.0 kg when 1.5% of the reference is smaller (60 kg:
// 0.9 kg). Two weeks at 60.0, then 61.0, 61.0, 60.9: the median of
// DATE−2..DATE is 61.0 = R + 1.0 → watch (W4; W1 sees only +0.9 over B =
// 60.0). Then 60.9 × 3 (+0.9) → nothing.
#[test]
fn edge_w4_at_exactly_1_kg() {
    for (last3, fires) in [(["61.0", "61.0", "60.9"], true), (["60.9"; 3], false)] {
        let mut env = TestEnv::new();
        env.set_now("2026-11-25T07:30");
        for i in 0..14 {
            morning(&env, &shift("2026-11-09", i), "60.0"); // 9th..22nd
        }
        for (i, w) in last3.iter().enumerate() {
            morning(&env, &shift("2026-11-23", i as i64), w); // 23rd..25th
        }
        let v = env.check(None);
        assert_silent(&v, "W1");
        if fires {
            assert_level(&v, "watch");
            assert_fires(&v, &["W4"]);
        } else {
            assert_silent(&v, "W4");
            assert_level(&v, "ok");
        }
    }
}

// ---------------------------------------------------------------------------
// 13. The latest date check accepts
// ---------------------------------------------------------------------------

// Timeline 13: `check --date` tomorrow is a usage error (exit 2). Between
// 00:00 and 04:00 the calendar date is still "tomorrow": at 02:00 on the
// 26th, `--date 2026-11-26` is exit 2 and says until when; the 25th is the
// logical today.
#[test]
fn a_future_date_is_a_usage_error_also_before_the_cutoff() {
    let mut env = TestEnv::new();
    steady(&env, "2026-11-18", 8);
    let args = ["check", "--date", "2026-11-26"];
    let out = env.run(&args);
    assert_one_line_error(&out, 2, "cls: ", &args);
    let out = env.run(&["check", "--date", "2026-11-26", "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));

    env.set_now("2026-11-26T02:00");
    let out = env.run(&args);
    // spec: "between 00:00 and 04:00 the calendar date is still "tomorrow",
    // and the error says until when" (the day starts at 04:00).
    assert_one_line_error(&out, 2, "04:00", &args);

    // spec: "The logical today is the latest DATE `check` accepts".
    let v = env.check(Some("2026-11-25"));
    assert_eq!(v["date"], "2026-11-25", "{v:#}");
    let v = env.check(None);
    assert_eq!(
        v["date"], "2026-11-25",
        "as of now is the logical 25th: {v:#}"
    );
}

// ---------------------------------------------------------------------------
// 14. The `unknown` advice follows its cause
// ---------------------------------------------------------------------------

// Timeline 14a: a fresh diary with 2 morning weights → unknown (D1). The
// advice says how many more morning weights give a baseline (2), never
// "weigh yourself now" right after a weight was logged.
#[test]
fn unknown_without_a_baseline_asks_for_more_mornings_not_a_weight_now() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T07:30");
    morning(&env, "2026-11-24", "70.0");
    let out = log_at(
        &env,
        "2026-11-25",
        "07:00",
        &["--weight", "70.0", "--bp", "118/76"],
    );
    assert!(
        !out.to_lowercase().contains("weigh yourself now"),
        "not right after a weight was logged: {out}"
    );

    let v = env.check(None);
    assert_level(&v, "unknown");
    assert_fires(&v, &["D1"]);
    let (code, text) = check_text(&env, &[]);
    assert_eq!(code, Some(10), "{text}");
    let lower = text.to_lowercase();
    // spec: "The `unknown` advice follows its cause: no baseline yet → "N
    // more morning weights give you a baseline; keep logging each morning"
    // (never "weigh yourself now" right after a weight was logged); stale →
    // "weigh yourself, take your BP and log it now"." The stale advice is
    // not this cause's.
    assert!(!lower.contains("weigh yourself now"), "{text}");
    assert!(!lower.contains("log it now"), "{text}");
    // D1 needs ≥4 weights. Two are logged, but only yesterday's is before
    // today, so N is 2 (4 − 2 logged) or 3 (4 − 1 in today's baseline
    // window): the spec does not say which count N is.
    let phrase = "more morning weights give you a baseline";
    let at = lower
        .find(phrase)
        .unwrap_or_else(|| panic!("no {phrase:?} advice: {text}"));
    let n = lower[..at].split_whitespace().last().unwrap_or("");
    assert!(
        n == "2" || n == "3",
        "N more morning weights: N should be 2 or 3, not {n:?}: {text}"
    );
}

// Timeline 14b: stale data (nothing on DATE or DATE−1) → unknown (D2), and
// the advice is to weigh, take the BP and log now.
#[test]
fn unknown_from_stale_data_asks_to_log_now() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T08:00");
    steady(&env, "2026-11-15", 8); // 15th..22nd
    let v = env.check(None);
    assert_level(&v, "unknown");
    assert_fires(&v, &["D2"]);
    let (code, text) = check_text(&env, &[]);
    assert_eq!(code, Some(10), "{text}");
    // spec: "stale → "weigh yourself, take your BP and log it now"" (BP
    // may be spelled out, so only its two ends are checked).
    let lower = text.to_lowercase();
    assert!(
        lower.contains("weigh yourself") && lower.contains("log it now"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// 15. Three BP readings in any order: the worst counts (L2)
// ---------------------------------------------------------------------------

// Timeline 15: 95 at 20:00, 130 at 07:00, 118 at 12:00, logged in each of
// the 6 orders → warning (L2) every time, naming 95. Then 95 at 07:00
// followed by 130 and 118: still L2, naming 95, 07:00 and the latest 118.
#[test]
fn three_bp_readings_in_any_order_the_worst_counts() {
    let readings: [(&str, &[&str]); 3] = [
        ("20:00", &["--bp", "95/60"]),
        ("07:00", &["--weight", "70.0", "--bp", "130/80"]),
        ("12:00", &["--bp", "118/76"]),
    ];
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let mut env = TestEnv::new();
        env.set_now("2026-11-25T20:30");
        steady(&env, "2026-11-18", 7);
        for i in order {
            let (time, args) = readings[i];
            log_at(&env, "2026-11-25", time, args);
        }
        // 95 is in L2's band (91–100) and 23 below the median 118, not
        // L1's (≤90 or ≥40 below).
        let v = env.check(None);
        assert_level(&v, "warning");
        assert_fires(&v, &["L2"]);
        assert_silent(&v, "L1");
        assert!(message(&v, "L2").contains("95"), "order {order:?}: {v:#}");
    }

    let mut env = TestEnv::new();
    env.set_now("2026-11-25T20:30");
    steady(&env, "2026-11-18", 7);
    log_at(
        &env,
        "2026-11-25",
        "07:00",
        &["--weight", "70.0", "--bp", "95/60"],
    );
    log_at(&env, "2026-11-25", "12:00", &["--bp", "130/80"]);
    log_at(&env, "2026-11-25", "20:00", &["--bp", "118/76"]);
    let v = env.check(None);
    assert_level(&v, "warning");
    assert_fires(&v, &["L2"]);
    let m = message(&v, "L2");
    for want in ["95", "07:00", "118"] {
        assert!(m.contains(want), "L2's message should name {want}: {m}");
    }
}

// ---------------------------------------------------------------------------
// 16. A DST night
// ---------------------------------------------------------------------------

// Timeline 16: New York, 2026-11-01 is the fall-back night (01:30 happens
// twice). Fainting logged at 01:30 on Nov 1 counts for Oct 31; nothing
// crashes; as of 09:00 on Nov 1 it is inside the 24-hour window.
#[test]
fn a_dst_night_entry_counts_for_the_previous_logical_day() {
    let mut env = TestEnv::new();
    env.set_tz(new_york());
    env.set_now("2026-11-02T12:00");
    steady(&env, "2026-10-24", 10); // Oct 24..Nov 2
    log_at(&env, "2026-11-01", "01:30", &["--symptom", "fainting"]);

    let v = env.check(Some("2026-10-31"));
    assert_level(&v, "emergency");
    assert_fires(&v, &["L6"]);
    let v = env.check(Some("2026-11-01"));
    assert_silent(&v, "L6");
    assert_level(&v, "ok");

    env.set_now("2026-11-01T09:00");
    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L6"]);
    let (code, text) = check_text(&env, &[]);
    assert_eq!(code, Some(13), "{text}");
}

// ---------------------------------------------------------------------------
// More of "Window edges"
// ---------------------------------------------------------------------------

// Carry-over: yesterday's 71.6 kg (+1.6 over 70.0) and no weight yet today
// → the weight rules judge yesterday's weight (W1) and say so.
#[test]
fn yesterdays_weight_is_carried_over_until_today_is_weighed() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T07:30");
    steady(&env, "2026-11-17", 7); // 17th..23rd
    morning(&env, "2026-11-24", "71.6");
    log_at(&env, "2026-11-25", "07:00", &["--bp", "118/76"]);
    // spec: "When DATE has no day weight yet, the weight rules judge
    // DATE−1's day weight against DATE−1's baseline, and say so
    // ("yesterday's weight; weigh yourself now")."
    let v = env.check(None);
    assert_at_least(&v, "watch");
    assert_fires(&v, &["W1"]);
    let (_, text) = check_text(&env, &[]);
    let lower = text.to_lowercase();
    assert!(
        lower.contains("yesterday") && lower.contains("weigh yourself now"),
        "{text}"
    );
}

// BP fallback: no BP in the last 24 hours; 84 logged 26 hours ago is still
// judged (L1). One logged 50 hours ago is not: L1 is skipped, not passed.
#[test]
fn a_reading_stays_valid_for_up_to_48_hours() {
    // spec: "When the window holds no reading, the most recent reading of
    // the 24 hours before it is judged alone (a reading stays valid for up
    // to 48 h)"; "A rule missing its inputs is skipped (listed with its
    // reason), never passing."
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T09:00");
    steady(&env, "2026-11-17", 7); // 17th..23rd
    log_at(
        &env,
        "2026-11-24",
        "07:00",
        &["--weight", "70.0", "--bp", "84/56"],
    );
    log_at(&env, "2026-11-25", "08:30", &["--weight", "70.0"]);
    let v = env.check(None);
    assert_level(&v, "emergency");
    assert_fires(&v, &["L1"]);

    let mut env = TestEnv::new();
    env.set_now("2026-11-25T09:00");
    steady(&env, "2026-11-16", 7); // 16th..22nd
    log_at(
        &env,
        "2026-11-23",
        "07:00",
        &["--weight", "70.0", "--bp", "84/56"],
    );
    log_at(&env, "2026-11-24", "07:00", &["--weight", "70.0"]);
    log_at(&env, "2026-11-25", "08:30", &["--weight", "70.0"]);
    let v = env.check(None);
    assert_silent(&v, "L1");
    let skipped = v["skipped"].as_array().cloned().unwrap_or_default();
    assert!(
        skipped.iter().any(|s| s["rule"] == "L1"),
        "L1 is listed as skipped: {v:#}"
    );
}

// Symptoms and urine count at their worst in the window: `--urine less`
// (or 350 mL) in the morning then `normal` (1500 mL) in the evening is still
// L7; fainting:1 then fainting:0 is still L6; swelling:2 then swelling:0 is
// still L10.
#[test]
fn a_later_normal_entry_does_not_clear_symptoms_or_urine() {
    // spec: "Events and symptoms ... count at the highest severity logged in
    // the window; a later `:0` does not clear an earlier one inside the
    // window. `--urine less` anywhere in the window counts".
    // spec: "`--urine-ml` values are 24 h totals and the lowest in the
    // window counts".
    let cases: [(&[&str], &[&str], &str, &str); 4] = [
        (
            &["--urine", "less"],
            &["--urine", "normal"],
            "warning",
            "L7",
        ),
        (
            &["--urine-ml", "350"],
            &["--urine-ml", "1500"],
            "warning",
            "L7",
        ),
        (
            &["--symptom", "fainting:1"],
            &["--symptom", "fainting:0"],
            "emergency",
            "L6",
        ),
        (
            &["--symptom", "swelling:2"],
            &["--symptom", "swelling:0"],
            "watch",
            "L10",
        ),
    ];
    for (morning_extra, evening, want, rule) in cases {
        let mut env = TestEnv::new();
        env.set_now("2026-11-25T19:30");
        steady(&env, "2026-11-18", 7);
        let mut args = vec!["--weight", "70.0", "--bp", "118/76"];
        args.extend_from_slice(morning_extra);
        log_at(&env, "2026-11-25", "07:00", &args);
        let mut args = vec!["--bp", "118/76"];
        args.extend_from_slice(evening);
        log_at(&env, "2026-11-25", "19:00", &args);
        let v = env.check(None);
        assert_level(&v, want);
        assert_fires(&v, &[rule]);
    }
}

// Entries stamped after "now" are not read: at 07:30, an entry already
// stamped 20:00 today with SBP 84 does not count.
#[test]
fn entries_stamped_after_now_are_not_read() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T07:30");
    steady(&env, "2026-11-18", 8); // 18th..25th at 07:00
    let out = env.run(&[
        "log",
        "--date",
        "2026-11-25",
        "--time",
        "20:00",
        "--bp",
        "84/56",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    // spec: "As of now, the 24-hour window is (T − 24 h, T] ...; entries
    // stamped after T are not read."
    let v = env.check(None);
    assert_silent(&v, "L1");
    assert_level(&v, "ok");
}

// One value per name per entry: the same symptom twice (also through an
// alias inside one comma list) or the same lab twice is a usage error naming
// it, and nothing is written.
#[test]
fn the_same_symptom_or_lab_twice_in_one_entry_is_refused() {
    let mut env = TestEnv::new();
    env.set_now("2026-11-25T08:00");
    morning(&env, "2026-11-25", "70.0");
    let before = env.diary_snapshot();
    env.usage_error(
        &["log", "--symptom", "thirst:3", "--symptom", "thirst:0"],
        "thirst",
    );
    // spec: "A duplicate is judged after aliases (`myalgia` +
    // `muscle-pain`), also inside one comma list" (which of the two names
    // the error uses is not said).
    let args = ["log", "--symptom", "myalgia,muscle-pain:1"];
    let out = env.run(&args);
    assert_one_line_error(&out, 2, "cls: ", &args);
    env.usage_error(
        &["log", "--lab", "hematocrit=41", "--lab", "hematocrit=45"],
        "hematocrit",
    );
    assert_eq!(env.diary_snapshot(), before, "nothing was written");
}
