//! `/deals`: sales projects moving through the stages of a pipeline.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::deals::{
    ChangeEntry, Deal, DealHistory, DealPatch, DealStage, DealStatus, LineItem, NewDeal,
    NewLineItem, StageTransition, calendar_date,
};
use api_types::{Page, Problem};
use domain::{Currency, StageKind};
use persistence::FieldError;
use persistence::entities::{change_event, deal::Entity, line_item, stage};
use persistence::list::ListOptions;
use persistence::repo::{self, deals};
use rust_decimal::Decimal;
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out, money_in, money_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member, QueryParams};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_deals)
        .service(create_deal)
        .service(get_deal)
        .service(update_deal)
        .service(delete_deal)
        .service(restore_deal)
        .service(deal_history);
}

/// Converts a stage kind into the status a deal in that stage has.
pub(crate) fn status_of(kind: StageKind) -> DealStatus {
    match kind {
        StageKind::Open => DealStatus::Open,
        StageKind::Won => DealStatus::Won,
        StageKind::Lost => DealStatus::Lost,
    }
}

fn stage_body(stage: stage::Model) -> DealStage {
    DealStage {
        kind: status_of(deals::stage_kind(&stage)),
        id: stage.id,
        name: stage.name,
        probability: stage.probability,
    }
}

fn line_item_body(item: line_item::Model, currency: &str) -> LineItem {
    LineItem {
        unit_price: money_out(Some(item.unit_price_e4), Some(currency)).unwrap_or(
            api_types::Money {
                amount: Decimal::ZERO,
                currency: currency.to_owned(),
            },
        ),
        id: item.id,
        product_id: item.product_id,
        name: item.name,
        quantity: item.quantity,
        position: item.position,
    }
}

/// Builds the response body of a deal.
pub(crate) fn deal_body(record: deals::DealRecord) -> Deal {
    let deals::DealRecord {
        deal,
        contact_ids,
        line_items,
        stage,
    } = record;
    let line_items = line_items
        .into_iter()
        .map(|item| line_item_body(item, &deal.currency))
        .collect();
    Deal {
        amount: money_out(deal.amount_e4, Some(&deal.currency)),
        stage: stage.map(stage_body),
        expected_close_date: deal.expected_close_date,
        engaged_on: deal.engaged_on,
        closed_on: deal.closed_on,
        contact_ids,
        line_items,
        id: deal.id,
        name: deal.name,
        pipeline_id: deal.pipeline_id,
        stage_id: deal.stage_id,
        owner_id: deal.owner_id,
        team_id: deal.team_id,
        company_id: deal.company_id,
        currency: deal.currency,
        exchange_rate: deal.exchange_rate,
        close_exchange_rate: deal.close_exchange_rate,
        source: deal.source,
        channel: deal.channel,
        region: deal.region,
        customer_type: deal.customer_type,
        win_loss_reason: deal.win_loss_reason,
        competitor: deal.competitor,
        next_step: deal.next_step,
        external_ref: deal.external_ref,
        version: deal.version,
        created_at: instant_out(deal.created_at),
        updated_at: instant_out(deal.updated_at),
        deleted_at: deal.deleted_at.map(instant_out),
        stage_changed_at: instant_out(deal.stage_changed_at),
    }
}

/// Serializes the fields compared for a change event. The embedded stage is left out
/// because `stage_id` already records the move.
fn describe(record: &deals::DealRecord) -> serde_json::Value {
    let mut value = serde_json::to_value(deal_body(record.clone())).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.remove("stage");
    }
    value
}

