//! `/teams`: the sales teams.

use api_types::teams::Team;

use super::{ApiError, get_all};

/// Lists every live team by name.
pub async fn list_teams() -> Result<Vec<Team>, ApiError> {
    get_all("/teams?limit=200").await
}
