use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::patch;

/// A sales team with a manager and a region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "East China"))]
    pub name: String,
    /// User id of the member who manages the team.
    pub manager_id: Option<Uuid>,
    /// Sales region or territory, kept as entered.
    #[cfg_attr(feature = "openapi", schema(example = "Shanghai"))]
    pub region: Option<String>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new team. The name must differ from the other teams' names, ignoring
/// case.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "East China"))]
    pub name: String,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    #[validate(length(max = 200, message = "region must be at most 200 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Shanghai"))]
    pub region: Option<String>,
}

/// A partial update of a team: omitted fields stay, `null` clears a field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    #[validate(length(min = 1, max = 200, message = "name must be 1 to 200 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub manager_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Option<String>>,
}
