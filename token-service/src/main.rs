//! `acs-token-service`: the trusted token service as a binary. See the crate's README for
//! the settings; `--dev` runs it with no configuration.

use acs_token_service::{
    server::{init_logging, run},
    settings::Settings,
};
use clap::Parser;
use std::{path::PathBuf, process::ExitCode};

/// The trusted token service for Azure Communication Services.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// A TOML file of settings (keys: the environment names in lower case without the
    /// ACS_TOKEN_SERVICE_ or COMMUNICATION_SERVICES_ prefix); the environment overrides it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run with no configuration: the in-process emulator, a generated signing key, SQLite
    /// in a temp dir; prints a demo bearer token and a curl line. For trying it only.
    #[arg(long)]
    dev: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let settings = match Settings::load(args.config.as_deref(), |name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("acs-token-service: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(settings.log_format);
    match run(settings, args.dev).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("acs-token-service: {e}");
            ExitCode::FAILURE
        }
    }
}
