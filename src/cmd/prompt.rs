//! Questions on a terminal, with the line editing people expect from a
//! shell (rustyline, Emacs keys): Ctrl-U and Ctrl-K cut to the start or the
//! end of the line, Ctrl-W the word before, Ctrl-A/Ctrl-E and the arrows
//! move, Ctrl-Y pastes back. (inquire 0.9.4, used before, typed a "u" for
//! Ctrl-U and kept a refused answer in the field.) Esc, Ctrl-C or Ctrl-D
//! cancels.

use std::io::Write;

use anyhow::{Context as _, Result};
use rustyline::config::Config;
use rustyline::error::ReadlineError;
use rustyline::{Cmd, DefaultEditor, KeyCode, KeyEvent, Modifiers};

use super::out;

/// The person cancelled (Esc, Ctrl-C, Ctrl-D): nothing is to be written.
#[derive(Debug)]
pub struct Cancelled;

/// One editor for a run of questions.
pub struct Prompter {
    editor: DefaultEditor,
}

impl Prompter {
    pub fn new() -> Result<Prompter> {
        // After an Esc, wait briefly for the rest of a key sequence (an
        // arrow, Alt-B): a lone Esc then cancels, as Ctrl-C does.
        // The questions go to the terminal even when stdout is redirected
        // (`cls log > entry.txt` keeps only the confirmation).
        let config = Config::builder()
            .behavior(rustyline::config::Behavior::PreferTerm)
            .keyseq_timeout(Some(50))
            .auto_add_history(true)
            .build();
        let mut editor = DefaultEditor::with_config(config).context("cannot open the terminal")?;
        editor.bind_sequence(KeyEvent(KeyCode::Esc, Modifiers::NONE), Cmd::Interrupt);
        Ok(Prompter { editor })
    }

    /// Ask `label` with `help` on the line above, until `check` accepts
    /// the answer or it is empty (the field is skipped: `None`). A refused
    /// answer is explained and the question asked again on an empty line.
    pub fn ask(
        &mut self,
        label: &str,
        help: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Result<Option<String>, Cancelled>> {
        let d = out::dim();
        writeln!(anstream::stderr(), "{d}  {help}{d:#}")?;
        loop {
            let answer = match self.editor.readline(&format!("{label} ")) {
                Ok(a) => a,
                Err(ReadlineError::Interrupted | ReadlineError::Eof) => return Ok(Err(Cancelled)),
                Err(e) => return Err(e).context("cannot read the answer"),
            };
            let answer = answer.trim();
            if answer.is_empty() {
                return Ok(Ok(None));
            }
            match check(answer) {
                Ok(()) => return Ok(Ok(Some(answer.to_string()))),
                Err(why) => {
                    let s = out::level_style(cls::Level::Warning);
                    writeln!(
                        anstream::stderr(),
                        "{s}  ✗ {}{s:#}",
                        cls::render::sanitize(&why)
                    )?;
                }
            }
        }
    }

    /// Yes or no, "no" unless the answer starts with y.
    pub fn confirm(&mut self, question: &str) -> Result<bool> {
        match self.editor.readline(&format!("{question} [y/N] ")) {
            Ok(a) => Ok(matches!(a.trim().chars().next(), Some('y' | 'Y'))),
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => Ok(false),
            Err(e) => Err(e).context("cannot ask for confirmation"),
        }
    }
}
