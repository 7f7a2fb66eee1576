//! Leads: unqualified interest, worked until it is disqualified or converted into a contact,
//! a company and a deal.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use validator::Validate;

use crate::Money;
use crate::companies::Company;
use crate::contacts::Contact;
use crate::deals::{Deal, calendar_date};
use crate::patch;

/// The qualification status of a lead. `converted` is set only by the convert endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Working,
    Qualified,
    Disqualified,
    Converted,
}

/// Someone who showed interest, not yet qualified as a deal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: Uuid,
    /// The person's full name.
    #[cfg_attr(feature = "openapi", schema(example = "Mary Ann Lee"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub company_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "mary.lee@acme.example"))]
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Job title.
    pub title: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "web form"))]
    pub source: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "inbound"))]
    pub channel: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "spring-webinar"))]
    pub campaign: Option<String>,
    pub status: LeadStatus,
    pub owner_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub converted_at: Option<OffsetDateTime>,
    pub converted_deal_id: Option<Uuid>,
    pub converted_contact_id: Option<Uuid>,
    pub converted_company_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new lead.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    /// The person's full name; conversion splits it on the last space.
    #[validate(length(min = 1, max = 300, message = "name must be 1 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Mary Ann Lee"))]
    pub name: String,
    #[validate(length(max = 300, message = "company_name must be at most 300 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Acme Corporation"))]
    pub company_name: Option<String>,
    /// An address of the form `name@domain.tld`.
    #[validate(length(max = 320, message = "email must be at most 320 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "mary.lee@acme.example"))]
    pub email: Option<String>,
    #[validate(length(max = 50, message = "phone must be at most 50 characters"))]
    #[serde(default)]
    pub phone: Option<String>,
    #[validate(length(max = 200, message = "title must be at most 200 characters"))]
    #[serde(default)]
    pub title: Option<String>,
    #[validate(length(max = 200, message = "source must be at most 200 characters"))]
    #[serde(default)]
    pub source: Option<String>,
    #[validate(length(max = 200, message = "channel must be at most 200 characters"))]
    #[serde(default)]
    pub channel: Option<String>,
    #[validate(length(max = 200, message = "campaign must be at most 200 characters"))]
    #[serde(default)]
    pub campaign: Option<String>,
    /// Defaults to `new`; `converted` is rejected.
    #[serde(default)]
    pub status: Option<LeadStatus>,
    /// A member of the organization; defaults to the acting user.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A partial update of a lead: omitted fields stay, `null` clears a field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadPatch {
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
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub company_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub email: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Option<Option<String>>,
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
    pub campaign: Option<Option<String>>,
    /// Any status but `converted`; a converted lead keeps its status.
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<LeadStatus>))]
    pub status: Option<LeadStatus>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub owner_id: Option<Option<Uuid>>,
}

/// Options of a lead conversion. Every field is optional, so `{}` converts with defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConvertLead {
    /// Name of the new deal; defaults to the lead's company name, else its name.
    #[validate(length(min = 1, max = 300, message = "deal_name must be 1 to 300 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Acme fleet renewal"))]
    pub deal_name: Option<String>,
    /// Defaults to the organization's first pipeline.
    #[serde(default)]
    pub pipeline_id: Option<Uuid>,
    /// Defaults to the pipeline's first open stage.
    #[serde(default)]
    pub stage_id: Option<Uuid>,
    #[serde(default)]
    pub amount: Option<Money>,
    /// Required when `amount` is not in the organization's base currency.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1.08"))]
    pub exchange_rate: Option<Decimal>,
    #[serde(default, with = "calendar_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2026-12-31"))]
    pub expected_close_date: Option<Date>,
    /// An existing company to attach the contact and deal to, instead of creating one.
    #[serde(default)]
    pub company_id: Option<Uuid>,
    /// Whether to create a company from the lead's `company_name`; defaults to true when the
    /// lead has one and `company_id` is not sent.
    #[serde(default)]
    pub create_company: Option<bool>,
}

/// The records a conversion created or updated.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadConversion {
    /// The lead, now `converted` with the ids of the new records.
    pub lead: Lead,
    pub contact: Contact,
    /// The new company; `null` when an existing company was attached or none was created.
    pub company: Option<Company>,
    pub deal: Deal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convert_accepts_empty_body() {
        let body: Result<ConvertLead, _> = serde_json::from_str("{}");
        assert!(body.is_ok_and(|body| body.create_company.is_none()));
    }

    #[test]
    fn patch_rejects_null_status() {
        let body: Result<LeadPatch, _> = serde_json::from_str(r#"{"status": null}"#);
        assert!(body.is_err());
    }
}
