//! Logging through `tracing`: JSON lines when standard error is not a terminal.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::settings::LogFormat;

/// The filter used when `RUST_LOG` is unset.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,actix_server=warn";

/// Installs the global subscriber. Calling it twice keeps the first.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let result = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
    // A second call finds the subscriber already set, which is fine.
    drop(result);
}

/// The `tracing` target of the statement log that `DEALBOOK_LOG_SQL` turns on.
pub const SQL_TARGET: &str = "dealbook::sql";

/// Logs one executed SQL statement with its parameter values inlined, its duration and
/// whether it failed. Installed as the connection's metric callback, so it runs only when
/// `DEALBOOK_LOG_SQL` is on.
pub fn log_statement(info: &sea_orm::metric::Info<'_>) {
    tracing::info!(
        target: SQL_TARGET,
        elapsed_ms = info.elapsed.as_secs_f64() * 1000.0,
        failed = info.failed,
        statement = %info.statement,
        "sql statement"
    );
}
