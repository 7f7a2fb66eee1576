//! `/leads`: unqualified interest, and its conversion into a contact, a company and a deal.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::companies::Company;
use api_types::contacts::Contact;
use api_types::leads::{ConvertLead, Lead, LeadConversion, LeadPatch, LeadStatus, NewLead};
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::lead::{Entity, Model};
use persistence::entities::{company, contact};
use persistence::list::ListOptions;
use persistence::repo::{self, leads};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out, money_out, optional_money_in};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member, QueryParams};
use crate::respond::{created, no_content, ok_versioned};
use crate::routes::deals::deal_body;
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_leads)
        .service(create_lead)
        .service(get_lead)
        .service(update_lead)
        .service(delete_lead)
        .service(restore_lead)
        .service(convert_lead);
}

fn status_in(status: LeadStatus) -> leads::LeadStatus {
    match status {
        LeadStatus::New => leads::LeadStatus::New,
        LeadStatus::Working => leads::LeadStatus::Working,
        LeadStatus::Qualified => leads::LeadStatus::Qualified,
        LeadStatus::Disqualified => leads::LeadStatus::Disqualified,
        LeadStatus::Converted => leads::LeadStatus::Converted,
    }
}

fn status_out(stored: &str) -> LeadStatus {
    // Every write goes through `leads::LeadStatus`, so a stored status always parses.
    match leads::LeadStatus::parse(stored).unwrap_or(leads::LeadStatus::New) {
        leads::LeadStatus::New => LeadStatus::New,
        leads::LeadStatus::Working => LeadStatus::Working,
        leads::LeadStatus::Qualified => LeadStatus::Qualified,
        leads::LeadStatus::Disqualified => LeadStatus::Disqualified,
        leads::LeadStatus::Converted => LeadStatus::Converted,
    }
}

