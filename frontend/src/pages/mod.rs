//! One component per route.

pub mod board;
pub mod companies;
pub mod company;
pub mod contact;
pub mod contacts;
pub mod dashboard;
pub mod deal;
pub mod deals;
pub mod not_found;
pub mod sign_in;
pub mod tasks;
