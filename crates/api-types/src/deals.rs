//! Deals: the sales projects that move through the stages of a pipeline.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use validator::Validate;

use crate::Money;
use crate::patch;

/// Serde helpers for calendar dates, sent as `YYYY-MM-DD` and never converted between time
/// zones.
pub mod calendar_date {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    const FORMAT: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

    /// Parses `YYYY-MM-DD`, with a message that shows the expected form.
    pub fn parse(text: &str) -> Result<Date, String> {
        Date::parse(text, FORMAT)
            .map_err(|_| format!("invalid date {text:?}: use YYYY-MM-DD, such as 2026-12-31"))
    }

    /// Formats a date as `YYYY-MM-DD`.
    pub fn format(date: Date) -> String {
        date.format(FORMAT).unwrap_or_default()
    }

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(D::Error::custom)
    }

    /// The same format for an optional date; `null` reads as `None`.
    pub mod option {
        use serde::de::Error as _;
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        use super::{format, parse};

        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => serializer.serialize_str(&format(*date)),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            let text = Option::<String>::deserialize(deserializer)?;
            text.map(|text| parse(&text).map_err(D::Error::custom))
                .transpose()
        }
    }

    /// The same format for a nullable PATCH field: a present key reads as `Some`, with `null`
    /// as `Some(None)`. Use it with `#[serde(default)]` so an absent key reads as `None`.
    pub mod nullable {
        use serde::{Deserializer, Serializer};
        use time::Date;

        use super::option;

        /// Writes an absent or `null` field as `null`.
        pub fn serialize<S: Serializer>(
            date: &Option<Option<Date>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            option::serialize(&date.flatten(), serializer)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Option<Date>>, D::Error> {
            option::deserialize(deserializer).map(Some)
        }
    }
}

/// Whether a deal is in progress, won or lost: the kind of its current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DealStatus {
    Open,
    Won,
    Lost,
}

/// The stage a deal is in, embedded in the deal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealStage {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Proposal"))]
    pub name: String,
    pub kind: DealStatus,
    /// Win probability in percent, 0 to 100.
    #[cfg_attr(feature = "openapi", schema(example = 60))]
    pub probability: i32,
}

/// One product or service line of a deal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineItem {
    pub id: Uuid,
    pub product_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(example = "Annual license"))]
    pub name: String,
    /// Decimal number of units.
    #[cfg_attr(feature = "openapi", schema(example = "12"))]
    pub quantity: String,
    /// Price of one unit, in the deal currency.
    pub unit_price: Money,
    /// Zero-based place in the deal's list.
    pub position: i32,
}

/// A line item in a create or replace request.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLineItem {
    /// A product of the organization.
    #[serde(default)]
    pub product_id: Option<Uuid>,
    /// Required without `product_id`; defaults to the product's name.
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Annual license"))]
    pub name: Option<String>,
    /// Decimal number of units as a string, greater than 0 with at most 4 decimal places.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12"))]
    pub quantity: Decimal,
    /// Price of one unit, in the deal currency.
    pub unit_price: Money,
}

/// A sales project: what is sold to whom, for how much, and how far it has come.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deal {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Acme fleet renewal"))]
    pub name: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    /// The current stage; `null` only if the stage row is missing.
    pub stage: Option<DealStage>,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub amount: Option<Money>,
    /// ISO 4217 code of the deal currency, also set when `amount` is `null`.
    #[cfg_attr(feature = "openapi", schema(example = "EUR"))]
    pub currency: String,
    /// Value of one unit of the deal currency in the organization's base currency, fixed
    /// when the deal was created. It is "1" for deals in the base currency.
    #[cfg_attr(feature = "openapi", schema(example = "1.08"))]
    pub exchange_rate: String,
    /// The same rate at the time the deal closed.
    #[cfg_attr(feature = "openapi", schema(example = "1.1"))]
    pub close_exchange_rate: Option<String>,
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2026-12-31"))]
    pub expected_close_date: Option<Date>,
    /// The day the customer first engaged.
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub engaged_on: Option<Date>,
    /// The day the deal was won or lost.
    #[serde(with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub closed_on: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(example = "trade show"))]
    pub source: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "direct"))]
    pub channel: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "EMEA"))]
    pub region: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "enterprise"))]
    pub customer_type: Option<String>,
    pub win_loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    /// The deal's id in the system it was imported from, such as an opportunity id.
    #[cfg_attr(feature = "openapi", schema(example = "1C1I7A6R"))]
    pub external_ref: Option<String>,
    pub contact_ids: Vec<Uuid>,
    /// Line items ordered by position.
    pub line_items: Vec<LineItem>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
    /// When the deal entered its current stage.
    #[serde(with = "time::serde::rfc3339")]
    pub stage_changed_at: OffsetDateTime,
}

