//! `/pipelines`: the sales processes and their stages.

use api_types::pipelines::Pipeline;

use super::{ApiError, get_all};

/// Lists every live pipeline in order, each with its stages.
pub async fn list_pipelines() -> Result<Vec<Pipeline>, ApiError> {
    get_all("/pipelines?limit=200").await
}
