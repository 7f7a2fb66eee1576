//! Per-field error messages of a form, from the server's 422 response or from checks made
//! before sending.

use crate::api::ApiError;

/// The error messages of a form, by field name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    entries: Vec<(String, String)>,
}

impl FieldErrors {
    /// Collects the rejected fields of a server error.
    pub fn from_error(error: &ApiError) -> FieldErrors {
        FieldErrors {
            entries: error.field_errors(),
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.entries.push((field.to_owned(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the messages for a form field, including those of its nested fields, so
    /// that `amount` shows the errors of `amount.amount` and `amount.currency`. Indexed
    /// fields such as `line_items[0].name` belong to `line_items`.
    pub fn for_field(&self, field: &str) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(name, _)| {
                name == field
                    || name
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
            .map(|(_, message)| message.clone())
            .collect()
    }

    /// Returns the messages of fields that no form field shows, so that the form shows
    /// them above its button instead of losing them.
    pub fn unclaimed(&self, shown: &[&str]) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(name, _)| {
                !shown.iter().any(|field| {
                    name == field
                        || name
                            .strip_prefix(field)
                            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                })
            })
            .map(|(name, message)| match name.is_empty() {
                true => message.clone(),
                false => format!("{name}: {message}"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors() -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add("amount.currency", "unknown currency");
        errors.add("name", "name must not be blank");
        errors.add("line_items[1].quantity", "quantity must be positive");
        errors.add("amount_note", "not a child of amount");
        errors
    }

    #[test]
    fn nested_fields_belong_to_parent() {
        let errors = errors();
        assert_eq!(errors.for_field("amount"), vec!["unknown currency"]);
        assert_eq!(
            errors.for_field("line_items"),
            vec!["quantity must be positive"]
        );
        assert_eq!(errors.for_field("name"), vec!["name must not be blank"]);
    }

    #[test]
    fn unclaimed_fields_are_listed() {
        let errors = errors();
        let unclaimed = errors.unclaimed(&["amount", "name", "line_items"]);
        assert_eq!(unclaimed, vec!["amount_note: not a child of amount"]);
    }
}
