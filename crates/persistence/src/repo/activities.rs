//! Activities: notes, calls, meetings, visits and e-mails logged against a deal, a contact or
//! a company.

use domain::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::set_optional;
use super::{check_reference, check_version, find_live, update_versioned, users};
use crate::changes::{self, ChangeKind};
use crate::entities::activity::{ActiveModel, Column, Entity, Model};
use crate::entities::{company, contact, deal};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;
use crate::{FieldError, RepoError};

/// The fields of a new activity.
#[derive(Debug, Clone)]
pub struct NewActivity {
    /// One of note, call, meeting, visit, email; the HTTP layer checks it.
    pub kind: String,
    pub subject: String,
    pub body: Option<String>,
    pub occurred_at: PrimitiveDateTime,
    pub duration_minutes: Option<i32>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    /// The member the activity belongs to; `None` makes it the acting user's.
    pub owner_id: Option<Uuid>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ActivityChanges {
    pub kind: Option<String>,
    pub subject: Option<String>,
    pub body: Option<Option<String>>,
    pub occurred_at: Option<PrimitiveDateTime>,
    pub duration_minutes: Option<Option<i32>>,
    pub deal_id: Option<Option<Uuid>>,
    pub contact_id: Option<Option<Uuid>>,
    pub company_id: Option<Option<Uuid>>,
    pub owner_id: Option<Option<Uuid>>,
}

/// Filters of the activity list.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Text found in the subject or the body.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Only activities that occurred at or after this instant.
    pub occurred_from: Option<PrimitiveDateTime>,
    /// Only activities that occurred before this instant.
    pub occurred_to: Option<PrimitiveDateTime>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields an activity list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("occurred_at", Column::OccurredAt),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none: the latest activity first.
pub const DEFAULT_SORT: &str = "-occurred_at";

/// The fields that link an activity to the record it is about.
pub const LINK_FIELDS: [&str; 3] = ["deal_id", "contact_id", "company_id"];

/// Reports an activity that links to no record, naming every link field.
pub fn link_errors(
    deal_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    company_id: Option<Uuid>,
) -> Vec<FieldError> {
    if deal_id.is_some() || contact_id.is_some() || company_id.is_some() {
        return Vec::new();
    }
    LINK_FIELDS
        .into_iter()
        .map(|field| {
            FieldError::new(
                field,
                "link_required",
                "an activity must be linked to a record: pass at least one of deal_id, contact_id or company_id",
            )
        })
        .collect()
}

/// Merges the field errors of several checks into one `Invalid` error, so a request learns
/// about every bad reference at once. Any other error is returned unchanged.
pub(crate) fn merge_invalid(
    results: impl IntoIterator<Item = Result<(), RepoError>>,
) -> Result<(), RepoError> {
    let mut fields = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(RepoError::Invalid(errors)) => fields.extend(errors),
            Err(other) => return Err(other),
        }
    }
    match fields.is_empty() {
        true => Ok(()),
        false => Err(RepoError::Invalid(fields)),
    }
}

/// Checks that each given link and the owner exist in the scope's organization.
async fn check_references<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    links: [Option<Uuid>; 3],
    owner_id: Option<Uuid>,
) -> Result<(), RepoError> {
    let [deal_id, contact_id, company_id] = links;
    merge_invalid([
        check_reference::<deal::Entity, C>(db, scope, "deal_id", deal_id).await,
        check_reference::<contact::Entity, C>(db, scope, "contact_id", contact_id).await,
        check_reference::<company::Entity, C>(db, scope, "company_id", company_id).await,
        users::check_member(db, scope, "owner_id", owner_id).await,
    ])
}

