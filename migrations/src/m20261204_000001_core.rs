//! The core sales schema. Every tenant table carries `org_id`, and every unique index leads
//! with it. Instants are UTC `timestamp` columns; money is a BIGINT of ten-thousandths.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000001_core"
    }
}

fn uuid(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().to_owned()
}

fn uuid_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().null().to_owned()
}

fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

fn instant(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date_time().not_null().to_owned()
}

fn instant_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date_time().null().to_owned()
}

fn bigint_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}

/// Starts a tenant table with its id, organization, version and timestamps.
fn tenant_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .if_not_exists()
        .col(uuid("id").primary_key())
        .col(uuid("org_id"))
        .col(
            ColumnDef::new("version")
                .big_integer()
                .not_null()
                .default(1),
        )
        .col(instant("created_at"))
        .col(instant("updated_at"))
        .col(instant_null("deleted_at"))
        .to_owned()
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

fn unique_index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    index(table, name, columns).unique().to_owned()
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table("organizations")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(text("name"))
            .col(text("base_currency"))
            .col(text("time_zone"))
            .col(instant("created_at"))
            .col(instant("updated_at"))
            .to_owned(),
        Table::create()
            .table("users")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(text_null("email"))
            .col(text("name"))
            .col(text_null("password_hash"))
            .col(text("time_zone"))
            .col(text("locale"))
            .col(instant("created_at"))
            .col(instant("updated_at"))
            .to_owned(),
        tenant_table("memberships")
            .col(uuid("user_id"))
            .col(text("role"))
            .col(uuid_null("team_id"))
            .col(text_null("title"))
            .to_owned(),
        Table::create()
            .table("refresh_tokens")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(uuid("org_id"))
            .col(uuid("user_id"))
            .col(uuid("family_id"))
            .col(text("token_hash"))
            .col(instant("created_at"))
            .col(instant("expires_at"))
            .col(instant_null("used_at"))
            .col(instant_null("revoked_at"))
            .to_owned(),
        tenant_table("teams")
            .col(text("name"))
            .col(uuid_null("manager_id"))
            .col(text_null("region"))
            .to_owned(),
        tenant_table("companies")
            .col(text("name"))
            .col(text_null("industry"))
            .col(text_null("country"))
            .col(text_null("website"))
            .col(text_null("phone"))
            .col(text_null("phone_key"))
            .col(bigint_null("annual_revenue_e4"))
            .col(text_null("revenue_currency"))
            .col(bigint_null("employees"))
            .col(ColumnDef::new("year_established").integer().null())
            .col(uuid_null("parent_id"))
            .col(uuid_null("owner_id"))
            .to_owned(),
        tenant_table("contacts")
            .col(text("first_name"))
            .col(text("last_name"))
            .col(text_null("email"))
            .col(text_null("email_key"))
            .col(text_null("phone"))
            .col(text_null("phone_key"))
            .col(text_null("title"))
            .col(uuid_null("company_id"))
            .col(uuid_null("owner_id"))
            .to_owned(),
        tenant_table("leads")
            .col(text("name"))
            .col(text_null("company_name"))
            .col(text_null("email"))
            .col(text_null("email_key"))
            .col(text_null("phone"))
            .col(text_null("phone_key"))
            .col(text_null("title"))
            .col(text_null("source"))
            .col(text_null("channel"))
            .col(text_null("campaign"))
            .col(text("status"))
            .col(uuid_null("owner_id"))
            .col(instant_null("converted_at"))
            .col(uuid_null("converted_deal_id"))
            .col(uuid_null("converted_contact_id"))
            .col(uuid_null("converted_company_id"))
            .to_owned(),
        tenant_table("products")
            .col(text("name"))
            .col(text_null("product_line"))
            .col(text_null("sku"))
            .col(ColumnDef::new("list_price_e4").big_integer().not_null())
            .col(text("currency"))
            .col(ColumnDef::new("active").boolean().not_null().default(true))
            .to_owned(),
        tenant_table("pipelines")
            .col(text("name"))
            .col(ColumnDef::new("position").integer().not_null().default(0))
            .to_owned(),
        tenant_table("stages")
            .col(uuid("pipeline_id"))
            .col(text("name"))
            .col(ColumnDef::new("position").integer().not_null())
            .col(ColumnDef::new("probability").integer().not_null())
            .col(text("kind"))
            .to_owned(),
        tenant_table("deals")
            .col(text("name"))
            .col(uuid("pipeline_id"))
            .col(uuid("stage_id"))
            .col(uuid_null("owner_id"))
            .col(uuid_null("team_id"))
            .col(uuid_null("company_id"))
            .col(bigint_null("amount_e4"))
            .col(text("currency"))
            .col(text("exchange_rate"))
            .col(text_null("close_exchange_rate"))
            .col(ColumnDef::new("expected_close_date").date().null())
            .col(ColumnDef::new("engaged_on").date().null())
            .col(ColumnDef::new("closed_on").date().null())
            .col(text_null("source"))
            .col(text_null("channel"))
            .col(text_null("region"))
            .col(text_null("customer_type"))
            .col(text_null("win_loss_reason"))
            .col(text_null("competitor"))
            .col(text_null("next_step"))
            .col(text_null("external_ref"))
            .col(instant("stage_changed_at"))
            .to_owned(),
        Table::create()
            .table("deal_contacts")
            .if_not_exists()
            .col(uuid("org_id"))
            .col(uuid("deal_id"))
            .col(uuid("contact_id"))
            .col(text_null("role"))
            .primary_key(Index::create().col("deal_id").col("contact_id"))
            .to_owned(),
        Table::create()
            .table("line_items")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(uuid("org_id"))
            .col(uuid("deal_id"))
            .col(uuid_null("product_id"))
            .col(text("name"))
            .col(text("quantity"))
            .col(ColumnDef::new("unit_price_e4").big_integer().not_null())
            .col(ColumnDef::new("position").integer().not_null())
            .to_owned(),
        Table::create()
            .table("stage_transitions")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(uuid("org_id"))
            .col(uuid("deal_id"))
            .col(uuid_null("from_stage_id"))
            .col(uuid("to_stage_id"))
            .col(instant("at"))
            .col(uuid_null("by_user_id"))
            .to_owned(),
        Table::create()
            .table("change_events")
            .if_not_exists()
            .col(uuid("id").primary_key())
            .col(uuid("org_id"))
            .col(text("entity"))
            .col(uuid("entity_id"))
            .col(text("kind"))
            .col(uuid_null("actor_id"))
            .col(text("changes"))
            .col(instant("at"))
            .to_owned(),
        tenant_table("activities")
            .col(text("kind"))
            .col(text("subject"))
            .col(text_null("body"))
            .col(instant("occurred_at"))
            .col(ColumnDef::new("duration_minutes").integer().null())
            .col(uuid_null("deal_id"))
            .col(uuid_null("contact_id"))
            .col(uuid_null("company_id"))
            .col(uuid_null("owner_id"))
            .to_owned(),
        tenant_table("tasks")
            .col(text("title"))
            .col(text_null("notes"))
            .col(uuid_null("assignee_id"))
            .col(instant_null("due_at"))
            .col(ColumnDef::new("done").boolean().not_null().default(false))
            .col(instant_null("done_at"))
            .col(uuid_null("deal_id"))
            .col(uuid_null("contact_id"))
            .col(uuid_null("company_id"))
            .to_owned(),
        Table::create()
            .table("idempotency_keys")
            .if_not_exists()
            .col(uuid("org_id"))
            .col(uuid("user_id"))
            .col(text("key"))
            .col(text("request_hash"))
            .col(ColumnDef::new("status").integer().null())
            .col(text_null("response_body"))
            .col(text_null("response_headers"))
            .col(instant("created_at"))
            .primary_key(Index::create().col("org_id").col("user_id").col("key"))
            .to_owned(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        unique_index("users", "users_email", &["email"]),
        unique_index(
            "memberships",
            "memberships_org_user",
            &["org_id", "user_id"],
        ),
        unique_index("refresh_tokens", "refresh_tokens_hash", &["token_hash"]),
        index("refresh_tokens", "refresh_tokens_family", &["family_id"]),
        index("teams", "teams_org_name", &["org_id", "name"]),
        index("companies", "companies_org_name", &["org_id", "name", "id"]),
        index(
            "companies",
            "companies_org_updated",
            &["org_id", "updated_at", "id"],
        ),
        index(
            "contacts",
            "contacts_org_name",
            &["org_id", "last_name", "id"],
        ),
        index(
            "contacts",
            "contacts_org_company",
            &["org_id", "company_id"],
        ),
        index("contacts", "contacts_org_email", &["org_id", "email_key"]),
        index(
            "contacts",
            "contacts_org_updated",
            &["org_id", "updated_at", "id"],
        ),
        index(
            "leads",
            "leads_org_updated",
            &["org_id", "updated_at", "id"],
        ),
        index("products", "products_org_name", &["org_id", "name"]),
        index(
            "stages",
            "stages_org_pipeline",
            &["org_id", "pipeline_id", "position"],
        ),
        index(
            "deals",
            "deals_org_stage",
            &["org_id", "stage_id", "updated_at", "id"],
        ),
        index("deals", "deals_org_owner", &["org_id", "owner_id", "id"]),
        index("deals", "deals_org_company", &["org_id", "company_id"]),
        index(
            "deals",
            "deals_org_updated",
            &["org_id", "updated_at", "id"],
        ),
        index(
            "deals",
            "deals_org_close",
            &["org_id", "expected_close_date", "id"],
        ),
        unique_index(
            "deals",
            "deals_org_external_ref",
            &["org_id", "external_ref"],
        ),
        index(
            "deal_contacts",
            "deal_contacts_contact",
            &["org_id", "contact_id"],
        ),
        index(
            "line_items",
            "line_items_deal",
            &["org_id", "deal_id", "position"],
        ),
        index(
            "stage_transitions",
            "stage_transitions_deal",
            &["org_id", "deal_id", "at"],
        ),
        index(
            "change_events",
            "change_events_entity",
            &["org_id", "entity_id", "at"],
        ),
        index(
            "activities",
            "activities_org_deal",
            &["org_id", "deal_id", "occurred_at"],
        ),
        index(
            "activities",
            "activities_org_updated",
            &["org_id", "updated_at", "id"],
        ),
        index(
            "tasks",
            "tasks_org_assignee",
            &["org_id", "assignee_id", "due_at"],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
