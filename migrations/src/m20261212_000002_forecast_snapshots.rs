//! Forecast snapshots: the open pipeline as it stood on one day, per pipeline, owner and
//! expected close month, in the organization's base currency. Comparing a month's snapshot
//! with what was won in that month shows how good the forecast was.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000002_forecast_snapshots"
    }
}

fn column(name: &'static str) -> ColumnDef {
    ColumnDef::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("forecast_snapshots")
            .if_not_exists()
            .col(column("id").uuid().not_null().primary_key())
            .col(column("org_id").uuid().not_null())
            .col(column("taken_on").date().not_null())
            .col(column("created_at").date_time().not_null())
            .col(column("pipeline_id").uuid().not_null())
            .col(column("owner_id").uuid().null())
            .col(column("team_id").uuid().null())
            // The expected close month, `YYYY-MM`.
            .col(column("month").text().not_null())
            .col(column("open_count").big_integer().not_null())
            .col(column("open_amount_e4").big_integer().not_null())
            .col(column("weighted_amount_e4").big_integer().not_null())
            .col(column("currency").text().not_null())
            .to_owned();
        manager.create_table(table).await?;
        let index = Index::create()
            .name("forecast_snapshots_org_taken")
            .table("forecast_snapshots")
            .if_not_exists()
            .col("org_id")
            .col("taken_on")
            .col("month")
            .to_owned();
        manager.create_index(index).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = Table::drop()
            .table("forecast_snapshots")
            .if_exists()
            .to_owned();
        manager.drop_table(drop).await
    }
}
