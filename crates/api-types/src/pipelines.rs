use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::patch;

/// The kind of a stage: deals in it are still in progress (`open`), `won` or `lost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

/// A step of a pipeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Proposal"))]
    pub name: String,
    /// Place in the pipeline, from 0.
    pub position: i32,
    /// Win probability in whole percent, 0 to 100, used for weighted forecasts.
    #[cfg_attr(feature = "openapi", schema(example = 50, minimum = 0, maximum = 100))]
    pub probability: i32,
    pub kind: StageKind,
}

/// A sales process: an ordered list of stages that deals move through.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Sales"))]
    pub name: String,
    /// Place among the organization's pipelines.
    pub position: i32,
    /// The live stages, ordered by position.
    pub stages: Vec<Stage>,
    /// Version of the pipeline, which also changes when its stages change.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// A stage of a new pipeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStage {
    #[cfg_attr(feature = "openapi", schema(example = "Proposal"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = 50, minimum = 0, maximum = 100))]
    pub probability: i32,
    pub kind: StageKind,
}

/// The fields of a new pipeline. It needs 1 to 30 stages with names unique ignoring case,
/// at least one `open` and one `won`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPipeline {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Sales"))]
    pub name: String,
    /// Place among the organization's pipelines, after the last one when omitted.
    #[validate(range(min = 0, max = 10000, message = "position must be 0 to 10000"))]
    #[serde(default)]
    pub position: Option<i32>,
    /// The stages in order.
    pub stages: Vec<NewStage>,
}

/// One entry of a replacement stage list. With an `id` it updates that stage, so its deals
/// stay in it. Without one it adds a stage.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageUpdate {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(example = "Proposal"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = 50, minimum = 0, maximum = 100))]
    pub probability: i32,
    pub kind: StageKind,
}

/// A partial update of a pipeline: omitted fields stay. `stages`, when present, is the
/// whole new stage list in order. Stages left out are deleted, which fails with 409
/// `stage_in_use` while live deals are in them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelinePatch {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[validate(range(min = 0, max = 10000, message = "position must be 0 to 10000"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub position: Option<i32>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<StageUpdate>>))]
    pub stages: Option<Vec<StageUpdate>>,
}
