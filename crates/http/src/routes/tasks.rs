//! `/tasks`: to-dos with an assignee and a due instant, optionally about a deal, a contact or
//! a company.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::tasks::{NewTask, Task, TaskPatch};
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::task::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, tasks};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member, QueryParams};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

const MAX_NOTES_CHARS: usize = 100_000;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_tasks)
        .service(create_task)
        .service(get_task)
        .service(update_task)
        .service(delete_task)
        .service(restore_task);
}

fn to_body(model: Model) -> Task {
    Task {
        id: model.id,
        title: model.title,
        notes: model.notes,
        assignee_id: model.assignee_id,
        due_at: model.due_at.map(instant_out),
        done: model.done,
        done_at: model.done_at.map(instant_out),
        deal_id: model.deal_id,
        contact_id: model.contact_id,
        company_id: model.company_id,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the task list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: due_at, created_at, updated_at, title.
    /// Default `due_at`; tasks without a due instant come last in either direction.
    sort: Option<String>,
    /// Adds `total`, the number of matching tasks.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted tasks too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the title.
    q: Option<String>,
    assignee_id: Option<Uuid>,
    done: Option<bool>,
    /// Only tasks due before this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    due_before: Option<OffsetDateTime>,
    /// Only tasks due at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    due_after: Option<OffsetDateTime>,
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    company_id: Option<Uuid>,
    /// `true` lists open tasks whose due instant has passed; `false` lists every other task.
    overdue: Option<bool>,
    /// Only tasks changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List tasks
///
/// Pages through the organization's tasks with keyset pagination, the soonest due first
/// unless `sort` names another order.
#[utoipa::path(
    tag = "tasks",
    params(TaskListQuery),
    responses(
        (status = 200, description = "One page of tasks", body = Page<Task>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit, cursor or due range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks")]
async fn list_tasks(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<TaskListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = tasks::TaskFilter {
        q: query.q,
        assignee_id: query.assignee_id,
        done: query.done,
        due_before: query.due_before.map(domain::time::to_stored),
        due_after: query.due_after.map(domain::time::to_stored),
        deal_id: query.deal_id,
        contact_id: query.contact_id,
        company_id: query.company_id,
        overdue: query.overdue,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = tasks::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

fn blank_title_error() -> FieldError {
    FieldError::new(
        "title",
        "required",
        "title must not be blank: pass the text of the task",
    )
}

fn new_task(body: NewTask) -> Result<tasks::NewTask, ApiError> {
    body.validate()?;
    let title = body.title.trim().to_owned();
    if title.is_empty() {
        return Err(ApiError::Validation(vec![blank_title_error()]));
    }
    Ok(tasks::NewTask {
        title,
        notes: clean(body.notes),
        assignee_id: body.assignee_id,
        due_at: body.due_at.map(domain::time::to_stored),
        done: body.done,
        deal_id: body.deal_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
    })
}

/// Create a task
///
/// `assignee_id` defaults to the acting user. A task created with `done: true` gets
/// `done_at` set to now.
#[utoipa::path(
    tag = "tasks",
    request_body = NewTask,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new task", body = Task, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an assignee or linked record that is not in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/tasks")]
async fn create_task(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewTask>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_task(body.0)?;
    let model = tasks::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/tasks/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a task
#[utoipa::path(
    tag = "tasks",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = Task, headers(("ETag" = String))),
        (status = 404, description = "No such task in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{id}")]
async fn get_task(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = tasks::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn task_changes(body: TaskPatch) -> Result<tasks::TaskChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let title = body.title.map(|title| title.trim().to_owned());
    if title.as_deref() == Some("") {
        errors.push(blank_title_error());
    }
    let notes = clean_patch(body.notes);
    check_length(
        "notes",
        notes.clone().flatten().as_deref(),
        MAX_NOTES_CHARS,
        &mut errors,
    );
    reject_fields(errors)?;
    Ok(tasks::TaskChanges {
        title,
        notes,
        assignee_id: body.assignee_id,
        due_at: body
            .due_at
            .map(|due_at| due_at.map(domain::time::to_stored)),
        done: body.done,
        deal_id: body.deal_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
    })
}

/// Update a task
///
/// Changes only the fields present in the body; `null` clears a field. `done: true` on an
/// open task sets `done_at` to now, and `done: false` clears it. Send the ETag of the version
/// you edited as `If-Match` to receive 412 when someone else changed it first.
#[utoipa::path(
    tag = "tasks",
    request_body = TaskPatch,
    params(
        ("id" = Uuid, Path, description = "Task id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated task", body = Task, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot change records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The task changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/tasks/{id}")]
async fn update_task(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<TaskPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = task_changes(body.0)?;
    let model = tasks::update(
        &state.db,
        &scope,
        id.into_inner(),
        if_match.0,
        changes,
        describe,
    )
    .await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a task
///
/// Marks the task deleted; `POST /tasks/{id}/restore` brings it back.
#[utoipa::path(
    tag = "tasks",
    params(
        ("id" = Uuid, Path, description = "Task id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Viewers cannot delete records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The task changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/tasks/{id}")]
async fn delete_task(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted task
#[utoipa::path(
    tag = "tasks",
    params(
        ("id" = Uuid, Path, description = "Task id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored task", body = Task, headers(("ETag" = String))),
        (status = 403, description = "Viewers cannot restore records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The task changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/tasks/{id}/restore")]
async fn restore_task(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::Validation(errors) => errors.into_iter().map(|error| error.field).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn new_task_rejects_blank_title() {
        let body = NewTask {
            title: "   ".to_owned(),
            notes: None,
            assignee_id: None,
            due_at: None,
            done: false,
            deal_id: None,
            contact_id: None,
            company_id: None,
        };
        let errors = new_task(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["title"]);
    }

    #[test]
    fn patch_rejects_blank_title() {
        let patch = TaskPatch {
            title: Some(" ".to_owned()),
            ..TaskPatch::default()
        };
        let errors = task_changes(patch).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["title"]);
    }

    #[test]
    fn patch_due_at_null_clears() {
        let patch = TaskPatch {
            due_at: Some(None),
            ..TaskPatch::default()
        };
        let due_at = task_changes(patch)
            .map(|changes| changes.due_at)
            .map_err(|error| error.to_string());
        assert_eq!(due_at, Ok(Some(None)));
    }
}
