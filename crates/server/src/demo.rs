//! The demo organization, loaded from the sample CSV files of a public B2B sales pipeline
//! (accounts, products, sales teams and 8,800 opportunities).
//!
//! Loading is idempotent: records are matched by name, e-mail address or opportunity id, and
//! only missing ones are inserted. The quirks of the data are kept rather than repaired:
//! typos in sectors and countries stay as entered, deals without an account have no company,
//! and open deals without a value have no amount. Product names are matched ignoring spaces
//! and case, so the pipeline's `GTXPro` finds the product `GTX Pro`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;
use domain::{Role, Scope, StageKind};
use persistence::DatabaseConnection;
use persistence::entities::{
    change_event, company, deal, line_item, product, stage, stage_transition, team, user,
};
use persistence::repo::auth::{self, NewOrganization};
use persistence::repo::forecast_snapshots;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use time::{Date, PrimitiveDateTime, Time};
use uuid::Uuid;

/// The e-mail address the demo owner signs in with.
pub const DEMO_EMAIL: &str = "demo@example.com";
/// The name of the demo organization.
pub const DEMO_ORGANIZATION: &str = "MavenTech (demo)";
/// The domain of the demo sales agents' e-mail addresses.
const AGENT_EMAIL_DOMAIN: &str = "demo.dealbook.example";
/// Stages of the demo pipeline, as the sample data names them.
pub const DEMO_STAGES: [(&str, i32, StageKind); 4] = [
    ("Prospecting", 10, StageKind::Open),
    ("Engaging", 50, StageKind::Open),
    ("Won", 100, StageKind::Won),
    ("Lost", 0, StageKind::Lost),
];
/// Rows per INSERT statement, well under SQLite's limit of bound parameters.
const BATCH: usize = 400;

/// Counts of the records a demo load found and inserted.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub org_id: Uuid,
    pub users_inserted: usize,
    pub companies_inserted: usize,
    pub products_inserted: usize,
    pub deals_inserted: usize,
    pub deals_total: usize,
    /// Pipeline rows whose product matched no product, even ignoring spaces and case.
    pub unmatched_products: usize,
    /// Month-start forecast snapshots taken for the sample's months.
    pub snapshots_taken: usize,
}

#[derive(Debug, Deserialize)]
pub struct AccountRow {
    pub account: String,
    pub sector: String,
    pub year_established: Option<i32>,
    pub revenue: Option<Decimal>,
    pub employees: Option<i64>,
    pub office_location: String,
    pub subsidiary_of: String,
}

#[derive(Debug, Deserialize)]
pub struct ProductRow {
    pub product: String,
    pub series: String,
    pub sales_price: Decimal,
}

#[derive(Debug, Deserialize)]
pub struct TeamRow {
    pub sales_agent: String,
    pub manager: String,
    pub regional_office: String,
}

#[derive(Debug, Deserialize)]
pub struct OpportunityRow {
    pub opportunity_id: String,
    pub sales_agent: String,
    pub product: String,
    pub account: String,
    pub deal_stage: String,
    pub engage_date: Option<Date>,
    pub close_date: Option<Date>,
    pub close_value: Option<Decimal>,
}

/// The four sample files, parsed.
pub struct SampleData {
    pub accounts: Vec<AccountRow>,
    pub products: Vec<ProductRow>,
    pub teams: Vec<TeamRow>,
    pub opportunities: Vec<OpportunityRow>,
}

fn read_csv<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> anyhow::Result<Vec<T>> {
    let path = dir.join(name);
    let mut reader = csv::Reader::from_path(&path)
        .with_context(|| format!("cannot open the sample file {}", path.display()))?;
    reader
        .deserialize()
        .enumerate()
        .map(|(index, row)| {
            row.with_context(|| format!("{}: row {} is invalid", path.display(), index + 2))
        })
        .collect()
}

impl SampleData {
    /// Reads the sample files from `dir`.
    pub fn read(dir: &Path) -> anyhow::Result<SampleData> {
        Ok(SampleData {
            accounts: read_csv(dir, "accounts.csv")?,
            products: read_csv(dir, "products.csv")?,
            teams: read_csv(dir, "sales_teams.csv")?,
            opportunities: read_opportunities(dir)?,
        })
    }
}

