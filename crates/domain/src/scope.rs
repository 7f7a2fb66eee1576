use uuid::Uuid;

use crate::Role;

/// Which records of an organization a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Every record of the organization.
    Organization,
    /// Records owned by the acting user or by members of their teams.
    Team,
    /// Records owned by the acting user.
    Own,
}

/// The organization, acting user and role that every repository call runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    pub team_ids: Vec<Uuid>,
    pub visibility: Visibility,
}

impl Scope {
    /// Builds a scope whose reads cover the whole organization.
    pub fn organization(org_id: Uuid, user_id: Uuid, role: Role) -> Scope {
        Scope {
            org_id,
            user_id,
            role,
            team_ids: Vec::new(),
            visibility: Visibility::Organization,
        }
    }
}
