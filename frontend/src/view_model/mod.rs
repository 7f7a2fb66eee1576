//! Logic of the pages that needs no browser, unit-tested natively.

pub mod board;
pub mod charts;
pub mod dashboard;
pub mod deal_form;
pub mod fields;
pub mod paging;
pub mod sorting;
pub mod tasks;
pub mod timeline;
pub mod totals;
