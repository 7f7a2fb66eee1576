//! `/quotas`: sales targets of one member or one team for a month or a quarter.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::deals::calendar_date;
use api_types::quotas::{NewQuota, PeriodKind, Quota, QuotaPatch};
use api_types::{Page, Problem};
use domain::report::PeriodKind as DomainPeriodKind;
use domain::{Role, Scope};
use persistence::entities::quota::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::quotas::QuotaHolder;
use persistence::repo::{self, quotas};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::convert::{instant_out, money_in, money_out};
use crate::error::ApiError;
use crate::extract::{Body, IfMatch, Member, QueryParams};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_quotas)
        .service(create_quota)
        .service(get_quota)
        .service(update_quota)
        .service(delete_quota)
        .service(restore_quota);
}

/// Requires a role that sets targets: owner, admin or manager.
fn target_setter(member: Member) -> Result<Scope, ApiError> {
    match member.scope.role {
        Role::Owner | Role::Admin | Role::Manager => Ok(member.scope),
        Role::Rep | Role::Viewer => Err(ApiError::forbidden(
            "only an owner, admin or manager can set quotas: ask one of them",
        )),
    }
}

fn kind_in(kind: PeriodKind) -> DomainPeriodKind {
    match kind {
        PeriodKind::Month => DomainPeriodKind::Month,
        PeriodKind::Quarter => DomainPeriodKind::Quarter,
    }
}

fn kind_out(kind: DomainPeriodKind) -> PeriodKind {
    match kind {
        DomainPeriodKind::Month => PeriodKind::Month,
        DomainPeriodKind::Quarter => PeriodKind::Quarter,
    }
}

fn to_body(model: Model) -> Quota {
    let kind = DomainPeriodKind::parse(&model.period_kind).unwrap_or(DomainPeriodKind::Month);
    let target = money_out(Some(model.target_e4), Some(&model.currency));
    Quota {
        id: model.id,
        user_id: model.user_id,
        team_id: model.team_id,
        period_kind: kind_out(kind),
        period_start: model.period_start,
        period_end: kind.period_end(model.period_start),
        target: target.unwrap_or(api_types::Money {
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

/// Query parameters of the quota list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QuotaListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: period_start, target, created_at,
    /// updated_at. Default `-period_start`.
    sort: Option<String>,
    /// Adds `total`, the number of matching quotas.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted quotas too.
    #[serde(default)]
    include_deleted: bool,
    user_id: Option<Uuid>,
    team_id: Option<Uuid>,
    period_kind: Option<PeriodKind>,
    /// Only periods starting on or after this day (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    starts_from: Option<Date>,
    /// Only periods starting on or before this day (`YYYY-MM-DD`).
    #[serde(default, with = "calendar_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    starts_to: Option<Date>,
}

/// List quotas
///
/// Pages through the organization's quotas with keyset pagination.
#[utoipa::path(
    tag = "quotas",
    params(QuotaListQuery),
    responses(
        (status = 200, description = "One page of quotas", body = Page<Quota>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/quotas")]
async fn list_quotas(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<QuotaListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = quotas::QuotaFilter {
        user_id: query.user_id,
        team_id: query.team_id,
        period_kind: query.period_kind.map(kind_in),
        starts_from: query.starts_from,
        starts_to: query.starts_to,
    };
    let page = quotas::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Builds the holder from a user id and a team id, exactly one of which must be set.
fn holder(user_id: Option<Uuid>, team_id: Option<Uuid>) -> Result<QuotaHolder, ApiError> {
    match (user_id, team_id) {
        (Some(user_id), None) => Ok(QuotaHolder::User(user_id)),
        (None, Some(team_id)) => Ok(QuotaHolder::Team(team_id)),
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "team_id",
            "conflicting_holder",
            "a quota is for a user or a team, not both: send only user_id or only team_id",
        )),
        (None, None) => Err(ApiError::invalid(
            "user_id",
            "required",
            "a quota needs a holder: send user_id or team_id",
        )),
    }
}

fn new_quota(body: NewQuota) -> Result<quotas::NewQuota, ApiError> {
    let holder = holder(body.user_id, body.team_id)?;
    let target =
        money_in("target", &body.target).map_err(|error| ApiError::Validation(vec![error]))?;
    Ok(quotas::NewQuota {
        holder,
        period_kind: kind_in(body.period_kind),
        period_start: body.period_start,
        target,
    })
}

/// Create a quota
///
/// The target must be in the organization's base currency, and the period must start on
/// the first day of a month or quarter.
#[utoipa::path(
    tag = "quotas",
    request_body = NewQuota,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new quota", body = Quota, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only owners, admins and managers set quotas", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, holder or period start", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/quotas")]
async fn create_quota(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewQuota>,
) -> Result<HttpResponse, ApiError> {
    let scope = target_setter(member)?;
    let new = new_quota(body.0)?;
    let model = quotas::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/quotas/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a quota
#[utoipa::path(
    tag = "quotas",
    params(("id" = Uuid, Path, description = "Quota id")),
    responses(
        (status = 200, description = "The quota", body = Quota, headers(("ETag" = String))),
        (status = 404, description = "No such quota in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/quotas/{id}")]
async fn get_quota(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = quotas::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn quota_changes(body: QuotaPatch) -> Result<quotas::QuotaChanges, ApiError> {
    let holder = match (body.user_id, body.team_id) {
        (None, None) => None,
        (user_id, team_id) => Some(holder(user_id, team_id)?),
    };
    let target = body
        .target
        .map(|target| money_in("target", &target))
        .transpose()
        .map_err(|error| ApiError::Validation(vec![error]))?;
    Ok(quotas::QuotaChanges {
        holder,
        period_kind: body.period_kind.map(kind_in),
        period_start: body.period_start,
        target,
    })
}

/// Update a quota
///
/// Changes only the fields present in the body. Send the ETag of the version you edited as
/// `If-Match` to be told with 412 when someone else changed it first.
#[utoipa::path(
    tag = "quotas",
    request_body = QuotaPatch,
    params(
        ("id" = Uuid, Path, description = "Quota id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated quota", body = Quota, headers(("ETag" = String))),
        (status = 403, description = "Only owners, admins and managers change quotas", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such quota", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The quota changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/quotas/{id}")]
async fn update_quota(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<QuotaPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = target_setter(member)?;
    let changes = quota_changes(body.0)?;
    let id = id.into_inner();
    let model = quotas::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a quota
///
/// Marks the quota deleted; `POST /quotas/{id}/restore` brings it back.
#[utoipa::path(
    tag = "quotas",
    params(
        ("id" = Uuid, Path, description = "Quota id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only owners, admins and managers delete quotas", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such quota", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The quota changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/quotas/{id}")]
async fn delete_quota(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = target_setter(member)?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted quota
#[utoipa::path(
    tag = "quotas",
    params(
        ("id" = Uuid, Path, description = "Quota id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored quota", body = Quota, headers(("ETag" = String))),
        (status = 404, description = "No such quota", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quota is not deleted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/quotas/{id}/restore")]
async fn restore_quota(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = target_setter(member)?;
    let model = repo::restore::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}
