//! The whole command-line interface as clap derive types. Doc comments are
//! the help text; `after_help` blocks carry real examples.

use std::path::PathBuf;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

/// The exit statuses, documented in `cls --help` and `cls check --help`.
macro_rules! exit_codes {
    () => {
        "Exit status:
  0   ok (for check: level ok)
  1   runtime error (diary, config, file)
  2   usage error (bad flag or value; nothing was written)
  10  check: unknown (not enough recent data to say ok)
  11  check: watch
  12  check: warning
  13  check: emergency"
    };
}

#[cfg(test)]
const EXIT_CODES: &str = exit_codes!();

#[derive(Debug, Parser)]
#[command(
    name = "cls",
    version,
    about = "A private symptom diary and early-warning tool for systemic capillary leak syndrome (Clarkson disease)",
    long_about = "A private symptom diary and early-warning tool for systemic capillary leak syndrome \
(SCLS, Clarkson disease).\n\nLog your weight, blood pressure and symptoms every morning; `cls check` \
compares them with your own baseline and says ok, watch, warning, emergency, or unknown when there is \
not enough recent data, with the numbers behind every finding and what to do.\n\nEverything stays in \
one local file (mode 0600). cls never uses the network. It does not diagnose: your own doctor's plan \
comes first.",
    after_help = "Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst   the morning entry
  cls log                                               asks for each field
  cls check                                             today's status
  cls report --last 30d                                 before an appointment
  cls paths                                             where the diary and config live",
    after_long_help = concat!("Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst   the morning entry
  cls log                                               asks for each field
  cls check                                             today's status
  cls report --last 30d                                 before an appointment
  cls paths                                             where the diary and config live

", exit_codes!())
)]
pub struct Cli {
    /// The diary file (SQLite). Default: diary.sqlite3 in your data folder (see `cls paths`)
    #[arg(long, global = true, env = "CLS_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The TOML config. Default: config.toml in your config folder (see `cls paths`)
    #[arg(long, global = true, env = "CLS_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// A subcommand's arguments, built only when that subcommand runs (or its
/// help is shown): clap otherwise builds every subcommand's arguments on
/// every run, a tenth of what `cls check` spends before opening the diary.
/// Derefs to the arguments.
#[derive(Debug)]
pub struct Lazy<T>(pub T);

impl<T> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args))
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args_for_update))
    }
}

/// Run `augment` but keep the subcommand's own description: deferred, the
/// arguments now come after it, and the doc comment of an `Args` struct
/// would otherwise replace it.
fn keep_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = augment(cmd);
    let cmd = match about {
        Some(about) => cmd.about(about),
        None => cmd.about(clap::builder::Resettable::Reset),
    };
    match long_about {
        Some(long_about) => cmd.long_about(long_about),
        None => cmd.long_about(clap::builder::Resettable::Reset),
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Lazy)
    }
    fn from_arg_matches_mut(m: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(m).map(Lazy)
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
    fn update_from_arg_matches_mut(&mut self, m: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(m)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a diary entry (weight, blood pressure, symptoms...); asks when given no values
    #[command(after_help = "Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst
  cls log --weight 151lb --bp 121/79 --hr 72 --symptom thirst,fatigue:1
  cls log --date yesterday --time 21:00 --bp 104/70 --standing-bp 88/60 --symptom dizziness:3
  cls log --lab hematocrit=47 --lab albumin=34 --med ivig:2g/kg --note \"infusion day\"
  cls log            (on a terminal: asks for each field; Enter skips)

Severity is 0-3: 0 absent, 1 mild, 2 moderate, 3 severe; a symptom without a number is 2.
Symptoms: thirst fatigue weakness headache irritability nausea vomiting abdominal-pain
muscle-pain cold-symptoms fever diarrhea swelling dizziness fainting breathlessness
orthopnea polyuria (aliases such as myalgia, oedema, syncope, runny-nose work too;
see `cls symptoms`).")]
    Log(Lazy<LogArgs>),

    /// Say ok, watch, warning, emergency or unknown, with the reasons and what to do
    #[command(after_help = concat!("Examples:
  cls check                     today, as of now
  cls check --date yesterday    as of the end of yesterday
  cls check --json              for scripts and notification hooks
  cls check --history --last 30d
  cls check --backtest          lead time before each recorded episode, false alarms per year

", exit_codes!()))]
    Check(Lazy<CheckArgs>),

    /// Today's level in one line, or a shell prompt token (cls:ok, cls:log!, cls:WARNING...)
    #[command(after_help = "Examples:
  cls status                    the level and the most serious finding, in one line
  cls status --prompt           a short token for your shell prompt (PS1, starship)
  cls status --prompt --quiet-ok   nothing at all while everything is ok

Prompt tokens: cls:ok, cls:log! (nothing or no weight logged today), cls:unknown,
cls:watch, cls:WARNING, cls:EMERGENCY, and cls:watch(ack) or cls:warning(ack) when
you have acknowledged every finding at that level ('cls ack'). On any error the
token is cls:? (exit 1), never an error message. Without --prompt the exit status
is check's (0 ok, 10 unknown, 11 watch, 12 warning, 13 emergency); with it, 0.")]
    Status(Lazy<StatusArgs>),

    /// Record that you have acted on today's watch or warning findings (never an emergency)
    #[command(after_help = "Examples:
  cls ack --note \"called Dr Okafor\"     every watch and warning finding of now
  cls ack W1 P2                          only these rules
  cls ack --list                         today's acknowledgements

The level and check's exit status do not change: `cls check` shows the finding as
\"acknowledged 08:10: called Dr Okafor\", and hooks and the prompt token do not
repeat it. An acknowledgement lapses at the end of the day (day_starts_at) or as
soon as a new rule or a higher level fires. An emergency cannot be acknowledged
(exit 2): go to hospital or call emergency services now.")]
    Ack(Lazy<AckArgs>),

    /// Remind you to log today (exit 10 until today has a weight); install a daily timer
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:
  cls remind                     one line and exit 10 until today has an entry with a weight
  cls remind --notify            also a desktop notification (notify-send), when installed
  cls remind install --at 08:30  write a systemd user timer (you enable it yourself)
  cls remind install --cron      print a crontab line instead
  cls remind uninstall           remove what install wrote

Silent with exit 0 once today has a weight. Today is the logical day: before
day_starts_at (04:00) it is still yesterday."
    )]
    Remind(Lazy<RemindArgs>),

    /// Run the [[hooks]] of your config once with a sample document, to try them
    #[command(
        subcommand,
        after_help = "Examples:
  cls hooks test                 every hook, each at its own `on` level
  cls hooks test --level emergency