/// Query parameters of the deal list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DealListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, amount, expected_close_date,
    /// closed_on, created_at, updated_at, stage_changed_at. Default `-updated_at`.
    sort: Option<String>,
    /// Adds `total`, the number of matching deals.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted deals too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name.
    q: Option<String>,
    owner_id: Option<Uuid>,
    team_id: Option<Uuid>,
    stage_id: Option<Uuid>,
    pipeline_id: Option<Uuid>,
    company_id: Option<Uuid>,
    /// Deals linked to this contact.
    contact_id: Option<Uuid>,
    /// Deals with a line item of this product.
    product_id: Option<Uuid>,
    /// Deals with a line item of a product in this product line, such as `GTX`.
    product_line: Option<String>,
    /// The deal's id in the system it was imported from.
    external_ref: Option<String>,
    /// The kind of the deal's current stage.
    status: Option<DealStatus>,
    /// ISO 4217 code of the deal currency.
    currency: Option<String>,
    /// Smallest amount, inclusive, as a decimal. It is compared in each deal's own
    /// currency without conversion, so combine it with `currency` for a meaningful range.
    #[param(value_type = Option<String>)]
    amount_min: Option<Decimal>,
    /// Largest amount, inclusive, in each deal's own currency like `amount_min`.
    #[param(value_type = Option<String>)]
    amount_max: Option<Decimal>,
    /// Earliest expected close date, inclusive (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    expected_close_from: Option<Date>,
    /// Latest expected close date, inclusive (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    expected_close_to: Option<Date>,
    /// Earliest close date, inclusive (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    closed_from: Option<Date>,
    /// Latest close date, inclusive (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    closed_to: Option<Date>,
    /// Only deals created at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    created_from: Option<OffsetDateTime>,
    /// Only deals created before this instant (RFC 3339, exclusive).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    created_to: Option<OffsetDateTime>,
    /// Only deals changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
    source: Option<String>,
    channel: Option<String>,
    region: Option<String>,
}

/// Converts an amount bound of the list into ten-thousandths.
fn amount_bound(field: &str, amount: Option<Decimal>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let amount = amount?;
    let stored = domain::money::parse_stored_bound(amount);
    if stored.is_none() {
        errors.push(FieldError::new(
            field,
            "invalid_amount",
            format!(
                "{field} must have at most 4 decimal places and an absolute value below 100000000000000, but was {amount}"
            ),
        ));
    }
    stored
}

fn deal_filter(query: &mut DealListQuery) -> Result<deals::DealFilter, ApiError> {
    let mut errors = Vec::new();
    let currency = currency_in("currency", query.currency.take(), &mut errors);
    let amount_min_e4 = amount_bound("amount_min", query.amount_min, &mut errors);
    let amount_max_e4 = amount_bound("amount_max", query.amount_max, &mut errors);
    reject_fields(errors)?;
    Ok(deals::DealFilter {
        q: query.q.take(),
        owner_id: query.owner_id,
        team_id: query.team_id,
        stage_id: query.stage_id,
        pipeline_id: query.pipeline_id,
        company_id: query.company_id,
        contact_id: query.contact_id,
        product_id: query.product_id,
        product_line: query.product_line.take(),
        external_ref: query.external_ref.take(),
        status: query.status.map(|status| match status {
            DealStatus::Open => StageKind::Open,
            DealStatus::Won => StageKind::Won,
            DealStatus::Lost => StageKind::Lost,
        }),
        currency,
        amount_min_e4,
        amount_max_e4,
        expected_close_from: query.expected_close_from,
        expected_close_to: query.expected_close_to,
        closed_from: query.closed_from,
        closed_to: query.closed_to,
        created_from: query.created_from.map(domain::time::to_stored),
        created_to: query.created_to.map(domain::time::to_stored),
        updated_since: query.updated_since.map(domain::time::to_stored),
        source: query.source.take(),
        channel: query.channel.take(),
        region: query.region.take(),
    })
}

/// List deals
///
/// Pages through the organization's deals with keyset pagination. Each deal comes with its
/// stage, contact ids and line items, loaded with one query per page each.
#[utoipa::path(
    tag = "deals",
    params(DealListQuery),
    responses(
        (status = 200, description = "One page of deals", body = Page<Deal>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit, cursor, currency or amount bound", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/deals")]
