//! Keyset pagination, sorting and the shared list options.
//!
//! A page is ordered by the requested sort keys, each with nulls last, then by id. The cursor
//! stores the sort text and the last row's value for every key plus its id, so a page boundary
//! inside a run of equal or null values neither repeats nor skips a row.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, NullOrdering, Order, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Value,
};
use serde_json::{Value as Json, json};
use time::macros::format_description;
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use crate::tenant::TenantEntity;
use crate::{FieldError, RepoError};

/// The largest page a list returns.
pub const MAX_LIMIT: u64 = 200;
/// The page size when a request names none.
pub const DEFAULT_LIMIT: u64 = 50;

/// One sort key: a column and its direction.
#[derive(Debug, Clone, Copy)]
pub struct SortKey<C> {
    pub column: C,
    pub descending: bool,
}

/// Options shared by every list request.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
    pub sort: Option<String>,
    pub with_total: bool,
    pub include_deleted: bool,
}

/// One page of rows.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next_cursor: Option<String>,
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// Converts every row, keeping the cursor and total.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(convert).collect(),
            next_cursor: self.next_cursor,
            total: self.total,
        }
    }
}

/// Parses `sort` text such as `-amount,name` against the fields a resource allows.
pub fn parse_sort<C: Copy>(
    text: &str,
    allowed: &[(&'static str, C)],
) -> Result<Vec<SortKey<C>>, FieldError> {
    let mut keys = Vec::new();
    for part in text
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let (descending, name) = match part.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, part.strip_prefix('+').unwrap_or(part)),
        };
        let Some(&(_, column)) = allowed.iter().find(|(field, _)| *field == name) else {
            let names: Vec<&str> = allowed.iter().map(|(field, _)| *field).collect();
            return Err(FieldError::new(
                "sort",
                "invalid_sort",
                format!(
                    "cannot sort by {name:?}: use one of {}, with a leading - for descending order",
                    names.join(", ")
                ),
            ));
        };
        keys.push(SortKey { column, descending });
    }
    Ok(keys)
}

/// Checks `limit` and returns the page size to use.
pub fn page_size(limit: Option<u64>) -> Result<u64, FieldError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
        Some(limit) => Err(FieldError::new(
            "limit",
            "out_of_range",
            format!("limit must be between 1 and {MAX_LIMIT}, but was {limit}"),
        )),
    }
}

/// Runs `select` as one keyset page. Issues one query for the rows and, when the total is
/// requested, one count query, whatever the page size.
pub async fn fetch_page<E, D>(
    db: &D,
    select: Select<E>,
    sort_text: &str,
    sort: &[SortKey<E::Column>],
    options: &ListOptions,
) -> Result<Page<E::Model>, RepoError>
where
    E: TenantEntity,
    E::Model: ModelTrait<Entity = E> + Sync,
    D: ConnectionTrait,
{
    let limit = page_size(options.limit).map_err(|error| RepoError::Invalid(vec![error]))?;
    let select = if options.include_deleted {
        select
    } else {
        select.filter(E::deleted_column().is_null())
    };
    let total = match options.with_total {
        true => Some(select.clone().count(db).await?),
        false => None,
    };

    let mut select = select;
    if let Some(cursor) = &options.cursor {
        let values = decode_cursor(cursor, sort_text, sort.len())?;
        select = select.filter(after_cursor::<E>(sort, &values));
    }
    // Equal sort values are ordered by id in the direction of the last key, so that an index
    // on (org_id, key, id) serves the whole ORDER BY when read forwards or backwards.
    let id_descending = sort.last().is_some_and(|key| key.descending);
    for key in sort {
        let order = if key.descending {
            Order::Desc
        } else {
            Order::Asc
        };
        select = match key.column.def().is_null() {
            true => select.order_by_with_nulls(key.column, order, NullOrdering::Last),
            false => select.order_by(key.column, order),
        };
    }
    let id_order = if id_descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let mut rows = select
        .order_by(E::id_column(), id_order)
        .limit(limit + 1)
        .all(db)
        .await?;

    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|row| encode_cursor(row, sort_text, sort))
    } else {
        None
    };
    Ok(Page {
        rows,
        next_cursor,
        total,
    })
}

