//! Deals: the sales projects that move through the stages of a pipeline, with their contacts,
//! line items and the append-only log of stage transitions.

use std::collections::{HashMap, HashSet};

use domain::{Currency, Money, Scope, StageKind};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::Value as Json;
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use super::set_optional;
use super::{check_reference, check_version, find_live, update_versioned, users};
use crate::changes::{self, ChangeKind};
use crate::entities::deal::{ActiveModel, Column, Entity, Model};
use crate::entities::{
    change_event, company, contact, deal_contact, line_item, organization, pipeline, product,
    stage, stage_transition, team,
};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;
use crate::{FieldError, RepoError};

/// One line item of a new deal, or of the list that replaces a deal's line items.
#[derive(Debug, Clone)]
pub struct NewLineItem {
    pub product_id: Option<Uuid>,
    /// The item's name. When `None`, the name of the product named by `product_id`.
    pub name: Option<String>,
    pub quantity: Decimal,
    /// The price of one unit, in the deal's currency.
    pub unit_price: Money,
}

/// The fields of a new deal.
#[derive(Debug, Clone)]
pub struct NewDeal {
    pub name: String,
    pub pipeline_id: Uuid,
    /// The starting stage. When `None`, the pipeline's first open stage by position.
    pub stage_id: Option<Uuid>,
    /// The responsible user. When `None`, the acting user.
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub amount: Option<Money>,
    /// The deal currency when `amount` is `None`; it must match `amount` when both are set.
    /// When both are `None`, the organization's base currency.
    pub currency: Option<Currency>,
    /// The rate to the organization's base currency. Required unless the deal currency is
    /// the base currency, where it defaults to 1.
    pub exchange_rate: Option<Decimal>,
    pub close_exchange_rate: Option<Decimal>,
    pub expected_close_date: Option<Date>,
    pub engaged_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
    pub customer_type: Option<String>,
    pub win_loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    pub contact_ids: Vec<Uuid>,
    pub line_items: Vec<NewLineItem>,
}

impl NewDeal {
    /// Builds a deal with only the required fields set.
    pub fn named(name: impl Into<String>, pipeline_id: Uuid) -> NewDeal {
        NewDeal {
            name: name.into(),
            pipeline_id,
            stage_id: None,
            owner_id: None,
            team_id: None,
            company_id: None,
            amount: None,
            currency: None,
            exchange_rate: None,
            close_exchange_rate: None,
            expected_close_date: None,
            engaged_on: None,
            closed_on: None,
            source: None,
            channel: None,
            region: None,
            customer_type: None,
            win_loss_reason: None,
            competitor: None,
            next_step: None,
            contact_ids: Vec::new(),
            line_items: Vec::new(),
        }
    }
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct DealChanges {
    pub name: Option<String>,
    /// Moving to another pipeline requires `stage_id` as well.
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub owner_id: Option<Option<Uuid>>,
    pub team_id: Option<Option<Uuid>>,
    pub company_id: Option<Option<Uuid>>,
    pub amount: Option<Option<Money>>,
    pub currency: Option<Currency>,
    pub exchange_rate: Option<Decimal>,
    pub close_exchange_rate: Option<Option<Decimal>>,
    pub expected_close_date: Option<Option<Date>>,
    pub engaged_on: Option<Option<Date>>,
    pub closed_on: Option<Option<Date>>,
    pub source: Option<Option<String>>,
    pub channel: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub customer_type: Option<Option<String>>,
    pub win_loss_reason: Option<Option<String>>,
    pub competitor: Option<Option<String>>,
    pub next_step: Option<Option<String>>,
    /// Replaces the set of linked contacts.
    pub contact_ids: Option<Vec<Uuid>>,
    /// Replaces the list of line items.
    pub line_items: Option<Vec<NewLineItem>>,
}

/// Filters of the deal list. Every bound is inclusive except `created_to`, which is exclusive.
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    pub q: Option<String>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub pipeline_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    /// Deals with a line item of this product.
    pub product_id: Option<Uuid>,
    /// Deals with a line item of a product in this product line.
    pub product_line: Option<String>,
    /// The deal's id in the system it was imported from.
    pub external_ref: Option<String>,
    /// The kind of the deal's current stage.
    pub status: Option<StageKind>,
    pub currency: Option<Currency>,
    /// Lower bound of the amount in ten-thousandths, compared in each deal's own currency.
    pub amount_min_e4: Option<i64>,
    /// Upper bound of the amount in ten-thousandths, compared in each deal's own currency.
    pub amount_max_e4: Option<i64>,
    pub expected_close_from: Option<Date>,
    pub expected_close_to: Option<Date>,
    pub closed_from: Option<Date>,
    pub closed_to: Option<Date>,
    pub created_from: Option<PrimitiveDateTime>,
    pub created_to: Option<PrimitiveDateTime>,
    pub updated_since: Option<PrimitiveDateTime>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
}

