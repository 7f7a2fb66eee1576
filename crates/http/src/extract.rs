//! Request extractors: the signed-in member, `If-Match`, and the error handlers that turn
//! malformed bodies, queries and paths into problem+json.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use domain::{Role, Scope};

use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::verify_access_token;

/// The largest JSON body accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// The signed-in member of an organization, with the scope every repository call runs under.
#[derive(Debug, Clone)]
pub struct Member {
    pub scope: Scope,
}

impl Member {
    /// Requires a role that may change sales records.
    pub fn writer(self) -> Result<Scope, ApiError> {
        match self.scope.role.can_write() {
            true => Ok(self.scope),
            false => Err(ApiError::forbidden(
                "viewers cannot change records: ask an admin for the rep role",
            )),
        }
    }

    /// Requires an owner or admin.
    pub fn admin(self) -> Result<Scope, ApiError> {
        match self.scope.role.can_administer() {
            true => Ok(self.scope),
            false => Err(ApiError::forbidden(
                "only an owner or admin can do this: ask one of them",
            )),
        }
    }
}

/// Reads the bearer token of a request.
pub fn bearer_token(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn authenticate(request: HttpRequest) -> Result<Member, ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal(std::io::Error::other("application state is missing")))?;
    let token = bearer_token(&request).ok_or_else(|| {
        ApiError::unauthorized(
            "missing_token",
            "this endpoint needs an Authorization: Bearer <access_token> header; get a token from POST /api/v1/auth/login",
        )
    })?;
    let claims = verify_access_token(&state.tokens, token)?;
    // The role is read from the membership on every request, so a changed role or a removed
    // member takes effect at once rather than when the access token expires.
    let membership =
        persistence::repo::users::current_membership(&state.db, claims.org, claims.sub).await?;
    let Some((role, team_id)) = membership else {
        return Err(ApiError::unauthorized(
            "membership_ended",
            "this account is no longer a member of the organization: sign in again",
        ));
    };
    let mut scope = Scope::organization(claims.org, claims.sub, role);
    scope.team_ids = team_id.into_iter().collect();
    scope.visibility = role.record_visibility();
    Ok(Member { scope })
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Member, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(request.clone()))
    }
}

/// The version named by an `If-Match` header, or `None` without one or with `*`.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

fn parse_if_match(request: &HttpRequest) -> Result<IfMatch, ApiError> {
    let Some(value) = request.headers().get(header::IF_MATCH) else {
        return Ok(IfMatch(None));
    };
    let invalid = || {
        ApiError::bad_request(
            "invalid_if_match",
            "If-Match must be the ETag of the record, such as \"3\", or *",
        )
    };
    let text = value.to_str().map_err(|_| invalid())?.trim();
    if text == "*" {
        return Ok(IfMatch(None));
    }
    let text = text.strip_prefix("W/").unwrap_or(text);
    let version = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text)
        .parse::<i64>()
        .map_err(|_| invalid())?;
    Ok(IfMatch(Some(version)))
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_if_match(request))
    }
}

/// The ETag header value of a record version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Whether the role may be granted by `actor`; used where members are managed.
pub fn can_grant(actor: Role, role: Role) -> bool {
    actor.can_grant(role)
}

/// Configures JSON bodies: size limit and problem+json errors.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BYTES)
        .error_handler(|error, _| json_error(error).into())
}

fn json_error(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::PayloadTooLarge {
            detail: format!(
                "request body is {length} bytes, above the limit of {limit}: send a smaller body"
            ),
        },
        JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge {
            detail: format!(
                "request body is above the limit of {limit} bytes: send a smaller body"
            ),
        },
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType {
            detail: "request body must be JSON: send Content-Type: application/json".to_owned(),
        },
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            let message = error.to_string();
            let field = field_from_serde_message(&message);
            ApiError::invalid(field, "invalid_value", message)
        }
        JsonPayloadError::Deserialize(error) => ApiError::bad_request(
            "malformed_json",
            format!("request body is not valid JSON ({error}): fix the syntax and retry"),
        ),
        other => ApiError::bad_request(
            "malformed_body",
            format!("request body could not be read ({other})"),
        ),
    }
}

