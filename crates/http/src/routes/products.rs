//! `/products`: what the organization sells, with product line and list price.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use api_types::products::{NewProduct, Product, ProductPatch};
use api_types::{Page, Problem};
use persistence::FieldError;
use persistence::entities::product::{Entity, Model};
use persistence::list::ListOptions;
use persistence::repo::{self, products};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::convert::{check_length, clean, clean_patch, instant_out, money_in, money_out};
use crate::error::{ApiError, reject_fields};
use crate::extract::{Body, IfMatch, Member};
use crate::respond::{created, no_content, ok_versioned};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_products)
        .service(create_product)
        .service(get_product)
        .service(update_product)
        .service(delete_product)
        .service(restore_product);
}

fn to_body(model: Model) -> Product {
    let list_price = money_out(Some(model.list_price_e4), Some(&model.currency));
    Product {
        list_price: list_price.unwrap_or(api_types::Money {
            amount: rust_decimal::Decimal::ZERO,
            currency: model.currency,
        }),
        id: model.id,
        name: model.name,
        product_line: model.product_line,
        sku: model.sku,
        active: model.active,
        version: model.version,
        created_at: instant_out(model.created_at),
        updated_at: instant_out(model.updated_at),
        deleted_at: model.deleted_at.map(instant_out),
    }
}

fn describe(model: &Model) -> serde_json::Value {
    serde_json::to_value(to_body(model.clone())).unwrap_or_default()
}

/// Query parameters of the product list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProductListQuery {
    /// Page size, 1 to 200; 50 when omitted.
    limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sort keys, `-` for descending: name, product_line, list_price,
    /// created_at, updated_at. Default `name`. `list_price` compares amounts without
    /// converting currencies.
    sort: Option<String>,
    /// Adds `total`, the number of matching products.
    #[serde(default)]
    with_total: bool,
    /// Lists deleted products too.
    #[serde(default)]
    include_deleted: bool,
    /// Text to find in the name or SKU.
    q: Option<String>,
    /// Product line, matched exactly.
    product_line: Option<String>,
    /// `true` for active products only, `false` for inactive ones only.
    active: Option<bool>,
    /// Only products changed at or after this instant (RFC 3339).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<OffsetDateTime>,
}

/// List products
///
/// Pages through the organization's products with keyset pagination.
#[utoipa::path(
    tag = "products",
    params(ProductListQuery),
    responses(
        (status = 200, description = "One page of products", body = Page<Product>),
        (status = 400, description = "Invalid query string", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sort, limit or cursor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/products")]
async fn list_products(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ProductListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let options = ListOptions {
        limit: query.limit,
        cursor: query.cursor,
        sort: query.sort,
        with_total: query.with_total,
        include_deleted: query.include_deleted,
    };
    let filter = products::ProductFilter {
        q: query.q,
        product_line: query.product_line,
        active: query.active,
        updated_since: query.updated_since.map(domain::time::to_stored),
    };
    let page = products::list(&state.db, &member.scope, filter, &options).await?;
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

fn new_product(body: NewProduct) -> Result<products::NewProduct, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let list_price = money_in("list_price", &body.list_price);
    if let Err(error) = &list_price {
        errors.push(error.clone());
    }
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        errors.push(blank_name());
    }
    reject_fields(errors)?;
    let list_price = list_price.map_err(|error| ApiError::Validation(vec![error]))?;
    Ok(products::NewProduct {
        name,
        product_line: clean(body.product_line),
        sku: clean(body.sku),
        list_price,
        active: body.active,
    })
}

/// Create a product
///
/// Needs an owner or admin. The SKU, when given, must differ from every other product's.
#[utoipa::path(
    tag = "products",
    request_body = NewProduct,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request return the first response instead of creating again")),
    responses(
        (status = 201, description = "The new product", body = Product, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only owners and admins manage products", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another product has this SKU", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/products")]
async fn create_product(
    state: web::Data<AppState>,
    member: Member,
    body: Body<NewProduct>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let new = new_product(body.0)?;
    let model = products::create(&state.db, &scope, new).await?;
    let location = format!("/api/v1/products/{}", model.id);
    let version = model.version;
    Ok(created(&to_body(model), version, location))
}

/// Get a product
#[utoipa::path(
    tag = "products",
    params(("id" = Uuid, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = Product, headers(("ETag" = String))),
        (status = 404, description = "No such product in this organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/products/{id}")]
async fn get_product(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let model = products::get(&state.db, &member.scope, id.into_inner()).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

fn product_changes(body: ProductPatch) -> Result<products::ProductChanges, ApiError> {
    body.validate()?;
    let mut errors = Vec::new();
    let name = body.name.map(|name| name.trim().to_owned());
    if name.as_deref() == Some("") {
        errors.push(blank_name());
    }
    let list_price = match body
        .list_price
        .as_ref()
        .map(|price| money_in("list_price", price))
    {
        Some(Ok(price)) => Some(price),
        Some(Err(error)) => {
            errors.push(error);
            None
        }
        None => None,
    };

    let product_line = clean_patch(body.product_line);
    let sku = clean_patch(body.sku);
    check_length(
        "product_line",
        product_line.clone().flatten().as_deref(),
        200,
        &mut errors,
    );
    check_length("sku", sku.clone().flatten().as_deref(), 100, &mut errors);
    reject_fields(errors)?;

    Ok(products::ProductChanges {
        name,
        product_line,
        sku,
        list_price,
        active: body.active,
    })
}

/// Update a product
///
/// Needs an owner or admin. Changes only the fields present in the body; `null` clears a
/// nullable field. Send the ETag of the version you edited as `If-Match` to get 412
/// when someone else changed it first.
#[utoipa::path(
    tag = "products",
    request_body = ProductPatch,
    params(
        ("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being edited"),
    ),
    responses(
        (status = 200, description = "The updated product", body = Product, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage products", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another product has this SKU", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The product changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/products/{id}")]
async fn update_product(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Body<ProductPatch>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    let changes = product_changes(body.0)?;
    let id = id.into_inner();
    let model = products::update(&state.db, &scope, id, if_match.0, changes, describe).await?;
    let version = model.version;
    Ok(ok_versioned(&to_body(model), version))
}

/// Delete a product
///
/// Needs an owner or admin. Marks the product deleted; line items that name it keep their
/// own name and price. `POST /products/{id}/restore` brings it back.
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version being deleted"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only owners and admins manage products", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The product changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/products/{id}")]
async fn delete_product(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let scope = member.admin()?;
    repo::soft_delete::<Entity>(&state.db, &scope, id.into_inner(), if_match.0).await?;
    Ok(no_content())
}

/// Restore a deleted product
///
/// Needs an owner or admin.
#[utoipa::path(
    tag = "products",
    params(
        ("id" = Uuid, Path, description = "Product id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the deleted version"),
    ),
    responses(
        (status = 200, description = "The restored product", body = Product, headers(("ETag" = String))),
        (status = 403, description = "Only owners and admins manage products", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The product is not deleted", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The product changed since that version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/products/{id}/restore")]
async fn restore_product(
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
