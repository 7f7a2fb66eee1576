//! The stored tokens and their silent refresh.
//!
//! The tokens live in `localStorage`, so a reload or a second tab keeps the session. A
//! refresh token works once, and the server revokes the whole session when one is used
//! twice, so concurrent requests share one refresh through [`REFRESHING`].

use std::cell::RefCell;

use api_types::auth::{RefreshRequest, TokenResponse};
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yew::Callback;

use super::{ApiError, Call, read_json, send_anonymous};

const STORAGE_KEY: &str = "dealbook.session";

/// How long before its expiry an access token is replaced, in milliseconds, so that a
/// request does not leave with a token that expires on the way.
const REFRESH_MARGIN_MS: f64 = 30_000.0;

/// The tokens of a signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires, in milliseconds since the Unix epoch.
    pub expires_at_ms: f64,
    pub user_id: Uuid,
    pub organization_id: Uuid,
}

impl Tokens {
    /// Builds the stored form of a token response received at `now_ms`.
    pub fn from_response(response: &TokenResponse, now_ms: f64) -> Tokens {
        Tokens {
            access_token: response.access_token.clone(),
            refresh_token: response.refresh_token.clone(),
            expires_at_ms: now_ms + response.expires_in as f64 * 1000.0,
            user_id: response.user_id,
            organization_id: response.organization_id,
        }
    }

    /// Returns whether the access token expires within the refresh margin of `now_ms`.
    pub fn needs_refresh(&self, now_ms: f64) -> bool {
        self.expires_at_ms - now_ms <= REFRESH_MARGIN_MS
    }
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Tokens, ApiError>>>;

thread_local! {
    /// The refresh in flight, shared by every request that needs new tokens meanwhile.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
    /// Called when the server rejects the refresh token, so the app shows the sign-in page.
    static ON_SIGNED_OUT: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

/// Registers the callback run when the session ends because its refresh token was rejected.
pub fn on_signed_out(callback: Callback<()>) {
    ON_SIGNED_OUT.with(|slot| *slot.borrow_mut() = Some(callback));
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the stored tokens.
pub fn load() -> Option<Tokens> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Stores tokens, replacing the previous ones.
pub fn store(tokens: &Tokens) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(tokens)) {
        // NOTE: a full or disabled storage loses the session at the next reload.
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

/// Deletes the stored tokens.
pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// Returns the current time in milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Returns an access token that is not about to expire, refreshing it first when needed.
pub(crate) async fn access_token() -> Result<String, ApiError> {
    let tokens = load().ok_or(ApiError::SignedOut)?;
    if !tokens.needs_refresh(now_ms()) {
        return Ok(tokens.access_token);
    }
    Ok(refresh(tokens.refresh_token).await?.access_token)
}

/// Returns a new access token after the server rejected `rejected` with 401. When another
/// request or tab has already replaced that token, the stored one is used as it is.
pub(crate) async fn access_token_after_rejection(rejected: &str) -> Result<String, ApiError> {
    let tokens = load().ok_or(ApiError::SignedOut)?;
    if tokens.access_token != rejected {
        return Ok(tokens.access_token);
    }
    Ok(refresh(tokens.refresh_token).await?.access_token)
}

/// Joins the refresh in flight, or starts one with `refresh_token`.
async fn refresh(refresh_token: String) -> Result<Tokens, ApiError> {
    let future = REFRESHING.with(|slot| {
        let mut slot = slot.borrow_mut();
        match slot.as_ref() {
            Some(running) => running.clone(),
            None => {
                let started = exchange(refresh_token).boxed_local().shared();
                *slot = Some(started.clone());
                started
            }
        }
    });
    future.await
}

/// Trades a refresh token for a new pair and stores it. Only a 400 or 401 response ends the
/// session: a network failure or a server error keeps the tokens for the next try.
async fn exchange(refresh_token: String) -> Result<Tokens, ApiError> {
    let result = post_refresh(&refresh_token).await;
    REFRESHING.with(|slot| slot.borrow_mut().take());
    match result {
        Ok(tokens) => {
            store(&tokens);
            Ok(tokens)
        }
        Err(error) if matches!(error.status(), Some(400 | 401)) => {
            // NOTE: two tabs that refresh at the same instant both send the same token, and
            // the server then revokes the session. Tabs that refresh apart adopt each
            // other's tokens here.
            match load() {
                Some(stored) if stored.refresh_token != refresh_token => Ok(stored),
                _ => {
                    clear();
                    ON_SIGNED_OUT.with(|slot| {
                        if let Some(callback) = slot.borrow().as_ref() {
                            callback.emit(());
                        }
                    });
                    Err(ApiError::SignedOut)
                }
            }
        }
        Err(error) => Err(error),
    }
}

async fn post_refresh(refresh_token: &str) -> Result<Tokens, ApiError> {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    let call = Call::with_json(Method::POST, "/auth/refresh", &body)?;
    let response: TokenResponse = read_json(send_anonymous(call).await?).await?;
    Ok(Tokens::from_response(&response, now_ms()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_at_ms: f64) -> Tokens {
        Tokens {
            access_token: "a".to_owned(),
            refresh_token: "r".to_owned(),
            expires_at_ms,
            user_id: Uuid::nil(),
            organization_id: Uuid::nil(),
        }
    }

    #[test]
    fn fresh_token_is_kept() {
        assert!(!tokens(100_000.0).needs_refresh(0.0));
    }

    #[test]
    fn token_near_expiry_is_refreshed() {
        assert!(tokens(29_000.0).needs_refresh(0.0));
        assert!(tokens(1_000.0).needs_refresh(5_000.0), "expired");
    }

    #[test]
    fn expiry_counts_from_receipt() {
        let response = TokenResponse {
            access_token: "a".to_owned(),
            token_type: "Bearer".to_owned(),
            expires_in: 900,
            refresh_token: "r".to_owned(),
            user_id: Uuid::nil(),
            organization_id: Uuid::nil(),
        };
        let stored = Tokens::from_response(&response, 1_000.0);
        assert_eq!(stored.expires_at_ms, 901_000.0);
    }
}
