//! Database schema migrations, run at start-up and by `dealbook migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261204_000001_core;
mod m20261210_000001_campaigns_quotas;
mod m20261211_000001_unique_live_names;
mod m20261212_000001_unique_live_quotas;
mod m20261212_000002_forecast_snapshots;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261204_000001_core::Migration),
            Box::new(m20261210_000001_campaigns_quotas::Migration),
            Box::new(m20261211_000001_unique_live_names::Migration),
            Box::new(m20261212_000001_unique_live_quotas::Migration),
            Box::new(m20261212_000002_forecast_snapshots::Migration),
        ]
    }
}