Hooks are argv arrays in the config:
  [[hooks]]
  on = \"warning\"                # this level or higher
  run = [\"notify-send\", \"cls\", \"{level}: {summary}\"]
  timeout_s = 10
They run after `cls log` and `cls check` when today's level rises to or above `on`,
once per level per day, with the `cls check --json` document on stdin and CLS_LEVEL,
CLS_DATE and CLS_SUMMARY in the environment."
    )]
    Hooks(HooksCommand),

    /// Summarise a period of the diary for your doctor (text, Markdown, HTML, CSV or JSON)
    #[command(after_help = "Examples:
  cls report                                  the last 90 days as text
  cls report --last 30d --format html --output report.html
  cls report --from 2026-01-01 --to 2026-03-31 --format markdown
  cls report --format csv --output days.csv   the daily table for a spreadsheet
  cls report --format json                    everything, for scripts

The HTML file is self-contained (no scripts, no links) and prints on A4 or Letter:
open it in a browser and print, or save as PDF.")]
    Report(Lazy<ReportArgs>),

    /// A one-page emergency card for hospital staff (text or HTML)
    #[command(after_help = "Examples:
  cls card                                    on the terminal
  cls card --format html --output card.html   open, print, keep in your wallet or bag

Name, date of birth, contacts, emergency instructions and prophylaxis come from the
[patient] section of the config (see `cls config init`); the instructions are printed
word for word. Baselines, the last 7 days and today's level come from the diary.")]
    Card(Lazy<CardArgs>),

    /// Scheduled medications and infusions: last dose, next due, overdue
    #[command(after_help = "Examples:
  cls meds
  cls meds --json

