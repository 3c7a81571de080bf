//! The `after_help` texts of `cls --help` and every subcommand's help: real
//! examples, then what is worth knowing before running it. Kept apart from
//! the clap types in `cli.rs` so that the flags read as one list.

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

/// The exit statuses as text, for the test that they are in the help.
#[cfg(test)]
pub const EXIT_CODES: &str = exit_codes!();

/// `cls --help`
pub const TOP: &str = "Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst   the morning entry
  cls log                                               asks for each field
  cls check                                             today's status
  cls report --last 30d                                 before an appointment
  cls paths                                             where the diary and config live";

/// `cls --help` in full (with the exit statuses)
pub const TOP_LONG: &str = concat!(
    "Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst   the morning entry
  cls log                                               asks for each field
  cls check                                             today's status
  cls report --last 30d                                 before an appointment
  cls paths                                             where the diary and config live

",
    exit_codes!()
);

/// `cls log --help`
pub const LOG: &str = "Examples:
  cls log --weight 68.4 --bp 118/76 --symptom thirst
  cls log --weight 151lb --bp 121/79 --hr 72 --symptom thirst,fatigue:1
  cls log --date yesterday --time 21:00 --bp 104/70 --standing-bp 88/60 --symptom dizziness:3
  cls log --lab hematocrit=47 --lab albumin=34 --med ivig:2g/kg --note \"infusion day\"
  cls log            (on a terminal: asks for each field; Enter skips)

Severity is 0-3: 0 absent, 1 mild, 2 moderate, 3 severe; a symptom without a number is 2.
Symptoms: thirst fatigue weakness headache irritability nausea vomiting abdominal-pain
muscle-pain cold-symptoms fever diarrhea swelling dizziness fainting breathlessness
orthopnea polyuria (aliases such as myalgia, oedema, syncope, runny-nose work too;
see `cls symptoms`).";

/// `cls check --help`
pub const CHECK: &str = concat!(
    "Examples:
  cls check                     today, as of now
  cls check --date yesterday    as of the end of yesterday
  cls check --json              for scripts and notification hooks
  cls check --history --last 30d
  cls check --backtest          lead time before each recorded episode, false alarms per year

",
    exit_codes!()
);

/// `cls status --help`
pub const STATUS: &str = "Examples:
  cls status                    the level and the most serious finding, in one line
  cls status --prompt           a short token for your shell prompt (PS1, starship)
  cls status --prompt --quiet-ok   nothing at all while everything is ok

Prompt tokens: cls:ok, cls:log! (nothing or no weight logged today), cls:unknown,
cls:watch, cls:WARNING, cls:EMERGENCY, and cls:watch(ack) or cls:warning(ack) when
you have acknowledged every finding at that level ('cls ack'). On any error the
token is cls:? (exit 1), never an error message. Without --prompt the exit status
is check's (0 ok, 10 unknown, 11 watch, 12 warning, 13 emergency); with it, 0.";

/// `cls ack --help`
pub const ACK: &str = "Examples:
  cls ack --note \"called Dr Okafor\"     every watch and warning finding of now
  cls ack W1 P2                          only these rules
  cls ack --list                         today's acknowledgements

The level and check's exit status do not change: `cls check` shows the finding as
\"acknowledged 08:10: called Dr Okafor\", and hooks and the prompt token do not
repeat it. An acknowledgement lapses at the end of the day (day_starts_at) or as
soon as a new rule or a higher level fires. An emergency cannot be acknowledged
(exit 2): go to hospital or call emergency services now.";

/// `cls remind --help`
pub const REMIND: &str = "Examples:
  cls remind                     one line and exit 10 until today has an entry with a weight
  cls remind --notify            also a desktop notification (notify-send), when installed
  cls remind install --at 08:30  write a systemd user timer (you enable it yourself)
  cls remind install --cron      print a crontab line instead
  cls remind uninstall           remove what install wrote

Silent with exit 0 once today has a weight. Today is the logical day: before
day_starts_at (04:00) it is still yesterday.";

/// `cls hooks --help`
pub const HOOKS: &str = "Examples:
  cls hooks test                 every hook, each at its own `on` level
  cls hooks test --level emergency

