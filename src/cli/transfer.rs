//! The arguments of `cls export` and `cls import`: formats, date range,
//! device exports and encryption.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{DecryptArgs, EncryptArgs};

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
