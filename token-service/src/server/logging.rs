//! Logs through `tracing`, as text or JSON lines on stderr (stdout carries `LISTENING`).

use crate::settings::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber: the level from `RUST_LOG` (default `info`).
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
