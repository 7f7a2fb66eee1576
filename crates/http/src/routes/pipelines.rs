//! `/pipelines`: sales processes as ordered stages, each open, won or lost.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::pipelines::{
    NewPipeline, NewStage, Pipeline, PipelinePatch, Stage, StageKind as KindBody, StageUpdate,
};
use api_types::{Page, Problem};
use domain::StageKind;
use persistence::entities::stage;
use persistence::list::ListOptions;
use persistence::repo::pipelines::{self, PipelineWithStages};
use persistence::{FieldError, RepoError};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::{Validate, ValidationErrors};

use crate::convert::instant_out;
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_pipelines)
        .service(create_pipeline)
        .service(get_pipeline)
        .service(update_pipeline)
        .service(delete_pipeline)
        .service(restore_pipeline);
}

fn kind_out(kind: StageKind) -> KindBody {
    match kind {
        StageKind::Open => KindBody::Open,
        StageKind::Won => KindBody::Won,
        StageKind::Lost => KindBody::Lost,
    }
}

fn kind_in(kind: KindBody) -> StageKind {
    match kind {
        KindBody::Open => StageKind::Open,
        KindBody::Won => StageKind::Won,
        KindBody::Lost => StageKind::Lost,
    }
}

fn stage_body(model: stage::Model) -> Stage {
    Stage {
        id: model.id,
        name: model.name,
        position: model.position,
        probability: model.probability,
        // Only this module writes the column, always through `StageKind::as_str`.
        kind: kind_out(StageKind::parse(&model.kind).unwrap_or(StageKind::Open)),
    }
}

fn to_body(record: PipelineWithStages) -> Pipeline {
    let PipelineWithStages { pipeline, stages } = record;
    Pipeline {
        id: pipeline.id,
        name: pipeline.name,
        position: pipeline.position,
        stages: stages.into_iter().map(stage_body).collect(),
        version: pipeline.version,
        created_at: instant_out(pipeline.created_at),
        updated_at: instant_out(pipeline.updated_at),
        deleted_at: pipeline.deleted_at.map(instant_out),
    }
}

fn describe(record: &PipelineWithStages) -> serde_json::Value {
    serde_json::to_value(to_body(record.clone())).unwrap_or_default()
}

/// Query parameters of the pipeline list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PipelineListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: position, name, created_at,
    /// updated_at. Default `position,name`.
    sort: Option<String>,
    /// Adds `total`, the number of matching pipelines.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted pipelines too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name.
    q: Option<String>,
    /// Only pipelines changed at or after this instant (RFC 3339), stage changes included.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List pipelines
