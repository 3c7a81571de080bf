//! `cls log` and `cls edit`: turn flags (or answers to prompts) into an
//! entry, check every value before anything is written, write it in one
//! transaction, and confirm with the day's status.
//!
//! A broken config does not stop `cls log` (a typo must not cost a morning
//! entry): the entry is saved with the built-in defaults where they cannot
//! change its meaning, the status is `unknown` (the rules cannot run
//! without the config), and the config error follows on stderr with exit
//! status 1, saying that the entry was saved. Only what the config would
//! decide is refused: a weight without a unit (`--weight 68.4` is kg or lb
//! by `[units]`; `68.4kg` is not ambiguous) and the config's own custom
//! symptoms, unknown without it.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use chrono::{Duration, NaiveDate, NaiveTime, Timelike};
use cls::input::{self, EntryLists, InputError};
use cls::model::{Measurements, Stamp};
use cls::{render, rules, symptoms};

use super::out;
use super::{usage, Ctx};
use crate::cli::{EditArgs, EntryValues, Field, LogArgs};

pub fn log(ctx: &Ctx, args: &LogArgs) -> Result<u8> {
    let v = &args.values;
    let (date, time) = match (&v.date, &v.time) {
        // Without --date: the calendar today, as the clock shows it.
        (None, Some(t)) => (ctx.calendar_today(), input::parse_time("--time", t)?),
        (None, None) => (ctx.calendar_today(), now_minute(ctx)),
        (Some(d), t) => {
            let date = ctx.date("--date", Some(d))?;
            match t {
                Some(t) => (date, input::parse_time("--time", t)?),
                // The logical today is "now", whatever the calendar says.
                None if date == ctx.today() => (ctx.calendar_today(), now_minute(ctx)),
                None => (date, default_time(ctx, date)),
            }
        }
    };
    check_not_future(ctx, date)?;
    let stamp = input::local_stamp("--time", date, time)?;
    let m = if v.has_values() {
        let mut m = Measurements::default();
        apply(ctx, v, &mut m)?;
        m
    } else if io::stdin().is_terminal() && io::stdout().is_terminal() {
        match prompt(ctx, date)? {
            Some(m) => m,
            None => {
                writeln!(io::stderr(), "cls: cancelled; nothing was written")?;
                return Ok(1);
            }
        }
    } else {
        return Err(usage(
            "nothing to log: give at least one value (e.g. --weight 68.4 --bp 118/76 --symptom thirst), \
             or run 'cls log' on a terminal to be asked",
        ));
    };
    if m.is_empty() {
        if v.has_values() {
            return Err(usage("nothing to log: every value given was empty"));
        }
        writeln!(io::stderr(), "cls: nothing entered; nothing was written")?;
        return Ok(1);
    }
    let mut store = ctx.open_log()?;
    let id = store.insert(&stamp, &m)?;
    if let Some(err) = &ctx.config_error {
        return saved_without_config(ctx, err, id, &stamp, &m);
    }
    confirm(ctx, &mut store, "logged", id, &stamp, &m)
}

/// The entry is in the diary, but the config could not be read: confirm
/// it, give the status as `unknown` (the rules were not run), and fail
/// with the config's own error and the fact that the entry was saved.
///
/// Exit status 1, not 0: the patient has no judgement this morning until
/// the config is fixed, and a script or notification hook must notice that;
/// the message says the entry was saved so that it is not logged twice.
fn saved_without_config(
    ctx: &Ctx,
    err: &anyhow::Error,
    id: i64,
    stamp: &Stamp,
    m: &Measurements,
) -> Result<u8> {
    let mut o = anstream::stdout().lock();
    let day = ctx.config.rules.day_start.day_of(stamp.date, stamp.time);
    writeln!(
        o,
        "logged entry {id} for {} {}{}: {}",
        stamp.date,
        stamp.time.format("%H:%M"),
        render::counted_for(stamp.date, day),
        render::summary(m, ctx.config.units.weight)
    )?;
    writeln!(
        o,
        "status for {day}: unknown — your config cannot be read, so the rules were not run; fix it, then run 'cls check'"
    )?;
    o.flush()?;
    Err(anyhow::anyhow!(
        "{}; entry {id} WAS saved (do not log it again): fix the config, then run 'cls check'",
        super::one_line(err)
    ))
}

