//! The browser suite: the built web app against the real server with the demo organization,
//! driven in Debian's headless Chromium through chromedriver.
//!
//! It needs `frontend/dist` (`make frontend`), `/usr/bin/chromium` and `chromedriver`.
//! When one is missing the suite reports what and passes, unless `DEALBOOK_BROWSER_TESTS`
//! is `required`, as `make test` sets it, where it fails. Each step saves a screenshot under
//! `target/browser-screenshots/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod dashboard;
mod driver;
mod steps;

use std::path::{Path, PathBuf};

use dealbook_tests::{Backend, TestApp, sample_dir};

use driver::{Browser, ChromeDriver};

/// The demo owner's password in this suite.
pub const DEMO_PASSWORD: &str = "demo password for the browser suite";

/// Returns the built web app's folder.
fn dist_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist")
}

/// Returns the folder for screenshots, inside the cargo target folder.
fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("browser-screenshots")
}

/// Lists what the suite needs and cannot find.
fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    if !dist_dir().join("index.html").is_file() {
        missing.push("frontend/dist/index.html: run `make frontend`".to_owned());
    }
    if !Path::new(driver::CHROMIUM).is_file() {
        missing.push(format!(
            "{}: run `apt-get install chromium chromium-driver`",
            driver::CHROMIUM
        ));
    }
    if driver::chromedriver_path().is_none() {
        missing.push("chromedriver: run `apt-get install chromium-driver`".to_owned());
    }
    missing
}

/// Starts the server on a fresh SQLite database with the demo organization loaded and the
/// built app served at `/`.
async fn start_server() -> TestApp {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.static_dir = dist_dir();
    })
    .await;
    let hash = dealbook_http::tokens::hash_password(DEMO_PASSWORD).unwrap();
    dealbook::demo::load(&app.db, &sample_dir(), Some(hash))
        .await
        .unwrap();
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_app_scenario() {
    let missing = missing_prerequisites();
    if !missing.is_empty() {
        let required =
            std::env::var("DEALBOOK_BROWSER_TESTS").is_ok_and(|value| value == "required");
        assert!(
            !required,
            "the browser suite cannot run: {}",
            missing.join("; ")
        );
        eprintln!("browser suite skipped, missing: {}", missing.join("; "));
        return;
    }
    let app = start_server().await;
    let chromedriver = ChromeDriver::start().await;
    let browser = Browser::open(&chromedriver, &app.base_url, screenshot_dir()).await;

    let outcome = steps::run(&browser, &app).await;
    // The session ends before the assertions fail, so no Chromium process is left behind.
    browser.close().await;
    drop(chromedriver);
    if let Err(message) = outcome {
        panic!("{message}");
    }
}
