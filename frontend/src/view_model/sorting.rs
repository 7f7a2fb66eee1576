//! The `sort` parameter of list endpoints: comma-separated keys, `-` for descending.

/// Returns the sort after a click on the header of `key`: the same key flips its
/// direction, and another key starts with `first_descending`.
pub fn next_sort(current: &str, key: &str, first_descending: bool) -> String {
    let first = current.split(',').next().unwrap_or_default();
    match first.strip_prefix('-') {
        Some(field) if field == key => key.to_owned(),
        None if first == key => format!("-{key}"),
        _ if first_descending => format!("-{key}"),
        _ => key.to_owned(),
    }
}

/// Returns whether `key` leads the sort, and whether it is descending.
pub fn sort_state(current: &str, key: &str) -> Option<bool> {
    let first = current.split(',').next().unwrap_or_default();
    match first.strip_prefix('-') {
        Some(field) => (field == key).then_some(true),
        None => (first == key).then_some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_flips_direction() {
        assert_eq!(next_sort("name", "name", false), "-name");
        assert_eq!(next_sort("-name", "name", false), "name");
    }

    #[test]
    fn new_key_uses_first_direction() {
        assert_eq!(next_sort("-updated_at", "amount", true), "-amount");
        assert_eq!(next_sort("-updated_at", "name", false), "name");
    }

    #[test]
    fn state_reports_leading_key() {
        assert_eq!(sort_state("-amount,name", "amount"), Some(true));
        assert_eq!(sort_state("name", "name"), Some(false));
        assert_eq!(sort_state("name", "amount"), None);
    }
}