pub fn edit(ctx: &Ctx, args: &EditArgs) -> Result<u8> {
    let v = &args.values;
    let mut store = ctx.open_modify()?;
    let old = store.get(args.id)?;
    let mut m = old.m.clone();
    // Cleared first, then set: `--clear symptoms --symptom thirst:2`
    // replaces the whole list with thirst (set after clearing, it was lost).
    let mut clear = args.clear.clone();
    if args.clear_note {
        clear.push(Field::Note);
    }
    for f in clear {
        match f {
            Field::Weight => m.weight_kg = None,
            Field::Bp => m.bp = None,
            Field::StandingBp => m.standing_bp = None,
            Field::Hr => m.heart_rate = None,
            Field::Urine => m.urine = None,
            Field::UrineMl => m.urine_ml = None,
            Field::Symptoms => m.symptoms.clear(),
            Field::Labs => m.labs.clear(),
            Field::Meds => m.meds.clear(),
            Field::Note => m.note = None,
        }
    }
    // Replacing a value the entry already has is what an edit is for; the
    // edit's own flags, though, give each name once (one value per name),
    // and a name both set and removed would be silently resolved too.
    let given = apply(ctx, v, &mut m)?;
    let custom = &ctx.config.symptoms.custom;
    for name in &args.remove_symptom {
        let canonical = symptoms::resolve(name, custom)
            .map_err(|e| InputError::new("--remove-symptom", e.to_string()))?;
        if let Some(text) = given.symptom_given(&canonical) {
            return Err(set_and_removed(
                "--remove-symptom",
                &canonical,
                "--symptom",
                text,
            ));
        }
        let before = m.symptoms.len();
        m.symptoms.retain(|s| s.name != canonical);
        if m.symptoms.len() == before {
            return Err(usage(format!(
                "--remove-symptom: entry {} has no symptom '{canonical}'",
                args.id
            )));
        }
    }
    for name in &args.remove_lab {
        let kind = cls::model::LabKind::parse(name).ok_or_else(|| {
            InputError::new(
                "--remove-lab",
                format!("unknown lab '{name}' (known: hemoglobin, hematocrit, albumin)"),
            )
        })?;
        if let Some(text) = given.lab_given(kind) {
            return Err(set_and_removed(
                "--remove-lab",
                kind.as_str(),
                "--lab",
                text,
            ));
        }
        if m.lab(kind).is_none() {
            return Err(usage(format!(
                "--remove-lab: entry {} has no {kind}",
                args.id
            )));
        }
        m.labs.retain(|l| l.kind != kind);
    }
    for name in &args.remove_med {
        let name = name.trim().to_lowercase();
        let before = m.meds.len();
        m.meds.retain(|x| x.name != name);
        if m.meds.len() == before {
            return Err(usage(format!(
                "--remove-med: entry {} has no medication '{name}'",
                args.id
            )));
        }
    }
    let date = match &v.date {
        Some(d) => input::parse_date("--date", d, ctx.today())?,
        None => old.stamp.date,
    };
    check_not_future(ctx, date)?;
    let time = match &v.time {
        Some(t) => input::parse_time("--time", t)?,
        None => old.stamp.time,
    };
    let stamp = if date == old.stamp.date && time == old.stamp.time {
        old.stamp
    } else {
        input::local_stamp("--time", date, time)?
    };
    if m == old.m && stamp == old.stamp {
        return Err(usage(format!(
            "nothing to change in entry {}: give the values to change (see 'cls edit --help')",
            args.id
        )));
    }
    if m.is_empty() {
        return Err(usage(format!(
            "that would leave entry {} empty; use 'cls delete {}' instead",
            args.id, args.id
        )));
    }
    store.replace(args.id, &stamp, &m)?;
    confirm(ctx, &mut store, "updated", args.id, &stamp, &m)
}

/// `cls edit --symptom thirst:1 --remove-symptom thirst`: which one was
/// meant is a guess, so neither is done.
fn set_and_removed(field: &str, name: &str, set_flag: &str, text: &str) -> anyhow::Error {
    InputError::new(
        field,
        format!("{name} is also given with {set_flag} ({text}); set it or remove it, not both"),
    )
    .into()
}

