//! Components shared by the pages; each takes everything it shows through its props.

pub mod activity_form;
pub mod activity_list;
pub mod board_column;
pub mod board_filters;
pub mod charts;
pub mod dashboard;
pub mod dashboard_filters;
pub mod deal_card;
pub mod deal_contacts;
pub mod deal_fields;
pub mod deals_table;
pub mod field;
pub mod language_switch;
pub mod layout;
pub mod line_items;
pub mod load_more;
pub mod related;
pub mod remote;
pub mod task_form;
pub mod task_item;
pub mod timeline;
pub mod totals;
