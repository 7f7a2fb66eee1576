//! Products: what the organization sells, with a product line and a list price.

use domain::{Money, Scope};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};
use serde_json::Value as Json;
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::set_optional;
use super::{check_version, find_live, update_versioned};
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::product::{ActiveModel, Column, Entity, Model};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::{TenantEntity, visible};

/// The fields of a new product.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub name: String,
    pub product_line: Option<String>,
    /// Stock-keeping unit, unique among the organization's live products.
    pub sku: Option<String>,
    pub list_price: Money,
    pub active: bool,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub product_line: Option<Option<String>>,
    pub sku: Option<Option<String>>,
    pub list_price: Option<Money>,
    pub active: Option<bool>,
}

/// Filters of the product list.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Text to find in the name or SKU.
    pub q: Option<String>,
    pub product_line: Option<String>,
    pub active: Option<bool>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// The fields a product list may sort by. `list_price` compares stored amounts without
/// converting currencies.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("product_line", Column::ProductLine),
    ("list_price", Column::ListPriceE4),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "name";

/// Rejects a SKU that another live product of the organization has.
async fn check_sku_free<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    sku: Option<&str>,
    except: Option<Uuid>,
) -> Result<(), RepoError> {
    let Some(sku) = sku else {
        return Ok(());
    };
    let mut condition = visible::<Entity>(scope)
        .add(Column::Sku.eq(sku))
        .add(Column::DeletedAt.is_null());
    if let Some(except) = except {
        condition = condition.add(Column::Id.ne(except));
    }
    match Entity::find().filter(condition).one(db).await? {
        Some(other) => Err(RepoError::Conflict {
            code: "sku_taken",
            message: format!(
                "product {:?} ({}) already has SKU {sku:?}: choose another SKU",
                other.name, other.id
            ),
        }),
        None => Ok(()),
    }
}

/// Inserts a product and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewProduct,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    check_sku_free(&txn, scope, new.sku.as_deref(), None).await?;
    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(new.name),
        product_line: Set(new.product_line),
        sku: Set(new.sku),
        list_price_e4: Set(new.list_price.stored_amount()),
        currency: Set(new.list_price.currency().code().to_owned()),
        active: Set(new.active),
    }
    .insert(&txn)
    .await?;
    changes::record(
        &txn,
        scope,
        Entity::NAME,
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live product.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

/// Applies a partial update at the client's expected version.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: ProductChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version(Entity::NAME, expected, current.version)?;
    if let Some(sku) = &changes.sku {
        check_sku_free(&txn, scope, sku.as_deref(), Some(id)).await?;
    }

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(price) = changes.list_price {
        active.list_price_e4 = Set(price.stored_amount());
        active.currency = Set(price.currency().code().to_owned());
    }
    set_optional(&mut active.name, changes.name);
    set_optional(&mut active.product_line, changes.product_line);
    set_optional(&mut active.sku, changes.sku);
    set_optional(&mut active.active, changes.active);
    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, Entity::NAME, id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Lists products visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: ProductFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        condition = condition.add(
            Condition::any()
                .add(contains_text(Column::Name, &pattern))
                .add(contains_text(Column::Sku, &pattern)),
        );
    }
    if let Some(product_line) = filter.product_line {
        condition = condition.add(Column::ProductLine.eq(product_line));
    }
    if let Some(active) = filter.active {
        condition = condition.add(Column::Active.eq(active));
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
