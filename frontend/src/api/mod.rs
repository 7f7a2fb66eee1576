//! Typed client of the REST API: one function per endpoint, on relative `/api/v1` URLs.
//!
//! Every request carries the stored access token, refreshed first when it is about to
//! expire and once more after a 401. Every non-2xx response becomes an [`ApiError`] holding
//! the server's problem+json body.

pub mod activities;
pub mod auth;
pub mod board;
pub mod companies;
pub mod contacts;
pub mod deals;
mod error;
mod patch;
pub mod pipelines;
mod query;
pub mod reports;
pub mod session;
pub mod tasks;
pub mod teams;
pub mod users;

pub use error::ApiError;
pub use query::query_string;

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The prefix of every API path.
pub const BASE: &str = "/api/v1";

/// One request to the API, before authentication is added.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    method: Method,
    path: String,
    body: Option<String>,
    /// The version the client edited, sent as `If-Match: "<version>"`.
    if_match: Option<i64>,
}

impl Call {
    pub(crate) fn get(path: impl Into<String>) -> Call {
        Call {
            method: Method::GET,
            path: path.into(),
            body: None,
            if_match: None,
        }
    }

    /// Builds a request with a JSON body.
    pub(crate) fn with_json<T: Serialize + ?Sized>(
        method: Method,
        path: impl Into<String>,
        body: &T,
    ) -> Result<Call, ApiError> {
        let body = serde_json::to_string(body)
            .map_err(|error| ApiError::Network(format!("cannot encode the request: {error}")))?;
        Ok(Call {
            method,
            path: path.into(),
            body: Some(body),
            if_match: None,
        })
    }

    pub(crate) fn if_match(mut self, version: i64) -> Call {
        self.if_match = Some(version);
        self
    }
}

/// Sends `call` once with `token` as the bearer token, if any.
async fn dispatch(call: &Call, token: Option<&str>) -> Result<Response, ApiError> {
    let mut builder =
        RequestBuilder::new(&format!("{BASE}{}", call.path)).method(call.method.clone());
    builder = builder.header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(version) = call.if_match {
        builder = builder.header("If-Match", &format!("\"{version}\""));
    }
    let request = match &call.body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body.clone()),
        None => builder.build(),
    };
    let request = request.map_err(|error| ApiError::Network(error.to_string()))?;
    request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

/// Sends `call` with the session's access token. A 401 triggers one refresh and one retry,
/// so only a rejected refresh token ends the session.
pub(crate) async fn send(call: Call) -> Result<Response, ApiError> {
    let token = session::access_token().await?;
    let response = dispatch(&call, Some(&token)).await?;
    if response.status() != 401 {
        return Ok(response);
    }
    let token = session::access_token_after_rejection(&token).await?;
    dispatch(&call, Some(&token)).await
}

/// Sends `call` without a token, for sign-in and token refresh.
pub(crate) async fn send_anonymous(call: Call) -> Result<Response, ApiError> {
    dispatch(&call, None).await
}

/// Decodes a 2xx body as `T`, or the problem of any other status.
pub(crate) async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(read_problem(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|error| ApiError::Network(format!("the response could not be read: {error}")))
}

/// Checks for a 2xx status and drops the body, for 204 responses.
pub(crate) async fn read_empty(response: Response) -> Result<(), ApiError> {
    match response.ok() {
        true => Ok(()),
        false => Err(read_problem(response).await),
    }
}

/// Reads the problem+json body of a failed response.
pub(crate) async fn read_problem(response: Response) -> ApiError {
    let status = response.status();
    let status_text = response.status_text();
    let text = response.text().await.unwrap_or_default();
    ApiError::from_body(status, &status_text, &text)
}

/// Sends a GET and decodes the JSON body.
pub(crate) async fn get_json<T: DeserializeOwned>(path: impl Into<String>) -> Result<T, ApiError> {
    read_json(send(Call::get(path)).await?).await
}

/// Reads every page of a list by following `next_cursor`. `path` must contain a query
/// string that sets `limit`.
pub(crate) async fn get_all<T: DeserializeOwned>(path: &str) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{path}&{}", encode_pair("cursor", cursor)),
            None => path.to_owned(),
        };
        let page: api_types::Page<T> = get_json(url).await?;
        items.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(items),
        }
    }
}

fn encode_pair(key: &str, value: &str) -> String {
    serde_urlencoded::to_string([(key, value)]).unwrap_or_default()
}
