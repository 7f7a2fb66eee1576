use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub version: i64,
    pub created_at: TimeDateTime,
    pub updated_at: TimeDateTime,
    pub deleted_at: Option<TimeDateTime>,
    pub name: String,
    pub channel: String,
    pub period_start: TimeDate,
    pub period_end: TimeDate,
    pub cost_e4: i64,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