/// Builds the condition for rows after the cursor position, with nulls sorted last.
fn after_cursor<E: TenantEntity>(sort: &[SortKey<E::Column>], values: &[Value]) -> Condition {
    let id = values.last().cloned().unwrap_or(Value::Uuid(None));
    let id_descending = sort.last().is_some_and(|key| key.descending);
    let beyond_id = match id_descending {
        true => Expr::col(E::id_column()).lt(id),
        false => Expr::col(E::id_column()).gt(id),
    };
    let mut condition = Condition::all().add(beyond_id);
    for (key, value) in sort.iter().zip(values).rev() {
        let column = Expr::col(key.column);
        let nullable = key.column.def().is_null();
        condition = if is_null(value) {
            Condition::all().add(column.is_null()).add(condition)
        } else {
            let beyond: SimpleExpr = if key.descending {
                Expr::col(key.column).lt(value.clone())
            } else {
                Expr::col(key.column).gt(value.clone())
            };
            let mut any = Condition::any().add(beyond);
            if nullable {
                any = any.add(Expr::col(key.column).is_null());
            }
            any.add(
                Condition::all()
                    .add(Expr::col(key.column).eq(value.clone()))
                    .add(condition),
            )
        };
    }
    condition
}

fn is_null(value: &Value) -> bool {
    matches!(
        value,
        Value::String(None)
            | Value::BigInt(None)
            | Value::Int(None)
            | Value::Uuid(None)
            | Value::TimeDate(None)
            | Value::TimeDateTime(None)
            | Value::Bool(None)
    )
}

fn encode_cursor<M: ModelTrait>(
    row: &M,
    sort_text: &str,
    sort: &[SortKey<<M::Entity as EntityTrait>::Column>],
) -> String
where
    M::Entity: TenantEntity,
{
    let mut values: Vec<Json> = sort
        .iter()
        .map(|key| value_to_json(&row.get(key.column)))
        .collect();
    values.push(value_to_json(
        &row.get(<M::Entity as TenantEntity>::id_column()),
    ));
    let body = json!({ "sort": sort_text, "after": values });
    URL_SAFE_NO_PAD.encode(body.to_string())
}

fn decode_cursor(cursor: &str, sort_text: &str, keys: usize) -> Result<Vec<Value>, RepoError> {
    let invalid = |message: &str| {
        RepoError::invalid(
            "cursor",
            "invalid_cursor",
            format!(
                "{message}: pass the next_cursor of the previous page unchanged, with the same sort"
            ),
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid("cursor is not valid base64url"))?;
    let body: Json =
        serde_json::from_slice(&bytes).map_err(|_| invalid("cursor is not a Dealbook cursor"))?;
    if body.get("sort").and_then(Json::as_str) != Some(sort_text) {
        return Err(invalid("cursor was made for a different sort"));
    }
    let values = body
        .get("after")
        .and_then(Json::as_array)
        .filter(|values| values.len() == keys + 1)
        .ok_or_else(|| invalid("cursor is not a Dealbook cursor"))?;
    values
        .iter()
        .map(json_to_value)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| invalid("cursor holds a value of an unknown type"))
}

const DATE_TIME: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]");

