//! The error of every API call.

use api_types::Problem;

/// The failure of an API call.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The server returned a non-2xx status with this problem. A body that was not
    /// problem+json, such as a proxy's HTML error page, is turned into a problem with the
    /// status and its reason phrase.
    Problem(Box<Problem>),
    /// The request did not reach the server, or its response could not be read.
    Network(String),
    /// The session ended: there are no tokens, or the server rejected the refresh token.
    SignedOut,
}

/// Compares the parts shown to the user: the status, code and explanation.
impl PartialEq for ApiError {
    fn eq(&self, other: &ApiError) -> bool {
        self.status() == other.status()
            && self.code() == other.code()
            && self.detail() == other.detail()
    }
}

impl ApiError {
    /// Builds the error of a failed response from its status and body text.
    pub fn from_body(status: u16, status_text: &str, body: &str) -> ApiError {
        if let Ok(problem) = serde_json::from_str::<Problem>(body) {
            return ApiError::Problem(Box::new(problem));
        }
        let title = match status_text.is_empty() {
            true => format!("HTTP {status}"),
            false => status_text.to_owned(),
        };
        ApiError::Problem(Box::new(Problem {
            kind: "about:blank".to_owned(),
            detail: format!("the server returned {status} {status_text} without details"),
            title,
            status,
            code: format!("http_{status}"),
            instance: None,
            errors: Vec::new(),
        }))
    }

    /// Returns the HTTP status, for errors the server returned.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(problem) => Some(problem.status),
            _ => None,
        }
    }

    /// Returns the problem's stable `code`, for errors the server returned.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem(problem) => Some(problem.code.as_str()),
            _ => None,
        }
    }

    /// Whether the record changed since the version the client sent (412).
    pub fn is_stale(&self) -> bool {
        self.status() == Some(412)
    }

    /// Returns the server's explanation, or the network error, in English as the API sends it.
    pub fn detail(&self) -> String {
        match self {
            ApiError::Problem(problem) if problem.detail.is_empty() => problem.title.clone(),
            ApiError::Problem(problem) => problem.detail.clone(),
            ApiError::Network(message) => message.clone(),
            ApiError::SignedOut => "the session ended: sign in again".to_owned(),
        }
    }

    /// Returns the rejected fields of a 422 response, as `(field, message)` pairs.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        match self {
            ApiError::Problem(problem) => problem
                .errors
                .iter()
                .map(|error| (error.field.clone(), error.message.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_body_is_decoded() {
        let body = r#"{"type":"urn:dealbook:problem:stale_version","title":"Precondition failed",
            "status":412,"detail":"deal was changed","code":"stale_version"}"#;
        let error = ApiError::from_body(412, "Precondition Failed", body);
        assert!(error.is_stale());
        assert_eq!(error.code(), Some("stale_version"));
        assert_eq!(error.detail(), "deal was changed");
    }

    #[test]
    fn html_body_becomes_problem() {
        let error = ApiError::from_body(502, "Bad Gateway", "<html>down</html>");
        assert_eq!(error.status(), Some(502));
        assert_eq!(error.code(), Some("http_502"));
        assert!(error.detail().contains("502 Bad Gateway"));
    }

    #[test]
    fn field_errors_are_listed() {
        let body = r#"{"type":"t","title":"Validation failed","status":422,"detail":"d",
            "code":"validation_failed","errors":[{"field":"name","code":"required",
            "message":"name must not be blank"}]}"#;
        let error = ApiError::from_body(422, "", body);
        assert_eq!(
            error.field_errors(),
            vec![("name".to_owned(), "name must not be blank".to_owned())]
        );
    }
}