/// Reads the pipeline file, whose dates and values may be empty.
fn read_opportunities(dir: &Path) -> anyhow::Result<Vec<OpportunityRow>> {
    #[derive(Deserialize)]
    struct Raw {
        opportunity_id: String,
        sales_agent: String,
        product: String,
        account: String,
        deal_stage: String,
        engage_date: String,
        close_date: String,
        close_value: String,
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = |text: &str, what: &str, id: &str| -> anyhow::Result<Option<Date>> {
        match text.trim() {
            "" => Ok(None),
            text => Date::parse(text, format)
                .map(Some)
                .with_context(|| format!("opportunity {id}: invalid {what} {text:?}")),
        }
    };
    let raw: Vec<Raw> = read_csv(dir, "sales_pipeline.csv")?;
    raw.into_iter()
        .map(|row| {
            let close_value = match row.close_value.trim() {
                "" => None,
                text => Some(text.parse::<Decimal>().with_context(|| {
                    format!(
                        "opportunity {}: invalid close_value {text:?}",
                        row.opportunity_id
                    )
                })?),
            };
            Ok(OpportunityRow {
                engage_date: date(&row.engage_date, "engage_date", &row.opportunity_id)?,
                close_date: date(&row.close_date, "close_date", &row.opportunity_id)?,
                close_value,
                opportunity_id: row.opportunity_id,
                sales_agent: row.sales_agent,
                product: row.product,
                account: row.account,
                deal_stage: row.deal_stage,
            })
        })
        .collect()
}

/// Builds the key that product names are matched on: letters and digits, lower-cased.
pub fn product_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Builds the e-mail address of a demo sales agent or manager.
pub fn agent_email(name: &str) -> String {
    let local: String = name
        .split_whitespace()
        .map(|part| {
            part.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
        .to_lowercase();
    format!("{local}@{AGENT_EMAIL_DOMAIN}")
}

fn midnight(date: Date) -> PrimitiveDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT)
}

fn usd(amount: Decimal) -> anyhow::Result<domain::Money> {
    domain::Money::new(amount, domain::Currency::USD)
        .with_context(|| format!("amount {amount} does not fit USD"))
}

/// Loads the sample data into the demo organization, creating it when missing. A given
/// `password_hash` becomes the demo owner's password.
pub async fn load(
    db: &DatabaseConnection,
    sample_dir: &Path,
    password_hash: Option<String>,
) -> anyhow::Result<DemoSummary> {
    let data = SampleData::read(sample_dir)?;
    let scope = demo_scope(db, password_hash).await?;
    let txn = persistence::begin_write(db).await?;
    let mut summary = DemoSummary {
        org_id: scope.org_id,
        ..DemoSummary::default()
    };
    let people = load_people(&txn, &scope, &data.teams, &mut summary).await?;
    let companies = load_companies(&txn, &scope, &data.accounts, &mut summary).await?;
    let products = load_products(&txn, &scope, &data.products, &mut summary).await?;
    let lookups = Lookups {
        stages: demo_stages(&txn, &scope).await?,
        people: &people,
        companies: &companies,
        products: &products,
    };
    load_deals(&txn, &scope, &data, lookups, &mut summary).await?;
    txn.commit().await?;
    summary.snapshots_taken = backfill_snapshots(db, &scope, &data.opportunities).await?;
    Ok(summary)
}

/// Takes the forecast snapshot that the organization would have taken at the start of each
/// month the sample covers, from the month after the first engagement to the month after the
/// last close, so the forecast-accuracy report has a history. Months that already have a
/// snapshot are kept.
///
/// NOTE: each deal counts with today's amount and expected close date, because the sample
/// has no history of either. Only the stage is taken as it was then.
async fn backfill_snapshots(
    db: &DatabaseConnection,
    scope: &Scope,
    opportunities: &[OpportunityRow],
) -> anyhow::Result<usize> {
    let dates = || {
        opportunities
            .iter()
            .flat_map(|row| [row.engage_date, row.close_date])
            .flatten()
    };
    let (Some(first), Some(last)) = (dates().min(), dates().max()) else {
        return Ok(0);
    };
    let time_zone = persistence::repo::reports::organization_settings(db, scope)
        .await?
        .time_zone;
    let zone = domain::report::Zone::parse(&time_zone)?;
    let mut snapshots = 0;
    let mut month = domain::report::next_month_start(first);
    let end = domain::report::next_month_start(last);
    while let (Some(day), Some(end)) = (month, end)
        && day <= end
    {
        let exists = forecast_snapshots::exists(db, scope.org_id, day).await?;
        if let (false, Some(cut)) = (exists, zone.day_start_utc(day)) {
            forecast_snapshots::take(db, scope.org_id, day, cut).await?;
            snapshots += 1;
        }
        month = domain::report::next_month_start(day);
    }
    Ok(snapshots)
}

/// Finds the demo organization through its owner, or creates both.
async fn demo_scope(
    db: &DatabaseConnection,
    password_hash: Option<String>,
) -> anyhow::Result<Scope> {
    let accounts = auth::find_accounts_by_email(db, DEMO_EMAIL).await?;
    if let Some(account) = accounts.into_iter().next() {
        if let Some(hash) = password_hash {
            let mut owner: user::ActiveModel = account.user.clone().into();
            owner.password_hash = Set(Some(hash));
            owner.updated_at = Set(domain::time::now_utc());
            owner.update(db).await?;
        }
        return Ok(account.scope());
    }
    let new = NewOrganization {
        organization_name: DEMO_ORGANIZATION.to_owned(),
        base_currency: "USD".to_owned(),
        time_zone: "America/New_York".to_owned(),
        owner_name: "Demo Owner".to_owned(),
        owner_email: DEMO_EMAIL.to_owned(),
        password_hash,
    };
    let account = auth::create_organization(db, new, "Sales", &DEMO_STAGES).await?;
    Ok(account.scope())
}

/// Users by name, with their team and region.
struct People {
    by_name: HashMap<String, (Uuid, Option<Uuid>, Option<String>)>,
}

async fn load_people<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    rows: &[TeamRow],
    summary: &mut DemoSummary,
) -> anyhow::Result<People> {
    let mut people = People {
        by_name: HashMap::new(),
    };
    let existing_teams: HashMap<String, Uuid> = team::Entity::find()
        .filter(team::Column::OrgId.eq(scope.org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|team| (team.name, team.id))
        .collect();
    let mut managers: Vec<(&str, &str)> = Vec::new();
    for row in rows {
        if !managers.iter().any(|(name, _)| *name == row.manager) {
            managers.push((&row.manager, &row.regional_office));
        }
    }
    for (manager, region) in managers {
        let team_name = format!("{region} – {manager}");
        let team_id = match existing_teams.get(&team_name) {
            Some(id) => *id,
            None => insert_team(db, scope, &team_name, region).await?,
        };
        let manager_id = ensure_member(db, scope, manager, Role::Manager, team_id, summary).await?;
        team::Entity::update_many()
            .col_expr(
                team::Column::ManagerId,
                sea_orm::sea_query::Expr::value(manager_id),
            )
            .filter(team::Column::Id.eq(team_id))
            .exec(db)
            .await?;
        people.by_name.insert(
            manager.to_owned(),
            (manager_id, Some(team_id), Some(region.to_owned())),
        );
    }
    for row in rows {
        let (_, team_id, region) = people.by_name[&row.manager].clone();
        let team_id = team_id.unwrap_or_default();
        let agent_id =
            ensure_member(db, scope, &row.sales_agent, Role::Rep, team_id, summary).await?;
        people
            .by_name
            .insert(row.sales_agent.clone(), (agent_id, Some(team_id), region));
    }
    Ok(people)
}

async fn insert_team<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    region: &str,
) -> anyhow::Result<Uuid> {
    let now = domain::time::now_utc();
    let id = domain::id::new_id();
    team::ActiveModel {
        id: Set(id),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(name.to_owned()),
        manager_id: Set(None),
        region: Set(Some(region.to_owned())),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Finds the account of a sales agent or manager by e-mail address, or creates it with a
/// membership. Demo people have no password, so only the owner can sign in.
async fn ensure_member<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: &str,
    role: Role,
    team_id: Uuid,
    summary: &mut DemoSummary,
) -> anyhow::Result<Uuid> {
    let email = agent_email(name);
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(db)
        .await?
    {
        return Ok(existing.id);
    }
    let now = domain::time::now_utc();
    let id = domain::id::new_id();
    user::ActiveModel {
        id: Set(id),
        email: Set(Some(email)),
        name: Set(name.to_owned()),
        password_hash: Set(None),
        time_zone: Set("America/New_York".to_owned()),
        locale: Set("en".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    auth::insert_membership(db, scope.org_id, id, role, Some(team_id)).await?;
    summary.users_inserted += 1;
    Ok(id)
}

async fn load_companies<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    rows: &[AccountRow],
    summary: &mut DemoSummary,
) -> anyhow::Result<HashMap<String, (Uuid, String)>> {
    let mut by_name: HashMap<String, (Uuid, String)> = company::Entity::find()
        .filter(company::Column::OrgId.eq(scope.org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|company| {
            (
                company.name,
                (company.id, company.industry.unwrap_or_default()),
            )
        })
        .collect();
    let now = domain::time::now_utc();
    let mut new_rows = Vec::new();
    for row in rows {
        if by_name.contains_key(&row.account) {
            continue;
        }
        let id = domain::id::new_id();
        // Revenue in the file is in millions of US dollars.
        let revenue = row
            .revenue
            .map(|millions| usd(millions * Decimal::from(1_000_000)))
            .transpose()?;
        by_name.insert(row.account.clone(), (id, row.sector.clone()));
        new_rows.push(company::ActiveModel {
            id: Set(id),
            org_id: Set(scope.org_id),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            name: Set(row.account.clone()),
            industry: Set(Some(row.sector.clone()).filter(|s| !s.is_empty())),
            country: Set(Some(row.office_location.clone()).filter(|s| !s.is_empty())),
            website: Set(None),
            phone: Set(None),
            phone_key: Set(None),
            annual_revenue_e4: Set(revenue.map(|money| money.stored_amount())),
            revenue_currency: Set(revenue.map(|_| "USD".to_owned())),
            employees: Set(row.employees),
            year_established: Set(row.year_established),
            parent_id: Set(None),
            owner_id: Set(None),
        });
    }
    summary.companies_inserted = new_rows.len();
    insert_batches(db, new_rows).await?;
    record_created(
        db,
        scope,
        "company",
        by_name.values().map(|(id, _)| *id),
        summary.companies_inserted == 0,
    )
    .await?;
    for row in rows.iter().filter(|row| !row.subsidiary_of.is_empty()) {
        let (Some((child, _)), Some((parent, _))) =
            (by_name.get(&row.account), by_name.get(&row.subsidiary_of))
        else {
            continue;
        };
        company::Entity::update_many()
            .col_expr(
                company::Column::ParentId,
                sea_orm::sea_query::Expr::value(*parent),
            )
            .filter(company::Column::Id.eq(*child))
            .exec(db)
            .await?;
    }
    Ok(by_name)
}

async fn load_products<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    rows: &[ProductRow],
    summary: &mut DemoSummary,
) -> anyhow::Result<HashMap<String, product::Model>> {
    let existing = product::Entity::find()
        .filter(product::Column::OrgId.eq(scope.org_id))
        .all(db)
        .await?;
    let mut by_key: HashMap<String, product::Model> = existing
        .into_iter()
        .map(|product| (product_key(&product.name), product))
        .collect();
    let now = domain::time::now_utc();
    for row in rows {
        if by_key.contains_key(&product_key(&row.product)) {
            continue;
        }
        let price = usd(row.sales_price)?;
        let model = product::ActiveModel {
            id: Set(domain::id::new_id()),
            org_id: Set(scope.org_id),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            name: Set(row.product.clone()),
            product_line: Set(Some(row.series.clone())),
            sku: Set(None),
            list_price_e4: Set(price.stored_amount()),
            currency: Set("USD".to_owned()),
            active: Set(true),
        }
        .insert(db)
        .await?;
        summary.products_inserted += 1;
        by_key.insert(product_key(&row.product), model);
    }
    Ok(by_key)
}

async fn insert_batches<C, A>(db: &C, rows: Vec<A>) -> anyhow::Result<()>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
        <A::Entity as EntityTrait>::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Appends a `created` change event for each new record; `skip` leaves them out on a reload
/// that inserted nothing.
async fn record_created<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    entity: &str,
    ids: impl Iterator<Item = Uuid>,
    skip: bool,
) -> anyhow::Result<()> {
    if skip {
        return Ok(());
    }
    let existing: HashSet<Uuid> = change_event::Entity::find()
        .filter(change_event::Column::OrgId.eq(scope.org_id))
        .filter(change_event::Column::Entity.eq(entity))
        .all(db)
        .await?
        .into_iter()
        .map(|event| event.entity_id)
        .collect();
    let now = domain::time::now_utc();
    let events: Vec<change_event::ActiveModel> = ids
        .filter(|id| !existing.contains(id))
        .map(|id| change_event::ActiveModel {
            id: Set(domain::id::new_id()),
            org_id: Set(scope.org_id),
            entity: Set(entity.to_owned()),
            entity_id: Set(id),
            kind: Set("created".to_owned()),
            actor_id: Set(Some(scope.user_id)),
            changes: Set("{\"source\":\"demo import\"}".to_owned()),
            at: Set(now),
        })
        .collect();
    insert_batches(db, events).await
}

/// Loads the demo pipeline's stages by name.
async fn demo_stages<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
) -> anyhow::Result<HashMap<String, stage::Model>> {
    let stages = stage::Entity::find()
        .filter(stage::Column::OrgId.eq(scope.org_id))
        .filter(stage::Column::DeletedAt.is_null())
        .order_by_asc(stage::Column::CreatedAt)
        .all(db)
        .await?;
    let mut by_name = HashMap::new();
    for stage in stages {
        by_name.entry(stage.name.clone()).or_insert(stage);
    }
    for (name, _, _) in DEMO_STAGES {
        anyhow::ensure!(
            by_name.contains_key(name),
            "the demo pipeline has no stage {name}"
        );
    }
    Ok(by_name)
}