/// Picks the field name out of a serde message such as "unknown field `foo`" or "missing
/// field `name`"; an empty field means the body as a whole.
fn field_from_serde_message(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field `"))
        .unwrap_or("")
        .to_owned()
}

/// Configures query strings: problem+json errors.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| query_error(error).into())
}

fn query_error(error: QueryPayloadError) -> ApiError {
    let message = error.to_string();
    let detail = message
        .strip_prefix("Query deserialize error: ")
        .unwrap_or(&message)
        .to_owned();
    ApiError::bad_request(
        "invalid_query",
        format!("invalid query string: {detail}; check the parameter types in the API docs"),
    )
}

/// Configures path parameters: problem+json errors.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _| path_error(error).into())
}

fn path_error(error: PathError) -> ApiError {
    ApiError::NotFound {
        code: "not_found",
        detail: format!("no such resource ({error}): ids are UUIDs"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_nul_names_nested_path() {
        let value = serde_json::json!({ "name": "ok", "line_items": [{ "name": "a\u{0}b" }] });
        assert_eq!(find_nul(&value), Some("line_items[0].name".to_owned()));
        assert_eq!(find_nul(&serde_json::json!({ "name": "fine" })), None);
    }

    #[test]
    fn serde_message_names_field() {
        assert_eq!(
            field_from_serde_message("unknown field `colour`, expected one of"),
            "colour"
        );
        assert_eq!(field_from_serde_message("invalid type: string"), "");
    }
}

/// A JSON request body whose decoding errors name the offending field by its path.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Body<T>, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| {
                let essence = value
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let bytes = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    detail: "request body must be JSON: send Content-Type: application/json"
                        .to_owned(),
                });
            }
            let bytes = bytes.await.map_err(|error| {
                if error.to_string().contains("overflow") || error.as_response_error().status_code() == 413 {
                    ApiError::PayloadTooLarge {
                        detail: format!(
                            "request body is above the limit of {MAX_JSON_BYTES} bytes: send a smaller body"
                        ),
                    }
                } else {
                    ApiError::bad_request("malformed_body", format!("request body could not be read ({error})"))
                }
            })?;
            decode_json(&bytes).map(Body)
        })
    }
}

/// Decodes JSON, reporting syntax errors as 400 and type errors as 422 on the field's path.
pub fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // NOTE: this parses each body twice, once untyped to find NUL characters and once into
    // `T`. Deserializing `T` from the untyped value would save the second parse.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(path) = find_nul(&value)
    {
        return Err(ApiError::invalid(
            path.clone(),
            "nul_character",
            format!("{path} contains a NUL character (\\u0000), which text cannot hold: remove it"),
        ));
    }
    // Every request body of this API is an object. serde would also read a struct from an
    // array, so `[]` would pass as a PATCH that changes nothing.
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if matches!(first, Some(byte) if *byte != b'{') {
        return Err(ApiError::bad_request(
            "body_not_object",
            "request body must be a JSON object, such as {\"name\": \"Acme\"}",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            let message = inner.to_string();
            let field = match path.as_str() {
                "." => field_from_serde_message(&message),
                _ => {
                    let named = field_from_serde_message(&message);
                    let names_key = message.starts_with("unknown field")
                        || message.starts_with("missing field");
                    if names_key && !named.is_empty() && !path.ends_with(&named) {
                        format!("{path}.{named}")
                    } else {
                        path.clone()
                    }
                }
            };
            let field = field.trim_start_matches('.').to_owned();
            let message = strip_position(&message);
            ApiError::invalid(field, "invalid_value", message)
        } else if inner.is_eof() && bytes.iter().all(u8::is_ascii_whitespace) {
            ApiError::bad_request(
                "malformed_json",
                "request body is empty: send a JSON object",
            )
        } else {
            ApiError::bad_request(
                "malformed_json",
                format!("request body is not valid JSON ({inner}): fix the syntax and retry"),
            )
        }
    })?;
    deserializer.end().map_err(|error| {
        ApiError::bad_request(
            "malformed_json",
            format!("request body has text after the JSON value ({error})"),
        )
    })?;
    Ok(value)
}

/// Finds the path of the first string, or object key, that contains a NUL character. Neither
/// database stores one in text: PostgreSQL rejects it and SQLite cuts the text there.
fn find_nul(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) if text.contains('\0') => Some(String::new()),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(index, item)| {
            find_nul(item).map(|inner| join_path(&format!("[{index}]"), &inner))
        }),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                return Some(key.replace('\0', "\\u0000"));
            }
            find_nul(item).map(|inner| join_path(key, &inner))
        }),
        _ => None,
    }
}

fn join_path(head: &str, tail: &str) -> String {
    match (tail.is_empty(), tail.starts_with('[')) {
        (true, _) => head.to_owned(),
        (false, true) => format!("{head}{tail}"),
        (false, false) => format!("{head}.{tail}"),
    }
}

/// Removes serde_json's " at line 1 column 9" suffix from a message.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// Typed query parameters whose decoding errors name the offending parameter.
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<T> QueryParams<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: serde::de::DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = Ready<Result<QueryParams<T>, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(decode_query(request.query_string()).map(QueryParams))
    }
}

/// Decodes a query string, reporting which parameter failed and why.
pub fn decode_query<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let with_nul = form_urlencoded::parse(query.as_bytes())
        .find(|(key, value)| key.contains('\0') || value.contains('\0'));
    if let Some((key, _)) = with_nul {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("the query parameter {key} contains a NUL character (%00): remove it"),
        ));
    }
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        let named = field_from_serde_message(&message);
        let parameter = match (path.as_str(), named.is_empty()) {
            (".", false) => named,
            (".", true) => String::new(),
            (path, _) => path.to_owned(),
        };
        let detail = match parameter.is_empty() {
            true => format!("invalid query string: {message}"),
            false => format!(
                "invalid value for the query parameter {parameter}: {message}; see the parameter types in the API docs"
            ),
        };
        ApiError::bad_request("invalid_query", detail)
    })
}