///
/// Pages through the organization's pipelines, each with its stages in order.
#[utoipa::path(
    tag = "pipelines",
    params(PipelineListQuery),
    responses(
        (status = 200, description = "One page of pipelines", body = Page<Pipeline>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pipelines")]
async fn list_pipelines(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<PipelineListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = pipelines::PipelineFilter {
        q: query.q,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = pipelines::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Collects the field errors of a validator result, so they can be reported together with
/// the stage list's errors.
fn field_errors(result: Result<(), ValidationErrors>) -> Vec<FieldError> {
    match result.map_err(ApiError::from) {
        Err(ApiError::Validation(errors)) => errors,
        _ => Vec::new(),
    }
}

/// Checks a trimmed pipeline name and a stage list, reporting every problem at once.
fn check_pipeline(
    mut errors: Vec<FieldError>,
    name: Option<&str>,
    stages: Option<&[pipelines::NewStage]>,
) -> Result<(), ApiError> {
    if name == Some("") {
        errors.push(FieldError::new(
            "name",
            "required",
            "name must not be blank",
        ));
    }
    if let Some(stages) = stages
        && let Err(RepoError::Invalid(stage_errors)) = pipelines::validate_stages(stages)
    {
        errors.extend(stage_errors);
    }
    reject_fields(errors)
}

fn new_stage(stage: NewStage) -> pipelines::NewStage {
    pipelines::NewStage {
        name: stage.name.trim().to_owned(),
        probability: stage.probability,
        kind: kind_in(stage.kind),
    }
}

fn new_pipeline(body: NewPipeline) -> Result<pipelines::NewPipeline, ApiError> {
    let errors = field_errors(body.validate());
    let name = body.name.trim().to_owned();
    let stages: Vec<pipelines::NewStage> = body.stages.into_iter().map(new_stage).collect();
    check_pipeline(errors, Some(&name), Some(&stages))?;
    Ok(pipelines::NewPipeline {
        name,
        position: body.position,
        stages,
    })
}

/// Create a pipeline
///
/// Needs an owner or admin. Inserts the pipeline and its stages together. It needs 1 to 30
/// stages with names unique ignoring case, at least one `open` and one `won`, and a name
/// that no other pipeline has.
#[utoipa::path(
    tag = "pipelines",
    request_body = NewPipeline,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new pipeline", body = Pipeline, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only owners and admins manage pipelines", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another pipeline has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or stages", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pipelines")]
async fn create_pipeline(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewPipeline>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let new = new_pipeline(body.0)?;
    let record = pipelines::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/pipelines/{}", record.pipeline.id);
    let version = record.pipeline.version;
    Ok(created(&to_body(record), version, location))
}

/// Get a pipeline
#[utoipa::path(
    tag = "pipelines",
    params(("id" = Uuid, Path, description = "Pipeline id")),
    responses(
        (status = 200, description = "The pipeline with its stages", body = Pipeline, headers(("ETag" = String))),
        (status = 404, description = "No such pipeline in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pipelines/{id}")]
async fn get_pipeline(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let record = pipelines::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = record.pipeline.version;
    Ok(ok_versioned(&to_body(record), version))
}

fn stage_input(stage: StageUpdate) -> pipelines::StageInput {
    pipelines::StageInput {
        id: stage.id,
        stage: new_stage(NewStage {
            name: stage.name,
            probability: stage.probability,
            kind: stage.kind,
        }),
    }
}

fn pipeline_changes(body: PipelinePatch) -> Result<pipelines::PipelineChanges, ApiError> {
    let errors = field_errors(body.validate());
    let name = body.name.map(|name| name.trim().to_owned());
    let stages: Option<Vec<pipelines::StageInput>> = body
        .stages
        .map(|stages| stages.into_iter().map(stage_input).collect());
    let new_stages: Option<Vec<pipelines::NewStage>> = stages
        .as_ref()
        .map(|stages| stages.iter().map(|input| input.stage.clone()).collect());
    check_pipeline(errors, name.as_deref(), new_stages.as_deref())?;
    Ok(pipelines::PipelineChanges {
        name,
        position: body.position,
        stages,
    })
}

/// Update a pipeline
///
/// Needs an owner or admin. Changes the name or position, and replaces the stage list when
/// `stages` is present: entries with an `id` update that stage, entries without one add a
/// stage, and stages left out are deleted. A stage that live deals are still in cannot be
/// left out (409 `stage_in_use`). Send the ETag as `If-Match` to get 412 when
/// someone else changed the pipeline first.
#[utoipa::path(
    tag = "pipelines",
    request_body = PipelinePatch,
    params(
        ("id" = Uuid, Path, description = "Pipeline id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated pipeline", body = Pipeline, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage pipelines", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A removed stage still has deals, or another pipeline has this name", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The pipeline changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or stages", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/pipelines/{id}")]
async fn update_pipeline(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<PipelinePatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let changes = pipeline_changes(body.0)?;
    let id = id.into_inner();
    let record = pipelines::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = record.pipeline.version;
    Ok(ok_versioned(&to_body(record), version))
}

/// Delete a pipeline
///
/// Needs an owner or admin. A pipeline that live deals are still in is rejected with 409
/// `pipeline_in_use`. `POST /pipelines/{id}/restore` brings it back with its stages.
#[utoipa::path(
    tag = "pipelines",
    params(
        ("id" = Uuid, Path, description = "Pipeline id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only owners and admins manage pipelines", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Live deals are still in the pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The pipeline changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/pipelines/{id}")]
async fn delete_pipeline(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    pipelines::delete(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted pipeline
///
/// Needs an owner or admin.
#[utoipa::path(
    tag = "pipelines",
    params(
        ("id" = Uuid, Path, description = "Pipeline id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored pipeline", body = Pipeline, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage pipelines", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The pipeline is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The pipeline changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pipelines/{id}/restore")]
async fn restore_pipeline(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let record = pipelines::restore(&state.db, &scope, id.into_inner(), if_match.0).await?;
    let version = record.pipeline.version;
    Ok(ok_versioned(&to_body(record), version))
}
