use sea_orm::DbErr;

/// One rejected input field, reported back to the client beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{entity} was changed since version {expected}: current version is {current}")]
    StaleVersion {
        entity: &'static str,
        expected: i64,
        current: i64,
    },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("database error")]
    Database(#[from] DbErr),
}

impl RepoError {
    /// A single-field validation failure.
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        RepoError::Invalid(vec![FieldError::new(field, code, message)])
    }
}
