//! My tasks: open tasks grouped into overdue, upcoming and undated.

use api_types::tasks::Task;
use time::OffsetDateTime;

/// The open tasks of the task page in three groups, each by due instant.
#[derive(Debug, Clone, Default)]
pub struct TaskGroups {
    /// Due before now, the oldest first.
    pub overdue: Vec<Task>,
    /// Due now or later, the soonest first.
    pub upcoming: Vec<Task>,
    pub undated: Vec<Task>,
}

/// Groups open tasks by their due instant relative to `now`; done tasks are left out.
pub fn group_tasks(tasks: &[Task], now: OffsetDateTime) -> TaskGroups {
    let mut groups = TaskGroups::default();
    for task in tasks.iter().filter(|task| !task.done) {
        match task.due_at {
            Some(due) if due < now => groups.overdue.push(task.clone()),
            Some(_) => groups.upcoming.push(task.clone()),
            None => groups.undated.push(task.clone()),
        }
    }
    groups.overdue.sort_by_key(|task| task.due_at);
    groups.upcoming.sort_by_key(|task| task.due_at);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use uuid::Uuid;

    fn task(id: u128, due_in_hours: Option<i64>, done: bool) -> Task {
        let now = OffsetDateTime::UNIX_EPOCH;
        Task {
            id: Uuid::from_u128(id),
            title: format!("Task {id}"),
            notes: None,
            assignee_id: None,
            due_at: due_in_hours.map(|hours| now + Duration::hours(hours)),
            done,
            done_at: None,
            deal_id: None,
            contact_id: None,
            company_id: None,
            version: 1,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        }
    }

    fn ids(tasks: &[Task]) -> Vec<u128> {
        tasks.iter().map(|task| task.id.as_u128()).collect()
    }

    #[test]
    fn overdue_first_then_by_due() {
        let tasks = [
            task(1, Some(5), false),
            task(2, Some(-1), false),
            task(3, None, false),
            task(4, Some(-30), false),
            task(5, Some(1), false),
            task(6, Some(-2), true),
        ];
        let groups = group_tasks(&tasks, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(ids(&groups.overdue), vec![4, 2]);
        assert_eq!(ids(&groups.upcoming), vec![5, 1]);
        assert_eq!(ids(&groups.undated), vec![3]);
    }

    #[test]
    fn due_exactly_now_is_upcoming() {
        let groups = group_tasks(&[task(1, Some(0), false)], OffsetDateTime::UNIX_EPOCH);
        assert!(groups.overdue.is_empty());
        assert_eq!(ids(&groups.upcoming), vec![1]);
    }
}