/// Parse every given flag into `m`. Fails on the first bad value, before
/// anything is written. Returns the symptoms and labs as given, for
/// `cls edit` to check its removals against.
fn apply(ctx: &Ctx, v: &EntryValues, m: &mut Measurements) -> Result<EntryLists, InputError> {
    if let Some(w) = &v.weight {
        m.weight_kg = Some(weight(ctx, "--weight", w)?);
    }
    if let Some(bp) = &v.bp {
        m.bp = Some(input::parse_bp("--bp", bp)?);
    }
    if let Some(bp) = &v.standing_bp {
        m.standing_bp = Some(input::parse_bp("--standing-bp", bp)?);
    }
    if let Some(hr) = &v.hr {
        m.heart_rate = Some(input::parse_hr("--hr", hr)?);
    }
    let lists = given_lists(ctx, v)?;
    lists.apply_to(m);
    if let Some(u) = &v.urine {
        m.urine = Some(input::parse_urine("--urine", u)?);
    }
    if let Some(ml) = &v.urine_ml {
        m.urine_ml = Some(input::parse_urine_ml("--urine-ml", ml)?);
    }
    for med in &v.meds {
        m.meds.push(input::parse_med("--med", med)?);
    }
    if let Some(n) = &v.note {
        // An empty note is no note (and clears it in `cls edit`).
        m.note = Some(input::check_note("--note", n)?).filter(|n| !n.trim().is_empty());
    }
    Ok(lists)
}

/// The symptoms and labs the flags give, each name at most once across
/// every `--symptom` (and comma list) and every `--lab`.
fn given_lists(ctx: &Ctx, v: &EntryValues) -> Result<EntryLists, InputError> {
    let mut lists = EntryLists::default();
    for s in &v.symptoms {
        lists
            .add_symptoms("--symptom", s, &ctx.config.symptoms.custom)
            .map_err(|mut e| {
                if ctx.config_error.is_some() && e.message.starts_with("unknown symptom") {
                    e.message.push_str(&format!(
                        " (your own symptoms are in config {}, which cannot be read; 'cls check' says why)",
                        ctx.config_path.display()
                    ));
                }
                e
            })?;
    }
    for l in &v.labs {
        lists.add_lab("--lab", l)?;
    }
    Ok(lists)
}

/// A weight in the configured unit; without a readable config, only with
/// its unit written out.
fn weight(ctx: &Ctx, field: &str, s: &str) -> Result<f64, InputError> {
    let unit = ctx.config.units.weight;
    if ctx.config_error.is_some() && !has_unit(s) {
        return Err(InputError::new(
            field,
            format!(
                "'{}' has no unit and config {} (which sets it) cannot be read; write {0}kg or {0}lb",
                s.trim(),
                ctx.config_path.display()
            ),
        ));
    }
    input::parse_weight(field, s, unit)
}

/// True when a weight names its unit (`68.4kg`, `151 lb`, `151lbs`).
fn has_unit(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    ["kg", "lb", "lbs"].iter().any(|u| t.ends_with(u))
}

/// Entries may be dated at most one day ahead (time zones, travel).
fn check_not_future(ctx: &Ctx, date: NaiveDate) -> Result<(), InputError> {
    let limit = ctx.calendar_today() + Duration::days(1);
    if date > limit {
        return Err(InputError::new(
            "--date",
            format!("{date} is in the future: entries can be at most one day ahead ({limit})"),
        ));
    }
    Ok(())
}

/// Now for today's entries; 08:00 (a morning entry) for past days.
fn default_time(ctx: &Ctx, date: NaiveDate) -> NaiveTime {
    if date < ctx.today() {
        NaiveTime::from_hms_opt(8, 0, 0).expect("valid time")
    } else {
        now_minute(ctx)
    }
}

/// The clock time now, to the minute.
fn now_minute(ctx: &Ctx) -> NaiveTime {
    let t = ctx.now.time();
    NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).expect("valid time")
}

