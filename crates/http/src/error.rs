//! The one error type of the HTTP edge. It decides what a client sees: an RFC 9457
//! problem+json body with a stable `code`. Causes of server errors go to the log only.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use api_types::{Problem, ProblemField};
use persistence::{FieldError, RepoError};
use validator::{ValidationErrors, ValidationErrorsKind};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    #[error("{detail}")]
    Forbidden { detail: String },
    #[error("{detail}")]
    NotFound { code: &'static str, detail: String },
    #[error("{detail}")]
    MethodNotAllowed { detail: String },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{detail}")]
    PreconditionFailed { detail: String },
    #[error("{detail}")]
    PayloadTooLarge { detail: String },
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("request validation failed")]
    Validation(Vec<FieldError>),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::Forbidden {
            detail: detail.into(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// A validation failure of one field.
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::Internal(Box::new(error))
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::NotFound { code, .. }
            | ApiError::Conflict { code, .. } => code,
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PreconditionFailed { .. } => "stale_version",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// Builds the problem body for this error.
    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
                format!("invalid fields: {}; see errors for each one", fields.join(", "))
            }
            ApiError::Internal(_) => {
                "the server failed to handle the request; retry later or report it with the request id"
                    .to_owned()
            }
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation(errors) => errors
                .iter()
                .map(|error| ProblemField {
                    field: error.field.clone(),
                    code: error.code.to_owned(),
                    message: error.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Problem {
            kind: format!("urn:dealbook:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code().to_owned(),
            instance: None,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, source = ?cause.source(), "request failed")
            }
            other => tracing::debug!(code = other.code(), "request rejected: {other}"),
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if matches!(self, ApiError::Unauthorized { .. }) {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        response.json(self.to_problem())
    }
}

impl From<RepoError> for ApiError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::NotFound { entity } => ApiError::NotFound {
                code: "not_found",
                detail: format!("{entity} not found: check the id, or whether it was deleted"),
            },
            RepoError::StaleVersion {
                entity,
                expected,
                current,
            } => ApiError::PreconditionFailed {
                detail: format!(
                    "{entity} is at version {current}, not {expected}: fetch it again and retry with If-Match: \"{current}\""
                ),
            },
            RepoError::Conflict { code, message } => ApiError::Conflict {
                code,
                detail: message,
            },
            RepoError::Invalid(errors) => ApiError::Validation(errors),
            RepoError::Database(cause) => match cause.sql_err() {
                // The repositories check unique values first; this is the race that the
                // unique index catches when two requests pass that check together.
                Some(persistence::SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(
                    "duplicate",
                    "another record already has this unique value, such as a name or SKU: choose another value and retry",
                ),
                _ => ApiError::internal(cause),
            },
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors("", &errors, &mut fields);
        ApiError::Validation(fields)
    }
}

fn collect_validation_errors(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(items) => {
                for item in items {
                    let message = item
                        .message
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| format!("{path} is invalid"));
                    out.push(FieldError::new(path.clone(), "invalid", message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

/// Converts a list of field errors into a 422 response when it is not empty.
pub fn reject_fields(errors: Vec<FieldError>) -> Result<(), ApiError> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::Validation(errors)),
    }
}