Hooks are argv arrays in the config:
  [[hooks]]
  on = \"warning\"                # this level or higher
  run = [\"notify-send\", \"cls\", \"{level}: {summary}\"]
  timeout_s = 10
They run after `cls log` and `cls check` when today's level rises to or above `on`,
once per level per day, with the `cls check --json` document on stdin and CLS_LEVEL,
CLS_DATE and CLS_SUMMARY in the environment.";

/// `cls report --help`
pub const REPORT: &str = "Examples:
  cls report                                  the last 90 days as text
  cls report --last 30d --format html --output report.html
  cls report --from 2026-01-01 --to 2026-03-31 --format markdown
  cls report --format csv --output days.csv   the daily table for a spreadsheet
  cls report --format json                    everything, for scripts

The HTML file is self-contained (no scripts, no links) and prints on A4 or Letter:
open it in a browser and print, or save as PDF.";

/// `cls card --help`
pub const CARD: &str = "Examples:
  cls card                                    on the terminal
  cls card --format html --output card.html   open, print, keep in your wallet or bag

Name, date of birth, contacts, emergency instructions and prophylaxis come from the
[patient] section of the config (see `cls config init`); the instructions are printed
word for word. Baselines, the last 7 days and today's level come from the diary.";

/// `cls meds --help`
pub const MEDS: &str = "Examples:
  cls meds
  cls meds --json

Schedules live in the config, one [[medications]] table each:
  [[medications]]
  name = \"ivig\"        # as in `cls log --med ivig:2g/kg`
  dose = \"2g/kg\"
  every_days = 28
  grace_days = 3";

/// `cls list --help`
pub const LIST: &str = "Examples:
  cls list                      the last 14 days
  cls list --last 12w
  cls list --from 2026-01-01 --to 2026-03-31
  cls list --json";

/// `cls show --help`
pub const SHOW: &str = "Examples:
  cls show 42
  cls show 42 --json";

/// `cls edit --help`
pub const EDIT: &str = "Examples:
  cls edit 42 --weight 68.1
  cls edit 42 --symptom fatigue:3 --remove-symptom thirst
  cls edit 42 --clear note --clear standing-bp
  cls edit 42 --date yesterday --time 07:45";

/// `cls delete --help`
pub const DELETE: &str = "Examples:
  cls delete 42
  cls delete 42 --yes";

/// `cls episode --help`
pub const EPISODE: &str = "Examples:
  cls episode start --hospitalized      an attack began today
  cls episode end                       it is over
  cls episode list";

/// `cls rules --help`
pub const RULES: &str = "Examples:
  cls rules
  cls rules --json
  cls rules tune";

/// `cls symptoms --help`
pub const SYMPTOMS: &str = "Examples:
  cls symptoms
  cls symptoms --json              names, aliases, prodrome flags, severities, your own
  cls log --symptom myalgia:2      an alias: stored as muscle-pain";

/// `cls config --help`
pub const CONFIG: &str = "Examples:
  cls config init               write the commented default
  cls config show               the effective config
  cls config show --json        the same as JSON, for scripts
  cls config path";

/// `cls paths --help`
pub const PATHS: &str = "Examples:
  cls paths
  cls paths --json                        {\"diary\": \"...\", \"config\": \"...\"}
  cls --db ~/diary-test.sqlite3 paths     --db (or CLS_DB) picks another diary";

/// `cls export --help`
pub const EXPORT: &str = "Examples:
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
is byte-exact.";

/// `cls import --help`
pub const IMPORT: &str = "Examples:
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

CSV and JSON exports: every value is checked with the same ranges as `cls log`; the first bad row rejects the whole
file with its line number (exit 2) and nothing is written. Rows identical to entries already in
the diary are skipped and counted. A CSV row without a time gets 08:00; its time is read in
this machine's time zone (JSON keeps the offset it was written with).";

/// `cls backup --help`
pub const BACKUP: &str = "Examples:
  cls backup                           diary.sqlite3.<date>T<time>.bak beside the diary
  cls backup /media/usb/               into a folder (same file name)
  cls backup ~/diary-2026-11.bak
  cls backup /media/usb/ --encrypt --recipient age1...   an age-encrypted .bak.age
  cls backup --encrypt                 the same with a passphrase, asked twice

The copy is checked (integrity_check, row counts equal) before cls says it succeeded; it is
one self-contained file, mode 0600. Keep a copy on another disk.";

/// `cls restore --help`
pub const RESTORE: &str = "Examples:
  cls restore ~/.local/share/cls/diary.sqlite3.2026-11-25T080000.bak
  cls restore old.bak --yes            without asking (scripts)
  cls restore old.bak.age --identity ~/age-key.txt   an encrypted backup

The backup is verified first; the diary as it was is kept beside it as a timestamped .bak
(a damaged one as .damaged.bak), so a restore can itself be undone.";

/// `cls doctor --help`
pub const DOCTOR: &str = "Examples:
  cls doctor
  cls doctor --json

Checks: config, diary file, integrity_check, schema version, permissions, write-ahead log,
age of the latest backup, future dates, impossible values, leftover temporary files.
Never changes anything. Exit status: 0 all ok, 1 a problem was found.";

/// `cls completions --help`
pub const COMPLETIONS: &str = "Examples:
  cls completions bash > ~/.local/share/bash-completion/completions/cls
  cls completions zsh > ~/.zfunc/_cls
  cls completions fish > ~/.config/fish/completions/cls.fish";

/// `cls demo --help`
pub const DEMO: &str = "Examples:
  cls demo --db /tmp/demo.sqlite3                 one year ending today, then try:
  cls check --db /tmp/demo.sqlite3
  cls check --backtest --db /tmp/demo.sqlite3
  cls demo --db /tmp/decade.sqlite3 --years 10    a decade, e.g. for timing
  cls demo --db /tmp/month.sqlite3 --days 30 --seed 7 --end 2026-06-30

The patient is invented: daily morning weight, blood pressure and pulse, an IVIG infusion
every 28 days, colds, and about two attacks a year (prodrome, leak, recovery), each recorded
as an episode. The same --seed always gives the same diary. Refuses to write into a file
that already exists; without --db it writes your default diary only if you have none yet.";

/// `cls remind install --help`
pub const REMIND_INSTALL: &str = "Examples:
  cls remind install                 ~/.config/systemd/user/cls-remind.{timer,service}, 08:30
  cls remind install --at 07:45
  cls remind install --cron          print a crontab line instead of writing files
  (crontab -l; cls remind install --cron) | crontab -

Then turn it on yourself:
  systemctl --user daemon-reload
  systemctl --user enable --now cls-remind.timer";

/// `cls remind uninstall --help`
pub const REMIND_UNINSTALL: &str = "Examples:
  systemctl --user disable --now cls-remind.timer   first, if you enabled it
  cls remind uninstall";

/// `cls hooks test --help`
pub const HOOKS_TEST: &str = "Examples:
  cls hooks test
  cls hooks test --level warning";

/// `cls episode start --help`
pub const EPISODE_START: &str = "Examples:
  cls episode start
  cls episode start --date yesterday --hospitalized --note \"ER, 3 L albumin\"";

/// `cls episode end --help`
pub const EPISODE_END: &str = "Examples:
  cls episode end
  cls episode end --date yesterday
  cls episode end --id 3 --date 2026-03-14";

/// `cls episode list --help`
pub const EPISODE_LIST: &str = "Examples:
  cls episode list
  cls episode list --json";

/// `cls episode delete --help`
pub const EPISODE_DELETE: &str = "Examples:
  cls episode delete 3
  cls episode delete 3 --yes";

/// `cls rules tune --help`
pub const RULES_TUNE: &str = "Needs recorded episodes ('cls episode start'). Only W1, W3, P3's lowered W1, W4 \
and P2's count move, inside the tuning limits of docs/rules.md; every other threshold is your clinician's.

Columns: 'caught' = episodes with at least one day of warning before they started; 'lead' = days of \
warning lead summed over the episodes; 'watch/y', 'warning/y' = false-alarm days a year at watch, and at \
warning or above, outside 7 days before to 14 days after each episode.

Examples:
  cls rules tune
  cls rules tune --max-false-alarms 12
  cls rules tune --write            write row 1's thresholds into the config (asks first)
  cls rules tune --write 3 --yes";

/// `cls config init --help`
pub const CONFIG_INIT: &str = "Examples:
  cls config init
  cls config init --force       replace your config with the defaults";

/// `cls config show --help`
pub const CONFIG_SHOW: &str = "Examples:
  cls config show
  cls config show --json        {\"source\": \"...\", \"exists\": true, \"config\": {...}}";

/// `cls config path --help`
pub const CONFIG_PATH: &str = "Examples:
  cls config path
  $EDITOR \"$(cls config path)\"";

/// `cls man`
pub const MAN: &str = "Examples:
  mkdir -p ~/.local/share/man/man1
  cls man > ~/.local/share/man/man1/cls.1      then: man cls
  cls man log | man -l -                        one subcommand's page";