/// A deal with its linked contacts, line items and current stage.
#[derive(Debug, Clone)]
pub struct DealRecord {
    pub deal: Model,
    pub contact_ids: Vec<Uuid>,
    /// Line items ordered by position.
    pub line_items: Vec<line_item::Model>,
    /// The current stage, `None` only if its row is missing from the database.
    pub stage: Option<stage::Model>,
}

/// A stage transition with the names of both stages.
#[derive(Debug, Clone)]
pub struct TransitionEntry {
    pub transition: stage_transition::Model,
    pub from_stage_name: Option<String>,
    pub to_stage_name: Option<String>,
}

/// The stage transitions and change events of a deal, each in time order.
#[derive(Debug, Clone)]
pub struct DealHistory {
    pub transitions: Vec<TransitionEntry>,
    pub changes: Vec<change_event::Model>,
}

/// The fields a deal list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("amount", Column::AmountE4),
    ("expected_close_date", Column::ExpectedCloseDate),
    ("closed_on", Column::ClosedOn),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
    ("stage_changed_at", Column::StageChangedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "-updated_at";

/// Reads the kind of a stage, treating an unknown stored kind as open.
pub fn stage_kind(stage: &stage::Model) -> StageKind {
    StageKind::parse(&stage.kind).unwrap_or(StageKind::Open)
}

/// Reads the organization's base currency.
async fn base_currency<C: ConnectionTrait>(db: &C, scope: &Scope) -> Result<Currency, RepoError> {
    let organization = organization::Entity::find_by_id(scope.org_id)
        .one(db)
        .await?
        .ok_or(RepoError::NotFound {
            entity: "organization",
        })?;
    // Sign-up accepts only known codes, so the USD fallback does not apply in practice.
    Ok(Currency::parse(&organization.base_currency).unwrap_or(Currency::USD))
}

/// Picks the deal currency from the amount, an explicit currency, or `fallback`.
fn resolve_currency(
    amount: Option<&Money>,
    currency: Option<Currency>,
    fallback: Currency,
) -> Result<Currency, RepoError> {
    match (amount, currency) {
        (Some(money), Some(currency)) if money.currency() != currency => Err(RepoError::invalid(
            "currency",
            "currency_mismatch",
            format!(
                "currency is {} but amount is in {}: send one currency, or omit currency",
                currency.code(),
                money.currency().code()
            ),
        )),
        (Some(money), _) => Ok(money.currency()),
        (None, Some(currency)) => Ok(currency),
        (None, None) => Ok(fallback),
    }
}

/// Decides the exchange rate to the base currency: 1 for the base currency itself, and
/// otherwise the requested positive rate, which is then required.
fn resolve_exchange_rate(
    currency: Currency,
    base: Currency,
    requested: Option<Decimal>,
) -> Result<Decimal, RepoError> {
    match requested {
        Some(rate) if rate <= Decimal::ZERO => Err(RepoError::invalid(
            "exchange_rate",
            "out_of_range",
            format!("exchange_rate must be greater than 0, but was {rate}"),
        )),
        Some(rate) if currency == base && rate != Decimal::ONE => Err(RepoError::invalid(
            "exchange_rate",
            "out_of_range",
            format!(
                "exchange_rate must be 1 because the deal currency {} is the organization's base currency: omit it",
                currency.code()
            ),
        )),
        Some(rate) => Ok(rate.normalize()),
        None if currency == base => Ok(Decimal::ONE),
        None => Err(RepoError::invalid(
            "exchange_rate",
            "required",
            format!(
                "exchange_rate is required because the deal currency {} differs from the organization's base currency {}: pass the value of 1 {} in {} as a decimal string",
                currency.code(),
                base.code(),
                currency.code(),
                base.code()
            ),
        )),
    }
}

/// Loads the stage a deal goes to in `pipeline_id`: `stage_id` when given, otherwise the
/// pipeline's first open stage by position.
async fn find_pipeline_stage<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_id: Uuid,
    stage_id: Option<Uuid>,
) -> Result<stage::Model, RepoError> {
    check_reference::<pipeline::Entity, C>(db, scope, "pipeline_id", Some(pipeline_id)).await?;
    let Some(stage_id) = stage_id else {
        return first_open_stage(db, scope, pipeline_id).await;
    };
    let stage = match find_live::<stage::Entity, C>(db, scope, stage_id).await {
        Ok(stage) => stage,
        Err(RepoError::NotFound { .. }) => {
            return Err(RepoError::invalid(
                "stage_id",
                "unknown_reference",
                format!(
                    "no stage with id {stage_id} exists in this organization: pass the id of a stage of pipeline {pipeline_id}"
                ),
            ));
        }
        Err(other) => return Err(other),
    };
    if stage.pipeline_id != pipeline_id {
        return Err(RepoError::invalid(
            "stage_id",
            "stage_not_in_pipeline",
            format!(
                "stage {stage_id} belongs to pipeline {}, not {pipeline_id}: pass a stage of pipeline {pipeline_id}",
                stage.pipeline_id
            ),
        ));
    }
    Ok(stage)
}