fn to_body(model: Model) -> Lead {
    Lead {
        status: status_out(&model.status),
        id: model.id,
        name: model.name,
        company_name: model.company_name,
        email: model.email,
        phone: model.phone,
        title: model.title,
        source: model.source,
        channel: model.channel,
        campaign: model.campaign,
        owner_id: model.owner_id,
        converted_at: model.converted_at.map(instant_out),
        converted_deal_id: model.converted_deal_id,
        converted_contact_id: model.converted_contact_id,
        converted_company_id: model.converted_company_id,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

// NOTE: the next two functions repeat the response mapping of the contacts and companies
// routes, whose own mappings are private to those modules.
fn contact_body(model: contact::Model) -> Contact {
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

fn company_body(model: company::Model) -> Company {
    Company {
        annual_revenue: money_out(model.annual_revenue_e4, model.revenue_currency.as_deref()),
        id: model.id,
        name: model.name,
        industry: model.industry,
        country: model.country,
        website: model.website,
        phone: model.phone,
        employees: model.employees,
        year_established: model.year_established,
        parent_id: model.parent_id,
        owner_id: model.owner_id,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

/// Query parameters of the lead list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LeadListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, created_at, updated_at, status.
    /// Default `-created_at`.
    sort: Option<String>,
    /// Adds `total`, the number of matching leads.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted leads too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name, company name, e-mail address or phone number.
    q: Option<String>,
    status: Option<LeadStatus>,
    source: Option<String>,
    channel: Option<String>,
    owner_id: Option<Uuid>,
    /// Only leads changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List leads
///
/// Pages through the organization's leads with keyset pagination.
#[utoipa::path(
    tag = "leads",
    params(LeadListQuery),
    responses(
        (status = 200, description = "One page of leads", body = Page<Lead>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/leads")]
async fn list_leads(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<LeadListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = leads::LeadFilter {
        q: query.q,
        status: query.status.map(status_in),
        source: query.source,
        channel: query.channel,
        owner_id: query.owner_id,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = leads::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// Trims an e-mail address and checks its shape, collecting the error into `errors`.
fn email_in(email: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let email = clean(email)?;
    if !domain::contact::is_plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "invalid_email",
            format!("{email:?} is not an e-mail address: use the form name@example.com"),
        ));
    }
    Some(email)
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

fn new_lead(body: NewLead) -> Result<leads::NewLead, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = required_name(&body.name, &mut errors);
    let email = email_in(body.email, &mut errors);
    reject_fields(errors)?;
    Ok(leads::NewLead {
        name,
        company_name: clean(body.company_name),
        email,
        phone: clean(body.phone),
        title: clean(body.title),
        source: clean(body.source),
        channel: clean(body.channel),
        campaign: clean(body.campaign),
        status: body.status.map_or(leads::LeadStatus::New, status_in),
        owner_id: body.owner_id,
    })
}

/// Create a lead
#[utoipa::path(
    tag = "leads",
    request_body = NewLead,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new lead", body = Lead, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or status `converted`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/leads")]
async fn create_lead(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewLead>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_lead(body.0)?;
    let model = leads::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/leads/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a lead
#[utoipa::path(
    tag = "leads",
    params(("id" = Uuid, Path, description = "Lead id")),
    responses(
        (status = 200, description = "The lead", body = Lead, headers(("ETag" = String))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/leads/{id}")]
async fn get_lead(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = leads::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn lead_changes(body: LeadPatch) -> Result<leads::LeadChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body.name.map(|name| required_name(&name, &mut errors));
    let email = body.email.map(|email| email_in(email, &mut errors));

    let company_name = clean_patch(body.company_name);
    let phone = clean_patch(body.phone);
    let title = clean_patch(body.title);
    let source = clean_patch(body.source);
    let channel = clean_patch(body.channel);
    let campaign = clean_patch(body.campaign);

    let limits = [
        ("company_name", &company_name, 300),
        ("email", &email, 320),
        ("phone", &phone, 50),
        ("title", &title, 200),
        ("source", &source, 200),
        ("channel", &channel, 200),
        ("campaign", &campaign, 200),
    ];
    for (field, text, max) in limits {
        check_length(field, text.clone().flatten().as_deref(), max, &mut errors);
    }
    reject_fields(errors)?;
    Ok(leads::LeadChanges {
        name,
        company_name,
        email,
        phone,
        title,
        source,
        channel,
        campaign,
        status: body.status.map(status_in),
        owner_id: body.owner_id,
    })
}

/// Update a lead
///
/// Changes only the fields present in the body; `null` clears a field. The status cannot be
/// set to `converted` here (use the convert endpoint), nor changed once the lead is
/// converted. Send the ETag of the version you edited as `If-Match` to get 412 when
/// someone else changed it first.
#[utoipa::path(
    tag = "leads",
    request_body = LeadPatch,
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated lead", body = Lead, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot change records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lead is converted, so its status cannot change", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The lead changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/leads/{id}")]
async fn update_lead(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<LeadPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = lead_changes(body.0)?;
    let id = id.into_inner();
    let model = leads::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a lead
///
/// Marks the lead deleted; `POST /leads/{id}/restore` brings it back.
#[utoipa::path(
    tag = "leads",
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot delete records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The lead changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/leads/{id}")]
async fn delete_lead(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted lead
#[utoipa::path(
    tag = "leads",
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored lead", body = Lead, headers(("ETag" = String))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot restore records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lead is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The lead changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/leads/{id}/restore")]
async fn restore_lead(
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

fn conversion_request(body: ConvertLead) -> Result<leads::ConvertLead, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let amount = optional_money_in("amount", body.amount.as_ref(), &mut errors);
    let deal_name = body.deal_name.map(|name| name.trim().to_owned());
    if deal_name.as_deref() == Some("") {
        errors.push(FieldError::new(
            "deal_name",
            "required",
            "deal_name must not be blank: omit it to use the lead's company name",
        ));
    }
    reject_fields(errors)?;
    Ok(leads::ConvertLead {
        deal_name,
        pipeline_id: body.pipeline_id,
        stage_id: body.stage_id,
        amount,
        exchange_rate: body.exchange_rate,
        expected_close_date: body.expected_close_date,
        company_id: body.company_id,
        create_company: body.create_company,
    })
}

/// Convert a lead
///
/// Creates, in one transaction, a contact from the lead with its name split on the last
/// space, and a company from its company name unless `company_id` is sent or
/// `create_company` is false. It then creates a deal linked to both in the requested or
/// first pipeline, and marks the lead converted. Any failure leaves no record behind and
/// the lead unchanged.
#[utoipa::path(
    tag = "leads",
    request_body = ConvertLead,
    params(
        ("id" = Uuid, Path, description = "Lead id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the lead version being converted"),
    ),
    responses(
        (status = 201, description = "The converted lead and the records it became", body = LeadConversion, headers(("Location" = String, description = "Address of the new deal"))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot convert leads", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lead is already converted (`already_converted`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The lead changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, such as a stage of another pipeline", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/leads/{id}/convert")]
async fn convert_lead(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<ConvertLead>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let request = conversion_request(body.0)?;
    let id = id.into_inner();
    let conversion = leads::convert(&state.db, &scope, id, if_match.0, request, describe).await?;
    let location = format!("/api/v1/deals/{}", conversion.deal.deal.id);
    let body = LeadConversion {
        lead: to_body(conversion.lead),
        contact: contact_body(conversion.contact),
        company: conversion.company.map(company_body),
        deal: deal_body(conversion.deal),
    };
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_in_rejects_malformed_address() {
        let mut errors = Vec::new();
        email_in(Some("not-an-address".to_owned()), &mut errors);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.first().map(|error| error.code),
            Some("invalid_email")
        );
    }

    #[test]
    fn email_in_trims_and_accepts() {
        let mut errors = Vec::new();
        let email = email_in(Some("  li.wei@example.com ".to_owned()), &mut errors);
        assert_eq!(email.as_deref(), Some("li.wei@example.com"));
        assert!(errors.is_empty());
    }

    #[test]
    fn new_lead_rejects_blank_name() {
        let body = NewLead {
            name: "   ".to_owned(),
            company_name: None,
            email: None,
            phone: None,
            title: None,
            source: None,
            channel: None,
            campaign: None,
            status: None,
            owner_id: None,
        };
        assert!(matches!(new_lead(body), Err(ApiError::Validation(_))));
    }
}
