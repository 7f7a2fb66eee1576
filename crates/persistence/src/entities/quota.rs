use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub version: i64,
    pub created_at: TimeDateTime,
    pub updated_at: TimeDateTime,
    pub deleted_at: Option<TimeDateTime>,
    /// Exactly one of `user_id` and `team_id` is set.
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// `month` or `quarter`.
    pub period_kind: String,
    /// The first day of the month or quarter.
    pub period_start: TimeDate,
    pub target_e4: i64,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