async fn first_open_stage<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_id: Uuid,
) -> Result<stage::Model, RepoError> {
    stage::Entity::find()
        .filter(visible::<stage::Entity>(scope))
        .filter(stage::Column::PipelineId.eq(pipeline_id))
        .filter(stage::Column::Kind.eq(StageKind::Open.as_str()))
        .filter(stage::Column::DeletedAt.is_null())
        .order_by_asc(stage::Column::Position)
        .order_by_asc(stage::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| {
            RepoError::invalid(
                "stage_id",
                "required",
                format!(
                    "pipeline {pipeline_id} has no open stage to start in: pass stage_id, or add an open stage to the pipeline"
                ),
            )
        })
}

/// Removes repeated ids, keeping the first occurrence of each.
fn dedupe(ids: Vec<Uuid>) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

/// Checks that every id names a live contact visible to `scope`, with one query.
async fn check_contacts<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<(), RepoError> {
    if ids.is_empty() {
        return Ok(());
    }
    let found: HashSet<Uuid> = contact::Entity::find()
        .filter(visible::<contact::Entity>(scope))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|contact| contact.id)
        .collect();
    let errors: Vec<FieldError> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !found.contains(id))
        .map(|(index, id)| {
            FieldError::new(
                format!("contact_ids[{index}]"),
                "unknown_reference",
                format!(
                    "no contact with id {id} exists in this organization: pass the id of an existing contact"
                ),
            )
        })
        .collect();
    match errors.is_empty() {
        true => Ok(()),
        false => Err(RepoError::Invalid(errors)),
    }
}

/// A line item whose product and name have been checked.
struct ResolvedLineItem {
    product_id: Option<Uuid>,
    name: String,
    quantity: Decimal,
    unit_price_e4: i64,
}

/// Checks the currency and product of each line item, loading the products with one query,
/// and fills in missing names from the products.
async fn resolve_line_items<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    currency: Currency,
    items: Vec<NewLineItem>,
) -> Result<Vec<ResolvedLineItem>, RepoError> {
    let product_ids: Vec<Uuid> = dedupe(items.iter().filter_map(|item| item.product_id).collect());
    let products: HashMap<Uuid, String> = if product_ids.is_empty() {
        HashMap::new()
    } else {
        product::Entity::find()
            .filter(visible::<product::Entity>(scope))
            .filter(product::Column::DeletedAt.is_null())
            .filter(product::Column::Id.is_in(product_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|product| (product.id, product.name))
            .collect()
    };

    let mut errors = Vec::new();
    let mut resolved = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let price_currency = item.unit_price.currency();
        if price_currency != currency {
            errors.push(FieldError::new(
                format!("line_items[{index}].unit_price.currency"),
                "currency_mismatch",
                format!(
                    "unit_price is in {} but the deal is in {}: price every line item in the deal currency",
                    price_currency.code(),
                    currency.code()
                ),
            ));
        }
        let product_name = match item.product_id {
            Some(id) => match products.get(&id) {
                Some(name) => Some(name.clone()),
                None => {
                    errors.push(FieldError::new(
                        format!("line_items[{index}].product_id"),
                        "unknown_reference",
                        format!(
                            "no product with id {id} exists in this organization: pass the id of an existing product"
                        ),
                    ));
                    None
                }
            },
            None => None,
        };
        let Some(name) = item.name.or(product_name) else {
            if item.product_id.is_none() {
                errors.push(FieldError::new(
                    format!("line_items[{index}].name"),
                    "required",
                    "a line item without product_id needs a name",
                ));
            }
            continue;
        };
        resolved.push(ResolvedLineItem {
            product_id: item.product_id,
            name,
            quantity: item.quantity,
            unit_price_e4: item.unit_price.stored_amount(),
        });
    }
    match errors.is_empty() {
        true => Ok(resolved),
        false => Err(RepoError::Invalid(errors)),
    }
}

/// Checks the user, team and company a deal refers to.
async fn check_links<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    owner_id: Option<Uuid>,
    team_id: Option<Uuid>,
    company_id: Option<Uuid>,
) -> Result<(), RepoError> {
    users::check_member(db, scope, "owner_id", owner_id).await?;
    check_reference::<team::Entity, C>(db, scope, "team_id", team_id).await?;
    check_reference::<company::Entity, C>(db, scope, "company_id", company_id).await
}