fn value_to_json(value: &Value) -> Json {
    match value {
        Value::String(Some(text)) => json!(["s", text]),
        Value::BigInt(Some(number)) => json!(["i", number]),
        Value::Int(Some(number)) => json!(["i32", number]),
        Value::Bool(Some(flag)) => json!(["b", flag]),
        Value::Uuid(Some(id)) => json!(["u", id.to_string()]),
        Value::TimeDate(Some(date)) => json!(["d", date.to_string()]),
        Value::TimeDateTime(Some(instant)) => {
            json!(["t", instant.format(DATE_TIME).unwrap_or_default()])
        }
        Value::String(None) => json!(["s", null]),
        Value::BigInt(None) => json!(["i", null]),
        Value::Int(None) => json!(["i32", null]),
        Value::Bool(None) => json!(["b", null]),
        Value::Uuid(None) => json!(["u", null]),
        Value::TimeDate(None) => json!(["d", null]),
        Value::TimeDateTime(None) => json!(["t", null]),
        _ => Json::Null,
    }
}

fn json_to_value(json: &Json) -> Option<Value> {
    let [tag, inner] = json.as_array()?.as_slice() else {
        return None;
    };
    let value = match (tag.as_str()?, inner) {
        ("s", Json::Null) => Value::String(None),
        ("i", Json::Null) => Value::BigInt(None),
        ("i32", Json::Null) => Value::Int(None),
        ("b", Json::Null) => Value::Bool(None),
        ("u", Json::Null) => Value::Uuid(None),
        ("d", Json::Null) => Value::TimeDate(None),
        ("t", Json::Null) => Value::TimeDateTime(None),
        ("s", text) => Value::String(Some(text.as_str()?.to_owned())),
        ("i", number) => Value::BigInt(Some(number.as_i64()?)),
        ("i32", number) => Value::Int(Some(i32::try_from(number.as_i64()?).ok()?)),
        ("b", flag) => Value::Bool(Some(flag.as_bool()?)),
        ("u", text) => Value::Uuid(Some(Uuid::parse_str(text.as_str()?).ok()?)),
        ("d", text) => {
            let format = format_description!("[year]-[month]-[day]");
            Value::TimeDate(Some(Date::parse(text.as_str()?, format).ok()?))
        }
        ("t", text) => Value::TimeDateTime(Some(
            PrimitiveDateTime::parse(text.as_str()?, DATE_TIME).ok()?,
        )),
        _ => return None,
    };
    Some(value)
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern, and wraps
/// it in `%` for a substring match.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

/// A case-insensitive substring match of `column` against an escaped pattern.
///
/// PostgreSQL's `LOWER` folds every script, SQLite's only ASCII letters, so the pattern as
/// typed is also tried: on SQLite, `Москва` finds `Москва` but `москва` does not.
// NOTE: full case folding of non-ASCII text on SQLite would need a lower-cased search
// column written by the server.
pub fn contains_text<C: ColumnTrait + Copy>(column: C, pattern: &str) -> SimpleExpr {
    let folded = Expr::expr(Func::lower(Expr::col(column)))
        .like(LikeExpr::new(pattern.to_lowercase()).escape('\\'));
    let as_typed = Expr::col(column).like(LikeExpr::new(pattern).escape('\\'));
    folded.or(as_typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("50%_A"), "%50\\%\\_A%");
    }

    #[test]
    fn json_round_trips_values() {
        let values = [
            Value::String(Some("Acme".into())),
            Value::BigInt(Some(-5)),
            Value::TimeDate(None),
            Value::Uuid(Some(Uuid::nil())),
        ];
        for value in values {
            assert_eq!(json_to_value(&value_to_json(&value)), Some(value.clone()));
        }
    }

    #[test]
    fn page_size_rejects_zero() {
        assert!(page_size(Some(0)).is_err());
        assert_eq!(page_size(None), Ok(DEFAULT_LIMIT));
    }
}

#[cfg(test)]
mod sql_tests {
    use super::*;
    use crate::entities::company;
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};

    #[test]
    fn contains_text_binds_pattern() {
        let select = company::Entity::find().filter(contains_text(company::Column::Name, "%a%"));
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql = select.clone().build(backend).to_string();
            assert!(sql.contains("LOWER(\"name\") LIKE"), "{sql}");
            assert!(sql.contains("ESCAPE"), "{sql}");
            assert!(!sql.contains("$1"), "{sql}");
        }
    }
}
