//! The `dealbook` command: serve the API, migrate the database, load the demo data, or print
//! the OpenAPI document.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use dealbook::settings::Settings;
use dealbook::startup::{Application, connect_and_migrate};
use dealbook::{demo, telemetry};
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

#[derive(Parser)]
#[command(
    name = "dealbook",
    version,
    about = "Sales project management: the Dealbook server"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and web app (the default). Loads the demo data into an empty database.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the sample data into the demo organization, creating it when missing.
    Demo,
    /// Print the OpenAPI document as JSON.
    Openapi,
}

/// File that keeps a generated demo password, so that later starts can print it again.
const DEMO_PASSWORD_FILE: &str = "data/.demo-password";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return print_openapi();
    }
    let settings = Settings::load()?;
    telemetry::init(settings.log_format);
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            connect_and_migrate(&settings).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Demo => {
            let db = connect_and_migrate(&settings).await?;
            load_demo(&db, &settings).await
        }
        Command::Openapi => Ok(()),
    }
}

#[expect(clippy::print_stdout, reason = "the command's output is the document")]
fn print_openapi() -> anyhow::Result<()> {
    let document = dealbook_http::openapi_document();
    println!("{}", document.to_pretty_json()?);
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let db = connect_and_migrate(&settings).await?;
    if settings.demo_on_empty && demo::is_empty(&db).await? {
        load_demo(&db, &settings).await?;
    }
    let listener = std::net::TcpListener::bind(&settings.bind)
        .with_context(|| format!("cannot listen on {} (DEALBOOK_BIND)", settings.bind))?;
    let url = format!("http://{}", listener.local_addr()?);
    let application = Application::with_listener(settings.clone(), db, listener)?;
    announce(&url, &settings);
    application.run_until_stopped().await?;
    Ok(())
}

/// Prints where to sign in, with the demo password when it is known.
#[expect(
    clippy::print_stdout,
    reason = "the sign-in details are for the person who started the server"
)]
fn announce(url: &str, settings: &Settings) {
    println!("Dealbook is serving {url} (API docs at {url}/api/docs)");
    let password = settings
        .demo_password
        .as_ref()
        .map(|password| password.expose_secret().to_owned())
        .or_else(|| std::fs::read_to_string(DEMO_PASSWORD_FILE).ok())
        .map(|password| password.trim().to_owned());
    if let Some(password) = password {
        println!("Demo sign-in: {} / {password}", demo::DEMO_EMAIL);
    }
}

/// Loads the demo data. Without `DEALBOOK_DEMO_PASSWORD`, a new organization gets a generated
/// password, stored in `data/.demo-password` for later starts.
async fn load_demo(
    db: &persistence::DatabaseConnection,
    settings: &Settings,
) -> anyhow::Result<()> {
    let password = match &settings.demo_password {
        Some(password) => Some(password.clone()),
        None if demo::is_empty(db).await? => {
            let generated = generate_password();
            let path = PathBuf::from(DEMO_PASSWORD_FILE);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, generated.expose_secret())
                .with_context(|| format!("cannot write {}", path.display()))?;
            Some(generated)
        }
        None => None,
    };
    let password_hash = match password {
        Some(password) => Some(dealbook_http::tokens::hash_password(
            password.expose_secret(),
        )?),
        None => None,
    };
    let summary = demo::load(db, &settings.sample_dir, password_hash).await?;
    tracing::info!(
        org_id = %summary.org_id,
        deals_inserted = summary.deals_inserted,
        deals_total = summary.deals_total,
        "demo organization loaded"
    );
    Ok(())
}

fn generate_password() -> SecretString {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let password: String = (0..16)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    SecretString::from(password)
}
