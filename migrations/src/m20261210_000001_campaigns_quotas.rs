//! Campaigns and quotas, and the indexes the sales reports group and filter on. Campaign
//! cost and quota target are BIGINT ten-thousandths with their currency code, like every
//! amount in the core schema.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000001_campaigns_quotas"
    }
}

fn column(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
}

/// Starts a tenant table with its id, organization, version and timestamps.
fn tenant_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .if_not_exists()
        .col(column("id").uuid().not_null().primary_key())
        .col(column("org_id").uuid().not_null())
        .col(column("version").big_integer().not_null().default(1))
        .col(column("created_at").date_time().not_null())
        .col(column("updated_at").date_time().not_null())
        .col(column("deleted_at").date_time().null())
        .to_owned()
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        tenant_table("campaigns")
            .col(column("name").text().not_null())
            .col(column("channel").text().not_null())
            .col(column("period_start").date().not_null())
            .col(column("period_end").date().not_null())
            .col(column("cost_e4").big_integer().not_null())
            .col(column("currency").text().not_null())
            .to_owned(),
        tenant_table("quotas")
            .col(column("user_id").uuid().null())
            .col(column("team_id").uuid().null())
            .col(column("period_kind").text().not_null())
            .col(column("period_start").date().not_null())
            .col(column("target_e4").big_integer().not_null())
            .col(column("currency").text().not_null())
            .to_owned(),
    ]
}

fn index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

/// Indexes as (table, name, columns), every one leading with `org_id`.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("campaigns", "campaigns_org_name", &["org_id", "name", "id"]),
    (
        "campaigns",
        "campaigns_org_channel",
        &["org_id", "channel", "period_start"],
    ),
    (
        "campaigns",
        "campaigns_org_updated",
        &["org_id", "updated_at", "id"],
    ),
    (
        "quotas",
        "quotas_org_period",
        &["org_id", "period_start", "id"],
    ),
    (
        "quotas",
        "quotas_org_user",
        &["org_id", "user_id", "period_start"],
    ),
    (
        "quotas",
        "quotas_org_team",
        &["org_id", "team_id", "period_start"],
    ),
    (
        "quotas",
        "quotas_org_updated",
        &["org_id", "updated_at", "id"],
    ),
    // Reports select closed deals by close date and walk the funnel by the stage entered.
    (
        "deals",
        "deals_org_closed",
        &["org_id", "closed_on", "stage_id"],
    ),
    (
        "stage_transitions",
        "stage_transitions_org_to_stage",
        &["org_id", "to_stage_id", "at"],
    ),
    (
        "activities",
        "activities_org_owner",
        &["org_id", "owner_id", "occurred_at"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for (table, name, columns) in INDEXES {
            manager.create_index(index(table, name, columns)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            let drop = Index::drop()
                .name(*name)
                .table(*table)
                .if_exists()
                .to_owned();
            manager.drop_index(drop).await?;
        }
        for table in tables().into_iter().rev() {
            let name = table
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Migration("table without a name".into()))?;
            manager
                .drop_table(Table::drop().table(name).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
