//! The API suite: every test starts the real server on a random loopback port and runs once
//! against SQLite and once against PostgreSQL, each time on a database of its own.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod activities;
mod auth;
mod board;
mod companies;
mod contacts;
mod deals;
mod demo;
mod errors;
mod hardening;
mod leads;
mod openapi;
mod pagination;
mod pipelines;
mod products;
mod reports;
mod resources;
mod tasks;
mod teams;
mod users;
