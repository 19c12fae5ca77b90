//! `acs-identity`: the Azure Communication Services Identity service from the command line.
//! See the crate's README for the commands, authentication, outputs and exit codes.

mod args;
mod client;
mod commands;
mod decode;
mod duration;
mod error;
mod output;
mod scope;
mod time;
mod verbose;

use args::{Cli, Output};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Usage errors exit 2 here, as clap does; --help and --version exit 0.
    let cli = Cli::parse();
    let output = cli.global.output;
    // One request per process: a current-thread runtime starts fastest, and the async
    // client on it needs no thread of its own (the blocking client would start one).
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| error::CliError::other(format!("could not start the async runtime: {e}")))
        .and_then(|runtime| runtime.block_on(commands::run(&cli.global, cli.command)));
    match result {
        Ok(report) => {
            report.print(output);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("acs-identity: error: {err}");
            if output == Output::Json {
                println!("{}", err.to_json());
            }
            ExitCode::from(err.failure.exit_code())
        }
    }
}
