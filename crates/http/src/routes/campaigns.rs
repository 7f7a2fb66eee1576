//! `/campaigns`: marketing spend per channel and period, the cost side of channel ROI.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::campaigns::{Campaign, CampaignPatch, NewCampaign};
use api_types::deals::calendar_date;
use api_types::{Page, Problem};
use persistence::entities::campaign::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, campaigns};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{instant_out, money_in, money_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member, QueryParams};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_campaigns)
        .service(create_campaign)
        .service(get_campaign)
        .service(update_campaign)
        .service(delete_campaign)
        .service(restore_campaign);
}

fn to_body(model: Model) -> Campaign {
    let cost = money_out(Some(model.cost_e4), Some(&model.currency));
    Campaign {
        id: model.id,
        name: model.name,
        channel: model.channel,
        period_start: model.period_start,
        period_end: model.period_end,
        cost: cost.unwrap_or(api_types::Money {
            amount: rust_decimal::Decimal::ZERO,
            currency: model.currency,
        }),
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the campaign list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CampaignListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, channel, period_start,
    /// period_end, cost, created_at, updated_at. Default `-period_start`.
    sort: Option<String>,
    /// Adds `total`, the number of matching campaigns.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted campaigns too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name.
    q: Option<String>,
    channel: Option<String>,
    /// Only campaigns running on or after this day (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    active_from: Option<Date>,
    /// Only campaigns running on or before this day (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    active_to: Option<Date>,
}

/// List campaigns
///
/// Pages through the organization's campaigns with keyset pagination.
#[utoipa::path(
    tag = "campaigns",
    params(CampaignListQuery),
    responses(
        (status = 200, description = "One page of campaigns", body = Page<Campaign>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/campaigns")]
async fn list_campaigns(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<CampaignListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = campaigns::CampaignFilter {
        q: query.q,
        channel: query.channel,
        active_from: query.active_from,
        active_to: query.active_to,
    };
    let page = campaigns::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Trims a required text field, reporting a blank one.
fn required_text(field: &str, text: String, errors: &mut Vec<persistence::FieldError>) -> String {
    let text = text.trim().to_owned();
    if text.is_empty() {
        errors.push(persistence::FieldError::new(
            field,
            "required",
            format!("{field} must not be blank"),
        ));
    }
    text
}

fn new_campaign(body: NewCampaign) -> Result<campaigns::NewCampaign, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = required_text("name", body.name, &mut errors);
    let channel = required_text("channel", body.channel, &mut errors);
    let cost = money_in("cost", &body.cost);
    if let Err(error) = &cost {
        errors.push(error.clone());
    }
    reject_fields(errors)?;
    let cost = cost.map_err(|error| ApiError::Validation(vec![error]))?;
    Ok(campaigns::NewCampaign {
        name,
        channel,
        period_start: body.period_start,
        period_end: body.period_end,
        cost,
    })
}

/// Create a campaign
///
/// The cost must be in the organization's base currency.
#[utoipa::path(
    tag = "campaigns",
    request_body = NewCampaign,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new campaign", body = Campaign, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, an end before the start, or a cost not in the base currency", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/campaigns")]
async fn create_campaign(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewCampaign>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_campaign(body.0)?;
    let model = campaigns::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/campaigns/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a campaign
#[utoipa::path(
    tag = "campaigns",
    params(("id" = Uuid, Path, description = "Campaign id")),
    responses(
        (status = 200, description = "The campaign", body = Campaign, headers(("ETag" = String))),
        (status = 404, description = "No such campaign in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/campaigns/{id}")]
async fn get_campaign(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = campaigns::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn campaign_changes(body: CampaignPatch) -> Result<campaigns::CampaignChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body
        .name
        .map(|name| required_text("name", name, &mut errors));
    let channel = body
        .channel
        .map(|channel| required_text("channel", channel, &mut errors));
    let cost = match body.cost.map(|cost| money_in("cost", &cost)) {
        Some(Ok(cost)) => Some(cost),
        Some(Err(error)) => {
            errors.push(error);
            None
        }
        None => None,
    };
    reject_fields(errors)?;
    Ok(campaigns::CampaignChanges {
        name,
        channel,
        period_start: body.period_start,
        period_end: body.period_end,
        cost,
    })
}

/// Update a campaign
///
/// Changes only the fields present in the body. Send the ETag of the version you edited as
/// `If-Match` to be told with 412 when someone else changed it first.
#[utoipa::path(
    tag = "campaigns",
    request_body = CampaignPatch,
    params(
        ("id" = Uuid, Path, description = "Campaign id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated campaign", body = Campaign, headers(("ETag" = String))),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The campaign changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/campaigns/{id}")]
async fn update_campaign(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<CampaignPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = campaign_changes(body.0)?;
    let id = id.into_inner();
    let model = campaigns::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a campaign
///
/// Marks the campaign deleted; `POST /campaigns/{id}/restore` brings it back.
#[utoipa::path(
    tag = "campaigns",
    params(
        ("id" = Uuid, Path, description = "Campaign id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The campaign changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/campaigns/{id}")]
async fn delete_campaign(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted campaign
#[utoipa::path(
    tag = "campaigns",
    params(
        ("id" = Uuid, Path, description = "Campaign id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored campaign", body = Campaign, headers(("ETag" = String))),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The campaign is not deleted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/campaigns/{id}/restore")]
async fn restore_campaign(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let model = repo::restore::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}
