//! Request middleware: one tracing span per request, and `Idempotency-Key` replay for POST.

use std::time::Instant;

use actix_web::body::{BoxBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use persistence::repo::idempotency::{self, Claim};
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::error::ApiError;
use crate::extract::{MAX_JSON_BYTES, bearer_token};
use crate::state::AppState;
use crate::tokens::verify_access_token;

/// The header that carries the request id, taken from the client when valid.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps each request in a span with its id, route template, status and latency.
pub async fn trace_request(
    request: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| domain::id::new_id().to_string());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %request.method(),
        route = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let started = Instant::now();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    span.record("route", route.as_str());
    let result = next.call(request).instrument(span.clone()).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut response = match result {
        Ok(response) => response,
        Err(error) => {
            let _entered = span.enter();
            tracing::error!(%error, "request failed in a middleware");
            return Err(error);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    span.record("route", route.as_str());
    span.record("status", response.status().as_u16());
    span.record("latency_ms", latency_ms);
    let _entered = span.enter();
    tracing::info!("request finished");
    Ok(response)
}

/// The header a client sends to make a POST safe to retry.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// Replays the stored response of a POST whose `Idempotency-Key` was seen before, and
/// stores the response of a new one when it succeeds.
pub async fn idempotency(
    mut request: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if request.method() != Method::POST {
        return next.call(request).await;
    }
    let Some(key) = request.headers().get(&IDEMPOTENCY_KEY).cloned() else {
        return next.call(request).await;
    };
    let key = match key.to_str() {
        Ok(key) if !key.trim().is_empty() && key.len() <= 255 => key.trim().to_owned(),
        _ => {
            let error = ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID",
            );
            return Ok(request.error_response(error));
        }
    };
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(request).await;
    };
    let principal = bearer_token(request.request())
        .and_then(|token| verify_access_token(&state.tokens, token).ok());
    let Some(claims) = principal else {
        // Without a valid token the request fails with 401 and writes nothing.
        return next.call(request).await;
    };

    let body = request
        .extract::<web::Bytes>()
        .await
        .map_err(|_| ApiError::PayloadTooLarge {
            detail: format!(
                "request body is above the limit of {MAX_JSON_BYTES} bytes: send a smaller body"
            ),
        })?;
    let mut hasher = Sha256::new();
    hasher.update(request.path().as_bytes());
    hasher.update([0]);
    hasher.update(request.query_string().as_bytes());
    hasher.update([0]);
    hasher.update(&body);
    let request_hash = format!("{:x}", hasher.finalize());
    request.set_payload(actix_web::dev::Payload::from(body));

    let claim = idempotency::claim(&state.db, claims.org, claims.sub, &key, &request_hash)
        .await
        .map_err(ApiError::from)?;
    match claim {
        Claim::Claimed => {}
        Claim::Replay(stored) => return Ok(request.into_response(replay(stored))),
        Claim::InProgress => {
            let error = ApiError::conflict(
                "idempotency_key_in_progress",
                "a request with this Idempotency-Key is still running: retry after it finishes",
            );
            return Ok(request.error_response(error));
        }
        Claim::Mismatch => {
            let error = ApiError::invalid(
                "Idempotency-Key",
                "idempotency_key_reused",
                "this Idempotency-Key was already used for a different request: use a new key for a new request",
            );
            return Ok(request.error_response(error));
        }
    }

    let outcome = next.call(request).await;
    let response = match outcome {
        Ok(response) => response,
        Err(error) => {
            idempotency::release(&state.db, claims.org, claims.sub, &key)
                .await
                .map_err(ApiError::from)?;
            return Err(error);
        }
    };
    if !response.status().is_success() {
        idempotency::release(&state.db, claims.org, claims.sub, &key)
            .await
            .map_err(ApiError::from)?;
        return Ok(response);
    }
    let (http_request, http_response) = response.into_parts();
    let (head, body) = http_response.into_parts();
    let bytes = to_bytes(body).await.map_err(|_| {
        ApiError::internal(std::io::Error::other("response body could not be read"))
    })?;
    let headers = stored_headers(&head);
    idempotency::complete(
        &state.db,
        claims.org,
        claims.sub,
        &key,
        head.status().as_u16(),
        String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    )
    .await
    .map_err(ApiError::from)?;
    let http_response = head.set_body(bytes).map_into_boxed_body();
    Ok(ServiceResponse::new(http_request, http_response))
}

/// Headers kept with a stored response.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::ETAG, header::LOCATION];

fn stored_headers(response: &HttpResponse<()>) -> String {
    let pairs: Vec<(String, String)> = KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = response.headers().get(name)?.to_str().ok()?;
            Some((name.as_str().to_owned(), value.to_owned()))
        })
        .collect();
    serde_json::to_string(&pairs).unwrap_or_default()
}

fn replay(stored: persistence::entities::idempotency_key::Model) -> HttpResponse {
    let status = stored
        .status
        .and_then(|status| u16::try_from(status).ok())
        .and_then(|status| StatusCode::from_u16(status).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    let headers: Vec<(String, String)> = stored
        .response_headers
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    for (name, value) in headers {
        response.insert_header((name, value));
    }
    response.insert_header((REPLAYED, HeaderValue::from_static("true")));
    response.body(stored.response_body.unwrap_or_default())
}
