//! Dealbook's web app: a Yew single-page app that talks to the REST API under `/api/v1`.
//!
//! `pages` contains one component per route, `components` the props-driven parts they share,
//! `hooks` the state helpers, `api` one typed function per endpoint, `i18n` the English and
//! Chinese texts and formats, and `view_model` the logic that needs no browser, so that it
//! is unit-tested natively.

pub mod api;
pub mod app;
pub mod components;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod route;
pub mod shared;
pub mod view_model;

/// Mounts the app on the document body.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
