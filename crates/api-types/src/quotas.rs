//! Quotas: sales targets of one member or one team for a month or a quarter.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::Money;
use crate::deals::calendar_date;
use crate::patch;

/// The length of a quota period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
}

/// A sales target for one member (`user_id`) or one team (`team_id`), never both.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quota {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub period_kind: PeriodKind,
    /// First day of the month or quarter (`YYYY-MM-DD`).
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_start: Date,
    /// Last day of the period, derived from the start and the kind.
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub period_end: Date,
    /// Won amount to reach, in the organization's base currency.
    pub target: Money,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new quota. Set exactly one of `user_id` and `team_id`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewQuota {
    #[serde(default)]
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    pub period_kind: PeriodKind,
    /// The first day of a month, or of January, April, July or October for a quarter.
    #[serde(with = "calendar_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-04-01"))]
    pub period_start: Date,
    /// Won amount to reach, in the organization's base currency.
    pub target: Money,
}

/// A partial update of a quota: omitted fields stay. Setting `user_id` clears `team_id` and
/// the other way round; sending both is rejected.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaPatch {
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub user_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub team_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PeriodKind>))]
    pub period_kind: Option<PeriodKind>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub period_start: Option<Date>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub target: Option<Money>,
}
