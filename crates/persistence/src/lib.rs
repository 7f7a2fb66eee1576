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
pub use sea_orm::{DatabaseConnection, DbBackend};

use sea_orm::{ConnectOptions, Database};
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
    options.max_connections(max_connections).sqlx_logging(false);
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .await?;
    }
    Ok(db)
}

/// Applies every pending schema migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), RepoError> {
    run_migrations(db).await?;
    Ok(())
}
