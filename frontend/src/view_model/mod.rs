//! Logic of the pages that needs no browser, unit-tested natively.

pub mod board;
pub mod bottlenecks;
pub mod charts;
pub mod dashboard;
pub mod deal_form;
pub mod fields;
pub mod forecast_accuracy;
pub mod paging;
pub mod sorting;
pub mod tasks;
pub mod timeline;
pub mod totals;
pub mod win_loss;
