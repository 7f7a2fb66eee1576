//! chromedriver and a headless Chromium session with the helpers the steps use.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long a step waits for the page to reach the state it expects.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a waiting step checks the page again.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Finds `chromedriver` on the `PATH`.
pub fn chromedriver_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver process on a free loopback port, killed when dropped.
pub struct ChromeDriver {
    child: Child,
    pub url: String,
}

impl ChromeDriver {
    /// Starts chromedriver and waits until it accepts sessions. Without `--allowed-ips` it
    /// listens on the loopback addresses only.
    pub async fn start() -> ChromeDriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let program = chromedriver_path().expect("chromedriver on the PATH");
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let status = client.get(format!("{}/status", driver.url)).send().await;
            if status.is_ok_and(|response| response.status().is_success()) {
                return driver;
            }
            assert!(
                started.elapsed() < STEP_TIMEOUT,
                "chromedriver did not answer on {} within {STEP_TIMEOUT:?}",
                driver.url
            );
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session on the app under test.
pub struct Browser {
    driver: WebDriver,
    base_url: String,
    screenshots: PathBuf,
    profile: PathBuf,
}

/// The result of a step: `Err` carries the message the test fails with.
pub type StepResult<T = ()> = Result<T, String>;

/// Adds what was being done to a WebDriver error.
pub fn context<T>(result: WebDriverResult<T>, doing: &str) -> StepResult<T> {
    result.map_err(|error| format!("{doing}: {error}"))
}

impl Browser {
    /// Opens a session with a fresh profile at 1440 by 900 pixels. Host names other than
    /// 127.0.0.1 resolve to nothing, so the app cannot reach another host unnoticed.
    pub async fn open(
        chromedriver: &ChromeDriver,
        base_url: &str,
        screenshots: PathBuf,
    ) -> Browser {
        let profile =
            std::env::temp_dir().join(format!("dealbook-chromium-{}", uuid::Uuid::now_v7()));
        // Screenshots of an earlier run would look like this run's.
        let _ = std::fs::remove_dir_all(&screenshots);
        std::fs::create_dir_all(&screenshots).expect("the screenshot folder can be created");
        let mut capabilities = DesiredCapabilities::chrome();
        capabilities
            .set_binary(CHROMIUM)
            .expect("binary capability");
        let arguments = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--window-size=1440,900".to_owned(),
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        for argument in &arguments {
            capabilities.add_arg(argument).expect("argument capability");
        }
        let driver = WebDriver::new(&chromedriver.url, capabilities)
            .await
            .expect("chromedriver starts a Chromium session");
        Browser {
            driver,
            base_url: base_url.to_owned(),
            screenshots,
            profile,
        }
    }

    /// Ends the session and deletes the profile.
    pub async fn close(self) {
        let _ = self.driver.quit().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    pub async fn goto(&self, path: &str) -> StepResult {
        let url = format!("{}{path}", self.base_url);
        context(self.driver.goto(url.as_str()).await, &format!("open {url}"))
    }

    pub async fn refresh(&self) -> StepResult {
        context(self.driver.refresh().await, "reload the page")
    }

    pub async fn resize(&self, width: u32, height: u32) -> StepResult {
        context(
            self.driver.set_window_rect(0, 0, width, height).await,
            &format!("resize the window to {width}x{height}"),
        )
    }

    /// Saves a PNG screenshot named `name` in the screenshot folder.
    pub async fn screenshot(&self, name: &str) -> StepResult {
        let path = self.screenshots.join(format!("{name}.png"));
        context(
            self.driver.screenshot(&path).await,
            &format!("save {}", path.display()),
        )
    }

    /// Saves a PNG screenshot of the element matching `css`, scrolled into view, named
    /// `name` in the screenshot folder.
    pub async fn screenshot_element(&self, css: &str, name: &str) -> StepResult {
        let element = self.find(css).await?;
        context(
            element.scroll_into_view().await,
            &format!("scroll {css} into view"),
        )?;
        let path = self.screenshots.join(format!("{name}.png"));
        context(
            element.screenshot(&path).await,
            &format!("save {} of {css}", path.display()),
        )
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn run(&self, script: &str, arguments: Vec<Value>) -> StepResult<Value> {
        let result = self.driver.execute(script, arguments).await;
        Ok(context(result, "run a script in the page")?.json().clone())
    }

    /// Runs `script` until it returns something other than `null`, `false` or `undefined`,
    /// and returns that. Fails after the step timeout with `waiting_for` in the message,
    /// together with the last value of `probe`, a script that shows the page's state.
    pub async fn wait_for(
        &self,
        waiting_for: &str,
        script: &str,
        arguments: Vec<Value>,
        probe: &str,
    ) -> StepResult<Value> {
        let started = Instant::now();
        // The page re-renders while the script polls it, so an element the script reads can
        // be missing for a moment. A script error counts as "not yet" until the time is up.
        let mut last_error = None;
        loop {
            match self.run(script, arguments.clone()).await {
                Ok(Value::Null | Value::Bool(false)) => {}
                Ok(value) => return Ok(value),
                Err(error) => last_error = Some(error),
            }
            if started.elapsed() > STEP_TIMEOUT {
                let state = self.run(probe, Vec::new()).await.unwrap_or_default();
                let error = last_error
                    .map(|error| format!("; the last check failed with {error}"))
                    .unwrap_or_default();
                return Err(format!(
                    "timed out after {STEP_TIMEOUT:?} waiting for {waiting_for}; the page shows {state}{error}"
                ));
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    pub async fn find(&self, css: &str) -> StepResult<WebElement> {
        context(self.driver.find(By::Css(css)).await, &format!("find {css}"))
    }

    pub async fn click(&self, css: &str) -> StepResult {
        let element = self.find(css).await?;
        context(element.click().await, &format!("click {css}"))
    }

    pub async fn type_text(&self, css: &str, text: &str) -> StepResult {
        let element = self.find(css).await?;
        context(element.send_keys(text).await, &format!("type into {css}"))
    }

    /// Chooses the option with `value` in a `<select>`, as a user would.
    pub async fn select(&self, css: &str, value: &str) -> StepResult {
        let element = self.find(css).await?;
        let select = context(SelectElement::new(&element).await, &format!("read {css}"))?;
        context(
            select.select_by_value(value).await,
            &format!("choose {value} in {css}"),
        )
    }
}
