//! The application factory. Routes are registered once, through utoipa-actix-web, so the
//! served router and the OpenAPI document are built from the same list.

use std::path::PathBuf;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, HttpResponse, ResponseError, middleware, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::extract::{json_config, path_config, query_config};
use crate::route_table::RouteTable;
use crate::state::AppState;

/// Path of the served OpenAPI document.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dealbook API",
        description = "Sales project management: companies, contacts, leads, deals and their pipelines, activities and tasks. Every error is an RFC 9457 problem+json body with a stable `code`.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-up, sign-in and tokens"),
        (name = "companies", description = "Organizations the team sells to"),
        (name = "contacts", description = "People at companies, or on their own"),
        (name = "leads", description = "Unqualified interest, converted into deals"),
        (name = "users", description = "Members of the organization and their roles"),
        (name = "teams", description = "Sales teams with a manager and a region"),
        (name = "products", description = "What is sold, with product line and list price"),
        (name = "pipelines", description = "Sales processes as ordered stages"),
        (name = "deals", description = "Sales projects moving through a pipeline"),
        (name = "activities", description = "Notes, calls, meetings, visits and e-mails"),
        (name = "tasks", description = "To-dos with an assignee and a due time"),
        (name = "campaigns", description = "Marketing campaigns with a channel, a period and a cost"),
        (name = "quotas", description = "Sales targets of a user or team per month or quarter"),
        (name = "reports", description = "Sales analytics computed in the database, as JSON or CSV"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

async fn api_not_found(
    request: HttpRequest,
    routes: Option<web::Data<RouteTable>>,
) -> HttpResponse {
    let allowed = routes.and_then(|routes| routes.allowed_methods(request.path()));
    if let Some(allowed) = allowed {
        let allow = allowed.join(", ");
        let error = ApiError::MethodNotAllowed {
            detail: format!(
                "{} is not supported on {}: use one of {allow}",
                request.method(),
                request.path()
            ),
        };
        let mut response = error.error_response();
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
            response
                .headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        return response;
    }
    let error = ApiError::NotFound {
        code: "route_not_found",
        detail: format!(
            "no API route matches {} {}: see {OPENAPI_PATH} for the routes",
            request.method(),
            request.path()
        ),
    };
    error.error_response()
}

/// Sends `/api/docs` to `/api/docs/`, where the docs page's relative asset paths resolve.
async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/api/docs/"))
        .finish()
}

/// The OpenAPI document as served, built once at start-up.
struct ServedDocument(String);

async fn serve_openapi(document: web::Data<ServedDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document.0.clone())
}

/// Builds the OpenAPI document without starting a server.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(api_scope())
        .split_for_parts();
    api
}

fn api_scope() -> utoipa_actix_web::scope::Scope<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    utoipa_actix_web::scope("/api/v1")
        .configure(crate::routes::configure)
        .route("/openapi.json", web::get().to(serve_openapi))
        .default_service(web::to(api_not_found))
}

/// Builds the application: the API, its document and docs, and the web app from
/// `static_dir` when given.
pub fn build_app(
    state: AppState,
    static_dir: Option<PathBuf>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(web::Data::new(state))
        .app_data(json_config())
        .app_data(query_config())
        .app_data(path_config())
        .app_data(web::PayloadConfig::new(crate::extract::MAX_JSON_BYTES))
        .service(api_scope())
        .split_for_parts();
    let document = api.to_json().unwrap_or_default();
    let routes = RouteTable::from_openapi(&api);
    let app = app
        .app_data(web::Data::new(ServedDocument(document)))
        .app_data(web::Data::new(routes))
        .route("/api/docs", web::get().to(redirect_to_docs))
        .service(SwaggerUi::new("/api/docs/{_:.*}").url(OPENAPI_PATH, api))
        .service(web::scope("/api").default_service(web::to(api_not_found)));
    let app = crate::static_files::mount(app, static_dir);
    app.wrap(middleware::from_fn(
        crate::static_files::cache_hashed_assets,
    ))
    .wrap(middleware::from_fn(crate::middleware::idempotency))
    .wrap(middleware::from_fn(crate::middleware::trace_request))
}