Schedules live in the config, one [[medications]] table each:
  [[medications]]
  name = \"ivig\"        # as in `cls log --med ivig:2g/kg`
  dose = \"2g/kg\"
  every_days = 28
  grace_days = 3")]
    Meds(Lazy<MedsArgs>),

    /// List diary entries as a table (newest last)
    #[command(after_help = "Examples:
  cls list                      the last 14 days
  cls list --last 12w
  cls list --from 2026-01-01 --to 2026-03-31
  cls list --json")]
    List(Lazy<ListArgs>),

    /// Show one entry in full
    #[command(after_help = "Examples:
  cls show 42
  cls show 42 --json")]
    Show(Lazy<ShowArgs>),

    /// Change an entry: only what you give changes
    #[command(after_help = "Examples:
  cls edit 42 --weight 68.1
  cls edit 42 --symptom fatigue:3 --remove-symptom thirst
  cls edit 42 --clear note --clear standing-bp
  cls edit 42 --date yesterday --time 07:45")]
    Edit(Lazy<EditArgs>),

    /// Delete an entry (asks first on a terminal; --yes for scripts)
    #[command(after_help = "Examples:
  cls delete 42
  cls delete 42 --yes")]
    Delete(Lazy<DeleteArgs>),

    /// Record capillary-leak episodes (attacks): start, end, list
    #[command(
        subcommand,
        after_help = "Examples:
  cls episode start --hospitalized      an attack began today
  cls episode end                       it is over
  cls episode list"
    )]
    Episode(EpisodeCommand),

    /// Every active rule with its thresholds; what your config changed; what is disabled
    #[command(after_help = "Examples:
  cls rules
  cls rules --json
  cls rules tune")]
    Rules(Lazy<RulesArgs>),

    /// List the symptom names and aliases cls understands
    #[command(after_help = "Examples:
  cls symptoms
  cls symptoms --json              names, aliases, prodrome flags, severities, your own
  cls log --symptom myalgia:2      an alias: stored as muscle-pain")]
    Symptoms {
        /// Print the names, aliases and severities as JSON
        #[arg(long)]
        json: bool,
    },

    /// Write, show or locate the config file
    #[command(
        subcommand,
        after_help = "Examples:
  cls config init               write the commented default
  cls config show               the effective config
  cls config show --json        the same as JSON, for scripts
  cls config path"
    )]
    Config(ConfigCommand),

    /// Print where the diary and the config live
    #[command(after_help = "Examples:
  cls paths
  cls paths --json                        {\"diary\": \"...\", \"config\": \"...\"}
  cls --db ~/diary-test.sqlite3 paths     --db (or CLS_DB) picks another diary")]
    Paths {
        /// Print the paths as JSON
        #[arg(long)]
        json: bool,
    },

    /// Write the diary as CSV (a spreadsheet), JSON (everything: episodes and acknowledgements too) or FHIR (for a clinic)
    #[command(after_help = "Examples:
  cls export > diary.csv                           every entry, CSV, to stdout
  cls export --output diary.json                   JSON (from the extension), file mode 0600
  cls export --format json --from 2026-01-01 --to 2026-03-31
  cls export --format fhir -o clinic.json          FHIR R4, for your clinic
  cls export -o diary.csv --encrypt --recipient age1...   diary.csv.age (README: Encrypted copies)

CSV columns: date,time,weight_kg,systolic,diastolic,standing_systolic,standing_diastolic,
heart_rate,urine,urine_ml,symptoms,labs,medications,note  (symptoms thirst:2;fatigue:1,
labs hematocrit=44, medications ivig:2g/kg; an empty cell is not measured).
JSON also keeps each entry's UTC offset, the episodes and the acknowledgements
(cls ack) made on the days exported; CSV holds entries only.
FHIR: measurements, labs and symptoms (LOINC, SNOMED CT, UCUM) for a clinic;
no medications, notes, episodes or acks (README: Sharing with your clinic).

In a spreadsheet: notes are kept exactly, so a cell starting with = + - or @ is a
formula to Excel, LibreOffice and Google Sheets, which may run it. Do not open the
file directly: import it (Data > From Text/CSV, Insert Sheet from File, File >
Import) with every column set to Text.

--output never writes over the diary, its -wal/-shm or any SQLite file (a backup);
a file is replaced atomically, a terminal, pipe or device (/dev/stdout) is written
in place, a symbolic link to a file is refused. On a terminal the export is shown
with escapes and invisible characters replaced by U+FFFD; into a file or pipe it
is byte-exact.")]
    Export(Lazy<ExportArgs>),

    /// Add entries from a CSV or JSON export, or a scale's or cuff's export: all or nothing
    #[command(after_help = "Examples:
  cls import diary.csv                 format from the extension
  cls import --dry-run old.json        check the file and count, write nothing
  cls import - --format csv < rows.csv
  cls import diary.csv.age --identity ~/age-key.txt   an encrypted export
  cls import data_NAME_123.zip         a Withings export (found from the file)
  cls import --from apple-health export.zip
  cls import --from openscale --unit lb openScale_export.csv

Device exports: readings within 10 minutes of each other become one entry, marked with
its source; readings already imported are skipped, and unusable ones (a 0.0 kg weighing,
a 0/0 cuff error) are skipped and listed by line.

Every value is checked with the same ranges as `cls log`; the first bad row rejects the whole
file with its line number (exit 2) and nothing is written. Rows identical to entries already in
the diary are skipped and counted. A CSV row without a time gets 08:00; its time is read in
this machine's time zone (JSON keeps the offset it was written with).")]
    Import(Lazy<ImportArgs>),

    /// Make a verified copy of the diary (safe while another cls is writing)
    #[command(after_help = "Examples:
  cls backup                           diary.sqlite3.<date>T<time>.bak beside the diary
  cls backup /media/usb/               into a folder (same file name)
  cls backup ~/diary-2026-11.bak
  cls backup /media/usb/ --encrypt --recipient age1...   an age-encrypted .bak.age
  cls backup --encrypt                 the same with a passphrase, asked twice

The copy is checked (integrity_check, row counts equal) before cls says it succeeded; it is
one self-contained file, mode 0600. Keep a copy on another disk.")]
    Backup(Lazy<BackupArgs>),

    /// Replace the diary by a backup (the current diary is kept as a .bak)
    #[command(after_help = "Examples:
  cls restore ~/.local/share/cls/diary.sqlite3.2026-11-25T080000.bak
  cls restore old.bak --yes            without asking (scripts)
  cls restore old.bak.age --identity ~/age-key.txt   an encrypted backup

The backup is verified first; the diary as it was is kept beside it as a timestamped .bak
(a damaged one as .damaged.bak), so a restore can itself be undone.")]
    Restore(Lazy<RestoreArgs>),

    /// Check the diary, its backups and the config, and say what to fix
    #[command(after_help = "Examples:
  cls doctor
  cls doctor --json

Checks: config, diary file, integrity_check, schema version, permissions, write-ahead log,
age of the latest backup, future dates, impossible values, leftover temporary files.
Never changes anything. Exit status: 0 all ok, 1 a problem was found.")]
    Doctor(Lazy<DoctorArgs>),

    /// Print a shell completion script
    #[command(after_help = "Examples:
  cls completions bash > ~/.local/share/bash-completion/completions/cls
  cls completions zsh > ~/.zfunc/_cls
  cls completions fish > ~/.config/fish/completions/cls.fish")]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },

    /// Print the man page (roff): every subcommand, or one subcommand's own page
    #[command(after_help = "Examples:
  mkdir -p ~/.local/share/man/man1
  cls man > ~/.local/share/man/man1/cls.1      then: man cls
  cls man log | man -l -                        one subcommand's page")]
    Man {
        /// A subcommand, e.g. log, or episode start [default: the whole page]
        #[arg(value_name = "SUBCOMMAND", num_args = 0..)]
        subcommand: Vec<String>,
    },

    /// Write a made-up but realistic diary into a new file, to try cls (never touches an existing file)
    #[command(after_help = "Examples:
  cls demo --db /tmp/demo.sqlite3                 one year ending today, then try:
  cls check --db /tmp/demo.sqlite3
  cls check --backtest --db /tmp/demo.sqlite3
  cls demo --db /tmp/decade.sqlite3 --years 10    a decade, e.g. for timing
  cls demo --db /tmp/month.sqlite3 --days 30 --seed 7 --end 2026-06-30

The patient is invented: daily morning weight, blood pressure and pulse, an IVIG infusion
every 28 days, colds, and about two attacks a year (prodrome, leak, recovery), each recorded
as an episode. The same --seed always gives the same diary. Refuses to write into a file
that already exists; without --db it writes your default diary only if you have none yet.")]
    Demo(Lazy<DemoArgs>),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// The values of one entry, shared by `log` and `edit`.
#[derive(Debug, Args, Default, Clone)]
pub struct EntryValues {
    /// Date of the entry: YYYY-MM-DD, today, yesterday or -Nd [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,

    /// Time of the entry, HH:MM [default: now, or 08:00 for a past date]
    #[arg(long, value_name = "HH:MM")]
    pub time: Option<String>,

    /// Morning weight, e.g. 68.4, 68.4kg or 151lb (no unit: the config's unit, kg by default); 20-350 kg
    #[arg(long, value_name = "NUM[kg|lb]", allow_hyphen_values = true)]
    pub weight: Option<String>,

    /// Sitting blood pressure SYS/DIA in mmHg, e.g. 118/76
    #[arg(long, value_name = "SYS/DIA", allow_hyphen_values = true)]
    pub bp: Option<String>,

    /// Standing blood pressure SYS/DIA (within 3 minutes of standing up)
    #[arg(long, value_name = "SYS/DIA", allow_hyphen_values = true)]
    pub standing_bp: Option<String>,

    /// Heart rate in beats per minute, 20-250
    #[arg(long, value_name = "BPM", allow_hyphen_values = true)]
    pub hr: Option<String>,

    /// A symptom with optional severity 0-3 (default 2); repeat or use a comma list: thirst,fatigue:1
    #[arg(long = "symptom", short = 's', value_name = "NAME[:0-3]", value_parser = Hint::symptoms(), hide_possible_values = true)]
    pub symptoms: Vec<String>,

    /// Urine compared with usual
    #[arg(long, value_name = "less|normal|more", value_parser = Hint::urine(), hide_possible_values = true)]
    pub urine: Option<String>,

    /// Urine volume over 24 hours in mL
    #[arg(long, value_name = "ML", allow_hyphen_values = true)]
    pub urine_ml: Option<String>,

    /// A lab value: hematocrit=44 (%), hemoglobin=14.2 (g/dL), albumin=38 (g/L; 3.8g/dL accepted)
    #[arg(long = "lab", value_name = "NAME=VALUE[UNIT]", value_parser = Hint::labs(), hide_possible_values = true)]
    pub labs: Vec<String>,

    /// A medication or infusion taken, e.g. ivig:2g/kg or theophylline:300mg; repeatable
    #[arg(long = "med", value_name = "NAME[:DOSE]")]
    pub meds: Vec<String>,

    /// A free-text note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

impl EntryValues {
    /// True when any measurement (not just date or time) was given.
    pub fn has_values(&self) -> bool {
        self.weight.is_some()
            || self.bp.is_some()
            || self.standing_bp.is_some()
            || self.hr.is_some()
            || !self.symptoms.is_empty()
            || self.urine.is_some()
            || self.urine_ml.is_some()
            || !self.labs.is_empty()
            || !self.meds.is_empty()
            || self.note.is_some()
    }
}

#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(flatten)]
    pub values: EntryValues,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Evaluate as of the end of this date: YYYY-MM-DD, today, yesterday or -Nd [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,

    /// Print one JSON object (for scripts)
    #[arg(long)]
    pub json: bool,

    /// The level and findings for each day of a range (--from/--to/--last; default the last 30 days)
    #[arg(long, conflicts_with_all = ["backtest", "date"])]
    pub history: bool,

    /// For each recorded episode, how early the rules warned; and false alarms per year
    #[arg(long, conflicts_with_all = ["history", "date"])]
    pub backtest: bool,

    /// First day of --history or --backtest
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Last day of --history or --backtest [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,

    /// With --history: the last span, e.g. 30d, 12w, 6m (calendar months), 1y
    #[arg(long, value_name = "SPAN", conflicts_with = "from")]
    pub last: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print a short token for a shell prompt (cls:ok, cls:log!, cls:WARNING...); cls:? on any error
    #[arg(long)]
    pub prompt: bool,

    /// With --prompt: print nothing while the level is ok and today is logged
    #[arg(long, requires = "prompt")]
    pub quiet_ok: bool,
}

#[derive(Debug, Args)]
pub struct AckArgs {
    /// The rules to acknowledge (e.g. W1 P2) [default: every watch and warning finding of now]
    #[arg(value_name = "RULE", conflicts_with = "list")]
    pub rules: Vec<String>,

    /// What you did, e.g. "called Dr Okafor"
    #[arg(long, value_name = "TEXT", conflicts_with = "list")]
    pub note: Option<String>,

    /// List today's acknowledgements (and those that lapsed)
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    #[command(subcommand)]
    pub action: Option<RemindAction>,

    /// Also show a desktop notification through notify-send, when it is installed
    #[arg(long)]
    pub notify: bool,
}

#[derive(Debug, Subcommand)]
pub enum RemindAction {
    /// Write a systemd user timer and service for a daily reminder (never enables them)
    #[command(after_help = "Examples:
  cls remind install                 ~/.config/systemd/user/cls-remind.{timer,service}, 08:30
  cls remind install --at 07:45
  cls remind install --cron          print a crontab line instead of writing files
  (crontab -l; cls remind install --cron) | crontab -

Then turn it on yourself:
  systemctl --user daemon-reload
  systemctl --user enable --now cls-remind.timer")]
    Install {
        /// The time of day, HH:MM
        #[arg(long, value_name = "HH:MM", default_value = "08:30")]
        at: String,
        /// Print a crontab line instead of writing systemd units
        #[arg(long)]
        cron: bool,
        /// Replace unit files of the same names that cls did not write
        #[arg(long)]
        force: bool,
    },
    /// Remove the systemd user timer and service that install wrote
    #[command(after_help = "Examples:
  systemctl --user disable --now cls-remind.timer   first, if you enabled it
  cls remind uninstall")]
    Uninstall,
}

#[derive(Debug, Subcommand)]
pub enum HooksCommand {
    /// Run every hook now with a sample document (nothing is recorded)
    #[command(after_help = "Examples:
  cls hooks test
  cls hooks test --level warning")]
    Test {
        /// The level to pretend [default: each hook's own `on` level]
        #[arg(long, value_name = "LEVEL", value_parser = ["unknown", "watch", "warning", "emergency"])]
        level: Option<String>,
    },
}

/// The formats of `cls report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Markdown,
    Html,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the report: YYYY-MM-DD, yesterday or -Nd [default: the 90 days up to --to]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Last day of the report [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,

    /// The last span up to --to, e.g. 30d, 12w, 6m (calendar months), 1y [default: 90d]
    #[arg(long, value_name = "SPAN", conflicts_with = "from")]
    pub last: Option<String>,

    /// Output format [default: from the --output extension (.md, .html, .csv, .json), else text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ReportFormat>,

    /// Write to this file (mode 0600, replaced atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats of `cls card`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    Text,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// Output format [default: html for an --output ending in .html, else text]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<CardFormat>,

    /// Write to this file (mode 0600, replaced atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MedsArgs {
    /// Print JSON (for scripts)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// First day to list (YYYY-MM-DD, yesterday, -Nd)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Last day to list [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,

    /// The last span up to --to, e.g. 14d, 12w, 6m (calendar months), 1y [default: 14d]
    #[arg(long, value_name = "SPAN", conflicts_with = "from")]
    pub last: Option<String>,

    /// Every entry in the diary
    #[arg(long, conflicts_with_all = ["from", "last"])]
    pub all: bool,

    /// Every column, even empty ones, one line per entry (not wrapped)
    #[arg(long)]
    pub wide: bool,

    /// Print JSON (an array of entries)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry id (from `cls list`)
    pub id: i64,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// What `cls edit --clear` can remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Field {
    Weight,
    Bp,
    StandingBp,
    Hr,
    Urine,
    UrineMl,
    Symptoms,
    Labs,
    Meds,
    Note,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry id (from `cls list`)
    pub id: i64,

    #[command(flatten)]
    pub values: EntryValues,

    /// Remove a symptom from the entry; repeatable
    #[arg(long, value_name = "NAME", value_parser = Hint::symptoms(), hide_possible_values = true)]
    pub remove_symptom: Vec<String>,

    /// Remove a lab value (hematocrit, hemoglobin, albumin); repeatable
    #[arg(long, value_name = "NAME", value_parser = Hint::lab_names(), hide_possible_values = true)]
    pub remove_lab: Vec<String>,

    /// Remove a medication by name; repeatable
    #[arg(long, value_name = "NAME")]
    pub remove_med: Vec<String>,

    /// Clear a whole field; repeatable
    #[arg(long, value_enum, value_name = "FIELD")]
    pub clear: Vec<Field>,

    /// Shorthand for --clear note
    #[arg(long)]
    pub clear_note: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry id (from `cls list`)
    pub id: i64,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum EpisodeCommand {
    /// Record the start of an attack
    #[command(after_help = "Examples:
  cls episode start
  cls episode start --date yesterday --hospitalized --note \"ER, 3 L albumin\"")]
    Start {
        /// The day it started [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// You were admitted to hospital
        #[arg(long)]
        hospitalized: bool,
        /// A free-text note
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Record the end of the open episode (or of --id)
    #[command(after_help = "Examples:
  cls episode end
  cls episode end --date yesterday
  cls episode end --id 3 --date 2026-03-14")]
    End {
        /// The day it ended [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Which episode [default: the open one]
        #[arg(long)]
        id: Option<i64>,
    },
    /// List recorded episodes
    #[command(after_help = "Examples:
  cls episode list
  cls episode list --json")]
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Delete an episode recorded by mistake
    #[command(after_help = "Examples:
  cls episode delete 3
  cls episode delete 3 --yes")]
    Delete {
        id: i64,
        /// Do not ask for confirmation
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Option<RulesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Replay your history under other weight thresholds and propose some (to discuss with your doctor)
    #[command(
        after_help = "Needs recorded episodes ('cls episode start'). Only W1, W3, P3's lowered W1, W4 \
and P2's count move, inside clinical.md's tuning limits; every other threshold is your clinician's.

Columns: 'caught' = episodes with at least one day of warning before they started; 'lead' = days of \
warning lead summed over the episodes; 'watch/y', 'warning/y' = false-alarm days a year at watch, and at \
warning or above, outside 7 days before to 14 days after each episode.

Examples:
  cls rules tune
  cls rules tune --max-false-alarms 12
  cls rules tune --write            write row 1's thresholds into the config (asks first)
  cls rules tune --write 3 --yes"
    )]
    Tune(TuneArgs),
}

#[derive(Debug, Args)]
pub struct TuneArgs {
    /// Only candidates with at most N false-alarm days a year (watch or above)
    #[arg(long, value_name = "N")]
    pub max_false_alarms: Option<f64>,

    /// Write the thresholds of table row N (default 1) into the config file, after showing the change
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1")]
    pub write: Option<usize>,

    /// Do not ask before writing
    #[arg(long, short = 'y', requires = "write")]
    pub yes: bool,

    /// Print JSON
    #[arg(long, conflicts_with = "write")]
    pub json: bool,
}

/// The formats of `cls export` and `cls import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransferFormat {
    Csv,
    Json,
}

impl From<TransferFormat> for cls::transfer::Format {
    fn from(f: TransferFormat) -> Self {
        match f {
            TransferFormat::Csv => cls::transfer::Format::Csv,
            TransferFormat::Json => cls::transfer::Format::Json,
        }
    }
}

/// The formats of `cls export`: the two `cls import` reads back, and FHIR
/// for a clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    /// A FHIR R4 Bundle for your clinic (not read back by cls import)
    Fhir,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv, json or fhir [default: from the --output extension, else csv]
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,

    /// First day to export (YYYY-MM-DD, yesterday, -Nd) [default: the first entry]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Last day to export [default: the last entry]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub to: Option<String>,

    /// Write to this file (mode 0600, replaced atomically) instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub encrypt: EncryptArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (`-` for stdin, with --format)
    pub file: PathBuf,

    /// csv or json [default: from the file's extension]
    #[arg(long, value_enum)]
    pub format: Option<TransferFormat>,

    /// A scale's or cuff's export [default: found from the file]
    #[arg(long, value_enum, value_name = "DEVICE", conflicts_with = "format")]
    pub from: Option<DeviceArg>,

    /// The unit of an openScale 3.x file's WEIGHT column, which the file does not say
    #[arg(long, value_enum, conflicts_with = "format")]
    pub unit: Option<ScaleUnitArg>,

    /// Check the whole file and count what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub decrypt: DecryptArgs,
}

