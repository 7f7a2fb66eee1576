//! Storage of Dealbook's records on SQLite or PostgreSQL through sea-orm.
//!
//! Every repository function takes a [`Scope`](domain::Scope) and applies the organization and
//! visibility filter inside its query, so no caller filters rows afterwards.

pub mod changes;
pub mod entities;
mod error;
pub mod list;
pub mod repo;
pub mod tenant;

pub use error::{FieldError, RepoError};
pub use sea_orm::{DatabaseConnection, DbBackend, SqlErr};

use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    ConnectOptions, Database, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use sea_orm_migration_runner::run_migrations;

mod sea_orm_migration_runner {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{DatabaseConnection, DbErr};

    /// Applies every pending schema migration.
    pub async fn run_migrations(db: &DatabaseConnection) -> Result<(), DbErr> {
        Migrator::up(db, None).await
    }
}

/// Opens a connection pool to `url` (`sqlite://…` or `postgres://…`).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, RepoError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .sqlx_logging(false)
        // Every pooled SQLite connection waits for a busy writer instead of failing at once,
        // and WAL lets readers go on while one connection writes.
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .busy_timeout(std::time::Duration::from_secs(10))
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
        });
    Ok(Database::connect(options).await?)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN
/// IMMEDIATE`, because a deferred transaction that reads first cannot wait for the lock when
/// it later writes, and fails with "database is locked" under concurrent writes.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Applies every pending schema migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), RepoError> {
    run_migrations(db).await?;
    Ok(())
}
