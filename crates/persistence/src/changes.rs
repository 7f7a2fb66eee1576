//! The change feed: one appended row per committed change, written in the change's own
//! transaction so a reader sees a change event exactly when the change committed.

use domain::Scope;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::change_event;

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
    Restored,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Restored => "restored",
        }
    }
}

/// Appends a change event inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    entity: &'static str,
    entity_id: Uuid,
    kind: ChangeKind,
    changes: Json,
) -> Result<(), RepoError> {
    change_event::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        kind: Set(kind.as_str().to_owned()),
        actor_id: Set(Some(scope.user_id)),
        changes: Set(changes.to_string()),
        at: Set(domain::time::now_utc()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Fields that change on every write and so are left out of a diff.
const BOOKKEEPING_FIELDS: [&str; 3] = ["version", "updated_at", "created_at"];

/// Lists the top-level fields whose values differ, as `{"field": {"from": .., "to": ..}}`.
pub fn diff(before: &Json, after: &Json) -> Json {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut changed = Map::new();
    for (field, new_value) in after {
        if BOOKKEEPING_FIELDS.contains(&field.as_str()) {
            continue;
        }
        let old_value = before.get(field).unwrap_or(&Json::Null);
        if old_value != new_value {
            changed.insert(
                field.clone(),
                serde_json::json!({ "from": old_value, "to": new_value }),
            );
        }
    }
    Json::Object(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_fields_only() {
        let before = json!({"name": "A", "amount": "1.00", "version": 1});
        let after = json!({"name": "B", "amount": "1.00", "version": 2});
        assert_eq!(
            diff(&before, &after),
            json!({"name": {"from": "A", "to": "B"}})
        );
    }
}
