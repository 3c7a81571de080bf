//! Small commands: paths, config init/show, symptoms, completions.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use clap::CommandFactory;
use cls::symptoms;

use super::Ctx;
use crate::cli::{Cli, Shell};

pub fn paths(db: &Path, config: &Path) -> Result<()> {
    let mut o = io::stdout().lock();
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

pub fn config_show(ctx: &Ctx) -> Result<u8> {
    let mut o = io::stdout().lock();
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

pub fn symptoms(ctx: &Ctx) -> Result<u8> {
    let mut o = io::stdout().lock();
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
