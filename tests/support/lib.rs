//! Test support: starts the real `dealbook` server on a random loopback port with a fresh
//! SQLite or PostgreSQL database, and a small HTTP client for the API.
//!
//! PostgreSQL is reached through `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test creates its own database there
//! and drops it when the test ends.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support panics on setup failure"
)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dealbook::settings::{LogFormat, Settings};
use dealbook::startup::{Application, connect_and_migrate};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use uuid::Uuid;

/// The database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running server with its own database.
pub struct TestApp {
    pub base_url: String,
    pub backend: Backend,
    pub client: reqwest::Client,
    pub db: persistence::DatabaseConnection,
    /// Number of SQL statements the server has run so far.
    pub statements: Arc<AtomicUsize>,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Replaces the database name at the end of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let prefix = base
        .rsplit_once('/')
        .map(|(prefix, _)| prefix)
        .unwrap_or(base);
    format!("{prefix}/{name}{query}")
}

async fn create_database(backend: Backend) -> (String, Cleanup) {
    let unique = Uuid::now_v7().simple().to_string();
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("dealbook-test-{unique}.sqlite"));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            (url, Cleanup::SqliteFile(path))
        }
        Backend::Postgres => {
            let admin_url = admin_url();
            let name = format!("dealbook_test_{unique}");
            let admin = Database::connect(admin_url.as_str())
                .await
                .expect("PostgreSQL must be reachable at TEST_DATABASE_URL or 127.0.0.1:5432");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("cannot create the test database");
            admin.close().await.ok();
            (
                with_database(&admin_url, &name),
                Cleanup::PostgresDatabase { admin_url, name },
            )
        }
    }
}

/// Settings for a test server: fixed token key, no demo data, one worker.
pub fn test_settings(database_url: &str) -> Settings {
    Settings {
        bind: "127.0.0.1:0".to_owned(),
        database_url: SecretString::from(database_url.to_owned()),
        database_max_connections: 5,
        jwt_secret: Some(SecretString::from(
            "test-secret-with-enough-length-0123456789",
        )),
        demo_on_empty: false,
        log_format: LogFormat::Text,
        workers: 1,
        static_dir: PathBuf::from("/nonexistent"),
        sample_dir: sample_dir(),
        ..Settings::default()
    }
}

/// Returns the folder of the sample CSV files in this repository.
pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/sample")
}

impl TestApp {
    /// Starts a server on a fresh database of `backend`.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server after letting `adjust` change its settings.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let (url, cleanup) = create_database(backend).await;
        let mut settings = test_settings(&url);
        adjust(&mut settings);
        let mut db = connect_and_migrate(&settings)
            .await
            .expect("migrations must apply");
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&statements);
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a loopback port");
        let application = Application::with_listener(settings, db.clone(), listener)
            .expect("the server must build");
        let base_url = format!("http://127.0.0.1:{}", application.port());
        tokio::spawn(application.run_until_stopped());
        TestApp {
            base_url,
            backend,
            client: reqwest::Client::new(),
            db,
            statements,
            cleanup,
        }
    }

    /// Counts the SQL statements that `request` makes the server run.
    pub async fn count_statements<F: std::future::Future>(&self, request: F) -> (usize, F::Output) {
        let before = self.statements.load(Ordering::SeqCst);
        let output = request.await;
        (self.statements.load(Ordering::SeqCst) - before, output)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base_url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the server must answer")
    }

    /// Signs up a new organization and returns its owner's session.
    pub async fn signup(&self, organization: &str) -> Session<'_> {
        let email = format!("owner-{}@example.com", Uuid::now_v7().simple());
        let body = json!({
            "organization_name": organization,
            "name": format!("Owner of {organization}"),
            "email": email,
            "password": PASSWORD,
        });
        let response = self
            .request(Method::POST, "/api/v1/auth/signup", None, Some(&body))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "sign-up failed");
        let tokens: Value = response.json().await.expect("sign-up returns JSON");
        Session::from_tokens(self, &tokens, email)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let admin_url = admin_url.clone();
                let name = name.clone();
                // The test's runtime is ending, so the drop runs on a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(runtime) = runtime {
                        runtime.block_on(async move {
                            if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                                let sql =
                                    format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                                let _ = admin.execute_unprepared(&sql).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// A signed-in member and the server they talk to.
pub struct Session<'a> {
    pub app: &'a TestApp,
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub email: String,
}

impl<'a> Session<'a> {
    /// Builds a session from a token response.
    pub fn from_tokens(app: &'a TestApp, tokens: &Value, email: String) -> Session<'a> {
        let text = |key: &str| tokens[key].as_str().unwrap_or_default().to_owned();
        Session {
            app,
            access_token: text("access_token"),
            refresh_token: text("refresh_token"),
            user_id: text("user_id").parse().unwrap_or_default(),
            org_id: text("organization_id").parse().unwrap_or_default(),
            email,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.app
            .request(Method::GET, path, Some(&self.access_token), None)
            .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.app
            .request(Method::POST, path, Some(&self.access_token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.app
            .request(Method::PATCH, path, Some(&self.access_token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.app
            .request(Method::DELETE, path, Some(&self.access_token), None)
            .await
    }

    /// Sends a request with extra headers, such as `If-Match` or `Idempotency-Key`.
    pub async fn send_with_headers(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self
            .app
            .client
            .request(method, format!("{}{path}", self.app.base_url))
            .bearer_auth(&self.access_token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("the server must answer")
    }

    /// POSTs and returns the created record, failing the test unless the status is 201.
    pub async fn create(&self, path: &str, body: &Value) -> Value {
        let response = self.post(path, body).await;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::CREATED, "POST {path} failed: {text}");
        serde_json::from_str(&text).expect("a created record is JSON")
    }

    /// GETs and returns the JSON body, failing the test unless the status is 200.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, StatusCode::OK, "GET {path} failed: {text}");
        serde_json::from_str(&text).expect("a response body is JSON")
    }
}

/// Reads a response as `(status, JSON body)`; a body that is not JSON becomes `Null`.
pub async fn status_and_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts that a response is problem+json with `status` and `code`, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    let actual_status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual_status, status, "unexpected status, body: {body}");
    assert_eq!(content_type, "application/problem+json", "body: {body}");
    assert_eq!(body["code"], code, "unexpected problem code, body: {body}");
    assert_eq!(body["status"], status.as_u16(), "body: {body}");
    body
}

/// Defines a test that runs once against SQLite and once against PostgreSQL. The body is an
/// async function taking `&TestApp`.
#[macro_export]
macro_rules! api_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await;
                super::$name(&app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::spawn($crate::Backend::Postgres).await;
                super::$name(&app).await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_database_replaces_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