/// Inserts an activity and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewActivity,
) -> Result<Model, RepoError> {
    let unlinked = link_errors(new.deal_id, new.contact_id, new.company_id);
    if !unlinked.is_empty() {
        return Err(RepoError::Invalid(unlinked));
    }
    let txn = crate::begin_write(db).await?;
    let links = [new.deal_id, new.contact_id, new.company_id];
    check_references(&txn, scope, links, new.owner_id).await?;

    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        kind: Set(new.kind),
        subject: Set(new.subject),
        body: Set(new.body),
        occurred_at: Set(new.occurred_at),
        duration_minutes: Set(new.duration_minutes),
        deal_id: Set(new.deal_id),
        contact_id: Set(new.contact_id),
        company_id: Set(new.company_id),
        owner_id: Set(Some(new.owner_id.unwrap_or(scope.user_id))),
    }
    .insert(&txn)
    .await?;

    changes::record(
        &txn,
        scope,
        "activity",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live activity.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version and returns the stored row.
/// The activity must still link to a record afterwards. `describe` renders a row for the
/// change event's diff.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: ActivityChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("activity", expected, current.version)?;
    let unlinked = link_errors(
        changes.deal_id.unwrap_or(current.deal_id),
        changes.contact_id.unwrap_or(current.contact_id),
        changes.company_id.unwrap_or(current.company_id),
    );
    if !unlinked.is_empty() {
        return Err(RepoError::Invalid(unlinked));
    }
    let links = [
        changes.deal_id.flatten(),
        changes.contact_id.flatten(),
        changes.company_id.flatten(),
    ];
    check_references(&txn, scope, links, changes.owner_id.flatten()).await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    set_optional(&mut active.kind, changes.kind);
    set_optional(&mut active.subject, changes.subject);
    set_optional(&mut active.body, changes.body);
    set_optional(&mut active.occurred_at, changes.occurred_at);
    set_optional(&mut active.duration_minutes, changes.duration_minutes);
    set_optional(&mut active.deal_id, changes.deal_id);
    set_optional(&mut active.contact_id, changes.contact_id);
    set_optional(&mut active.company_id, changes.company_id);
    set_optional(&mut active.owner_id, changes.owner_id);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "activity", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

fn filter_condition(scope: &Scope, filter: ActivityFilter) -> Condition {
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        condition = condition.add(
            Condition::any()
                .add(contains_text(Column::Subject, &pattern))
                .add(contains_text(Column::Body, &pattern)),
        );
    }
    if let Some(kind) = filter.kind {
        condition = condition.add(Column::Kind.eq(kind));
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
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(Column::OwnerId.eq(owner_id));
    }
    if let Some(from) = filter.occurred_from {
        condition = condition.add(Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.occurred_to {
        condition = condition.add(Column::OccurredAt.lt(to));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
    condition
}

/// Lists activities visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: ActivityFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    if let (Some(from), Some(to)) = (filter.occurred_from, filter.occurred_to)
        && from >= to
    {
        return Err(RepoError::invalid(
            "occurred_to",
            "invalid_range",
            "occurred_to must be later than occurred_from: the range includes occurred_from and excludes occurred_to",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_errors_accepts_any_one_link() {
        let id = Some(Uuid::nil());
        assert!(link_errors(id, None, None).is_empty());
        assert!(link_errors(None, id, None).is_empty());
        assert!(link_errors(None, None, id).is_empty());
    }

    #[test]
    fn merge_invalid_keeps_every_field_error() {
        let results = [
            Ok(()),
            Err(RepoError::invalid(
                "deal_id",
                "unknown_reference",
                "no deal",
            )),
            Err(RepoError::invalid(
                "owner_id",
                "unknown_reference",
                "no user",
            )),
        ];
        let fields: Vec<String> = match merge_invalid(results) {
            Err(RepoError::Invalid(errors)) => {
                errors.into_iter().map(|error| error.field).collect()
            }
            _ => Vec::new(),
        };
        assert_eq!(fields, ["deal_id", "owner_id"]);
    }

    #[test]
    fn merge_invalid_returns_other_errors_first() {
        let results = [
            Err(RepoError::invalid(
                "deal_id",
                "unknown_reference",
                "no deal",
            )),
            Err(RepoError::NotFound { entity: "deal" }),
        ];
        let result = merge_invalid(results);
        assert!(
            matches!(result, Err(RepoError::NotFound { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn link_errors_names_all_three_fields() {
        let errors = link_errors(None, None, None);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, LINK_FIELDS);
    }
}
