//! Query strings for list endpoints.

use serde::Serialize;

/// Encodes `query` as `?key=value&…`, leaving out `None` fields, or returns an empty string
/// when no field is set.
pub fn query_string<T: Serialize>(query: &T) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(text) if !text.is_empty() => format!("?{text}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        q: Option<String>,
        limit: Option<u32>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        with_total: bool,
    }

    #[test]
    fn absent_fields_are_left_out() {
        let query = Sample {
            q: Some("a&b c".to_owned()),
            limit: None,
            with_total: false,
        };
        assert_eq!(query_string(&query), "?q=a%26b+c");
    }

    #[test]
    fn empty_query_has_no_question_mark() {
        let query = Sample {
            q: None,
            limit: None,
            with_total: false,
        };
        assert_eq!(query_string(&query), "");
    }
}