/// The records an opportunity row refers to, looked up by name.
struct Lookups<'a> {
    stages: HashMap<String, stage::Model>,
    people: &'a People,
    companies: &'a HashMap<String, (Uuid, String)>,
    products: &'a HashMap<String, product::Model>,
}

/// The rows that one opportunity becomes.
struct DealRows {
    deal: deal::ActiveModel,
    item: Option<line_item::ActiveModel>,
    transitions: Vec<stage_transition::ActiveModel>,
}

async fn load_deals<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    data: &SampleData,
    lookups: Lookups<'_>,
    summary: &mut DemoSummary,
) -> anyhow::Result<()> {
    let existing: HashSet<String> = deal::Entity::find()
        .filter(deal::Column::OrgId.eq(scope.org_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|deal| deal.external_ref)
        .collect();
    let now = domain::time::now_utc();

    let mut deals = Vec::new();
    let mut items = Vec::new();
    let mut transitions = Vec::new();
    let mut new_ids = Vec::new();
    for row in data
        .opportunities
        .iter()
        .filter(|row| !existing.contains(&row.opportunity_id))
    {
        let (id, rows) = deal_rows(scope, row, &lookups, now)?;
        if rows.item.is_none() {
            summary.unmatched_products += 1;
        }
        new_ids.push(id);
        deals.push(rows.deal);
        items.extend(rows.item);
        transitions.extend(rows.transitions);
    }

    summary.deals_inserted = deals.len();
    summary.deals_total = existing.len() + deals.len();
    insert_batches(db, deals).await?;
    insert_batches(db, items).await?;
    insert_batches(db, transitions).await?;
    record_created(
        db,
        scope,
        "deal",
        new_ids.into_iter(),
        summary.deals_inserted == 0,
    )
    .await
}

/// Builds the deal, line item and stage transitions of one opportunity, with the deal's id.
fn deal_rows(
    scope: &Scope,
    row: &OpportunityRow,
    lookups: &Lookups<'_>,
    now: PrimitiveDateTime,
) -> anyhow::Result<(Uuid, DealRows)> {
    let stage = lookups.stages.get(&row.deal_stage).with_context(|| {
        format!(
            "opportunity {}: unknown stage {:?}",
            row.opportunity_id, row.deal_stage
        )
    })?;
    let (owner_id, team_id, region) = match lookups.people.by_name.get(&row.sales_agent) {
        Some((id, team, region)) => (Some(*id), *team, region.clone()),
        None => (None, None, None),
    };
    let company = lookups
        .companies
        .get(&row.account)
        .filter(|_| !row.account.is_empty());
    let product = lookups.products.get(&product_key(&row.product));
    let amount = row.close_value.map(usd).transpose()?;
    let created_at = row.engage_date.map(midnight).unwrap_or(now);
    let stage_changed_at = row
        .close_date
        .or(row.engage_date)
        .map(midnight)
        .unwrap_or(now);
    let closed = StageKind::parse(&stage.kind).is_some_and(StageKind::is_closed);
    let account_label = match row.account.as_str() {
        "" => "no account yet",
        account => account,
    };

    let id = domain::id::new_id();
    let deal = deal::ActiveModel {
        id: Set(id),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(created_at),
        updated_at: Set(stage_changed_at.max(created_at)),
        deleted_at: Set(None),
        name: Set(format!("{} – {account_label}", row.product)),
        pipeline_id: Set(stage.pipeline_id),
        stage_id: Set(stage.id),
        owner_id: Set(owner_id),
        team_id: Set(team_id),
        company_id: Set(company.map(|(id, _)| *id)),
        amount_e4: Set(amount.map(|money| money.stored_amount())),
        currency: Set("USD".to_owned()),
        exchange_rate: Set("1".to_owned()),
        close_exchange_rate: Set(closed.then(|| "1".to_owned())),
        expected_close_date: Set(row.close_date),
        engaged_on: Set(row.engage_date),
        closed_on: Set(row.close_date.filter(|_| closed)),
        source: Set(None),
        channel: Set(None),
        region: Set(region),
        customer_type: Set(company
            .map(|(_, industry)| industry.clone())
            .filter(|s| !s.is_empty())),
        win_loss_reason: Set(None),
        competitor: Set(None),
        next_step: Set(None),
        external_ref: Set(Some(row.opportunity_id.clone())),
        stage_changed_at: Set(stage_changed_at),
    };
    let item = product.map(|product| line_item::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        deal_id: Set(id),
        product_id: Set(Some(product.id)),
        name: Set(product.name.clone()),
        quantity: Set("1".to_owned()),
        unit_price_e4: Set(product.list_price_e4),
        position: Set(0),
    });
    let transitions = stage_history(scope, id, row, &lookups.stages, created_at);
    Ok((
        id,
        DealRows {
            deal,
            item,
            transitions,
        },
    ))
}

