//! Unique indexes that allow one live quota per holder, period kind and period start. A second
//! one would count the holder's deals twice. The quota repository checks this first so that
//! a client gets a precise error; the indexes catch two requests that race past that check.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000001_unique_live_quotas"
    }
}

const INDEXES: [(&str, &str); 2] = [
    (
        "quotas_org_live_user_period",
        "CREATE UNIQUE INDEX IF NOT EXISTS quotas_org_live_user_period ON quotas (org_id, user_id, period_kind, period_start) WHERE deleted_at IS NULL AND user_id IS NOT NULL",
    ),
    (
        "quotas_org_live_team_period",
        "CREATE UNIQUE INDEX IF NOT EXISTS quotas_org_live_team_period ON quotas (org_id, team_id, period_kind, period_start) WHERE deleted_at IS NULL AND team_id IS NOT NULL",
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
