//! `cls card`: the one-page emergency card. Gathers the config's patient
//! details, the diary's baselines and today's level, renders text or HTML,
//! and hints on stderr at each missing config field group.

use std::io::Write;

use anyhow::Result;
use cls::card;
use cls::diary::{load_for_rules, Judged};
use cls::rules;

use super::out::{self, emit, scheduled, FILE_WIDTH};
use super::Ctx;
use crate::cli::{CardArgs, CardFormat};

pub fn card(ctx: &Ctx, args: &CardArgs) -> Result<u8> {
    let today = ctx.today();
    let target = ctx.check_output(args.output.as_deref())?;
    let store = ctx.open_to_show()?;
    // A demo diary: a banner, and none of the patient's details.
    let ctx = &*ctx.for_diary(&store)?;
    let cfg = &ctx.config;
    let input = load_for_rules(&store, cfg, Judged::day(today))?;
    let (entries, episodes, diary) = (&input.entries, &input.episodes, input.diary());
    let assessment = rules::evaluate_at(&diary, today, ctx.rules_now(), &cfg.rules);
    // The usual weight is the rules' own baseline B for today.
    let weight_baseline = rules::weight_baselines(&diary, today, today, &cfg.rules)
        .pop()
        .expect("one day has one baseline");

    // Medications named in the prophylaxis text but not scheduled still
    // get their last dose on the card.
    let mut prophylaxis_doses = Vec::new();
    if let Some(p) = &cfg.patient.prophylaxis {
        let names = cls::report::med_names(entries);
        for name in card::mentioned_meds(p, &names) {
            if cfg
                .medications
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            if let Some((date, dose)) = store.last_med(&name, today)? {
                prophylaxis_doses.push((name, date, dose));
            }
        }
    }
    let c = card::build(&card::Input {
        patient: &cfg.patient,
        synthetic: ctx.synthetic,
        entries,
        episodes,
        weight_baseline,
        day_start: cfg.rules.day_start,
        scheduled: scheduled(&store, ctx, today)?,
        prophylaxis_doses,
        today: &assessment,
        date: today,
        generated: ctx.now.fixed_offset(),
        version: env!("CARGO_PKG_VERSION"),
        unit: cfg.units.weight,
    });

    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(p))
            if p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("html")) =>
        {
            CardFormat::Html
        }
        (None, Some(p))
            if p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json")) =>
        {
            CardFormat::Json
        }
        _ => CardFormat::Text,
    };
    let out = match format {
        CardFormat::Text => {
            let width = match args.output {
                Some(_) => 80,
                None => out::terminal_width().unwrap_or(80).min(FILE_WIDTH),
            };
            card::text::render(&c, width)
        }
        CardFormat::Html => card::html::render(&c),
        CardFormat::Json => {
            let mut v = serde_json::to_value(&c)?;
            cls::render::round_for_people(&mut v);
            serde_json::to_string_pretty(&v)? + "\n"
        }
    };
    emit(&out, args.output.as_deref(), target.as_ref(), "card")?;

    if ctx.synthetic {
        return Ok(0);
    }
    let mut err = std::io::stderr().lock();
    if matches!(format, CardFormat::Html) && !card::html::fits_one_page(&c) {
        writeln!(
            err,
            "cls: warning: the card's own texts (emergency instructions, notes) are too long for one printed page even in small print; shorten them in {}",
            ctx.config_path.display()
        )?;
    }
    for m in card::missing(&cfg.patient, &cfg.medications) {
        writeln!(
            err,
            "cls: hint: {} in {} ('cls config init' writes a config with commented examples)",
            m.hint(),
            ctx.config_path.display()
        )?;
    }
    Ok(0)
}
