//! The Dealbook HTTP API: actix-web handlers, extractors, authentication, problem+json errors
//! and the OpenAPI document, which is built from the same route list as the router.

pub mod convert;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod respond;
pub mod route_table;
pub mod routes;
pub mod state;
pub mod static_files;
pub mod tokens;

pub use openapi::{build_app, openapi_document};
pub use state::AppState;
