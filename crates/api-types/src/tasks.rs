use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;
use validator::Validate;

use crate::activities::instant;
use crate::patch;

/// A to-do with an assignee and an optional due instant, optionally about a deal, a contact
/// or a company.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Send the revised quote"))]
    pub title: String,
    pub notes: Option<String>,
    /// The member who should do the task.
    pub assignee_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    pub done: bool,
    /// When the task was marked done; `null` while it is open.
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deleted_at: Option<OffsetDateTime>,
}

/// The fields of a new task.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    #[validate(length(min = 1, max = 300, message = "title must be 1 to 300 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Send the revised quote"))]
    pub title: String,
    #[validate(length(max = 100000, message = "notes must be at most 100000 characters"))]
    #[serde(default)]
    pub notes: Option<String>,
    /// A member of the organization; the acting user when omitted.
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    /// RFC 3339 instant.
    #[serde(
        default,
        with = "instant::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub due_at: Option<OffsetDateTime>,
    /// Creates the task as already done, with `done_at` set to now.
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub deal_id: Option<Uuid>,
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub company_id: Option<Uuid>,
}

/// A partial update of a task: omitted fields stay, `null` clears a field. Setting `done` to
/// `true` on an open task sets `done_at` to now, and setting it to `false` clears `done_at`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    #[validate(length(min = 1, max = 300, message = "title must be 1 to 300 characters"))]
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub title: Option<String>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "patch::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub assignee_id: Option<Option<Uuid>>,
    /// RFC 3339 instant, or `null` to remove the due instant.
    #[serde(
        default,
        with = "instant::nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub due_at: Option<Option<OffsetDateTime>>,
    #[serde(
        default,
        deserialize_with = "patch::required",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>))]
    pub done: Option<bool>,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_due_at_null_clears() -> serde_json::Result<()> {
        let patch: TaskPatch = serde_json::from_str(r#"{"due_at": null}"#)?;
        assert_eq!(patch.due_at, Some(None));
        Ok(())
    }

    #[test]
    fn patch_due_at_absent_stays() -> serde_json::Result<()> {
        let patch: TaskPatch = serde_json::from_str(r#"{"done": true}"#)?;
        assert_eq!(patch.due_at, None);
        assert_eq!(patch.done, Some(true));
        Ok(())
    }

    #[test]
    fn patch_due_at_round_trips() -> serde_json::Result<()> {
        let text = r#"{"due_at":"2026-05-01T17:00:00Z"}"#;
        let patch: TaskPatch = serde_json::from_str(text)?;
        assert_eq!(serde_json::to_string(&patch)?, text);
        Ok(())
    }

    #[test]
    fn patch_rejects_null_done() {
        let result = serde_json::from_str::<TaskPatch>(r#"{"done": null}"#);
        assert!(result.is_err());
    }

    #[test]
    fn new_task_rejects_date_without_time() {
        let result =
            serde_json::from_str::<NewTask>(r#"{"title": "Call back", "due_at": "2026-05-01"}"#);
        assert!(result.is_err());
    }
}
