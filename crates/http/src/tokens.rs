//! Access tokens (HS256 JWTs), refresh-token secrets and password hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Role;
use jsonwebtoken::{Algorithm, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::TokenKeys;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: Uuid,
    /// The organization id.
    pub org: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

/// Signs an access token for a member of an organization.
pub fn issue_access_token(
    keys: &TokenKeys,
    user_id: Uuid,
    org_id: Uuid,
    role: Role,
) -> Result<String, ApiError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let ttl = i64::try_from(keys.access_ttl_seconds).unwrap_or(i64::MAX / 2);
    let claims = Claims {
        sub: user_id,
        org: org_id,
        role,
        iat: now,
        exp: now.saturating_add(ttl),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
        .map_err(ApiError::internal)
}

/// Checks the signature and expiry of an access token.
pub fn verify_access_token(keys: &TokenKeys, token: &str) -> Result<Claims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation)
        .map(|data| data.claims)
        .map_err(|error| {
            let detail = match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    "access token has expired: get a new one from POST /api/v1/auth/refresh"
                }
                _ => "access token is invalid: sign in again with POST /api/v1/auth/login",
            };
            ApiError::unauthorized("invalid_token", detail)
        })
}

/// Generates a refresh-token secret: `dbr_` and 32 random bytes in base64url.
pub fn new_refresh_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("dbr_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Hashes a refresh-token secret for storage; only the hash is kept.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(digest)
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::internal(std::io::Error::other(error.to_string())))
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies() {
        let Ok(hash) = hash_password("correct horse battery") else {
            panic!("hashing failed");
        };
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
    }

    #[test]
    fn refresh_secrets_differ() {
        assert_ne!(new_refresh_secret(), new_refresh_secret());
        assert!(new_refresh_secret().starts_with("dbr_"));
    }
}