async fn insert_contacts<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    deal_id: Uuid,
    contact_ids: &[Uuid],
) -> Result<(), RepoError> {
    let rows = contact_ids
        .iter()
        .map(|contact_id| deal_contact::ActiveModel {
            org_id: Set(scope.org_id),
            deal_id: Set(deal_id),
            contact_id: Set(*contact_id),
            role: Set(None),
        });
    deal_contact::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn insert_line_items<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    deal_id: Uuid,
    items: Vec<ResolvedLineItem>,
) -> Result<(), RepoError> {
    let rows = items
        .into_iter()
        .zip(0_i32..)
        .map(|(item, position)| line_item::ActiveModel {
            id: Set(domain::id::new_id()),
            org_id: Set(scope.org_id),
            deal_id: Set(deal_id),
            product_id: Set(item.product_id),
            name: Set(item.name),
            quantity: Set(item.quantity.normalize().to_string()),
            unit_price_e4: Set(item.unit_price_e4),
            position: Set(position),
        });
    line_item::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Appends a stage transition: the append-only record of a deal entering a stage.
async fn insert_transition<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    deal_id: Uuid,
    from_stage_id: Option<Uuid>,
    to_stage_id: Uuid,
    at: PrimitiveDateTime,
) -> Result<(), RepoError> {
    stage_transition::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        deal_id: Set(deal_id),
        from_stage_id: Set(from_stage_id),
        to_stage_id: Set(to_stage_id),
        at: Set(at),
        by_user_id: Set(Some(scope.user_id)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Inserts a deal with its contacts, line items, first stage transition and change event,
/// inside the caller's transaction. Checks every reference first, so a rejected deal writes
/// nothing.
pub async fn insert_deal<C: ConnectionTrait>(
    txn: &C,
    scope: &Scope,
    new: NewDeal,
) -> Result<Model, RepoError> {
    let base = base_currency(txn, scope).await?;
    let currency = resolve_currency(new.amount.as_ref(), new.currency, base)?;
    let exchange_rate = resolve_exchange_rate(currency, base, new.exchange_rate)?;
    let stage = find_pipeline_stage(txn, scope, new.pipeline_id, new.stage_id).await?;
    let owner_id = new.owner_id.unwrap_or(scope.user_id);
    check_links(txn, scope, Some(owner_id), new.team_id, new.company_id).await?;
    let contact_ids = dedupe(new.contact_ids);
    check_contacts(txn, scope, &contact_ids).await?;
    let line_items = resolve_line_items(txn, scope, currency, new.line_items).await?;

    let now = domain::time::now_utc();
    let closed = stage_kind(&stage).is_closed();
    let closed_on = match closed {
        true => new.closed_on.or(Some(now.date())),
        false => new.closed_on,
    };
    check_close_dates(closed, new.engaged_on, closed_on)?;
    let close_exchange_rate = match closed {
        true => Some(new.close_exchange_rate.unwrap_or(exchange_rate)),
        false => new.close_exchange_rate,
    };
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(new.name),
        pipeline_id: Set(stage.pipeline_id),
        stage_id: Set(stage.id),
        owner_id: Set(Some(owner_id)),
        team_id: Set(new.team_id),
        company_id: Set(new.company_id),
        amount_e4: Set(new.amount.map(|money| money.stored_amount())),
        currency: Set(currency.code().to_owned()),
        exchange_rate: Set(exchange_rate.to_string()),
        close_exchange_rate: Set(close_exchange_rate.map(|rate| rate.normalize().to_string())),
        expected_close_date: Set(new.expected_close_date),
        engaged_on: Set(new.engaged_on),
        closed_on: Set(closed_on),
        source: Set(new.source),
        channel: Set(new.channel),
        region: Set(new.region),
        customer_type: Set(new.customer_type),
        win_loss_reason: Set(new.win_loss_reason),
        competitor: Set(new.competitor),
        next_step: Set(new.next_step),
        external_ref: Set(None),
        stage_changed_at: Set(now),
    }
    .insert(txn)
    .await?;

    insert_contacts(txn, scope, model.id, &contact_ids).await?;
    insert_line_items(txn, scope, model.id, line_items).await?;
    insert_transition(txn, scope, model.id, None, stage.id, now).await?;
    changes::record(
        txn,
        scope,
        "deal",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    Ok(model)
}

/// Inserts a deal in its own transaction and returns it with its contacts and line items.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewDeal,
) -> Result<DealRecord, RepoError> {
    let txn = crate::begin_write(db).await?;
    let model = insert_deal(&txn, scope, new).await?;
    let record = load_record(&txn, model).await?;
    txn.commit().await?;
    Ok(record)
}

/// Loads the contacts, line items and stages of `deals` with one query each, whatever the
/// number of deals, keeping their order.
pub async fn load_records<C: ConnectionTrait>(
    db: &C,
    deals: Vec<Model>,
) -> Result<Vec<DealRecord>, RepoError> {
    let Some(first) = deals.first() else {
        return Ok(Vec::new());
    };
    let org_id = first.org_id;
    let deal_ids: Vec<Uuid> = deals.iter().map(|deal| deal.id).collect();
    let stage_ids: Vec<Uuid> = dedupe(deals.iter().map(|deal| deal.stage_id).collect());

    let mut contacts: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in deal_contact::Entity::find()
        .filter(deal_contact::Column::OrgId.eq(org_id))
        .filter(deal_contact::Column::DealId.is_in(deal_ids.clone()))
        .order_by_asc(deal_contact::Column::ContactId)
        .all(db)
        .await?
    {
        contacts
            .entry(link.deal_id)
            .or_default()
            .push(link.contact_id);
    }
    let mut items: HashMap<Uuid, Vec<line_item::Model>> = HashMap::new();
    for item in line_item::Entity::find()
        .filter(line_item::Column::OrgId.eq(org_id))
        .filter(line_item::Column::DealId.is_in(deal_ids))
        .order_by_asc(line_item::Column::Position)
        .order_by_asc(line_item::Column::Id)
        .all(db)
        .await?
    {
        items.entry(item.deal_id).or_default().push(item);
    }
    let stages: HashMap<Uuid, stage::Model> = stage::Entity::find()
        .filter(stage::Column::OrgId.eq(org_id))
        .filter(stage::Column::Id.is_in(stage_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|stage| (stage.id, stage))
        .collect();

    Ok(deals
        .into_iter()
        .map(|deal| DealRecord {
            contact_ids: contacts.remove(&deal.id).unwrap_or_default(),
            line_items: items.remove(&deal.id).unwrap_or_default(),
            stage: stages.get(&deal.stage_id).cloned(),
            deal,
        })
        .collect())
}

async fn load_record<C: ConnectionTrait>(db: &C, deal: Model) -> Result<DealRecord, RepoError> {
    let mut records = load_records(db, vec![deal]).await?;
    records.pop().ok_or(RepoError::NotFound { entity: "deal" })
}

/// Reads one live deal with its contacts, line items and stage.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
) -> Result<DealRecord, RepoError> {
    let deal = find_live::<Entity, C>(db, scope, id).await?;
    load_record(db, deal).await
}

/// Restores a deleted deal and returns it with its contacts, line items and stage.
pub async fn restore(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
) -> Result<DealRecord, RepoError> {
    let deal = super::restore::<Entity>(db, scope, id, expected).await?;
    load_record(db, deal).await
}

/// Finds the stage a patch moves the deal to, or `None` when the stage stays.
async fn stage_change<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    current: &Model,
    changes: &DealChanges,
) -> Result<Option<stage::Model>, RepoError> {
    let pipeline_id = changes.pipeline_id.unwrap_or(current.pipeline_id);
    if pipeline_id != current.pipeline_id && changes.stage_id.is_none() {
        return Err(RepoError::invalid(
            "stage_id",
            "required",
            format!(
                "moving a deal to another pipeline needs stage_id too: pass a stage of pipeline {pipeline_id}"
            ),
        ));
    }
    let Some(stage_id) = changes.stage_id else {
        return Ok(None);
    };
    let stage = find_pipeline_stage(db, scope, pipeline_id, Some(stage_id)).await?;
    Ok((stage.id != current.stage_id).then_some(stage))
}

