//! Campaigns: marketing spend on one channel over a period.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use validator::Validate;

use crate::Money;
use crate::deals::calendar_date;
use crate::patch;

/// A marketing campaign with its channel, period and cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Spring trade fair"))]
    pub name: String,
    /// The channel deals name in their `channel` field, matched exactly for ROI.
    #[cfg_attr(feature = "openapi", schema(example = "events"))]
    pub channel: String,
    /// First day of the campaign (`YYYY-MM-DD`).
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_start: Date,
    /// Last day of the campaign, inclusive (`YYYY-MM-DD`).
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_end: Date,
    /// Total cost, in the organization's base currency.
    pub cost: Money,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new campaign.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Spring trade fair"))]
    pub name: String,
    #[validate(length(min = 1, max = 100, message = "channel must be 1 to 100 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "events"))]
    pub channel: String,
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-03-01"))]
    pub period_start: Date,
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-03-31"))]
    pub period_end: Date,
    /// Total cost in the organization's base currency; other currencies are rejected.
    pub cost: Money,
}

/// A partial update of a campaign: omitted fields stay. Every field is required on the
/// record, so none may be `null`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignPatch {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 100, message = "channel must be 1 to 100 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub channel: Option<String>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub period_start: Option<Date>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub period_end: Option<Date>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub cost: Option<Money>,
}
