//! Unique indexes on the names that must not repeat among live rows: team and pipeline names
//! ignoring case, and product SKUs. The repositories check these names first so that a
//! client gets a precise error; the indexes close the gap between that check and the insert
//! when two requests race. Both SQLite and PostgreSQL accept this partial, expression-based
//! form.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000001_unique_live_names"
    }
}

const INDEXES: [(&str, &str); 3] = [
    (
        "teams_org_live_name",
        "CREATE UNIQUE INDEX IF NOT EXISTS teams_org_live_name ON teams (org_id, lower(name)) WHERE deleted_at IS NULL",
    ),
    (
        "pipelines_org_live_name",
        "CREATE UNIQUE INDEX IF NOT EXISTS pipelines_org_live_name ON pipelines (org_id, lower(name)) WHERE deleted_at IS NULL",
    ),
    (
        "products_org_live_sku",
        "CREATE UNIQUE INDEX IF NOT EXISTS products_org_live_sku ON products (org_id, sku) WHERE deleted_at IS NULL AND sku IS NOT NULL",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (_, sql) in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