/// Works out the deal currency after a patch. A currency change is rejected unless the patch
/// also replaces a set amount and any line items, which are priced in the old currency.
fn changed_currency(current: &DealRecord, changes: &DealChanges) -> Result<Currency, RepoError> {
    let stored = Currency::parse(&current.deal.currency).unwrap_or(Currency::USD);
    let amount = changes.amount.as_ref().and_then(Option::as_ref);
    let currency = resolve_currency(amount, changes.currency, stored)?;
    if currency == stored {
        return Ok(currency);
    }
    if changes.amount.is_none() && current.deal.amount_e4.is_some() {
        return Err(RepoError::invalid(
            "amount",
            "currency_mismatch",
            format!(
                "the amount is in {} and would change currency: send amount in {} too, or null",
                stored.code(),
                currency.code()
            ),
        ));
    }
    if changes.line_items.is_none() && !current.line_items.is_empty() {
        return Err(RepoError::invalid(
            "line_items",
            "currency_mismatch",
            format!(
                "the line items are priced in {}: send line_items priced in {} too, or []",
                stored.code(),
                currency.code()
            ),
        ));
    }
    Ok(currency)
}

/// Reads the value a field will have after an update: the one being set, or the stored one.
fn value_after<T: Clone + Into<sea_orm::Value>>(field: &sea_orm::ActiveValue<T>, stored: T) -> T {
    match field {
        sea_orm::ActiveValue::Set(value) | sea_orm::ActiveValue::Unchanged(value) => value.clone(),
        sea_orm::ActiveValue::NotSet => stored,
    }
}

/// Checks that only a won or lost deal has a close date, and that it closed on or after the
/// day it was engaged.
fn check_close_dates(
    closed: bool,
    engaged_on: Option<Date>,
    closed_on: Option<Date>,
) -> Result<(), RepoError> {
    match (closed, engaged_on, closed_on) {
        (false, _, Some(_)) => Err(RepoError::invalid(
            "closed_on",
            "not_closed",
            "only a won or lost deal has a close date: move the deal to a won or lost stage, or leave closed_on out",
        )),
        (true, Some(engaged), Some(closed)) if closed < engaged => Err(RepoError::invalid(
            "closed_on",
            "before_engaged_on",
            format!(
                "closed_on {closed} is before engaged_on {engaged}: a deal closes on or after the day it was engaged"
            ),
        )),
        _ => Ok(()),
    }
}

