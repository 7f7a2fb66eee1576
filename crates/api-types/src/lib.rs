//! Request and response bodies of the Dealbook REST API, shared by the server and the web app.
//!
//! With the `openapi` feature every type also describes itself for the OpenAPI document.

pub mod activities;
pub mod auth;
pub mod board;
pub mod campaigns;
pub mod common;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod leads;
pub mod patch;
pub mod pipelines;
pub mod products;
pub mod quotas;
pub mod reports;
pub mod tasks;
pub mod teams;
pub mod users;

pub use common::{Money, Page, Problem, ProblemField};
