//! What every tenant table shares: `id`, `org_id`, `version`, `updated_at`, `deleted_at`, and
//! the visibility filter built from a [`Scope`].

use domain::Scope;
use domain::scope::Visibility;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait};
use uuid::Uuid;

use crate::entities::membership;

/// A table whose rows belong to one organization and carry a version and a soft-delete mark.
pub trait TenantEntity: EntityTrait {
    /// The singular name used in errors and change events, such as `deal`.
    const NAME: &'static str;
    fn id_column() -> Self::Column;
    fn org_column() -> Self::Column;
    fn version_column() -> Self::Column;
    fn updated_column() -> Self::Column;
    fn deleted_column() -> Self::Column;
    /// The column naming the user a row belongs to, for own and team visibility. `None` for
    /// rows the whole organization reads, such as the shared companies and contacts.
    fn owner_column() -> Option<Self::Column>;
}

/// Implements [`TenantEntity`] for an entity module whose columns use the shared names.
macro_rules! tenant_entity {
    ($module:ident, $name:literal, $owner:expr) => {
        impl $crate::tenant::TenantEntity for $crate::entities::$module::Entity {
            const NAME: &'static str = $name;
            fn id_column() -> Self::Column {
                $crate::entities::$module::Column::Id
            }
            fn org_column() -> Self::Column {
                $crate::entities::$module::Column::OrgId
            }
            fn version_column() -> Self::Column {
                $crate::entities::$module::Column::Version
            }
            fn updated_column() -> Self::Column {
                $crate::entities::$module::Column::UpdatedAt
            }
            fn deleted_column() -> Self::Column {
                $crate::entities::$module::Column::DeletedAt
            }
            fn owner_column() -> Option<Self::Column> {
                #[allow(unused_imports)]
                use $crate::entities::$module::Column;
                $owner
            }
        }
    };
}

tenant_entity!(company, "company", None);
tenant_entity!(contact, "contact", None);
tenant_entity!(lead, "lead", Some(Column::OwnerId));
tenant_entity!(deal, "deal", Some(Column::OwnerId));
tenant_entity!(activity, "activity", Some(Column::OwnerId));
tenant_entity!(task, "task", Some(Column::AssigneeId));
tenant_entity!(team, "team", None);
tenant_entity!(product, "product", None);
tenant_entity!(pipeline, "pipeline", None);
tenant_entity!(stage, "stage", None);
tenant_entity!(membership, "user", None);
tenant_entity!(campaign, "campaign", None);
tenant_entity!(quota, "quota", None);

/// The condition that limits rows of `E` to what `scope` may see, deleted rows included.
pub fn visible<E: TenantEntity>(scope: &Scope) -> Condition {
    let mut condition = Condition::all().add(E::org_column().eq(scope.org_id));
    let Some(owner) = E::owner_column() else {
        return condition;
    };
    match scope.visibility {
        Visibility::Organization => {}
        Visibility::Own => condition = condition.add(owner.eq(scope.user_id)),
        Visibility::Team => {
            let teammates = Query::select()
                .column(membership::Column::UserId)
                .from(membership::Entity)
                .and_where(Expr::col(membership::Column::OrgId).eq(scope.org_id))
                .and_where(Expr::col(membership::Column::TeamId).is_in(scope.team_ids.clone()))
                .to_owned();
            condition = condition.add(
                Condition::any()
                    .add(owner.eq(scope.user_id))
                    .add(owner.in_subquery(teammates)),
            );
        }
    }
    condition
}

/// The condition for one live (not deleted) row of `E` visible to `scope`.
pub fn live_row<E: TenantEntity>(scope: &Scope, id: Uuid) -> Condition {
    visible::<E>(scope)
        .add(E::id_column().eq(id))
        .add(E::deleted_column().is_null())
}