/// Sets the closing fields that follow a stage change, unless the patch sets them itself:
/// entering a won or lost stage sets `closed_on` (today, UTC) and `close_exchange_rate`
/// when unset, and returning to an open stage clears both.
fn apply_stage_move(
    active: &mut ActiveModel,
    current: &Model,
    changes: &DealChanges,
    stage: &stage::Model,
    exchange_rate: &str,
    now: PrimitiveDateTime,
) {
    active.pipeline_id = Set(stage.pipeline_id);
    active.stage_id = Set(stage.id);
    active.stage_changed_at = Set(now);
    let closed = stage_kind(stage).is_closed();
    if changes.closed_on.is_none() {
        match closed {
            true if current.closed_on.is_none() => {
                active.closed_on = Set(Some(now.date()));
            }
            true => {}
            false => active.closed_on = Set(None),
        }
    }
    if changes.close_exchange_rate.is_none() {
        match closed {
            true if current.close_exchange_rate.is_none() => {
                active.close_exchange_rate = Set(Some(exchange_rate.to_owned()));
            }
            true => {}
            false => active.close_exchange_rate = Set(None),
        }
    }
}

/// Copies the plain fields of a patch onto an active model.
fn apply_fields(active: &mut ActiveModel, changes: &DealChanges) {
    if let Some(name) = changes.name.clone() {
        active.name = Set(name);
    }
    if let Some(amount) = changes.amount {
        active.amount_e4 = Set(amount.map(|money| money.stored_amount()));
    }
    if let Some(rate) = changes.close_exchange_rate {
        active.close_exchange_rate = Set(rate.map(|rate| rate.normalize().to_string()));
    }
    set_optional(&mut active.owner_id, changes.owner_id);
    set_optional(&mut active.team_id, changes.team_id);
    set_optional(&mut active.company_id, changes.company_id);
    set_optional(&mut active.expected_close_date, changes.expected_close_date);
    set_optional(&mut active.engaged_on, changes.engaged_on);
    set_optional(&mut active.closed_on, changes.closed_on);
    set_optional(&mut active.source, changes.source.clone());
    set_optional(&mut active.channel, changes.channel.clone());
    set_optional(&mut active.region, changes.region.clone());
    set_optional(&mut active.customer_type, changes.customer_type.clone());
    set_optional(&mut active.win_loss_reason, changes.win_loss_reason.clone());
    set_optional(&mut active.competitor, changes.competitor.clone());
    set_optional(&mut active.next_step, changes.next_step.clone());
}

/// Applies a partial update at the client's expected version. A stage change appends a stage
/// transition, and the change event lists the fields that differ in `describe`.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: DealChanges,
    describe: impl Fn(&DealRecord) -> Json,
) -> Result<DealRecord, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = get(&txn, scope, id).await?;
    check_version("deal", expected, current.deal.version)?;

    let new_stage = stage_change(&txn, scope, &current.deal, &changes).await?;
    let currency = changed_currency(&current, &changes)?;
    let currency_changed = currency.code() != current.deal.currency;
    let exchange_rate = match (changes.exchange_rate, currency_changed) {
        (None, false) => None,
        (requested, _) => {
            let base = base_currency(&txn, scope).await?;
            Some(resolve_exchange_rate(currency, base, requested)?)
        }
    };
    check_links(
        &txn,
        scope,
        changes.owner_id.flatten(),
        changes.team_id.flatten(),
        changes.company_id.flatten(),
    )
    .await?;
    let contact_ids = changes.contact_ids.clone().map(dedupe);
    if let Some(ids) = &contact_ids {
        check_contacts(&txn, scope, ids).await?;
    }
    let line_items = match changes.line_items.clone() {
        Some(items) => Some(resolve_line_items(&txn, scope, currency, items).await?),
        None => None,
    };

    let now = domain::time::now_utc();
    let mut active = <ActiveModel as ActiveModelTrait>::default();
    apply_fields(&mut active, &changes);
    active.currency = Set(currency.code().to_owned());
    let rate_text = match exchange_rate {
        Some(rate) => {
            active.exchange_rate = Set(rate.to_string());
            rate.to_string()
        }
        None => current.deal.exchange_rate.clone(),
    };
    if let Some(stage) = &new_stage {
        apply_stage_move(&mut active, &current.deal, &changes, stage, &rate_text, now);
    }
    let closed = new_stage
        .as_ref()
        .or(current.stage.as_ref())
        .is_some_and(|stage| stage_kind(stage).is_closed());
    check_close_dates(
        closed,
        value_after(&active.engaged_on, current.deal.engaged_on),
        value_after(&active.closed_on, current.deal.closed_on),
    )?;
    update_versioned::<Entity, _>(&txn, scope, id, current.deal.version, active).await?;

    if let Some(ids) = contact_ids {
        deal_contact::Entity::delete_many()
            .filter(deal_contact::Column::OrgId.eq(scope.org_id))
            .filter(deal_contact::Column::DealId.eq(id))
            .exec(&txn)
            .await?;
        insert_contacts(&txn, scope, id, &ids).await?;
    }
    if let Some(items) = line_items {
        line_item::Entity::delete_many()
            .filter(line_item::Column::OrgId.eq(scope.org_id))
            .filter(line_item::Column::DealId.eq(id))
            .exec(&txn)
            .await?;
        insert_line_items(&txn, scope, id, items).await?;
    }
    if let Some(stage) = &new_stage {
        insert_transition(&txn, scope, id, Some(current.deal.stage_id), stage.id, now).await?;
    }

    let updated = get(&txn, scope, id).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "deal", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Builds the list condition of `filter` on top of the visibility of `scope`.
