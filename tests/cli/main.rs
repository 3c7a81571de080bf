//! The one integration-test binary for `cls` (style.md): every module below
//! drives the real binary through the harness in `support`.

mod support; // TestEnv: temp HOME, diary and config, cleared env, fixed clock

mod config;
mod entries;
mod episode;
mod help;
mod log; // cls log: every flag, date forms, every bad value // cls list/show/edit/delete, check on an empty diary, closed pipes // config init/show/path, broken configs, paths and precedence // --help for every subcommand, exit codes, version, completions // cls episode start/end/list/delete
