//! The whole command-line interface as clap derive types. Doc comments are
//! the help text; the `after_help` blocks with real examples are in
//! `cli/examples.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod examples;
mod lazy;
mod transfer;

pub use lazy::Lazy;
pub use transfer::{ExportArgs, ExportFormat, ImportArgs};

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
    after_help = examples::TOP,
    after_long_help = examples::TOP_LONG
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a diary entry (weight, blood pressure, symptoms...); asks when given no values
    #[command(after_help = examples::LOG)]
    Log(Lazy<LogArgs>),

    /// Say ok, watch, warning, emergency or unknown, with the reasons and what to do
    #[command(after_help = examples::CHECK)]
    Check(Lazy<CheckArgs>),

    /// Today's level in one line, or a shell prompt token (cls:ok, cls:log!, cls:WARNING...)
    #[command(after_help = examples::STATUS)]
    Status(Lazy<StatusArgs>),

    /// Record that you have acted on today's watch or warning findings (never an emergency)
    #[command(after_help = examples::ACK)]
    Ack(Lazy<AckArgs>),

    /// Remind you to log today (exit 10 until today has a weight); install a daily timer
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = examples::REMIND
    )]
    Remind(Lazy<RemindArgs>),

    /// Run the [[hooks]] of your config once with a sample document, to try them
    #[command(
        subcommand,
        after_help = examples::HOOKS
    )]
    Hooks(HooksCommand),

    /// Summarise a period of the diary for your doctor (text, Markdown, HTML, CSV or JSON)
    #[command(after_help = examples::REPORT)]
    Report(Lazy<ReportArgs>),

    /// A one-page emergency card for hospital staff (text or HTML)
    #[command(after_help = examples::CARD)]
    Card(Lazy<CardArgs>),

    /// Scheduled medications and infusions: last dose, next due, overdue
    #[command(after_help = examples::MEDS)]
    Meds(Lazy<MedsArgs>),

    /// List diary entries as a table (newest last)
    #[command(after_help = examples::LIST)]
    List(Lazy<ListArgs>),

    /// Show one entry in full
    #[command(after_help = examples::SHOW)]
    Show(Lazy<ShowArgs>),

    /// Change an entry: only what you give changes
    #[command(after_help = examples::EDIT)]
    Edit(Lazy<EditArgs>),

    /// Delete an entry (asks first on a terminal; --yes for scripts)
    #[command(after_help = examples::DELETE)]
    Delete(Lazy<DeleteArgs>),

    /// Record capillary-leak episodes (attacks): start, end, list
    #[command(
        subcommand,
        after_help = examples::EPISODE
    )]
    Episode(EpisodeCommand),

    /// Every active rule with its thresholds; what your config changed; what is disabled
    #[command(after_help = examples::RULES)]
    Rules(Lazy<RulesArgs>),

    /// List the symptom names and aliases cls understands
    #[command(after_help = examples::SYMPTOMS)]
    Symptoms {
        /// Print the names, aliases and severities as JSON
        #[arg(long)]
        json: bool,
    },

    /// Write, show or locate the config file
    #[command(
        subcommand,
        after_help = examples::CONFIG
    )]
    Config(ConfigCommand),

    /// Print where the diary and the config live
    #[command(after_help = examples::PATHS)]
    Paths {
        /// Print the paths as JSON
        #[arg(long)]
        json: bool,
    },

    /// Write the diary as CSV (a spreadsheet), JSON (everything: episodes and acknowledgements too) or FHIR (for a clinic)
    #[command(after_help = examples::EXPORT)]
    Export(Lazy<ExportArgs>),

    /// Add entries from a CSV or JSON export, or a scale's or cuff's export: all or nothing
    #[command(after_help = examples::IMPORT)]
    Import(Lazy<ImportArgs>),

    /// Make a verified copy of the diary (safe while another cls is writing)
    #[command(after_help = examples::BACKUP)]
    Backup(Lazy<BackupArgs>),

    /// Replace the diary by a backup (the current diary is kept as a .bak)
    #[command(after_help = examples::RESTORE)]
    Restore(Lazy<RestoreArgs>),

    /// Check the diary, its backups and the config, and say what to fix
    #[command(after_help = examples::DOCTOR)]
    Doctor(Lazy<DoctorArgs>),

    /// Print a shell completion script
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },

    /// Print the man page (roff): every subcommand, or one subcommand's own page
    #[command(after_help = examples::MAN)]
    Man {
        /// A subcommand, e.g. log, or episode start [default: the whole page]
        #[arg(value_name = "SUBCOMMAND", num_args = 0..)]
        subcommand: Vec<String>,
    },

    /// Write a made-up but realistic diary into a new file, to try cls (never touches an existing file)
    #[command(after_help = examples::DEMO)]
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
    /// Evaluate this date: YYYY-MM-DD, today, yesterday or -Nd; today as of now, a past date as of its end [default: today]
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
    #[command(after_help = examples::REMIND_INSTALL)]
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
    #[command(after_help = examples::REMIND_UNINSTALL)]
    Uninstall,
}

#[derive(Debug, Subcommand)]
pub enum HooksCommand {
    /// Run every hook now with a sample document (nothing is recorded)
    #[command(after_help = examples::HOOKS_TEST)]
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
    #[command(after_help = examples::EPISODE_START)]
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
    #[command(after_help = examples::EPISODE_END)]
    End {
        /// The day it ended [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// Which episode [default: the open one]
        #[arg(long)]
        id: Option<i64>,
    },
    /// List recorded episodes
    #[command(after_help = examples::EPISODE_LIST)]
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Delete an episode recorded by mistake
    #[command(after_help = examples::EPISODE_DELETE)]
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
        after_help = examples::RULES_TUNE
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
    #[command(after_help = examples::CONFIG_INIT)]
    Init {
        /// Overwrite an existing config
        #[arg(long)]
        force: bool,
    },
    /// Print the effective config (defaults plus your file)
    #[command(after_help = examples::CONFIG_SHOW)]
    Show {
        /// Print the config as JSON: its path, whether the file exists, every value
        #[arg(long)]
        json: bool,
    },
    /// Print where the config file lives
    #[command(after_help = examples::CONFIG_PATH)]
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
        assert!(top.contains(examples::EXIT_CODES), "{top}");
        let check = cmd
            .find_subcommand_mut("check")
            .unwrap()
            .render_help()
            .to_string();
        assert!(check.contains(examples::EXIT_CODES), "{check}");
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
