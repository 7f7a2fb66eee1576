use std::sync::Arc;

use jsonwebtoken::{DecodingKey, EncodingKey};
use persistence::DatabaseConnection;

/// Keys and lifetimes of issued tokens.
pub struct TokenKeys {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    pub access_ttl_seconds: u64,
    pub refresh_ttl_seconds: u64,
}

/// What every handler shares: the database pool and the token keys.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub tokens: Arc<TokenKeys>,
}

impl AppState {
    /// Builds the state from a pool and an HMAC secret for signing access tokens.
    pub fn new(
        db: DatabaseConnection,
        jwt_secret: &[u8],
        access_ttl_seconds: u64,
        refresh_ttl_seconds: u64,
    ) -> Result<AppState, jsonwebtoken::errors::Error> {
        Ok(AppState {
            db,
            tokens: Arc::new(TokenKeys {
                encoding: EncodingKey::from_secret(jwt_secret)?,
                decoding: DecodingKey::from_secret(jwt_secret)?,
                access_ttl_seconds,
                refresh_ttl_seconds,
            }),
        })
    }
}
