//! `cls meds`: each scheduled medication or infusion with its last logged
//! dose and when the next is due. (Raising `watch` when one is overdue is
//! the rules engine's job, in `cls check`.)

use std::io::Write;

use anyhow::Result;
use cls::report::MedState;
use comfy_table::{presets, ContentArrangement, Table};
use serde_json::json;

use super::out::{self, scheduled};
use super::Ctx;
use crate::cli::MedsArgs;

pub fn meds(ctx: &Ctx, args: &MedsArgs) -> Result<u8> {
    let today = ctx.today();
    let mut o = anstream::stdout().lock();
    if ctx.config.medications.is_empty() {
        if args.json {
            serde_json::to_writer_pretty(&mut o, &json!({"date": today, "medications": []}))?;
            writeln!(o)?;
        } else {
            writeln!(
                o,
                "no medication schedule in {}; add one [[medications]] table per medication, e.g.\n\n\
[[medications]]\nname = \"ivig\"      # as logged with 'cls log --med ivig:2g/kg'\ndose = \"2g/kg\"\n\
every_days = 28\ngrace_days = 3    # days past due before 'cls check' says so\n\n\
('cls config init' writes a config with this example commented out)",
                ctx.config_path.display()
            )?;
        }
        return Ok(0);
    }
    let store = ctx.open_read()?;
    let meds = scheduled(&store, ctx, today)?;
    if args.json {
        serde_json::to_writer_pretty(&mut o, &json!({"date": today, "medications": meds}))?;
        writeln!(o)?;
        return Ok(0);
    }
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(out::layout_width());
    t.set_header(vec!["medication", "dose", "every", "last dose", "next"]);
    for m in &meds {
        let last = match (m.last_date, m.days_since) {
            (Some(d), Some(n)) => format!(
                "{d}{} ({} ago)",
                m.last_dose
                    .as_deref()
                    .map(|x| format!(" {}", cls::render::sanitize(x)))
                    .unwrap_or_default(),
                cls::report::days(n)
            ),
            _ => "none logged".into(),
        };
        t.add_row(vec![
            cls::render::sanitize(&m.name),
            m.dose
                .as_deref()
                .map(cls::render::sanitize)
                .unwrap_or_default(),
            cls::report::days(i64::from(m.every_days)),
            last,
            m.describe(),
        ]);
    }
    writeln!(o, "{t}")?;
    for m in &meds {
        let s = match m.state {
            MedState::Overdue | MedState::OverduePastGrace => out::level_style(cls::Level::Warning),
            MedState::NotLogged => out::dim(),
            _ => continue,
        };
        let dose = m
            .dose
            .as_deref()
            .map(|d| format!(":{}", cls::render::sanitize(d)))
            .unwrap_or_default();
        writeln!(
            o,
            "{s}{}{s:#}: {}; log it when given with 'cls log --med {}{dose}'",
            cls::render::sanitize(&m.name),
            m.describe(),
            cls::render::sanitize(&m.name),
        )?;
    }
    Ok(0)
}