/// The device exports `cls import --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeviceArg {
    /// Withings Health Mate: the data zip, or its weight.csv or bp.csv
    Withings,
    /// openScale 2.x or 3.x CSV
    Openscale,
    /// OMRON connect CSV report
    Omron,
    /// Beurer HealthManager CSV
    Beurer,
    /// Apple Health: export.zip or its export.xml
    AppleHealth,
}

impl From<DeviceArg> for cls::transfer::devices::Device {
    fn from(d: DeviceArg) -> Self {
        use cls::transfer::devices::Device;
        match d {
            DeviceArg::Withings => Device::Withings,
            DeviceArg::Openscale => Device::OpenScale,
            DeviceArg::Omron => Device::Omron,
            DeviceArg::Beurer => Device::Beurer,
            DeviceArg::AppleHealth => Device::AppleHealth,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaleUnitArg {
    Kg,
    Lb,
    St,
}

impl From<ScaleUnitArg> for cls::transfer::devices::ScaleUnit {
    fn from(u: ScaleUnitArg) -> Self {
        use cls::transfer::devices::ScaleUnit;
        match u {
            ScaleUnitArg::Kg => ScaleUnit::Kg,
            ScaleUnitArg::Lb => ScaleUnit::Lb,
            ScaleUnitArg::St => ScaleUnit::St,
        }
    }
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup: a new file, or a folder [default: beside the diary]
    pub path: Option<PathBuf>,

    #[command(flatten)]
    pub encrypt: EncryptArgs,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (from `cls backup`)
    pub path: PathBuf,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,

    #[command(flatten)]
    pub decrypt: DecryptArgs,
}

/// `--encrypt` and its keys, for `backup` and `export` (src/crypt.rs).
#[derive(Debug, Args)]
#[command(next_help_heading = "Encryption")]
pub struct EncryptArgs {
    /// Write an age-encrypted file (NAME.age): to --recipient keys, or with a passphrase asked twice
    #[arg(long)]
    pub encrypt: bool,

    /// An age public key (age1..., from age-keygen) that can open the file; repeatable
    #[arg(long, value_name = "KEY", requires = "encrypt")]
    pub recipient: Vec<String>,

    /// A file of age public keys, one per line (# comments allowed); repeatable
    #[arg(long, value_name = "FILE", requires = "encrypt")]
    pub recipients_file: Vec<PathBuf>,

    /// Take the passphrase from the first line of FILE instead of asking (for scripts)
    #[arg(
        long,
        value_name = "FILE",
        requires = "encrypt",
        conflicts_with_all = ["recipient", "recipients_file"]
    )]
    pub passphrase_file: Option<PathBuf>,
}

/// How `restore` and `import` open an age-encrypted file (src/crypt.rs).
#[derive(Debug, Args)]
#[command(next_help_heading = "Encrypted files (.age)")]
pub struct DecryptArgs {
    /// An age identity file (AGE-SECRET-KEY-1..., from age-keygen) to open an encrypted file; repeatable
    #[arg(long, value_name = "FILE")]
    pub identity: Vec<PathBuf>,

