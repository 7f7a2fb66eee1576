//! Contacts: the people a team sells to, either at a company or on their own (B2C).

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
use crate::changes::{self, ChangeKind};
use crate::entities::company;
use crate::entities::contact::{ActiveModel, Column, Entity, Model};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;
use crate::{FieldError, RepoError};

/// The fields of a new contact. A missing first or last name is stored as an empty string.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub company_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it. An empty first or
/// last name clears that name, as long as the other one stays non-empty.
#[derive(Debug, Clone, Default)]
pub struct ContactChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub title: Option<Option<String>>,
    pub company_id: Option<Option<Uuid>>,
    pub owner_id: Option<Option<Uuid>>,
}

/// Filters of the contact list.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    /// Text found in the name (either order), the e-mail address or the phone digits.
    pub q: Option<String>,
    pub company_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// An e-mail address, matched exactly but ignoring case and surrounding spaces.
    pub email: Option<String>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields a contact list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("last_name", Column::LastName),
    ("first_name", Column::FirstName),
    ("email", Column::Email),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "last_name,first_name";

/// Reports a contact without any name: both fields are named so a form can mark either.
pub fn name_errors(first_name: &str, last_name: &str) -> Vec<FieldError> {
    if !first_name.trim().is_empty() || !last_name.trim().is_empty() {
        return Vec::new();
    }
    ["first_name", "last_name"]
        .into_iter()
        .map(|field| {
            FieldError::new(
                field,
                "required",
                "a contact needs a name: pass a non-blank first_name, last_name or both",
            )
        })
        .collect()
}

fn email_key(email: &Option<String>) -> Option<String> {
    email.as_deref().map(domain::contact::email_key)
}

fn phone_key(phone: &Option<String>) -> Option<String> {
    phone
        .as_deref()
        .map(domain::contact::phone_key)
        .filter(|key| !key.is_empty())
}

async fn check_references<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    company_id: Option<Uuid>,
    owner_id: Option<Uuid>,
) -> Result<(), RepoError> {
    merge_invalid([
        check_reference::<company::Entity, C>(db, scope, "company_id", company_id).await,
        users::check_member(db, scope, "owner_id", owner_id).await,
    ])
}

/// Inserts a contact and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewContact,
) -> Result<Model, RepoError> {
    let missing_name = name_errors(&new.first_name, &new.last_name);
    if !missing_name.is_empty() {
        return Err(RepoError::Invalid(missing_name));
    }
    let txn = crate::begin_write(db).await?;
    check_references(&txn, scope, new.company_id, new.owner_id).await?;

    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        email_key: Set(email_key(&new.email)),
        phone_key: Set(phone_key(&new.phone)),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        email: Set(new.email),
        phone: Set(new.phone),
        title: Set(new.title),
        company_id: Set(new.company_id),
        owner_id: Set(new.owner_id),
    }
    .insert(&txn)
    .await?;

    changes::record(
        &txn,
        scope,
        "contact",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live contact.
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
    changes: ContactChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("contact", expected, current.version)?;
    let first_name = changes.first_name.as_deref().unwrap_or(&current.first_name);
    let last_name = changes.last_name.as_deref().unwrap_or(&current.last_name);
    let missing_name = name_errors(first_name, last_name);
    if !missing_name.is_empty() {
        return Err(RepoError::Invalid(missing_name));
    }
    check_references(
        &txn,
        scope,
        changes.company_id.flatten(),
        changes.owner_id.flatten(),
    )
    .await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(email) = changes.email {
        active.email_key = Set(email_key(&email));
        active.email = Set(email);
    }
    if let Some(phone) = changes.phone {
        active.phone_key = Set(phone_key(&phone));
        active.phone = Set(phone);
    }
    set_optional(&mut active.first_name, changes.first_name);
    set_optional(&mut active.last_name, changes.last_name);
    set_optional(&mut active.title, changes.title);
    set_optional(&mut active.company_id, changes.company_id);
    set_optional(&mut active.owner_id, changes.owner_id);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "contact", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Matches text against a contact: every word of `q` must occur in the first or the last
/// name, so "Wei Li" and "Li Wei" both find Wei Li. The whole of `q` may instead occur in
/// the e-mail address, or its digits in the phone number.
fn text_condition(q: &str) -> Condition {
    let mut name = Condition::all();
    for word in q.split_whitespace() {
        let pattern = like_pattern(word);
        name = name.add(
            Condition::any()
                .add(contains_text(Column::FirstName, &pattern))
                .add(contains_text(Column::LastName, &pattern)),
        );
    }
    let mut any = Condition::any()
        .add(name)
        .add(contains_text(Column::Email, &like_pattern(q)));
    let digits = domain::contact::phone_key(q);
    if digits.len() >= 3 {
        any = any.add(Column::PhoneKey.like(format!("%{digits}%")));
    }
    any
}

/// Lists contacts visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: ContactFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        condition = condition.add(text_condition(q));
    }
    if let Some(company_id) = filter.company_id {
        condition = condition.add(Column::CompanyId.eq(company_id));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(Column::OwnerId.eq(owner_id));
    }
    if let Some(email) = filter.email {
        condition = condition.add(Column::EmailKey.eq(domain::contact::email_key(&email)));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
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
    fn name_errors_accepts_one_name() {
        assert!(name_errors("Wei", "").is_empty());
        assert!(name_errors("", "Li").is_empty());
    }

    #[test]
    fn name_errors_names_both_fields() {
        let errors = name_errors(" ", "");
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["first_name", "last_name"]);
    }

    #[test]
    fn text_condition_matches_each_word_in_names() {
        use sea_orm::{DbBackend, QueryTrait};

        let select = Entity::find().filter(text_condition("Wei  Li"));
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql = select.clone().build(backend).to_string();
            assert_eq!(
                sql.matches("LOWER(\"first_name\") LIKE").count(),
                2,
                "{sql}"
            );
            assert_eq!(sql.matches("LOWER(\"last_name\") LIKE").count(), 2, "{sql}");
            assert!(sql.contains("'%wei%'"), "{sql}");
            assert!(sql.contains("LOWER(\"email\") LIKE '%wei  li%'"), "{sql}");
            assert!(!sql.contains("\"phone_key\" LIKE"), "{sql}");
        }
    }

    #[test]
    fn phone_key_drops_text_without_digits() {
        assert_eq!(phone_key(&Some("ext. none".to_owned())), None);
        assert_eq!(
            phone_key(&Some("+1 (555) 010".to_owned())),
            Some("1555010".to_owned())
        );
    }
}
