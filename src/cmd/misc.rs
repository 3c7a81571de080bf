//! Small commands: paths, config init/show, symptoms, completions, man.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use clap::CommandFactory;
use cls::symptoms;

use super::Ctx;
use crate::cli::{Cli, Shell};

pub fn paths(db: &Path, config: &Path, json: bool) -> Result<()> {
    let mut o = io::stdout().lock();
    if json {
        // A path that is not UTF-8 cannot be a JSON string as it is; the
        // lossy form is at least visible (and the text output is no better).
        let v = serde_json::json!({
            "diary": db.to_string_lossy(),
            "config": config.to_string_lossy(),
        });
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(());
    }
    writeln!(o, "diary:  {}", db.display())?;
    writeln!(o, "config: {}", config.display())?;
    Ok(())
}

pub fn config_init(path: &Path, diary: &Path, force: bool) -> Result<()> {
    // `--force` with CLS_CONFIG naming the diary would replace every entry.
    let target =
        cls::outfile::check(path, diary).map_err(|e| super::usage(format!("config {e}")))?;
    if path.exists() && !force {
        bail!(
            "config {} already exists; edit it, or use --force to replace it with the defaults",
            path.display()
        );
    }
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    target
        .write(cls::config::DEFAULT_TOML.as_bytes())
        .with_context(|| format!("cannot write config {}", path.display()))?;
    writeln!(io::stdout(), "wrote {}", path.display())?;
    Ok(())
}

pub fn config_show(ctx: &Ctx, json: bool) -> Result<u8> {
    let mut o = io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "source": ctx.config_path.to_string_lossy(),
            // false: every value below is a built-in default.
            "exists": ctx.config_path.exists(),
            "config": serde_json::to_value(&ctx.config)?,
        });
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(0);
    }
    let source = if ctx.config_path.exists() {
        ctx.config_path.display().to_string()
    } else {
        format!("{} (missing: built-in defaults)", ctx.config_path.display())
    };
    writeln!(
        o,
        "# effective config from {}",
        cls::render::sanitize(&source)
    )?;
    let toml = ctx.config.to_toml();
    // Byte-exact into a file or pipe; made safe for a terminal.
    if io::stdout().is_terminal() {
        write!(o, "{}", cls::render::sanitize_lines(&toml))?;
    } else {
        write!(o, "{toml}")?;
    }
    Ok(0)
}

pub fn symptoms(ctx: &Ctx, json: bool) -> Result<u8> {
    let mut o = io::stdout().lock();
    if json {
        let aliases = |name: &str| -> Vec<&str> {
            symptoms::ALIASES
                .iter()
                .filter(|(_, c)| *c == name)
                .map(|(a, _)| *a)
                .collect()
        };
        let list: Vec<_> = symptoms::CANONICAL
            .iter()
            .map(|name| {
                serde_json::json!({
                    "name": name,
                    "aliases": aliases(name),
                    "prodrome": symptoms::PRODROME.contains(name),
                })
            })
            .collect();
        let custom: Vec<String> = ctx
            .config
            .symptoms
            .custom
            .iter()
            .map(|c| symptoms::normalize(c))
            .collect();
        let severity: Vec<_> = (0..=3)
            .map(|n| serde_json::json!({"value": n, "word": cls::model::severity_word(n)}))
            .collect();
        let v = serde_json::json!({
            "severity": {
                "levels": severity,
                "default": cls::model::DEFAULT_SEVERITY,
            },
            "symptoms": list,
            "custom": custom,
        });
        serde_json::to_writer_pretty(&mut o, &v)?;
        writeln!(o)?;
        return Ok(0);
    }
    writeln!(
        o,
        "Symptoms (severity 0-3: 0 absent, 1 mild, 2 moderate, 3 severe; default 2):"
    )?;
    for name in symptoms::CANONICAL {
        let aliases: Vec<&str> = symptoms::ALIASES
            .iter()
            .filter(|(_, c)| c == name)
            .map(|(a, _)| *a)
            .collect();
        let prodrome = if symptoms::PRODROME.contains(name) {
            " [prodrome]"
        } else {
            ""
        };
        if aliases.is_empty() {
            writeln!(o, "  {name}{prodrome}")?;
        } else {
            writeln!(o, "  {name}{prodrome}  (also: {})", aliases.join(", "))?;
        }
    }
    if !ctx.config.symptoms.custom.is_empty() {
        writeln!(o, "Your own (from the config):")?;
        for c in &ctx.config.symptoms.custom {
            writeln!(o, "  {}", cls::render::sanitize(&symptoms::normalize(c)))?;
        }
    }
    Ok(0)
}

