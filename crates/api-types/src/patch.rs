//! Partial-update fields that tell "absent" apart from "null".
//!
//! In a PATCH body, a missing key leaves the field unchanged, `null` clears it and a value
//! sets it. A field of type `Option<Option<T>>` with
//! `#[serde(default, deserialize_with = "patch::nullable")]` reads as `None`, `Some(None)`
//! and `Some(Some(value))` for those three cases.

use serde::{Deserialize, Deserializer};

/// Deserializes a present key, keeping `null` as `Some(None)`.
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Deserializes a key that may be absent but must not be `null`, because the field is
/// required on the record.
pub fn required<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom(
            "null is not allowed: this field is required, so omit it to keep the current value",
        )),
    }
}
