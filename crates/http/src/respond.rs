//! Helpers that build success responses with an `ETag` and `Location`.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::Serialize;

use crate::extract::etag;

/// 200 with the record and its ETag.
pub fn ok_versioned<T: Serialize>(body: &T, version: i64) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// 201 with the new record, its ETag and its address.
pub fn created<T: Serialize>(body: &T, version: i64, location: String) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// 204 with no body.
pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}