    /// Take the passphrase of an encrypted file from the first line of FILE instead of asking
    #[arg(long, value_name = "FILE", conflicts_with = "identity")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the checks as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a fully commented default config (refuses to overwrite without --force)
    #[command(after_help = "Examples:
  cls config init
  cls config init --force       replace your config with the defaults")]
    Init {
        /// Overwrite an existing config
        #[arg(long)]
        force: bool,
    },
    /// Print the effective config (defaults plus your file)
    #[command(after_help = "Examples:
  cls config show
  cls config show --json        {\"source\": \"...\", \"exists\": true, \"config\": {...}}")]
    Show {
        /// Print the config as JSON: its path, whether the file exists, every value
        #[arg(long)]
        json: bool,
    },
    /// Print where the config file lives
    #[command(after_help = "Examples:
  cls config path
  $EDITOR \"$(cls config path)\"")]
    Path,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many years of diary, ending on --end (1-100)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub years: u32,

    /// A number of days instead of whole years (1-36500)
    #[arg(long, value_name = "N", conflicts_with = "years", value_parser = clap::value_parser!(u32).range(1..=36500))]
    pub days: Option<u32>,

    /// The seed of the made-up data: the same seed gives the same diary
    #[arg(long, value_name = "S", default_value_t = cls::demo::DEFAULT_SEED)]
    pub seed: u64,

    /// The last day of the diary: YYYY-MM-DD, today, yesterday or -Nd [default: today]
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub end: Option<String>,

    /// The made-up patient's mean number of attacks a year (0.1-12); fewer on well-timed IVIG
    #[arg(long, value_name = "N", default_value_t = cls::demo::DEFAULT_ATTACKS_PER_YEAR, value_parser = attacks_per_year)]
    pub attacks_per_year: f64,
}

