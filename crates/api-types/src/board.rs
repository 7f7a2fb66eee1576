//! The pipeline board: how many deals each stage contains and what they add up to, so that a
//! client can draw the columns without downloading every deal.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Money;
use crate::pipelines::StageKind;

/// One column of the board: a stage with the number and the amounts of its deals.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardStage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Proposal"))]
    pub name: String,
    pub kind: StageKind,
    /// Place in the pipeline, from 0.
    pub position: i32,
    /// Win probability in whole percent, 0 to 100.
    #[cfg_attr(feature = "openapi", schema(example = 50))]
    pub probability: i32,
    /// Number of live deals in the stage that match the filters, with or without an amount.
    #[cfg_attr(feature = "openapi", schema(example = 42))]
    pub count: u64,
    /// Sum of the deal amounts, one entry per currency, ordered by currency code. Amounts in
    /// different currencies are never added together, and a currency whose deals all lack
    /// an amount has no entry.
    pub totals: Vec<Money>,
}

/// The stages of a pipeline in order, each with its deal count and totals.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    pub pipeline_id: Uuid,
    /// The live stages, ordered by position.
    pub stages: Vec<BoardStage>,
}
