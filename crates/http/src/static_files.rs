//! Serving the web app's built files, with `index.html` for client-side routes.

use std::path::PathBuf;

use actix_web::App;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::middleware::{Compress, Next};
use actix_web::{HttpResponse, web};

/// Mounts the files of `static_dir` at `/`. A path that matches no file gets `index.html`, so
/// deep links into the app work; `/api/*` is matched earlier and never reaches this. The
/// files are compressed for clients that accept it, which shrinks the WebAssembly module
/// to about a third; API responses are left as they are.
pub fn mount<T>(app: App<T>, static_dir: Option<PathBuf>) -> App<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let Some(dir) = static_dir.filter(|dir| dir.join("index.html").is_file()) else {
        return app;
    };
    let index = dir.join("index.html");
    let files = actix_files::Files::new("/", dir)
        .index_file("index.html")
        .default_handler(fn_service(move |request: ServiceRequest| {
            let index = index.clone();
            async move {
                let (request, _) = request.into_parts();
                if names_file(request.path()) {
                    // A missing script or module must fail as one, not load the page's HTML.
                    let response = HttpResponse::NotFound().finish();
                    return Ok(ServiceResponse::new(request, response));
                }
                let mut response = actix_files::NamedFile::open(&index)?.into_response(&request);
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    header::HeaderValue::from_static("no-cache"),
                );
                Ok(ServiceResponse::new(request, response))
            }
        }));
    app.service(web::scope("").wrap(Compress::default()).service(files))
}

/// Marks responses for content-hashed build outputs as cacheable for a year, and the app's
/// `index.html` as to be revalidated on every load, because it names the current hashes.
pub async fn cache_hashed_assets(
    request: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let hashed = is_hashed_asset(request.path());
    let index = request.path() == "/" || request.path().ends_with("/index.html");
    let mut response = next.call(request).await?;
    if index && response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache"),
        );
    }
    if hashed && response.status().is_success() {
        let value = CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]);
        if let Ok(value) = header::HeaderValue::from_str(&value.to_string()) {
            response.headers_mut().insert(header::CACHE_CONTROL, value);
        }
    }
    Ok(response)
}

/// Returns whether the last segment of a path has a file extension, such as `/app.js`. Client-side
/// routes of the app never have one, so such a path gets 404 instead of `index.html`.
fn names_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('.')
        .is_some_and(|(stem, extension)| !stem.is_empty() && !extension.is_empty())
}

/// Whether a path names a build output with a content hash, such as `/app-1a2b3c4d.wasm`.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or("");
    stem.rsplit_once('-')
        .map(|(_, hash)| hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_told_from_routes() {
        assert!(names_file("/frontend-0123456789abcdef.js"));
        assert!(names_file("/assets/logo.svg"));
        assert!(!names_file("/deals/01a2421c-946d-77a7-a7b0-4422f5efb9ed"));
        assert!(!names_file("/"));
        assert!(!names_file("/.well-known"));
    }

    #[test]
    fn hashed_asset_detection() {
        assert!(!is_hashed_asset("/frontend-9f8e7d6c5b4a3210_bg.wasm"));
        assert!(is_hashed_asset("/frontend-9f8e7d6c5b4a3210.js"));
        assert!(!is_hashed_asset("/index.html"));
    }
}