/// The fields of a new deal.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDeal {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Acme fleet renewal"))]
    pub name: String,
    /// A live pipeline of the organization.
    pub pipeline_id: Uuid,
    /// A stage of that pipeline; defaults to its first open stage.
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    /// A member of the organization; defaults to the acting user.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    #[serde(default)]
    pub company_id: Option<Uuid>,
    #[serde(default)]
    pub amount: Option<Money>,
    /// Deal currency when there is no amount; must match `amount.currency` when both are
    /// set. Defaults to the amount's currency, else the organization's base currency.
    #[validate(length(max = 3, message = "currency must be an ISO 4217 code such as EUR"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "EUR"))]
    pub currency: Option<String>,
    /// Value of one unit of the deal currency in the base currency, as a decimal string.
    /// Required unless the deal is in the base currency.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1.08"))]
    pub exchange_rate: Option<Decimal>,
    /// Rate at closing; defaults to `exchange_rate` when the deal starts in a won or lost
    /// stage.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub close_exchange_rate: Option<Decimal>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2026-12-31"))]
    pub expected_close_date: Option<Date>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub engaged_on: Option<Date>,
    /// Defaults to today (UTC) when the deal starts in a won or lost stage.
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub closed_on: Option<Date>,
    #[validate(length(max = 200, message = "source must be at most 200 characters"))]
    #[serde(default)]
    pub source: Option<String>,
    #[validate(length(max = 200, message = "channel must be at most 200 characters"))]
    #[serde(default)]
    pub channel: Option<String>,
    #[validate(length(max = 200, message = "region must be at most 200 characters"))]
    #[serde(default)]
    pub region: Option<String>,
    #[validate(length(max = 200, message = "customer_type must be at most 200 characters"))]
    #[serde(default)]
    pub customer_type: Option<String>,
    #[validate(length(
        max = 2000,
        message = "win_loss_reason must be at most 2000 characters"
    ))]
    #[serde(default)]
    pub win_loss_reason: Option<String>,
    #[validate(length(max = 200, message = "competitor must be at most 200 characters"))]
    #[serde(default)]
    pub competitor: Option<String>,
    #[validate(length(max = 2000, message = "next_step must be at most 2000 characters"))]
    #[serde(default)]
    pub next_step: Option<String>,
    /// Contacts of the organization; repeated ids count once.
    #[validate(length(max = 100, message = "a deal links at most 100 contacts"))]
    #[serde(default)]
    pub contact_ids: Vec<Uuid>,
    #[validate(
        length(max = 200, message = "a deal has at most 200 line items"),
        nested
    )]
    #[serde(default)]
    pub line_items: Vec<NewLineItem>,
}

/// A partial update of a deal: omitted fields stay, `null` clears a field. Moving the deal
/// to another pipeline needs `pipeline_id` and `stage_id` together.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DealPatch {
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub pipeline_id: Option<Uuid>,
    /// A stage of the deal's pipeline, or of `pipeline_id` when that is sent too.
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub stage_id: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub team_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub company_id: Option<Option<Uuid>>,
    /// A new currency here needs `line_items` in that currency when the deal has any.
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub amount: Option<Option<Money>>,
    #[validate(length(max = 3, message = "currency must be an ISO 4217 code such as EUR"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub currency: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1.08"))]
    pub exchange_rate: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub close_exchange_rate: Option<Option<Decimal>>,
    #[serde(default, with = "calendar_date::nullable")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub expected_close_date: Option<Option<Date>>,
    #[serde(default, with = "calendar_date::nullable")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub engaged_on: Option<Option<Date>>,
    /// Set automatically when the deal enters a won or lost stage, and cleared when it
    /// returns to an open one, unless sent in the same request.
    #[serde(default, with = "calendar_date::nullable")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub closed_on: Option<Option<Date>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub source: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub channel: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub region: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub customer_type: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub win_loss_reason: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub competitor: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub next_step: Option<Option<String>>,
    /// Replaces the set of linked contacts.
    #[validate(length(max = 100, message = "a deal links at most 100 contacts"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Uuid>>))]
    pub contact_ids: Option<Vec<Uuid>>,
    /// Replaces the list of line items.
    #[validate(
        length(max = 200, message = "a deal has at most 200 line items"),
        nested
    )]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<NewLineItem>>))]
    pub line_items: Option<Vec<NewLineItem>>,
}

/// A move of a deal from one stage to another.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageTransition {
    /// `null` for the stage the deal was created in.
    pub from_stage_id: Option<Uuid>,
    pub from_stage_name: Option<String>,
    pub to_stage_id: Uuid,
    /// `null` only if the stage row is missing.
    pub to_stage_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by_user_id: Option<Uuid>,
}

/// One committed change of a record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeEntry {
    /// `created`, `updated`, `deleted` or `restored`.
    #[cfg_attr(feature = "openapi", schema(example = "updated"))]
    pub kind: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    /// The changed fields as `{"field": {"from": .., "to": ..}}`; `null` for other kinds.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: serde_json::Value,
}

/// The stage transitions and changes of a deal, each in time order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealHistory {
    pub transitions: Vec<StageTransition>,
    pub changes: Vec<ChangeEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_date_round_trips() {
        let parsed = calendar_date::parse("2026-02-28");
        assert_eq!(
            parsed.clone().map(calendar_date::format),
            Ok("2026-02-28".to_owned())
        );
    }

    #[test]
    fn calendar_date_rejects_other_forms() {
        for text in [
            "2026-2-28",
            "28.02.2026",
            "2026-02-30",
            "2026-02-28T00:00:00Z",
        ] {
            assert!(calendar_date::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn patch_tells_null_from_absent() {
        let patch: Result<DealPatch, _> =
            serde_json::from_str(r#"{"closed_on": null, "expected_close_date": "2026-12-31"}"#);
        let Ok(patch) = patch else {
            panic!("patch should decode: {patch:?}");
        };
        assert_eq!(patch.closed_on, Some(None));
        assert!(patch.engaged_on.is_none());
        assert_eq!(
            patch
                .expected_close_date
                .flatten()
                .map(calendar_date::format),
            Some("2026-12-31".to_owned())
        );
    }

    #[test]
    fn new_deal_requires_string_decimals() {
        let body = r#"{"name": "A", "pipeline_id": "00000000-0000-0000-0000-000000000001", "exchange_rate": 1.08}"#;
        assert!(serde_json::from_str::<NewDeal>(body).is_err());
    }
}
