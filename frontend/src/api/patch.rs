//! PATCH bodies with only the fields that change.
//!
//! Some patch types of `api-types` write an absent field as `null`, which the server reads
//! as "clear this field" or rejects for a required one. The body builders destructure each
//! patch and insert only its present fields through these helpers.

use serde::Serialize;
use serde_json::{Map, Value};
use time::Date;

/// Inserts `value` under `key` when it is present. A nullable field's `Some(None)` becomes
/// `null`, which clears the field.
pub(crate) fn insert_present<T: Serialize>(
    body: &mut Map<String, Value>,
    key: &str,
    value: Option<T>,
) {
    if let Some(value) = value
        && let Ok(json) = serde_json::to_value(value)
    {
        body.insert(key.to_owned(), json);
    }
}

/// Inserts a nullable calendar date as `YYYY-MM-DD` or `null` when it is present.
pub(crate) fn insert_present_date(
    body: &mut Map<String, Value>,
    key: &str,
    value: Option<Option<Date>>,
) {
    if let Some(date) = value {
        let json = match date {
            Some(date) => Value::String(api_types::deals::calendar_date::format(date)),
            None => Value::Null,
        };
        body.insert(key.to_owned(), json);
    }
}