/// Words a completion script offers for a value, without limiting what
/// is accepted: `--symptom thirst:2`, an alias or a custom symptom must
/// still parse (cls checks the value itself, with its own message), so
/// this is not clap's `PossibleValuesParser`, which would refuse them.
#[derive(Clone)]
pub struct Hint(&'static [&'static str]);

impl Hint {
    /// The canonical symptom names (a patient's own, from the config,
    /// cannot be known when the script is generated).
    fn symptoms() -> Hint {
        Hint(cls::symptoms::CANONICAL)
    }

    /// `hematocrit=` and the others: the number follows the `=`.
    fn labs() -> Hint {
        Hint(&["hematocrit=", "hemoglobin=", "albumin="])
    }

    fn lab_names() -> Hint {
        Hint(&["hematocrit", "hemoglobin", "albumin"])
    }

    fn urine() -> Hint {
        Hint(&["less", "normal", "more"])
    }
}

impl clap::builder::TypedValueParser for Hint {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|w| clap::builder::PossibleValue::new(*w)),
        ))
    }
}

fn attacks_per_year(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.1..=12.0).contains(&x) => Ok(x),
        _ => Err(format!("'{s}' is not a number from 0.1 to 12")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exit_codes_are_documented_everywhere() {
        let mut cmd = Cli::command();
        let top = cmd.render_long_help().to_string();
        assert!(top.contains(EXIT_CODES), "{top}");
        let check = cmd
            .find_subcommand_mut("check")
            .unwrap()
            .render_help()
            .to_string();
        assert!(check.contains(EXIT_CODES), "{check}");
    }

    #[test]
    fn lazy_subcommands_parse_and_keep_their_own_description() {
        let cli = Cli::try_parse_from(["cls", "log", "--weight", "68.4", "--db", "d"]).unwrap();
        let Command::Log(args) = cli.command else {
            panic!("not log: {cli:?}")
        };
        assert_eq!(args.values.weight.as_deref(), Some("68.4"));
        assert_eq!(cli.db.as_deref(), Some(std::path::Path::new("d")));
        let e = Cli::try_parse_from(["cls", "check", "--wieght", "1"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);

        // `edit` flattens the entry values, whose doc comment must not
        // replace the subcommand's description once the arguments are built.
        let mut cmd = Cli::command();
        cmd.build();
        for (name, about) in [
            ("log", "Add a diary entry"),
            ("edit", "Change an entry"),
            ("check", "Say ok, watch"),
        ] {
            let sub = cmd.find_subcommand(name).unwrap();
            let got = sub.get_about().unwrap().to_string();
            assert!(got.starts_with(about), "{name}: {got}");
            assert!(sub.get_arguments().count() > 3, "{name} has its arguments");
        }
    }
}
