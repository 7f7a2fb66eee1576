//! `/teams`: sales teams with a manager and a region, and their members.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::teams::{NewTeam, Team, TeamPatch};
use api_types::users::User;
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::team::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, members, teams};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_teams)
        .service(create_team)
        .service(get_team)
        .service(update_team)
        .service(delete_team)
        .service(restore_team)
        .service(list_team_members);
}

fn to_body(model: Model) -> Team {
    Team {
        id: model.id,
        name: model.name,
        manager_id: model.manager_id,
        region: model.region,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the team list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TeamListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, region, created_at, updated_at.
    /// Default `name`.
    sort: Option<String>,
    /// Adds `total`, the number of matching teams.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted teams too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name.
    q: Option<String>,
    /// Region, matched exactly.
    region: Option<String>,
    manager_id: Option<Uuid>,
    /// Only teams changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List teams
///
/// Pages through the organization's teams with keyset pagination.
#[utoipa::path(
    tag = "teams",
    params(TeamListQuery),
    responses(
        (status = 200, description = "One page of teams", body = Page<Team>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/teams")]
async fn list_teams(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<TeamListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = teams::TeamFilter {
        q: query.q,
        region: query.region,
        manager_id: query.manager_id,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = teams::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

fn blank_name() -> FieldError {
    FieldError::new("name", "required", "name must not be blank")
}

fn new_team(body: NewTeam) -> Result<teams::NewTeam, ApiError> {
    body.validate()?;
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::Validation(vec![blank_name()]));
    }
    Ok(teams::NewTeam {
        name,
        manager_id: body.manager_id,
        region: clean(body.region),
    })
}

/// Create a team
///
/// Needs an owner or admin. The name must differ from the other teams' names, ignoring
/// case.
#[utoipa::path(
    tag = "teams",
    request_body = NewTeam,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new team", body = Team, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only owners and admins manage teams", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another team has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/teams")]
async fn create_team(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewTeam>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let new = new_team(body.0)?;
    let model = teams::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/teams/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a team
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id")),
    responses(
        (status = 200, description = "The team", body = Team, headers(("ETag" = String))),
        (status = 404, description = "No such team in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/teams/{id}")]
async fn get_team(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = teams::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn team_changes(body: TeamPatch) -> Result<teams::TeamChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body.name.map(|name| name.trim().to_owned());
    if name.as_deref() == Some("") {
        errors.push(blank_name());
    }
    let region = clean_patch(body.region);
    check_length(
        "region",
        region.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    reject_fields(errors)?;
    Ok(teams::TeamChanges {
        name,
        manager_id: body.manager_id,
        region,
    })
}

/// Update a team
///
/// Needs an owner or admin. Changes only the fields present in the body; `null` clears a
/// field. Send the ETag of the version you edited as `If-Match` to get 412 when
/// someone else changed it first.
#[utoipa::path(
    tag = "teams",
    request_body = TeamPatch,
    params(
        ("id" = Uuid, Path, description = "Team id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated team", body = Team, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage teams", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such team", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another team has this name", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The team changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/teams/{id}")]
async fn update_team(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<TeamPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let changes = team_changes(body.0)?;
    let id = id.into_inner();
    let model = teams::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a team
///
/// Needs an owner or admin. A team that still has members is rejected with 409
/// `team_in_use`: move them first. `POST /teams/{id}/restore` brings a team back.
#[utoipa::path(
    tag = "teams",
    params(
        ("id" = Uuid, Path, description = "Team id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only owners and admins manage teams", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such team", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The team still has members", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The team changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/teams/{id}")]
async fn delete_team(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    teams::delete(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted team
///
/// Needs an owner or admin.
#[utoipa::path(
    tag = "teams",
    params(
        ("id" = Uuid, Path, description = "Team id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored team", body = Team, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage teams", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such team", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The team is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The team changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/teams/{id}/restore")]
async fn restore_team(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let model = repo::restore::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Query parameters of a team's member list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TeamMembersQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, email, created_at, updated_at.
    /// Default `name`.
    sort: Option<String>,
    /// Adds `total`, the number of members in the team.
    #[serde(default)]
    with_total: bool,
}

/// List a team's members
///
/// Pages through the live members whose `team_id` is this team, the same as
/// `GET /users?team_id={id}` but with 404 for an unknown or deleted team.
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id"), TeamMembersQuery),
    responses(
        (status = 200, description = "One page of the team's users", body = Page<User>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such team", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/teams/{id}/members")]
async fn list_team_members(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    query: web::Query<TeamMembersQuery>,
) -> Result<HttpResponse, ApiError> {
    let team = teams::get(&state.db, &member.scope, id.into_inner()).await?;
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: false,
    };
    let filter = members::MemberFilter {
        team_id: Some(team.id),
        ..Default::default()
    };
    let page = members::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(super::users::to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}
