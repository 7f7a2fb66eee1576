//! `/contacts`: the people a team sells to, at a company or on their own.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::contacts::{Contact, ContactPatch, NewContact};
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::contact::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, contacts};
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

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_contacts)
        .service(create_contact)
        .service(get_contact)
        .service(update_contact)
        .service(delete_contact)
        .service(restore_contact);
}

fn to_body(model: Model) -> Contact {
    Contact {
        id: model.id,
        first_name: model.first_name,
        last_name: model.last_name,
        email: model.email,
        phone: model.phone,
        title: model.title,
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

/// Query parameters of the contact list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ContactListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: last_name, first_name, email,
    /// created_at, updated_at. Default `last_name,first_name`.
    sort: Option<String>,
    /// Adds `total`, the number of matching contacts.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted contacts too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the first name, last name, full name ("Wei Li" or "Li Wei"), e-mail
    /// address or phone digits.
    q: Option<String>,
    company_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    /// An e-mail address, matched exactly but ignoring case.
    email: Option<String>,
    /// Only contacts changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List contacts
///
/// Pages through the organization's contacts with keyset pagination.
#[utoipa::path(
    tag = "contacts",
    params(ContactListQuery),
    responses(
        (status = 200, description = "One page of contacts", body = Page<Contact>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/contacts")]
async fn list_contacts(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<ContactListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = contacts::ContactFilter {
        q: query.q,
        company_id: query.company_id,
        owner_id: query.owner_id,
        email: query.email,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = contacts::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Checks the shape of an e-mail address.
fn check_email(email: Option<&str>, errors: &mut Vec<FieldError>) {
    if let Some(email) = email
        && !domain::contact::is_plausible_email(email)
    {
        errors.push(FieldError::new(
            "email",
            "invalid_email",
            format!("{email:?} is not a valid e-mail address: use the form name@example.com"),
        ));
    }
}

fn new_contact(body: NewContact) -> Result<contacts::NewContact, ApiError> {
    body.validate()?;
    let first_name = clean(body.first_name).unwrap_or_default();
    let last_name = clean(body.last_name).unwrap_or_default();
    let email = clean(body.email);
    let mut errors = contacts::name_errors(&first_name, &last_name);
    check_email(email.as_deref(), &mut errors);
    reject_fields(errors)?;
    Ok(contacts::NewContact {
        first_name,
        last_name,
        email,
        phone: clean(body.phone),
        title: clean(body.title),
        company_id: body.company_id,
        owner_id: body.owner_id,
    })
}

/// Create a contact
///
/// Needs a non-blank `first_name`, `last_name` or both. `company_id` is optional, so a
/// private customer has none.
#[utoipa::path(
    tag = "contacts",
    request_body = NewContact,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new contact", body = Contact, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a company or owner that is not in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/contacts")]
async fn create_contact(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewContact>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_contact(body.0)?;
    let model = contacts::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/contacts/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a contact
#[utoipa::path(
    tag = "contacts",
    params(("id" = Uuid, Path, description = "Contact id")),
    responses(
        (status = 200, description = "The contact", body = Contact, headers(("ETag" = String))),
        (status = 404, description = "No such contact in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/contacts/{id}")]
async fn get_contact(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = contacts::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Converts a name patch: `null` and blank text both clear the name, stored as "".
fn name_patch(name: Option<Option<String>>) -> Option<String> {
    name.map(|name| clean(name).unwrap_or_default())
}

fn contact_changes(body: ContactPatch) -> Result<contacts::ContactChanges, ApiError> {
    let first_name = name_patch(body.first_name);
    let last_name = name_patch(body.last_name);
    let email = clean_patch(body.email);
    let phone = clean_patch(body.phone);
    let title = clean_patch(body.title);

    let mut errors = Vec::new();
    check_length("first_name", first_name.as_deref(), 200, &mut errors);
    check_length("last_name", last_name.as_deref(), 200, &mut errors);
    check_length(
        "email",
        email.clone().flatten().as_deref(),
        320,
        &mut errors,
    );
    check_length("phone", phone.clone().flatten().as_deref(), 50, &mut errors);
    check_length(
        "title",
        title.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    check_email(email.clone().flatten().as_deref(), &mut errors);
    reject_fields(errors)?;

    Ok(contacts::ContactChanges {
        first_name,
        last_name,
        email,
        phone,
        title,
        company_id: body.company_id,
        owner_id: body.owner_id,
    })
}

/// Update a contact
///
/// Changes only the fields present in the body; `null` clears a field. Send the ETag of the
/// version you edited as `If-Match` to receive 412 when someone else changed it first.
#[utoipa::path(
    tag = "contacts",
    request_body = ContactPatch,
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated contact", body = Contact, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot change records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The contact changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or both names cleared", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/contacts/{id}")]
async fn update_contact(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<ContactPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = contact_changes(body.0)?;
    let model = contacts::update(
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

/// Delete a contact
///
/// Marks the contact deleted; `POST /contacts/{id}/restore` brings it back.
#[utoipa::path(
    tag = "contacts",
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Viewers cannot delete records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The contact changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/contacts/{id}")]
async fn delete_contact(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted contact
#[utoipa::path(
    tag = "contacts",
    params(
        ("id" = Uuid, Path, description = "Contact id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored contact", body = Contact, headers(("ETag" = String))),
        (status = 403, description = "Viewers cannot restore records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The contact is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The contact changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/contacts/{id}/restore")]
async fn restore_contact(
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
    fn new_contact_stores_missing_name_as_empty() {
        let body = NewContact {
            last_name: Some("  Li ".to_owned()),
            ..NewContact::default()
        };
        let new = new_contact(body).map_err(|error| error.to_string());
        let names = new.map(|new| (new.first_name, new.last_name));
        assert_eq!(names, Ok((String::new(), "Li".to_owned())));
    }

    #[test]
    fn new_contact_requires_a_name() {
        let body = NewContact {
            first_name: Some("   ".to_owned()),
            email: Some("li.wei@example.com".to_owned()),
            ..NewContact::default()
        };
        let errors = new_contact(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["first_name", "last_name"]);
    }

    #[test]
    fn new_contact_rejects_implausible_email() {
        let body = NewContact {
            first_name: Some("Wei".to_owned()),
            email: Some("li.wei@localhost".to_owned()),
            ..NewContact::default()
        };
        let errors = new_contact(body).err().map(fields).unwrap_or_default();
        assert_eq!(errors, ["email"]);
    }

    #[test]
    fn name_patch_clears_with_null_or_blank() {
        assert_eq!(name_patch(Some(None)), Some(String::new()));
        assert_eq!(name_patch(Some(Some(" ".to_owned()))), Some(String::new()));
        assert_eq!(name_patch(None), None);
    }
}