async fn list_deals(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<DealListQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut query = query.into_inner();
    let filter = deal_filter(&mut query)?;
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let page = deals::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(deal_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Parses an ISO 4217 code, collecting the error into `errors`.
fn currency_in(
    field: &str,
    code: Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<Currency> {
    match Currency::parse(code?.trim()) {
        Ok(currency) => Some(currency),
        Err(error) => {
            errors.push(FieldError::new(
                field,
                "unknown_currency",
                error.to_string(),
            ));
            None
        }
    }
}

/// Checks that an exchange rate is positive, collecting the error into `errors`.
fn rate_in(field: &str, rate: Option<Decimal>, errors: &mut Vec<FieldError>) -> Option<Decimal> {
    let rate = rate?;
    if rate <= Decimal::ZERO {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be greater than 0, but was {rate}"),
        ));
    }
    Some(rate)
}

/// Checks one line item of a request.
fn line_item_in(
    index: usize,
    item: NewLineItem,
    errors: &mut Vec<FieldError>,
) -> Option<deals::NewLineItem> {
    let field = format!("line_items[{index}]");
    let quantity = item.quantity.normalize();
    if quantity <= Decimal::ZERO || quantity.scale() > 4 {
        errors.push(FieldError::new(
            format!("{field}.quantity"),
            "out_of_range",
            format!(
                "quantity must be greater than 0 with at most 4 decimal places, but was {}",
                item.quantity
            ),
        ));
    }
    let unit_price = match money_in(&format!("{field}.unit_price"), &item.unit_price) {
        Ok(money) => Some(money),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    Some(deals::NewLineItem {
        product_id: item.product_id,
        name: clean(item.name),
        quantity,
        unit_price: unit_price?,
    })
}

fn line_items_in(items: Vec<NewLineItem>, errors: &mut Vec<FieldError>) -> Vec<deals::NewLineItem> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| line_item_in(index, item, errors))
        .collect()
}

fn required_name(name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "required",
            "name must not be blank",
        ));
    }
    name
}

fn new_deal(body: NewDeal) -> Result<deals::NewDeal, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = required_name(&body.name, &mut errors);
    let amount = crate::convert::optional_money_in("amount", body.amount.as_ref(), &mut errors);
    let currency = currency_in("currency", body.currency, &mut errors);
    let exchange_rate = rate_in("exchange_rate", body.exchange_rate, &mut errors);
    let close_exchange_rate = rate_in("close_exchange_rate", body.close_exchange_rate, &mut errors);
    let line_items = line_items_in(body.line_items, &mut errors);
    reject_fields(errors)?;
    Ok(deals::NewDeal {
        name,
        pipeline_id: body.pipeline_id,
        stage_id: body.stage_id,
        owner_id: body.owner_id,
        team_id: body.team_id,
        company_id: body.company_id,
        amount,
        currency,
        exchange_rate,
        close_exchange_rate,
        expected_close_date: body.expected_close_date,
        engaged_on: body.engaged_on,
        closed_on: body.closed_on,
        source: clean(body.source),
        channel: clean(body.channel),
        region: clean(body.region),
        customer_type: clean(body.customer_type),
        win_loss_reason: clean(body.win_loss_reason),
        competitor: clean(body.competitor),
        next_step: clean(body.next_step),
        contact_ids: body.contact_ids,
        line_items,
    })
}

/// Create a deal
///
/// Creates the deal with its contacts and line items in its pipeline's first open stage, or
/// in `stage_id`. A deal in a currency other than the organization's base currency needs
/// `exchange_rate`.
#[utoipa::path(
    tag = "deals",
    request_body = NewDeal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new deal", body = Deal, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, such as a stage of another pipeline (`stage_not_in_pipeline`) or a missing exchange rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/deals")]
async fn create_deal(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewDeal>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_deal(body.0)?;
    let record = deals::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/deals/{}", record.deal.id);
    let version = record.deal.version;
    Ok(created(&deal_body(record), version, location))
}