/// Builds the stage transitions of one opportunity, dated from its engage and close dates.
fn stage_history(
    scope: &Scope,
    deal_id: Uuid,
    row: &OpportunityRow,
    stages: &HashMap<String, stage::Model>,
    created_at: PrimitiveDateTime,
) -> Vec<stage_transition::ActiveModel> {
    let mut path: Vec<(&str, PrimitiveDateTime)> = vec![("Prospecting", created_at)];
    if let Some(engaged) = row.engage_date {
        path.push(("Engaging", midnight(engaged)));
    }
    if matches!(row.deal_stage.as_str(), "Won" | "Lost") {
        let closed = row
            .close_date
            .or(row.engage_date)
            .map(midnight)
            .unwrap_or(created_at);
        path.push((row.deal_stage.as_str(), closed));
    }
    let mut from: Option<Uuid> = None;
    path.into_iter()
        .filter_map(|(name, at)| {
            let to = stages.get(name)?.id;
            let transition = stage_transition::ActiveModel {
                id: Set(domain::id::new_id()),
                org_id: Set(scope.org_id),
                deal_id: Set(deal_id),
                from_stage_id: Set(from),
                to_stage_id: Set(to),
                at: Set(at),
                by_user_id: Set(None),
            };
            from = Some(to);
            Some(transition)
        })
        .collect()
}

/// Checks whether the database contains no organization yet.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    use persistence::entities::organization;
    use sea_orm::PaginatorTrait;
    Ok(organization::Entity::find().count(db).await? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_key_ignores_spaces_and_case() {
        assert_eq!(product_key("GTXPro"), product_key("GTX Pro"));
        assert_ne!(product_key("GTX Plus Pro"), product_key("GTX Pro"));
    }

    #[test]
    fn agent_email_is_dotted_lowercase() {
        assert_eq!(
            agent_email("Mei-Mei Johns"),
            "meimei.johns@demo.dealbook.example"
        );
    }
}
