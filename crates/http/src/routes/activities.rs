//! `/activities`: notes, calls, meetings, visits and e-mails logged against a deal, a contact
//! or a company.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::activities::{Activity, ActivityKind, ActivityPatch, NewActivity};
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::activity::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, activities};
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

/// The number of characters of a note's body that become its subject when it has none.
const SUBJECT_FROM_BODY_CHARS: usize = 80;
/// The maximum duration of an activity in minutes: one week.
const MAX_DURATION_MINUTES: i32 = 10080;
const MAX_SUBJECT_CHARS: usize = 300;
const MAX_BODY_CHARS: usize = 100_000;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_activities)
        .service(create_activity)
        .service(get_activity)
        .service(update_activity)
        .service(delete_activity)
        .service(restore_activity);
}

fn to_body(model: Model) -> Activity {
    // Every write goes through `ActivityKind`, so an unknown stored kind means the row was
    // changed outside the API.
    let kind = ActivityKind::parse(&model.kind).unwrap_or_else(|| {
        tracing::warn!(activity_id = %model.id, kind = %model.kind, "stored activity has an unknown kind; returning it as a note");
        ActivityKind::Note
    });
    Activity {
        id: model.id,
        kind,
        subject: model.subject,
        body: model.body,
        occurred_at: instant_out(model.occurred_at),
        duration_minutes: model.duration_minutes,
        deal_id: model.deal_id,
        contact_id: model.contact_id,
        company_id: model.company_id,
        owner_id: model.owner_id,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the activity list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActivityListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: occurred_at, created_at, updated_at.
    /// Default `-occurred_at`, the latest first.
    sort: Option<String>,
    /// Adds `total`, the number of matching activities.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted activities too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the subject or the body.
    q: Option<String>,
    kind: Option<ActivityKind>,
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    company_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    /// Only activities that occurred at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    occurred_from: Option<OffsetDateTime>,
    /// Only activities that occurred before this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    occurred_to: Option<OffsetDateTime>,
    /// Only activities changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List activities
///
/// Pages through the organization's activities with keyset pagination, the latest first
/// unless `sort` names another order.
#[utoipa::path(
    tag = "activities",
    params(ActivityListQuery),
    responses(
        (status = 200, description = "One page of activities", body = Page<Activity>),
        (status = 400, description = "Invalid query string, such as an unknown kind", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit, cursor or occurred range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/activities")]
async fn list_activities(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<ActivityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = activities::ActivityFilter {
        q: query.q,
        kind: query.kind.map(|kind| kind.as_str().to_owned()),
        deal_id: query.deal_id,
        contact_id: query.contact_id,
        company_id: query.company_id,
        owner_id: query.owner_id,
        occurred_from: query.occurred_from.map(domain::time::to_stored),
        occurred_to: query.occurred_to.map(domain::time::to_stored),
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = activities::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Builds a note's subject from its body: whitespace runs become single spaces, then the
/// first 80 characters are kept.
fn subject_from_body(body: &str) -> String {
    let single_spaced = body.split_whitespace().collect::<Vec<_>>().join(" ");
    single_spaced
        .chars()
        .take(SUBJECT_FROM_BODY_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Picks the subject of a new activity, defaulting a note's subject to its body.
fn new_subject(
    kind: ActivityKind,
    subject: Option<String>,
    body: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> String {
    match (subject, kind, body) {
        (Some(subject), _, _) => subject,
        (None, ActivityKind::Note, Some(body)) => subject_from_body(body),
        (None, ActivityKind::Note, None) => {
            errors.push(FieldError::new(
                "subject",
                "required",
                "a note needs a subject or a body: pass a non-blank subject, body or both",
            ));
            String::new()
        }
        (None, kind, _) => {
            errors.push(FieldError::new(
                "subject",
                "required",
                format!(
                    "a {} needs a subject: pass a non-blank subject (only a note may omit it)",
                    kind.as_str()
                ),
            ));
            String::new()
        }
    }
}

fn new_activity(body: NewActivity) -> Result<activities::NewActivity, ApiError> {
    body.validate()?;
    let text = clean(body.body);
    let mut errors = Vec::new();
    let subject = new_subject(body.kind, clean(body.subject), text.as_deref(), &mut errors);
    errors.extend(activities::link_errors(
        body.deal_id,
        body.contact_id,
        body.company_id,
    ));
    reject_fields(errors)?;
    Ok(activities::NewActivity {
        kind: body.kind.as_str().to_owned(),
        subject,
        body: text,
        occurred_at: body
            .occurred_at
            .map(domain::time::to_stored)
            .unwrap_or_else(domain::time::now_utc),
        duration_minutes: body.duration_minutes,
        deal_id: body.deal_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
        owner_id: body.owner_id,
    })
}

/// Create an activity
///
/// Links to at least one of a deal, a contact and a company. A note may omit `subject`,
/// which then becomes the first 80 characters of its body. `occurred_at` defaults to now and
/// `owner_id` to the acting user.
#[utoipa::path(
    tag = "activities",
    request_body = NewActivity,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new activity", body = Activity, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, no linked record, or a linked record or owner that is not in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/activities")]
async fn create_activity(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewActivity>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_activity(body.0)?;
    let model = activities::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/activities/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get an activity
#[utoipa::path(
    tag = "activities",
    params(("id" = Uuid, Path, description = "Activity id")),
    responses(
        (status = 200, description = "The activity", body = Activity, headers(("ETag" = String))),
        (status = 404, description = "No such activity in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/activities/{id}")]
async fn get_activity(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = activities::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn activity_changes(body: ActivityPatch) -> Result<activities::ActivityChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let subject = body.subject.map(|subject| subject.trim().to_owned());
    if subject.as_deref() == Some("") {
        errors.push(FieldError::new(
            "subject",
            "required",
            "subject must not be blank: pass text, or omit subject to keep the current one",
        ));
    }
    let text = clean_patch(body.body);
    check_length(
        "subject",
        subject.as_deref(),
        MAX_SUBJECT_CHARS,
        &mut errors,
    );
    check_length(
        "body",
        text.clone().flatten().as_deref(),
        MAX_BODY_CHARS,
        &mut errors,
    );
    if let Some(Some(minutes)) = body.duration_minutes
        && !(0..=MAX_DURATION_MINUTES).contains(&minutes)
    {
        errors.push(FieldError::new(
            "duration_minutes",
            "out_of_range",
            format!("duration_minutes must be between 0 and {MAX_DURATION_MINUTES} (one week), but was {minutes}"),
        ));
    }
    reject_fields(errors)?;
    Ok(activities::ActivityChanges {
        kind: body.kind.map(|kind| kind.as_str().to_owned()),
        subject,
        body: text,
        occurred_at: body.occurred_at.map(domain::time::to_stored),
        duration_minutes: body.duration_minutes,
        deal_id: body.deal_id,
        contact_id: body.contact_id,
        company_id: body.company_id,
        owner_id: body.owner_id,
    })
}

/// Update an activity
///
/// Changes only the fields present in the body; `null` clears a field. The activity must
/// stay linked to at least one record. Send the ETag of the version you edited as
/// `If-Match` to receive 412 when someone else changed it first.
#[utoipa::path(
    tag = "activities",
    request_body = ActivityPatch,
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated activity", body = Activity, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot change records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The activity changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or every link cleared", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/activities/{id}")]
async fn update_activity(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<ActivityPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = activity_changes(body.0)?;
    let model = activities::update(
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

/// Delete an activity
///
/// Marks the activity deleted; `POST /activities/{id}/restore` brings it back.
#[utoipa::path(
    tag = "activities",
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Viewers cannot delete records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The activity changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/activities/{id}")]
async fn delete_activity(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted activity
#[utoipa::path(
    tag = "activities",
    params(
        ("id" = Uuid, Path, description = "Activity id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored activity", body = Activity, headers(("ETag" = String))),
        (status = 403, description = "Viewers cannot restore records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The activity is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The activity changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/activities/{id}/restore")]
async fn restore_activity(
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

    fn note(subject: Option<&str>, body: Option<&str>) -> NewActivity {
        NewActivity {
            kind: ActivityKind::Note,
            subject: subject.map(str::to_owned),
            body: body.map(str::to_owned),
            occurred_at: None,
            duration_minutes: None,
            deal_id: None,
            contact_id: Some(Uuid::nil()),
            company_id: None,
            owner_id: None,
        }
    }

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::Validation(errors) => errors.into_iter().map(|error| error.field).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn subject_from_body_keeps_80_characters() {
        let body = "é".repeat(100);
        assert_eq!(subject_from_body(&body).chars().count(), 80);
    }

    #[test]
    fn subject_from_body_joins_lines() {
        assert_eq!(
            subject_from_body("Called back.\n\n  Wants a demo  "),
            "Called back. Wants a demo"
        );
    }

    #[test]
    fn note_subject_defaults_to_body() {
        let new = new_activity(note(None, Some("Budget approved")));
        let subject = new
            .map(|new| new.subject)
            .map_err(|error| error.to_string());
        assert_eq!(subject, Ok("Budget approved".to_owned()));
    }

    #[test]
    fn note_without_subject_or_body_is_rejected() {
        let errors = new_activity(note(Some(" "), None))
            .err()
            .map(fields)
            .unwrap_or_default();
        assert_eq!(errors, ["subject"]);
    }

    #[test]
    fn call_requires_subject() {
        let body = NewActivity {
            kind: ActivityKind::Call,
            ..note(None, Some("Left a voicemail"))
        };
        let errors = new_activity(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["subject"]);
    }

    #[test]
    fn unlinked_activity_names_all_links() {
        let body = NewActivity {
            contact_id: None,
            ..note(Some("Lunch"), None)
        };
        let errors = new_activity(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["deal_id", "contact_id", "company_id"]);
    }

    #[test]
    fn duration_above_one_week_is_rejected() {
        let body = NewActivity {
            duration_minutes: Some(MAX_DURATION_MINUTES + 1),
            ..note(Some("Trade fair"), None)
        };
        let errors = new_activity(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["duration_minutes"]);
    }

    #[test]
    fn patch_rejects_negative_duration() {
        let patch = ActivityPatch {
            duration_minutes: Some(Some(-1)),
            ..ActivityPatch::default()
        };
        let errors = activity_changes(patch)
            .err()
            .map(fields)
            .unwrap_or_default();
        assert_eq!(errors, ["duration_minutes"]);
    }
}
