//! Typed settings, layered: built-in defaults, then an optional TOML file, then `DEALBOOK_*`
//! environment variables (and `DATABASE_URL`). Secrets are `SecretString`s, so they never reach
//! a log through `Debug`.

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

/// The file read when `DEALBOOK_CONFIG` names none and it exists.
pub const DEFAULT_CONFIG_FILE: &str = "dealbook.toml";

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid value {value:?} for {variable}: {expected}")]
    Invalid {
        variable: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// JSON when standard error is not a terminal, text otherwise.
    Auto,
    Json,
    Text,
}

/// Every setting of the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address the HTTP server listens on.
    pub bind: String,
    /// `sqlite://…` or `postgres://…`; may contain a password.
    pub database_url: SecretString,
    pub database_max_connections: u32,
    /// HMAC key for access tokens. When unset, a random key is made at start, so tokens
    /// stop working when the server restarts.
    pub jwt_secret: Option<SecretString>,
    pub access_token_ttl_seconds: u64,
    pub refresh_token_ttl_seconds: u64,
    /// Folder of the built web app, served at `/` when it holds an `index.html`.
    pub static_dir: PathBuf,
    /// Folder of the sample CSV files for the demo organization.
    pub sample_dir: PathBuf,
    /// Loads the demo organization when the database has no organization yet.
    pub demo_on_empty: bool,
    /// Password of the demo owner; generated and printed when unset.
    pub demo_password: Option<SecretString>,
    pub log_format: LogFormat,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Seconds that in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_seconds: u64,
    /// Logs every SQL statement with its parameter values inlined, for profiling. The log
    /// then contains every value the server reads or writes, password hashes included.
    pub log_sql: bool,
}

/// The settings a config file may set; each is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    database_url: Option<String>,
    database_max_connections: Option<u32>,
    jwt_secret: Option<String>,
    access_token_ttl_seconds: Option<u64>,
    refresh_token_ttl_seconds: Option<u64>,
    static_dir: Option<PathBuf>,
    sample_dir: Option<PathBuf>,
    demo_on_empty: Option<bool>,
    demo_password: Option<String>,
    log_format: Option<LogFormat>,
    workers: Option<usize>,
    shutdown_timeout_seconds: Option<u64>,
    log_sql: Option<bool>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".to_owned(),
            database_url: SecretString::from("sqlite://data/dealbook.sqlite?mode=rwc"),
            database_max_connections: 10,
            jwt_secret: None,
            access_token_ttl_seconds: 900,
            refresh_token_ttl_seconds: 30 * 24 * 3600,
            static_dir: PathBuf::from("frontend/dist"),
            sample_dir: PathBuf::from("data/sample"),
            demo_on_empty: true,
            demo_password: None,
            log_format: LogFormat::Auto,
            workers: 0,
            shutdown_timeout_seconds: 30,
            log_sql: false,
        }
    }
}