/// Get a deal
#[utoipa::path(
    tag = "deals",
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "The deal", body = Deal, headers(("ETag" = String))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/deals/{id}")]
async fn get_deal(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = deals::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = record.deal.version;
    Ok(ok_versioned(&deal_body(record), version))
}

/// The trimmed text fields of a deal patch.
struct PatchTexts {
    source: Option<Option<String>>,
    channel: Option<Option<String>>,
    region: Option<Option<String>>,
    customer_type: Option<Option<String>>,
    win_loss_reason: Option<Option<String>>,
    competitor: Option<Option<String>>,
    next_step: Option<Option<String>>,
}

fn patch_texts(body: &mut DealPatch, errors: &mut Vec<FieldError>) -> PatchTexts {
    let texts = PatchTexts {
        source: clean_patch(body.source.take()),
        channel: clean_patch(body.channel.take()),
        region: clean_patch(body.region.take()),
        customer_type: clean_patch(body.customer_type.take()),
        win_loss_reason: clean_patch(body.win_loss_reason.take()),
        competitor: clean_patch(body.competitor.take()),
        next_step: clean_patch(body.next_step.take()),
    };
    let limits = [
        ("source", &texts.source, 200),
        ("channel", &texts.channel, 200),
        ("region", &texts.region, 200),
        ("customer_type", &texts.customer_type, 200),
        ("win_loss_reason", &texts.win_loss_reason, 2000),
        ("competitor", &texts.competitor, 200),
        ("next_step", &texts.next_step, 2000),
    ];
    for (field, text, max) in limits {
        check_length(field, text.clone().flatten().as_deref(), max, errors);
    }
    texts
}

fn deal_changes(mut body: DealPatch) -> Result<deals::DealChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let texts = patch_texts(&mut body, &mut errors);
    let name = body.name.map(|name| required_name(&name, &mut errors));
    let amount = body
        .amount
        .map(|amount| crate::convert::optional_money_in("amount", amount.as_ref(), &mut errors));
    let currency = currency_in("currency", body.currency, &mut errors);
    let exchange_rate = rate_in("exchange_rate", body.exchange_rate, &mut errors);
    let close_exchange_rate = body
        .close_exchange_rate
        .map(|rate| rate_in("close_exchange_rate", rate, &mut errors));
    let line_items = body
        .line_items
        .map(|items| line_items_in(items, &mut errors));
    reject_fields(errors)?;
    Ok(deals::DealChanges {
        name,
        pipeline_id: body.pipeline_id,
        stage_id: body.stage_id,
        owner_id: body.owner_id,
        team_id: body.team_id,
        company_id: body.company_id,
        amount,
        currency,
        exchange_rate,
        close_exchange_rate,
        expected_close_date: body.expected_close_date,
        engaged_on: body.engaged_on,
        closed_on: body.closed_on,
        source: texts.source,
        channel: texts.channel,
        region: texts.region,
        customer_type: texts.customer_type,
        win_loss_reason: texts.win_loss_reason,
        competitor: texts.competitor,
        next_step: texts.next_step,
        contact_ids: body.contact_ids,
        line_items,
    })
}

/// Update a deal
///
/// Changes only the fields present in the body; `null` clears a field, `contact_ids`
/// replaces the linked contacts and `line_items` replaces the line items. A new `stage_id`
/// appends a stage transition. Entering a won or lost stage sets `closed_on` and
/// `close_exchange_rate` when unset, and returning to an open stage clears them. Send the
/// ETag of the version you edited as `If-Match` to get 412 when someone else changed it
/// first.
#[utoipa::path(
    tag = "deals",
    request_body = DealPatch,
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated deal", body = Deal, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot change records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The deal changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/deals/{id}")]
async fn update_deal(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<DealPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = deal_changes(body.0)?;
    let id = id.into_inner();
    let record = deals::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = record.deal.version;
    Ok(ok_versioned(&deal_body(record), version))
}

