//! One module per resource, each registering its handlers through `configure`.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod activities;
pub mod auth;
pub mod board;
pub mod campaigns;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod leads;
pub mod pipelines;
pub mod products;
pub mod quotas;
pub mod reports;
pub mod tasks;
pub mod teams;
pub mod users;

/// Registers every `/api/v1` handler.
pub fn configure(config: &mut ServiceConfig) {
    config
        .configure(auth::configure)
        .configure(users::configure)
        .configure(teams::configure)
        .configure(companies::configure)
        .configure(contacts::configure)
        .configure(leads::configure)
        .configure(products::configure)
        .configure(pipelines::configure)
        .configure(deals::configure)
        .configure(board::configure)
        .configure(activities::configure)
        .configure(tasks::configure)
        .configure(campaigns::configure)
        .configure(quotas::configure)
        .configure(reports::configure);
}