impl Settings {
    /// Loads the settings from the defaults, the config file and the process environment.
    pub fn load() -> Result<Settings, SettingsError> {
        let lookup = |name: &str| std::env::var(name).ok();
        let file = match lookup("DEALBOOK_CONFIG") {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|path| path.is_file()),
        };
        Settings::from_sources(file.as_deref(), lookup)
    }

    /// Builds settings from an optional config file and an environment lookup.
    pub fn from_sources(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, SettingsError> {
        let mut settings = Settings::default();
        if let Some(path) = file {
            settings.apply_file(read_file(path)?);
        }
        settings.apply_env(env)?;
        Ok(settings)
    }

    fn apply_file(&mut self, file: FileSettings) {
        let FileSettings {
            bind,
            database_url,
            database_max_connections,
            jwt_secret,
            access_token_ttl_seconds,
            refresh_token_ttl_seconds,
            static_dir,
            sample_dir,
            demo_on_empty,
            demo_password,
            log_format,
            workers,
            shutdown_timeout_seconds,
            log_sql,
        } = file;
        replace(&mut self.bind, bind);
        replace(&mut self.database_url, database_url.map(SecretString::from));
        replace(&mut self.database_max_connections, database_max_connections);
        replace(&mut self.access_token_ttl_seconds, access_token_ttl_seconds);
        replace(
            &mut self.refresh_token_ttl_seconds,
            refresh_token_ttl_seconds,
        );
        replace(&mut self.static_dir, static_dir);
        replace(&mut self.sample_dir, sample_dir);
        replace(&mut self.demo_on_empty, demo_on_empty);
        replace(&mut self.log_format, log_format);
        replace(&mut self.workers, workers);
        replace(&mut self.shutdown_timeout_seconds, shutdown_timeout_seconds);
        replace(&mut self.log_sql, log_sql);
        if jwt_secret.is_some() {
            self.jwt_secret = jwt_secret.map(SecretString::from);
        }
        if demo_password.is_some() {
            self.demo_password = demo_password.map(SecretString::from);
        }
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        let text = |name: &str| env(name).filter(|value| !value.is_empty());
        replace(&mut self.bind, text("DEALBOOK_BIND"));
        replace(
            &mut self.database_url,
            text("DATABASE_URL").map(SecretString::from),
        );
        replace(
            &mut self.static_dir,
            text("DEALBOOK_STATIC_DIR").map(PathBuf::from),
        );
        replace(
            &mut self.sample_dir,
            text("DEALBOOK_SAMPLE_DIR").map(PathBuf::from),
        );
        if let Some(secret) = text("DEALBOOK_JWT_SECRET") {
            self.jwt_secret = Some(SecretString::from(secret));
        }
        if let Some(password) = text("DEALBOOK_DEMO_PASSWORD") {
            self.demo_password = Some(SecretString::from(password));
        }
        replace(
            &mut self.database_max_connections,
            parse(
                &text,
                "DEALBOOK_DATABASE_MAX_CONNECTIONS",
                "a whole number of connections",
            )?,
        );
        replace(
            &mut self.access_token_ttl_seconds,
            parse(
                &text,
                "DEALBOOK_ACCESS_TOKEN_TTL_SECONDS",
                "a whole number of seconds",
            )?,
        );
        replace(
            &mut self.refresh_token_ttl_seconds,
            parse(
                &text,
                "DEALBOOK_REFRESH_TOKEN_TTL_SECONDS",
                "a whole number of seconds",
            )?,
        );
        replace(
            &mut self.workers,
            parse(&text, "DEALBOOK_WORKERS", "a whole number of threads")?,
        );
        replace(
            &mut self.shutdown_timeout_seconds,
            parse(
                &text,
                "DEALBOOK_SHUTDOWN_TIMEOUT_SECONDS",
                "a whole number of seconds",
            )?,
        );
        replace(
            &mut self.demo_on_empty,
            parse(&text, "DEALBOOK_DEMO_ON_EMPTY", "true or false")?,
        );
        replace(
            &mut self.log_sql,
            parse(&text, "DEALBOOK_LOG_SQL", "true or false")?,
        );
        if let Some(format) = text("DEALBOOK_LOG_FORMAT") {
            self.log_format = match format.as_str() {
                "auto" => LogFormat::Auto,
                "json" => LogFormat::Json,
                "text" => LogFormat::Text,
                _ => {
                    return Err(SettingsError::Invalid {
                        variable: "DEALBOOK_LOG_FORMAT",
                        value: format,
                        expected: "auto, json or text",
                    });
                }
            };
        }
        Ok(())
    }
}

fn replace<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

fn parse<T: std::str::FromStr>(
    text: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    expected: &'static str,
) -> Result<Option<T>, SettingsError> {
    let Some(value) = text(variable) else {
        return Ok(None);
    };
    value
        .trim()
        .parse()
        .map(Some)
        .map_err(|_| SettingsError::Invalid {
            variable,
            value,
            expected,
        })
}

fn read_file(path: &Path) -> Result<FileSettings, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| SettingsError::Parse {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_apply_without_sources() {
        let Ok(settings) = Settings::from_sources(None, env(&[])) else {
            panic!("defaults must load");
        };
        assert_eq!(settings.bind, "127.0.0.1:8080");
        assert!(
            settings
                .database_url
                .expose_secret()
                .starts_with("sqlite://")
        );
    }

    #[test]
    fn environment_overrides_file() {
        let dir = std::env::temp_dir().join(format!("dealbook-settings-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("dealbook.toml");
        let _ = std::fs::write(&path, "bind = \"127.0.0.1:9000\"\nworkers = 3\n");
        let settings =
            Settings::from_sources(Some(&path), env(&[("DEALBOOK_BIND", "127.0.0.1:9100")]));
        let Ok(settings) = settings else {
            panic!("settings must load");
        };
        assert_eq!(settings.bind, "127.0.0.1:9100");
        assert_eq!(settings.workers, 3);
    }

    #[test]
    fn invalid_number_names_variable() {
        let result = Settings::from_sources(None, env(&[("DEALBOOK_WORKERS", "many")]));
        let Err(error) = result else {
            panic!("a bad number must fail");
        };
        assert!(error.to_string().contains("DEALBOOK_WORKERS"));
    }

    #[test]
    fn log_sql_reads_environment() {
        let Ok(settings) = Settings::from_sources(None, env(&[])) else {
            panic!("defaults must load");
        };
        assert!(!settings.log_sql);
        let Ok(settings) = Settings::from_sources(None, env(&[("DEALBOOK_LOG_SQL", "true")]))
        else {
            panic!("DEALBOOK_LOG_SQL=true must load");
        };
        assert!(settings.log_sql);
        let result = Settings::from_sources(None, env(&[("DEALBOOK_LOG_SQL", "yes")]));
        assert!(result.is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let settings =
            Settings::from_sources(None, env(&[("DEALBOOK_JWT_SECRET", "hunter2-secret")]));
        let Ok(settings) = settings else {
            panic!("settings must load");
        };
        assert!(!format!("{settings:?}").contains("hunter2-secret"));
    }
}
