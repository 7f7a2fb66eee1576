//! `/users`: the members of the organization.

use api_types::users::{User, UserPatch};
use gloo_net::http::Method;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::patch::insert_present;
use super::{ApiError, Call, get_all, read_json, send};

/// Lists every member by name.
pub async fn list_users() -> Result<Vec<User>, ApiError> {
    get_all("/users?limit=200").await
}

/// Sets the interface language of a member; members may change their own.
pub async fn update_locale(user_id: Uuid, locale: &str) -> Result<User, ApiError> {
    let patch = UserPatch {
        locale: Some(locale.to_owned()),
        ..UserPatch::default()
    };
    let call = Call::with_json(
        Method::PATCH,
        format!("/users/{user_id}"),
        &patch_body(patch),
    )?;
    read_json(send(call).await?).await
}

/// Builds the JSON of a user patch with only its present fields, because `UserPatch`
/// writes absent fields as `null` and the server reads `null` as "clear" or rejects it.
/// The destructuring makes a new field a build error here.
fn patch_body(patch: UserPatch) -> Value {
    let UserPatch {
        name,
        role,
        team_id,
        title,
        time_zone,
        locale,
    } = patch;
    let mut body = Map::new();
    insert_present(&mut body, "name", name);
    insert_present(&mut body, "role", role);
    insert_present(&mut body, "team_id", team_id);
    insert_present(&mut body, "title", title);
    insert_present(&mut body, "time_zone", time_zone);
    insert_present(&mut body, "locale", locale);
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_patch_sends_only_locale() {
        let patch = UserPatch {
            locale: Some("zh-CN".to_owned()),
            ..UserPatch::default()
        };
        assert_eq!(patch_body(patch).to_string(), r#"{"locale":"zh-CN"}"#);
    }
}
