//! The deal timeline: logged activities, stage moves and field changes in one list.

use api_types::activities::Activity;
use api_types::deals::{ChangeEntry, DealHistory, StageTransition};
use time::OffsetDateTime;

/// One event of the timeline.
#[derive(Debug, Clone)]
pub enum TimelineEntry {
    Activity(Activity),
    StageMove(StageTransition),
    /// A committed change other than a stage move, such as an edited amount.
    Change(ChangeEntry),
}

impl TimelineEntry {
    pub fn at(&self) -> OffsetDateTime {
        match self {
            TimelineEntry::Activity(activity) => activity.occurred_at,
            TimelineEntry::StageMove(transition) => transition.at,
            TimelineEntry::Change(change) => change.at,
        }
    }
}

/// Returns the fields a change touched in alphabetical order, leaving out `stage_id`, which
/// the stage move entries already show, and the bookkeeping fields that change with every
/// write. The order of a JSON object depends on serde_json's `preserve_order` feature, so
/// the names are sorted here.
pub fn changed_fields(change: &ChangeEntry) -> Vec<String> {
    const HIDDEN: [&str; 5] = [
        "stage_id",
        "stage_changed_at",
        "version",
        "updated_at",
        "closed_on",
    ];
    let Some(fields) = change.changes.as_object() else {
        return Vec::new();
    };
    let mut names: Vec<String> = fields
        .keys()
        .filter(|field| !HIDDEN.contains(&field.as_str()))
        .cloned()
        .collect();
    names.sort();
    names
}

/// Merges activities and history into one timeline, the latest first. Updates that only
/// moved the stage are left out, because their stage move is listed.
pub fn build_timeline(activities: &[Activity], history: &DealHistory) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = activities
        .iter()
        .cloned()
        .map(TimelineEntry::Activity)
        .collect();
    entries.extend(
        history
            .transitions
            .iter()
            .cloned()
            .map(TimelineEntry::StageMove),
    );
    entries.extend(
        history
            .changes
            .iter()
            .filter(|change| change.kind != "updated" || !changed_fields(change).is_empty())
            .cloned()
            .map(TimelineEntry::Change),
    );
    // A stable sort keeps the order of equal instants as listed above.
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.at()));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::activities::ActivityKind;
    use serde_json::json;
    use time::Duration;
    use uuid::Uuid;

    fn at(minutes: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::minutes(minutes)
    }

    fn note(minutes: i64) -> Activity {
        Activity {
            id: Uuid::from_u128(minutes as u128),
            kind: ActivityKind::Note,
            subject: "Called back".to_owned(),
            body: None,
            occurred_at: at(minutes),
            duration_minutes: None,
            deal_id: None,
            contact_id: None,
            company_id: None,
            owner_id: None,
            version: 1,
            created_at: at(minutes),
            updated_at: at(minutes),
            deleted_at: None,
        }
    }

    fn transition(minutes: i64) -> StageTransition {
        StageTransition {
            from_stage_id: None,
            from_stage_name: None,
            to_stage_id: Uuid::nil(),
            to_stage_name: Some("Won".to_owned()),
            at: at(minutes),
            by_user_id: None,
        }
    }

    fn change(minutes: i64, kind: &str, changes: serde_json::Value) -> ChangeEntry {
        ChangeEntry {
            kind: kind.to_owned(),
            at: at(minutes),
            actor_id: None,
            changes,
        }
    }

    #[test]
    fn entries_are_latest_first() {
        let history = DealHistory {
            transitions: vec![transition(5)],
            changes: vec![change(1, "created", serde_json::Value::Null)],
        };
        let timeline = build_timeline(&[note(3), note(9)], &history);
        let instants: Vec<OffsetDateTime> = timeline.iter().map(TimelineEntry::at).collect();
        assert_eq!(instants, vec![at(9), at(5), at(3), at(1)]);
    }

    #[test]
    fn stage_only_updates_are_left_out() {
        let history = DealHistory {
            transitions: vec![transition(5)],
            changes: vec![
                change(
                    5,
                    "updated",
                    json!({ "stage_id": { "from": "a", "to": "b" } }),
                ),
                change(
                    6,
                    "updated",
                    json!({ "amount": { "from": "1", "to": "2" } }),
                ),
            ],
        };
        let timeline = build_timeline(&[], &history);
        assert_eq!(timeline.len(), 2);
        assert!(matches!(timeline[0], TimelineEntry::Change(_)));
        assert!(matches!(timeline[1], TimelineEntry::StageMove(_)));
    }

    #[test]
    fn changed_fields_hide_bookkeeping() {
        let entry = change(
            1,
            "updated",
            json!({ "name": {}, "version": {}, "stage_id": {}, "amount": {} }),
        );
        assert_eq!(changed_fields(&entry), vec!["amount", "name"]);
    }
}
