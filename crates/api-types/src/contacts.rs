use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::patch;

/// A person the team sells to, at a company or on their own (B2C).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Uuid,
    /// Given name; empty when only the last name is known.
    #[cfg_attr(feature = "openapi", schema(example = "Wei"))]
    pub first_name: String,
    /// Family name; empty when only the first name is known.
    #[cfg_attr(feature = "openapi", schema(example = "Li"))]
    pub last_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "li.wei@example.com"))]
    pub email: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "+86 138 0013 8000"))]
    pub phone: Option<String>,
    /// Job title.
    #[cfg_attr(feature = "openapi", schema(example = "Head of Procurement"))]
    pub title: Option<String>,
    /// The company the contact works for; `null` for a private customer.
    pub company_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new contact. At least one of `first_name` and `last_name` must be
/// non-blank.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    #[validate(length(max = 200, message = "first_name must be at most 200 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Wei"))]
    pub first_name: Option<String>,
    #[validate(length(max = 200, message = "last_name must be at most 200 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Li"))]
    pub last_name: Option<String>,
    /// An address of the form `name@domain.tld`.
    #[validate(length(max = 320, message = "email must be at most 320 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "li.wei@example.com"))]
    pub email: Option<String>,
    #[validate(length(max = 50, message = "phone must be at most 50 characters"))]
    #[serde(default)]
    pub phone: Option<String>,
    #[validate(length(max = 200, message = "title must be at most 200 characters"))]
    #[serde(default)]
    pub title: Option<String>,
    /// A company of the organization; omit it for a private customer.
    #[serde(default)]
    pub company_id: Option<Uuid>,
    /// A member of the organization.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A partial update of a contact: omitted fields stay, `null` clears a field. Clearing one
/// name is allowed while the other one stays non-blank.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub first_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub last_name: Option<Option<String>>,
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub company_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub owner_id: Option<Option<Uuid>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_absent_from_null() -> serde_json::Result<()> {
        let patch: ContactPatch = serde_json::from_str(r#"{"email": null, "title": "CTO"}"#)?;
        assert_eq!(patch.email, Some(None));
        assert_eq!(patch.title, Some(Some("CTO".to_owned())));
        assert_eq!(patch.phone, None);
        Ok(())
    }

    #[test]
    fn patch_serializes_only_present_fields() -> serde_json::Result<()> {
        let patch = ContactPatch {
            email: Some(None),
            ..ContactPatch::default()
        };
        assert_eq!(serde_json::to_string(&patch)?, r#"{"email":null}"#);
        Ok(())
    }

    #[test]
    fn new_contact_rejects_unknown_fields() {
        let result = serde_json::from_str::<NewContact>(r#"{"last_name": "Li", "age": 3}"#);
        assert!(result.is_err());
    }
}
