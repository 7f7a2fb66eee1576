//! The `dealbook` server: settings, telemetry, start-up and the demo data loader.

pub mod demo;
pub mod settings;
pub mod startup;
pub mod telemetry;

pub use settings::Settings;
pub use startup::Application;
