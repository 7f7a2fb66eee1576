//! `/pipelines/{id}/board`: deal counts and totals per stage.

use api_types::board::Board;
use serde::Serialize;
use uuid::Uuid;

use super::{ApiError, get_json, query_string};

/// Filters of the board, the same as the deal list's.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BoardQuery {
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub q: Option<String>,
}

/// Reads the stages of a pipeline with their deal counts and totals per currency.
pub async fn get_board(pipeline_id: Uuid, query: &BoardQuery) -> Result<Board, ApiError> {
    get_json(format!(
        "/pipelines/{pipeline_id}/board{}",
        query_string(query)
    ))
    .await
}