/// Print the confirmation and the day's status line.
fn confirm(
    ctx: &Ctx,
    store: &mut cls::Store,
    verb: &str,
    id: i64,
    stamp: &Stamp,
    m: &Measurements,
) -> Result<u8> {
    let mut o = anstream::stdout().lock();
    // Wrapped with a hanging indent on a terminal, one line each piped.
    let width = out::wrap_width();
    let day = ctx.config.rules.day_start.day_of(stamp.date, stamp.time);
    let line = format!(
        "{verb} entry {id} for {} {}{}: {}",
        stamp.date,
        stamp.time.format("%H:%M"),
        render::counted_for(stamp.date, day),
        render::summary(m, ctx.config.units.weight)
    );
    writeln!(o, "{}", render::wrap(&line, 0, 2, width))?;
    // The status of the day it counts for: as of now for the logical
    // today, as of its end for a past day. An entry timed later today than
    // now is judged as of its own time: as of now it would not count yet,
    // and its values could show "ok" under a warning (a mistyped --time).
    let input = cls::diary::load_for_rules(store, &ctx.config, cls::diary::Judged::day(day))?;
    let ahead = day == ctx.today() && stamp.utc > ctx.now.with_timezone(&chrono::Utc);
    let moment = if ahead {
        rules::Now {
            local: stamp.date.and_time(stamp.time),
            utc: stamp.utc,
        }
    } else {
        ctx.rules_now()
    };
    let a = rules::evaluate_at(&input.diary(), day, moment, &ctx.config.rules);
    writeln!(o, "{}", render::wrap(&out::status_line(&a), 0, 2, width))?;
    if a.level >= cls::Level::Warning {
        let action = out::action_line(a.level, &out::action_for(ctx, &a));
        writeln!(o, "{}", render::wrap(&action, 0, 2, width))?;
    }
    drop(o);
    // The entry is committed and confirmed: now the hooks, on today's
    // level (an entry for a past day can change today's too).
    // Nothing here may turn the logged entry into an error.
    if !ctx.config.hooks.is_empty() {
        let today = if day == ctx.today() && !ahead {
            Ok(a)
        } else {
            super::daily::judge_today(ctx, store)
        };
        let judged = today.and_then(|t| Ok((super::daily::holding(ctx, store, &t)?, t)));
        match judged {
            Ok((acks, today)) => super::daily::run_hooks(ctx, store, &today, &acks),
            Err(e) => {
                let _ = writeln!(io::stderr(), "cls: hooks not run: {}", super::one_line(&e));
            }
        }
    }
    Ok(0)
}

/// Ask for each field on a terminal. `None` when the patient cancels
/// (Esc, Ctrl-C or Ctrl-D): nothing is written.
fn prompt(ctx: &Ctx, date: NaiveDate) -> Result<Option<Measurements>> {
    use super::prompt::Prompter;

    let unit = ctx.config.units.weight;
    let custom = ctx.config.symptoms.custom.clone();
    writeln!(
        io::stderr(),
        "New entry for {date}. Press Enter to skip a field, Esc or Ctrl-C to cancel (nothing is written)."
    )?;
    // With an unreadable config the unit of a bare number is unknown: the
    // weight must then say kg or lb (as `--weight` must).
    let unit_known = ctx.config_error.is_none();
    let mut p = Prompter::new()?;
    // Each answer is checked with the same parser as the flags, so a bad
    // value is asked again instead of written.
    let msg = |r: Result<(), InputError>| r.map_err(|e| e.message);
    macro_rules! ask {
        ($label:expr, $help:expr, $check:expr) => {
            match p.ask($label, $help, $check)? {
                Ok(answer) => answer,
                Err(_cancelled) => return Ok(None),
            }
        };
    }
    let (label, help) = if unit_known {
        (
            format!("Weight ({}):", unit.as_str()),
            "this morning, after the toilet, before breakfast; e.g. 68.4 or 151lb",
        )
    } else {
        (
            "Weight (with its unit):".to_string(),
            "your config cannot be read, so write the unit: e.g. 68.4kg or 151lb",
        )
    };
    let weight = ask!(&label, help, |s| {
        if !unit_known && !has_unit(s) {
            return Err("write the unit: e.g. 68.4kg or 151lb".to_string());
        }
        msg(input::parse_weight("weight", s, unit).map(drop))
    });
    let bp = ask!("Blood pressure sitting (SYS/DIA):", "e.g. 118/76", |s| msg(
        input::parse_bp("blood pressure", s).map(drop)
    ));
    let hr = ask!("Heart rate (bpm):", "e.g. 72", |s| msg(input::parse_hr(
        "heart rate",
        s
    )
    .map(drop)));
    let standing_bp = ask!(
        "Blood pressure standing (SYS/DIA):",
        "after 1-3 minutes standing; Enter to skip",
        |s| msg(input::parse_bp("standing blood pressure", s).map(drop))
    );
    let symptoms = ask!(
        "Symptoms:",
        "comma list, severity 0-3 (default 2): thirst, fatigue:1, muscle-pain:3 ('cls symptoms' lists names)",
        |s| msg(input::parse_symptoms("symptoms", s, &custom).map(drop))
    );
    let urine = ask!(
        "Urine compared with usual (less/normal/more):",
        "Enter to skip",
        |s| msg(input::parse_urine("urine", s).map(drop))
    );
    let note = ask!("Note:", "anything else worth remembering", |s| msg(
        input::check_note("note", s).map(drop)
    ));
    let v = EntryValues {
        weight,
        bp,
        hr,
        standing_bp,
        symptoms: symptoms.into_iter().collect(),
        urine,
        note,
        ..EntryValues::default()
    };
    let mut m = Measurements::default();
    apply(ctx, &v, &mut m)?;
    Ok(Some(m))
}