fn list_condition(scope: &Scope, filter: DealFilter) -> Condition {
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Name, &like_pattern(q)));
    }
    condition = add_link_filters(condition, scope, &filter);

    let equal_texts = [
        (
            Column::Currency,
            filter.currency.map(|currency| currency.code().to_owned()),
        ),
        (Column::Source, filter.source),
        (Column::Channel, filter.channel),
        (Column::Region, filter.region),
    ];
    for (column, text) in equal_texts {
        if let Some(text) = text {
            condition = condition.add(column.eq(text));
        }
    }

    condition = add_range(
        condition,
        Column::AmountE4,
        filter.amount_min_e4,
        filter.amount_max_e4,
    );
    condition = add_range(
        condition,
        Column::ExpectedCloseDate,
        filter.expected_close_from,
        filter.expected_close_to,
    );
    condition = add_range(
        condition,
        Column::ClosedOn,
        filter.closed_from,
        filter.closed_to,
    );
    if let Some(from) = filter.created_from {
        condition = condition.add(Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.created_to {
        condition = condition.add(Column::CreatedAt.lt(to));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
    condition
}

/// Adds the filters on linked records: owner, team, stage, pipeline, company, a linked
/// contact, and the kind of the current stage.
fn add_link_filters(condition: Condition, scope: &Scope, filter: &DealFilter) -> Condition {
    let mut condition = condition;
    let equal_ids = [
        (Column::OwnerId, filter.owner_id),
        (Column::TeamId, filter.team_id),
        (Column::StageId, filter.stage_id),
        (Column::PipelineId, filter.pipeline_id),
        (Column::CompanyId, filter.company_id),
    ];
    for (column, id) in equal_ids {
        if let Some(id) = id {
            condition = condition.add(column.eq(id));
        }
    }

    if let Some(contact_id) = filter.contact_id {
        let linked = Query::select()
            .column(deal_contact::Column::DealId)
            .from(deal_contact::Entity)
            .and_where(Expr::col(deal_contact::Column::OrgId).eq(scope.org_id))
            .and_where(Expr::col(deal_contact::Column::ContactId).eq(contact_id))
            .to_owned();
        condition = condition.add(Column::Id.in_subquery(linked));
    }
    if filter.product_id.is_some() || filter.product_line.is_some() {
        condition = condition.add(Column::Id.in_subquery(deals_with_product(scope, filter)));
    }
    if let Some(external_ref) = filter.external_ref.clone() {
        condition = condition.add(Column::ExternalRef.eq(external_ref));
    }
    if let Some(kind) = filter.status {
        let stages = Query::select()
            .column(stage::Column::Id)
            .from(stage::Entity)
            .and_where(Expr::col(stage::Column::OrgId).eq(scope.org_id))
            .and_where(Expr::col(stage::Column::Kind).eq(kind.as_str()))
            .to_owned();
        condition = condition.add(Column::StageId.in_subquery(stages));
    }
    condition
}

/// Adds an inclusive range on `column` for the bounds that are set.
fn add_range<T: Into<sea_orm::Value>>(
    condition: Condition,
    column: Column,
    min: Option<T>,
    max: Option<T>,
) -> Condition {
    let mut condition = condition;
    if let Some(min) = min {
        condition = condition.add(column.gte(min));
    }
    if let Some(max) = max {
        condition = condition.add(column.lte(max));
    }
    condition
}

/// Lists deals visible to `scope`. Runs the page query, an optional count, and one query
/// each for the contacts, line items and stages of the whole page.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: DealFilter,
    options: &ListOptions,
) -> Result<Page<DealRecord>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let condition = list_condition(scope, filter);
    let page = fetch_page(
        db,
        Entity::find().filter(condition),
        sort_text,
        &sort,
        options,
    )
    .await?;
    let records = load_records(db, page.rows).await?;
    Ok(Page {
        rows: records,
        next_cursor: page.next_cursor,
        total: page.total,
    })
}

