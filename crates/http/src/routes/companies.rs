//! `/companies`: the organizations a team sells to.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::companies::{Company, CompanyPatch, NewCompany};
use api_types::{Page, Problem};
use persistence::entities::company::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, companies};
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
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_companies)
        .service(create_company)
        .service(get_company)
        .service(update_company)
        .service(delete_company)
        .service(restore_company);
}

fn to_body(model: Model) -> Company {
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

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the company list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompanyListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, industry, country, employees,
    /// annual_revenue, created_at, updated_at. Default `name`.
    sort: Option<String>,
    /// Adds `total`, the number of matching companies.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted companies too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name, website or phone number.
    q: Option<String>,
    industry: Option<String>,
    country: Option<String>,
    owner_id: Option<Uuid>,
    parent_id: Option<Uuid>,
    /// Only companies changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List companies
///
/// Pages through the organization's companies with keyset pagination.
#[utoipa::path(
    tag = "companies",
    params(CompanyListQuery),
    responses(
        (status = 200, description = "One page of companies", body = Page<Company>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/companies")]
async fn list_companies(
    state: web::Data<AppState>,
    member: Member,
    query: QueryParams<CompanyListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = companies::CompanyFilter {
        q: query.q,
        industry: query.industry,
        country: query.country,
        owner_id: query.owner_id,
        parent_id: query.parent_id,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = companies::list(&state.db, &member.scope, filter, &options).await?;
    let page = page.map(to_body);
    Ok(HttpResponse::Ok().json(Page {
        data: page.rows,
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

fn new_company(body: NewCompany) -> Result<companies::NewCompany, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let annual_revenue =
        optional_money_in("annual_revenue", body.annual_revenue.as_ref(), &mut errors);
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        errors.push(persistence::FieldError::new(
            "name",
            "required",
            "name must not be blank",
        ));
    }
    reject_fields(errors)?;
    Ok(companies::NewCompany {
        name,
        industry: clean(body.industry),
        country: clean(body.country),
        website: clean(body.website),
        phone: clean(body.phone),
        annual_revenue,
        employees: body.employees,
        year_established: body.year_established,
        parent_id: body.parent_id,
        owner_id: body.owner_id,
    })
}

/// Create a company
#[utoipa::path(
    tag = "companies",
    request_body = NewCompany,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new company", body = Company, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Viewers cannot create records", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/companies")]
async fn create_company(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewCompany>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let new = new_company(body.0)?;
    let model = companies::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/companies/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a company
#[utoipa::path(
    tag = "companies",
    params(("id" = Uuid, Path, description = "Company id")),
    responses(
        (status = 200, description = "The company", body = Company, headers(("ETag" = String))),
        (status = 404, description = "No such company in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/companies/{id}")]
async fn get_company(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = companies::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn company_changes(body: CompanyPatch) -> Result<companies::CompanyChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let annual_revenue = body
        .annual_revenue
        .map(|revenue| optional_money_in("annual_revenue", revenue.as_ref(), &mut errors));
    let name = body.name.map(|name| name.trim().to_owned());
    if name.as_deref() == Some("") {
        errors.push(persistence::FieldError::new(
            "name",
            "required",
            "name must not be blank",
        ));
    }
    let industry = clean_patch(body.industry);
    let country = clean_patch(body.country);
    let website = clean_patch(body.website);
    let phone = clean_patch(body.phone);
    check_length(
        "industry",
        industry.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    check_length(
        "country",
        country.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    check_length(
        "website",
        website.clone().flatten().as_deref(),
        500,
        &mut errors,
    );
    check_length("phone", phone.clone().flatten().as_deref(), 50, &mut errors);
    if let Some(Some(employees)) = body.employees
        && employees < 0
    {
        errors.push(persistence::FieldError::new(
            "employees",
            "out_of_range",
            "employees must not be negative",
        ));
    }
    reject_fields(errors)?;
    Ok(companies::CompanyChanges {
        name,
        industry,
        country,
        website,
        phone,
        annual_revenue,
        employees: body.employees,
        year_established: body.year_established,
        parent_id: body.parent_id,
        owner_id: body.owner_id,
    })
}

/// Update a company
///
/// Changes only the fields present in the body; `null` clears a field. Send the ETag of the
/// version you edited as `If-Match` to be told with 412 when someone else changed it first.
#[utoipa::path(
    tag = "companies",
    request_body = CompanyPatch,
    params(
        ("id" = Uuid, Path, description = "Company id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated company", body = Company, headers(("ETag" = String))),
        (status = 404, description = "No such company", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The company changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/companies/{id}")]
async fn update_company(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<CompanyPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    let changes = company_changes(body.0)?;
    let model = companies::update(
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

/// Delete a company
///
/// Marks the company deleted; `POST /companies/{id}/restore` brings it back.
#[utoipa::path(
    tag = "companies",
    params(
        ("id" = Uuid, Path, description = "Company id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such company", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The company changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/companies/{id}")]
async fn delete_company(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.writer()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted company
#[utoipa::path(
    tag = "companies",
    params(
        ("id" = Uuid, Path, description = "Company id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored company", body = Company, headers(("ETag" = String))),
        (status = 404, description = "No such company", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The company is not deleted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/companies/{id}/restore")]
async fn restore_company(
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
