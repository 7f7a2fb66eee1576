use serde::{Deserialize, Serialize};

use crate::scope::Visibility;

/// A member's role in an organization, from most to least privileged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Rep,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Manager,
        Role::Rep,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Rep => "rep",
            Role::Viewer => "viewer",
        }
    }

    /// Parses the stored name of a role.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether the role may create, change or delete sales records.
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Viewer)
    }

    /// Whether the role may add members, change roles, and edit teams, pipelines and products.
    pub fn can_administer(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// Returns which owned records (deals, leads, activities, tasks) the role may read: a rep
    /// only their own, every other role the whole organization's.
    pub fn record_visibility(self) -> Visibility {
        match self {
            Role::Rep => Visibility::Own,
            _ => Visibility::Organization,
        }
    }

    /// Whether this role may grant `other` to a member: nobody grants a role above their own.
    pub fn can_grant(self, other: Role) -> bool {
        self.can_administer() && (self == Role::Owner || other != Role::Owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role), "{role:?}");
        }
    }

    #[test]
    fn viewer_cannot_write() {
        assert!(!Role::Viewer.can_write());
        assert!(Role::Rep.can_write());
    }

    #[test]
    fn admin_cannot_grant_owner() {
        assert!(!Role::Admin.can_grant(Role::Owner));
        assert!(Role::Owner.can_grant(Role::Owner));
        assert!(!Role::Manager.can_grant(Role::Rep));
    }
}
