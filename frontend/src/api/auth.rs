//! `/auth/*` and `/me`: signing in and out, and the signed-in user.

use api_types::auth::{LoginRequest, Me, RefreshRequest, TokenResponse};
use gloo_net::http::Method;

use super::session::{self, Tokens};
use super::{ApiError, Call, get_json, read_empty, read_json, send_anonymous};

/// Signs in with an e-mail address and password and stores the tokens.
pub async fn login(email: &str, password: &str) -> Result<Tokens, ApiError> {
    let body = LoginRequest {
        email: email.trim().to_owned(),
        password: password.to_owned(),
        organization_id: None,
    };
    let call = Call::with_json(Method::POST, "/auth/login", &body)?;
    let response: TokenResponse = read_json(send_anonymous(call).await?).await?;
    let tokens = Tokens::from_response(&response, session::now_ms());
    session::store(&tokens);
    Ok(tokens)
}

/// Revokes the stored refresh token and deletes the tokens. The local session ends even
/// when the server cannot be reached.
pub async fn logout() -> Result<(), ApiError> {
    let Some(tokens) = session::load() else {
        return Ok(());
    };
    session::clear();
    let body = RefreshRequest {
        refresh_token: tokens.refresh_token,
    };
    let call = Call::with_json(Method::POST, "/auth/logout", &body)?;
    read_empty(send_anonymous(call).await?).await
}

/// Reads the signed-in user and their organization.
pub async fn me() -> Result<Me, ApiError> {
    get_json("/me").await
}
