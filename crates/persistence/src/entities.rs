//! sea-orm entities, one per table. They never leave the persistence and HTTP layers as
//! request or response bodies.

pub mod activity;
pub mod campaign;
pub mod change_event;
pub mod company;
pub mod contact;
pub mod deal;
pub mod deal_contact;
pub mod forecast_snapshot;
pub mod idempotency_key;
pub mod lead;
pub mod line_item;
pub mod membership;
pub mod organization;
pub mod pipeline;
pub mod product;
pub mod quota;
pub mod refresh_token;
pub mod stage;
pub mod stage_transition;
pub mod task;
pub mod team;
pub mod user;
