//! State hooks shared by the pages.

mod context;
mod use_element_width;
mod use_paged;
mod use_remote;

pub use context::{Directory, SessionContext, use_directory, use_i18n, use_session};
pub use use_element_width::use_element_width;
pub use use_paged::{PageStatus, PagedHandle, use_paged};
pub use use_remote::{Remote, RemoteHandle, use_remote};
