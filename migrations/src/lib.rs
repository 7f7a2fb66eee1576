//! Database schema migrations, run at start-up and by `dealbook migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261204_000001_core;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261204_000001_core::Migration)]
    }
}