pub fn completions(shell: Shell) -> Result<()> {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cls", &mut buf);
    io::stdout().write_all(&buf)?;
    Ok(())
}

/// `cls man`: one page with every subcommand, or `cls man log` (or
/// `cls man episode start`): that subcommand's own page, as `cls-log(1)`.
pub fn man(path: &[String]) -> Result<u8> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut page = Vec::new();
    if path.is_empty() {
        full_page(&cmd, &mut page)?;
    } else {
        let mut sub = &cmd;
        for name in path {
            sub = sub.find_subcommand(name).ok_or_else(|| {
                let names: Vec<&str> = subcommands(sub).map(clap::Command::get_name).collect();
                super::usage(format!(
                    "no subcommand '{}' in '{}' (one of: {})",
                    cls::render::sanitize(name),
                    sub.get_bin_name().unwrap_or("cls"),
                    names.join(", ")
                ))
            })?;
        }
        sub_page(sub, &mut page)?;
    }
    io::stdout().write_all(&page)?;
    Ok(0)
}

fn manual(cmd: &clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd.clone()).manual("cls manual")
}

/// cls(1): the top-level sections, then every subcommand (nested ones
/// too) as a subsection of COMMANDS, then the examples and exit statuses.
fn full_page(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let man = manual(cmd);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    writeln!(w, ".SH COMMANDS")?;
    writeln!(
        w,
        "Every subcommand also takes \\fB\\-\\-db\\fR, \\fB\\-\\-config\\fR and \\fB\\-h\\fR, \\fB\\-\\-help\\fR."
    )?;
    for sub in subcommands(cmd) {
        command_section(sub, w)?;
    }
    examples(cmd, "EXAMPLES", w)?;
    writeln!(w, ".SH \"SEE ALSO\"")?;
    writeln!(
        w,
        "Each subcommand's own page: \\fBcls man log\\fR. The README describes the rules, the config and encrypted copies."
    )?;
    man.render_version_section(w)?;
    Ok(())
}

/// One subcommand's page (`cls-log(1)`).
fn sub_page(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let man = manual(cmd);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(w)?;
    }
    if subcommands(cmd).next().is_some() {
        man.render_subcommands_section(w)?;
    }
    examples(cmd, "EXAMPLES", w)?;
    writeln!(w, ".SH \"SEE ALSO\"")?;
    writeln!(w, "\\fBcls\\fR(1)")?;
    Ok(())
}

fn subcommands(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}

/// A subcommand as a subsection: its description, usage, options and
/// examples; then its own subcommands.
fn command_section(cmd: &clap::Command, w: &mut Vec<u8>) -> Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    writeln!(w, ".SS \"{}\"", roff_escape(name))?;
    // The global options and --help, said once above, not in every entry.
    let mut short = cmd.clone();
    for id in ["db", "config", "help"] {
        if short.get_arguments().any(|a| a.get_id() == id) {
            short = short.mut_arg(id, |a| a.hide(true));
        }
    }
    let man = manual(&short);
    // The sections as clap_mangen renders them, their headings dropped:
    // here they are paragraphs of one subsection.
    let mut buf = Vec::new();
    man.render_description_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    if short.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf)?;
    }
    for line in String::from_utf8_lossy(&buf).lines() {
        if line.starts_with(".SH ") {
            writeln!(w, ".PP")?;
        } else {
            writeln!(w, "{line}")?;
        }
    }
    examples(cmd, "", w)?;
    for sub in subcommands(cmd) {
        command_section(sub, w)?;
    }
    Ok(())
}

/// The `after_help` text (examples, notes, exit statuses) as it is laid out
/// in `--help`: unfilled, so that columns stay aligned.
fn examples(cmd: &clap::Command, heading: &str, w: &mut Vec<u8>) -> Result<()> {
    let Some(text) = cmd.get_after_long_help().or_else(|| cmd.get_after_help()) else {
        return Ok(());
    };
    if heading.is_empty() {
        writeln!(w, ".PP")?;
    } else {
        writeln!(w, ".SH {heading}")?;
    }
    writeln!(w, ".nf")?;
    for line in text.to_string().lines() {
        writeln!(w, "{}", roff_escape(line))?;
    }
    writeln!(w, ".fi")?;
    Ok(())
}

/// Text safe in a roff line: backslashes and hyphens escaped, and a line
/// that would start with a control character made plain text.
fn roff_escape(s: &str) -> String {
    let t = s.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with('.') || t.starts_with('\'') {
        format!("\\&{t}")
    } else {
        t
    }
}
