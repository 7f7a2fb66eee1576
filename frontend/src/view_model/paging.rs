//! The loading state of a keyset-paginated list.

use crate::api::ApiError;

/// Whether a list is loading its first page, idle, loading more, or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStatus {
    Loading,
    Idle,
    LoadingMore,
    /// The first page failed, so there is nothing to show.
    Failed(ApiError),
    /// A later page failed, and the loaded rows stay.
    MoreFailed(ApiError),
}
