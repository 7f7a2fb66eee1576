//! Building and running the HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::HttpServer;
use actix_web::dev::Server;
use anyhow::Context;
use dealbook_http::AppState;
use persistence::DatabaseConnection;
use rand::RngCore;
use secrecy::ExposeSecret;

use crate::{Settings, telemetry};

/// A bound, migrated server that has not started serving yet.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
}

/// Connects to the database of `settings` and applies pending migrations. With `log_sql`
/// on, every statement from here on is logged, the migrations' included.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database_url.expose_secret();
    ensure_sqlite_folder(url)?;
    let mut db = persistence::connect(url, settings.database_max_connections)
        .await
        .context("cannot connect to the database named by DATABASE_URL")?;
    if settings.log_sql {
        tracing::warn!(
            target: telemetry::SQL_TARGET,
            "DEALBOOK_LOG_SQL is on: every SQL statement is logged with its values, password and token hashes included"
        );
        // Clones of the connection share this callback, so set it before the pool is
        // handed to the application state.
        db.set_metric_callback(telemetry::log_statement);
    }
    persistence::migrate(&db)
        .await
        .context("cannot apply the database migrations")?;
    Ok(db)
}

/// Creates the parent folder of a SQLite database file, so the default `./data/` works on a
/// fresh clone.
fn ensure_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return Ok(());
    };
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }
    Ok(())
}

fn jwt_secret(settings: &Settings) -> Vec<u8> {
    match &settings.jwt_secret {
        Some(secret) => secret.expose_secret().as_bytes().to_vec(),
        None => {
            tracing::warn!(
                "DEALBOOK_JWT_SECRET is unset: using a random key, so access tokens end when the server restarts"
            );
            let mut key = vec![0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            key
        }
    }
}

impl Application {
    /// Connects, migrates, binds the listen address and prepares the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = connect_and_migrate(&settings).await?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {} (DEALBOOK_BIND)", settings.bind))?;
        Application::with_listener(settings, db, listener)
    }

    /// Prepares the server on an already bound listener and connected database.
    pub fn with_listener(
        settings: Settings,
        db: DatabaseConnection,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let state = AppState::new(
            db.clone(),
            &jwt_secret(&settings),
            settings.access_token_ttl_seconds,
            settings.refresh_token_ttl_seconds,
        )
        .context("cannot build the token keys")?;
        let static_dir = Some(settings.static_dir.clone());
        let mut server =
            HttpServer::new(move || dealbook_http::build_app(state.clone(), static_dir.clone()))
                .shutdown_timeout(settings.shutdown_timeout_seconds)
                .client_request_timeout(Duration::from_secs(30));
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application { port, server, db })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until SIGINT or SIGTERM, then lets in-flight requests finish. Meanwhile takes
    /// each organization's daily forecast snapshot, checking every hour.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(port = self.port, "server started");
        let snapshots = tokio::spawn(take_daily_snapshots(self.db.clone()));
        let result = self.server.await;
        snapshots.abort();
        tracing::info!("server stopped");
        result
    }
}

/// Takes the forecast snapshots of the day for organizations that lack one, every hour.
async fn take_daily_snapshots(db: DatabaseConnection) {
    let mut ticks = tokio::time::interval(Duration::from_secs(3600));
    loop {
        ticks.tick().await;
        match persistence::repo::forecast_snapshots::take_daily(&db).await {
            Ok(0) => {}
            Ok(taken) => tracing::info!(taken, "took the daily forecast snapshots"),
            Err(error) => tracing::warn!(%error, "taking the daily forecast snapshots failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_folder_is_created() {
        let dir = std::env::temp_dir().join(format!("dealbook-startup-{}", std::process::id()));
        let url = format!("sqlite://{}/nested/db.sqlite?mode=rwc", dir.display());
        assert!(ensure_sqlite_folder(&url).is_ok());
        assert!(dir.join("nested").is_dir());
    }
}
