//! Tasks: to-dos with an assignee and an optional due instant, optionally linked to a deal, a
//! contact or a company.

use domain::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::activities::merge_invalid;
use super::set_optional;
use super::{check_reference, check_version, find_live, update_versioned, users};
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::task::{ActiveModel, Column, Entity, Model};
use crate::entities::{company, contact, deal};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;

/// The fields of a new task.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub title: String,
    pub notes: Option<String>,
    /// The member who should do the task; `None` assigns it to the acting user.
    pub assignee_id: Option<Uuid>,
    pub due_at: Option<PrimitiveDateTime>,
    /// A task created as done gets the creation instant as `done_at`.
    pub done: bool,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub notes: Option<Option<String>>,
    pub assignee_id: Option<Option<Uuid>>,
    pub due_at: Option<Option<PrimitiveDateTime>>,
    /// Marking an open task done sets `done_at` to now. Reopening it clears `done_at`.
    /// Marking a done task done again keeps its original `done_at`.
    pub done: Option<bool>,
    pub deal_id: Option<Option<Uuid>>,
    pub contact_id: Option<Option<Uuid>>,
    pub company_id: Option<Option<Uuid>>,
}

/// Filters of the task list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Text found in the title.
    pub q: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub done: Option<bool>,
    /// Only tasks due before this instant.
    pub due_before: Option<PrimitiveDateTime>,
    /// Only tasks due at or after this instant.
    pub due_after: Option<PrimitiveDateTime>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    /// `Some(true)` keeps open tasks whose due instant has passed, `Some(false)` every other.
    pub overdue: Option<bool>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields a task list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("due_at", Column::DueAt),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
    ("title", Column::Title),
];

/// The sort applied when a request names none: the soonest due first, undated tasks last.
pub const DEFAULT_SORT: &str = "due_at";

async fn check_references<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    assignee_id: Option<Uuid>,
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    company_id: Option<Uuid>,
) -> Result<(), RepoError> {
    merge_invalid([
        users::check_member(db, scope, "assignee_id", assignee_id).await,
        check_reference::<deal::Entity, C>(db, scope, "deal_id", deal_id).await,
        check_reference::<contact::Entity, C>(db, scope, "contact_id", contact_id).await,
        check_reference::<company::Entity, C>(db, scope, "company_id", company_id).await,
    ])
}

/// Inserts a task and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewTask,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    check_references(
        &txn,
        scope,
        new.assignee_id,
        new.deal_id,
        new.contact_id,
        new.company_id,
    )
    .await?;

    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        title: Set(new.title),
        notes: Set(new.notes),
        assignee_id: Set(Some(new.assignee_id.unwrap_or(scope.user_id))),
        due_at: Set(new.due_at),
        done: Set(new.done),
        done_at: Set(new.done.then_some(now)),
        deal_id: Set(new.deal_id),
        contact_id: Set(new.contact_id),
        company_id: Set(new.company_id),
    }
    .insert(&txn)
    .await?;

    changes::record(
        &txn,
        scope,
        "task",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live task.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version and returns the stored row.
/// `describe` renders a row for the change event's diff.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: TaskChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("task", expected, current.version)?;
    check_references(
        &txn,
        scope,
        changes.assignee_id.flatten(),
        changes.deal_id.flatten(),
        changes.contact_id.flatten(),
        changes.company_id.flatten(),
    )
    .await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    match changes.done {
        Some(true) if !current.done => {
            active.done = Set(true);
            active.done_at = Set(Some(domain::time::now_utc()));
        }
        Some(false) => {
            active.done = Set(false);
            active.done_at = Set(None);
        }
        _ => {}
    }
    set_optional(&mut active.title, changes.title);
    set_optional(&mut active.notes, changes.notes);
    set_optional(&mut active.assignee_id, changes.assignee_id);
    set_optional(&mut active.due_at, changes.due_at);
    set_optional(&mut active.deal_id, changes.deal_id);
    set_optional(&mut active.contact_id, changes.contact_id);
    set_optional(&mut active.company_id, changes.company_id);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "task", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Builds the condition for open tasks whose due instant is before `now`.
fn overdue_condition(now: PrimitiveDateTime) -> Condition {
    Condition::all()
        .add(Column::Done.eq(false))
        .add(Column::DueAt.is_not_null())
        .add(Column::DueAt.lt(now))
}

fn filter_condition(scope: &Scope, filter: TaskFilter) -> Condition {
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(contains_text(Column::Title, &like_pattern(q)));
    }
    if let Some(assignee_id) = filter.assignee_id {
        condition = condition.add(Column::AssigneeId.eq(assignee_id));
    }
    if let Some(done) = filter.done {
        condition = condition.add(Column::Done.eq(done));
    }
    if let Some(before) = filter.due_before {
        condition = condition.add(Column::DueAt.lt(before));
    }
    if let Some(after) = filter.due_after {
        condition = condition.add(Column::DueAt.gte(after));
    }
    if let Some(deal_id) = filter.deal_id {
        condition = condition.add(Column::DealId.eq(deal_id));
    }
    if let Some(contact_id) = filter.contact_id {
        condition = condition.add(Column::ContactId.eq(contact_id));
    }
    if let Some(company_id) = filter.company_id {
        condition = condition.add(Column::CompanyId.eq(company_id));
    }
    match filter.overdue {
        Some(true) => condition = condition.add(overdue_condition(domain::time::now_utc())),
        Some(false) => condition = condition.add(overdue_condition(domain::time::now_utc()).not()),
        None => {}
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
    condition
}

/// Lists tasks visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: TaskFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    if let (Some(after), Some(before)) = (filter.due_after, filter.due_before)
        && after >= before
    {
        return Err(RepoError::invalid(
            "due_before",
            "invalid_range",
            "due_before must be later than due_after: the range includes due_after and excludes due_before",
        ));
    }
    let condition = filter_condition(scope, filter);
    fetch_page(
        db,
        Entity::find().filter(condition),
        sort_text,
        &sort,
        options,
    )
    .await
}
