use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::patch;

/// The kind of interaction an activity records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Note,
    Call,
    Meeting,
    Visit,
    Email,
}

impl ActivityKind {
    /// Every kind, in the order the API documents them.
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::Note,
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Visit,
        ActivityKind::Email,
    ];

    /// Returns the name used in JSON and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Note => "note",
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Visit => "visit",
            ActivityKind::Email => "email",
        }
    }

    /// Parses a kind by its name, such as `call`.
    pub fn parse(name: &str) -> Option<ActivityKind> {
        ActivityKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

/// A logged interaction: a note, call, meeting, visit or e-mail about a deal, a contact or a
/// company.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    #[cfg_attr(feature = "openapi", schema(example = "Discovery call"))]
    pub subject: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Budget approved for Q3; they want a pilot first.")
    )]
    pub body: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub duration_minutes: Option<i32>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
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

/// The fields of a new activity. At least one of `deal_id`, `contact_id` and `company_id` is
/// required.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub kind: ActivityKind,
    /// Required, except for a note, whose subject defaults to the start of its body.
    #[validate(length(max = 300, message = "subject must be at most 300 characters"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Discovery call"))]
    pub subject: Option<String>,
    #[validate(length(max = 100000, message = "body must be at most 100000 characters"))]
    #[serde(default)]
    pub body: Option<String>,
    /// When the interaction took place (RFC 3339); the time of the request when omitted.
    #[serde(
        default,
        with = "instant::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub occurred_at: Option<OffsetDateTime>,
    /// Length of the interaction, 0 to 10080 minutes (one week).
    #[validate(range(
        min = 0,
        max = 10080,
        message = "duration_minutes must be between 0 and 10080 (one week)"
    ))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub duration_minutes: Option<i32>,
    #[serde(default)]
    pub deal_id: Option<Uuid>,
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub company_id: Option<Uuid>,
    /// A member of the organization; the acting user when omitted.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
}

/// A partial update of an activity: omitted fields stay, `null` clears a field. The activity
/// must keep at least one of `deal_id`, `contact_id` and `company_id`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityPatch {
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ActivityKind>))]
    pub kind: Option<ActivityKind>,
    #[validate(length(max = 300, message = "subject must be at most 300 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub subject: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub body: Option<Option<String>>,
    /// RFC 3339 instant; may not be `null`.
    #[serde(
        default,
        with = "instant::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub occurred_at: Option<OffsetDateTime>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i32>))]
    pub duration_minutes: Option<Option<i32>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub deal_id: Option<Option<Uuid>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub contact_id: Option<Option<Uuid>>,
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

/// RFC 3339 instants in request bodies, with errors that show the rejected text and an
/// example of the expected form. Tasks use these helpers too.
pub mod instant {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    fn parse<E: serde::de::Error>(text: &str) -> Result<OffsetDateTime, E> {
        OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            E::custom(format!(
                "invalid instant {text:?}: use RFC 3339 with a time zone, such as 2026-03-01T09:30:00Z or 2026-03-01T17:30:00+08:00"
            ))
        })
    }

    fn deserialize_text<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| parse(&text))
            .transpose()
    }

    /// An optional instant: `null` and an absent key both read as `None`.
    pub mod optional {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            deserialize_text(deserializer)
        }

        pub fn serialize<S: Serializer>(
            instant: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::rfc3339::option::serialize(instant, serializer)
        }
    }

    /// A PATCH field that may be absent but not `null`, because the record requires it.
    pub mod required {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            match deserialize_text(deserializer)? {
                Some(instant) => Ok(Some(instant)),
                None => Err(serde::de::Error::custom(
                    "null is not allowed: this field is required, so omit it to keep the current value",
                )),
            }
        }

        pub fn serialize<S: Serializer>(
            instant: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::rfc3339::option::serialize(instant, serializer)
        }
    }

    /// A PATCH field where `null` clears the instant, read as `Some(None)`.
    pub mod nullable {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Option<OffsetDateTime>>, D::Error> {
            deserialize_text(deserializer).map(Some)
        }

        pub fn serialize<S: Serializer>(
            instant: &Option<Option<OffsetDateTime>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::rfc3339::option::serialize(&instant.flatten(), serializer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActivityKind::parse("fax"), None);
    }

    #[test]
    fn unknown_kind_error_lists_allowed_values() {
        let error = serde_json::from_str::<ActivityKind>(r#""fax""#)
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(error.contains("note"), "{error}");
        assert!(error.contains("email"), "{error}");
    }

    #[test]
    fn patch_rejects_null_occurred_at() {
        let result = serde_json::from_str::<ActivityPatch>(r#"{"occurred_at": null}"#);
        assert!(result.is_err());
    }

    #[test]
    fn patch_reads_rfc3339_occurred_at() -> serde_json::Result<()> {
        let patch: ActivityPatch =
            serde_json::from_str(r#"{"occurred_at": "2026-03-01T09:30:00+08:00"}"#)?;
        let expected = time::macros::datetime!(2026-03-01 01:30:00 UTC);
        assert_eq!(patch.occurred_at, Some(expected));
        Ok(())
    }

    #[test]
    fn invalid_instant_error_shows_text_and_example() {
        let error = serde_json::from_str::<ActivityPatch>(r#"{"occurred_at": "2026-03-01 10:00"}"#)
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(error.contains("\"2026-03-01 10:00\""), "{error}");
        assert!(error.contains("2026-03-01T09:30:00Z"), "{error}");
    }

    #[test]
    fn new_activity_reads_null_occurred_at_as_absent() -> serde_json::Result<()> {
        let new: NewActivity = serde_json::from_str(r#"{"kind": "call", "occurred_at": null}"#)?;
        assert_eq!(new.occurred_at, None);
        Ok(())
    }

    #[test]
    fn patch_serializes_only_present_fields() -> serde_json::Result<()> {
        let patch = ActivityPatch {
            body: Some(None),
            ..ActivityPatch::default()
        };
        assert_eq!(serde_json::to_string(&patch)?, r#"{"body":null}"#);
        Ok(())
    }
}