/// Reads the stage transitions and change events of a live deal with four queries.
pub async fn history(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<DealHistory, RepoError> {
    let deal = find_live::<Entity, _>(db, scope, id).await?;
    let transitions = stage_transition::Entity::find()
        .filter(stage_transition::Column::OrgId.eq(scope.org_id))
        .filter(stage_transition::Column::DealId.eq(deal.id))
        .order_by_asc(stage_transition::Column::At)
        .order_by_asc(stage_transition::Column::Id)
        .all(db)
        .await?;
    let stage_ids: Vec<Uuid> = dedupe(
        transitions
            .iter()
            .flat_map(|row| [row.from_stage_id, Some(row.to_stage_id)])
            .flatten()
            .collect(),
    );
    // Deleted stages are included, because a transition keeps the name it was made under.
    let names: HashMap<Uuid, String> = match stage_ids.is_empty() {
        true => HashMap::new(),
        false => stage::Entity::find()
            .filter(stage::Column::OrgId.eq(scope.org_id))
            .filter(stage::Column::Id.is_in(stage_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|stage| (stage.id, stage.name))
            .collect(),
    };
    let changes = change_event::Entity::find()
        .filter(change_event::Column::OrgId.eq(scope.org_id))
        .filter(change_event::Column::Entity.eq("deal"))
        .filter(change_event::Column::EntityId.eq(deal.id))
        .order_by_asc(change_event::Column::At)
        .order_by_asc(change_event::Column::Id)
        .all(db)
        .await?;

    let transitions = transitions
        .into_iter()
        .map(|transition| TransitionEntry {
            from_stage_name: transition
                .from_stage_id
                .and_then(|stage_id| names.get(&stage_id).cloned()),
            to_stage_name: names.get(&transition.to_stage_id).cloned(),
            transition,
        })
        .collect();
    Ok(DealHistory {
        transitions,
        changes,
    })
}

/// Selects the ids of deals with a line item of the filter's product or product line.
fn deals_with_product(scope: &Scope, filter: &DealFilter) -> sea_orm::sea_query::SelectStatement {
    let mut items = Query::select()
        .column((line_item::Entity, line_item::Column::DealId))
        .from(line_item::Entity)
        .and_where(Expr::col((line_item::Entity, line_item::Column::OrgId)).eq(scope.org_id))
        .to_owned();
    if let Some(product_id) = filter.product_id {
        items
            .and_where(Expr::col((line_item::Entity, line_item::Column::ProductId)).eq(product_id));
    }
    if let Some(line) = filter.product_line.clone() {
        let products = Query::select()
            .column(product::Column::Id)
            .from(product::Entity)
            .and_where(Expr::col(product::Column::OrgId).eq(scope.org_id))
            .and_where(Expr::col(product::Column::ProductLine).eq(line))
            .to_owned();
        items.and_where(
            Expr::col((line_item::Entity, line_item::Column::ProductId)).in_subquery(products),
        );
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap_or(Currency::USD)
    }

    fn field_codes(error: RepoError) -> Vec<(String, &'static str)> {
        match error {
            RepoError::Invalid(errors) => errors
                .into_iter()
                .map(|error| (error.field, error.code))
                .collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn exchange_rate_defaults_to_one_in_base() {
        let rate = resolve_exchange_rate(Currency::USD, Currency::USD, None);
        assert_eq!(rate.ok(), Some(Decimal::ONE));
    }

    #[test]
    fn exchange_rate_required_in_foreign_currency() {
        let Err(error) = resolve_exchange_rate(currency("EUR"), Currency::USD, None) else {
            panic!("a EUR deal in a USD organization needs a rate");
        };
        assert_eq!(
            field_codes(error),
            vec![("exchange_rate".to_owned(), "required")]
        );
    }

    #[test]
    fn exchange_rate_rejects_zero_and_base_mismatch() {
        let zero = resolve_exchange_rate(currency("EUR"), Currency::USD, Some(Decimal::ZERO));
        assert!(zero.is_err(), "a zero rate is invalid");
        let two = resolve_exchange_rate(Currency::USD, Currency::USD, Some(Decimal::TWO));
        assert!(two.is_err(), "the base currency has rate 1");
    }

    #[test]
    fn exchange_rate_normalizes_given_rate() {
        let rate =
            resolve_exchange_rate(currency("EUR"), Currency::USD, Some(Decimal::new(10800, 4)));
        assert_eq!(
            rate.ok().map(|rate| rate.to_string()),
            Some("1.08".to_owned())
        );
    }

    #[test]
    fn currency_comes_from_amount() {
        let eur = currency("EUR");
        let amount = Money::new(Decimal::new(1000, 0), eur).ok();
        let resolved = resolve_currency(amount.as_ref(), None, Currency::USD);
        assert_eq!(resolved.ok(), Some(eur));
        let resolved = resolve_currency(None, None, Currency::USD);
        assert_eq!(resolved.ok(), Some(Currency::USD));
    }

    #[test]
    fn currency_mismatch_is_rejected() {
        let amount = Money::new(Decimal::new(1000, 0), currency("EUR")).ok();
        let resolved = resolve_currency(amount.as_ref(), Some(Currency::USD), Currency::USD);
        assert!(resolved.is_err());
    }

    #[test]
    fn dedupe_keeps_first_order() {
        let [a, b] = [Uuid::from_u128(1), Uuid::from_u128(2)];
        assert_eq!(dedupe(vec![b, a, b, a]), vec![b, a]);
    }
}