/// Delete a deal
///
/// Marks the deal deleted; `POST /deals/{id}/restore` brings it back.
#[utoipa::path(
    tag = "deals",
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot delete records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The deal changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/deals/{id}")]
async fn delete_deal(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted deal
#[utoipa::path(
    tag = "deals",
    params(
        ("id" = Uuid, Path, description = "Deal id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored deal", body = Deal, headers(("ETag" = String))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot restore records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The deal is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The deal changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/deals/{id}/restore")]
async fn restore_deal(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let record = deals::restore(&state.db, &scope, id.into_inner(), if_match.0).await?;
    let version = record.deal.version;
    Ok(ok_versioned(&deal_body(record), version))
}

fn change_entry(event: change_event::Model) -> ChangeEntry {
    ChangeEntry {
        // Change events are written by `changes::record` from a `serde_json::Value`.
        changes: serde_json::from_str(&event.changes).unwrap_or_default(),
        kind: event.kind,
        at: instant_out(event.at),
        actor_id: event.actor_id,
    }
}

fn history_body(history: deals::DealHistory) -> DealHistory {
    let transitions = history
        .transitions
        .into_iter()
        .map(|entry| StageTransition {
            from_stage_id: entry.transition.from_stage_id,
            from_stage_name: entry.from_stage_name,
            to_stage_id: entry.transition.to_stage_id,
            to_stage_name: entry.to_stage_name,
            at: instant_out(entry.transition.at),
            by_user_id: entry.transition.by_user_id,
        })
        .collect();
    DealHistory {
        transitions,
        changes: history.changes.into_iter().map(change_entry).collect(),
    }
}

/// Get the history of a deal
///
/// Returns the deal's stage transitions and its change events, each oldest first.
#[utoipa::path(
    tag = "deals",
    params(("id" = Uuid, Path, description = "Deal id")),
    responses(
        (status = 200, description = "Stage transitions and changes", body = DealHistory),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/deals/{id}/history")]
async fn deal_history(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let history = deals::history(&state.db, &member.scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(history_body(history)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(amount: &str) -> api_types::Money {
        api_types::Money {
            amount: amount.parse().unwrap_or_default(),
            currency: "USD".to_owned(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn line_item_rejects_bad_quantity() {
        for quantity in ["0", "-1", "1.00001"] {
            let mut errors = Vec::new();
            let item = NewLineItem {
                product_id: None,
                name: Some("Seat".to_owned()),
                quantity: quantity.parse().unwrap_or_default(),
                unit_price: usd("10"),
            };
            line_item_in(0, item, &mut errors);
            assert_eq!(fields(&errors), ["line_items[0].quantity"], "{quantity}");
        }
    }

    #[test]
    fn line_item_reports_price_path() {
        let mut errors = Vec::new();
        let item = NewLineItem {
            product_id: None,
            name: None,
            quantity: Decimal::ONE,
            unit_price: usd("10.001"),
        };
        assert!(line_item_in(3, item, &mut errors).is_none());
        assert_eq!(fields(&errors), ["line_items[3].unit_price.amount"]);
    }

    #[test]
    fn amount_bound_rejects_five_decimals() {
        let mut errors = Vec::new();
        let bound = amount_bound("amount_min", "1.00001".parse().ok(), &mut errors);
        assert_eq!(bound, None);
        assert_eq!(fields(&errors), ["amount_min"]);
        let bound = amount_bound("amount_max", "1000.5".parse().ok(), &mut errors);
        assert_eq!(bound, Some(10_005_000));
    }

    #[test]
    fn currency_in_rejects_unknown_code() {
        let mut errors = Vec::new();
        assert_eq!(
            currency_in("currency", Some("usd".into()), &mut errors),
            None
        );
        assert_eq!(fields(&errors), ["currency"]);
    }
}
