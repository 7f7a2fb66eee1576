use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forecast_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    /// The day, in the organization's time zone, whose start the snapshot describes.
    pub taken_on: TimeDate,
    pub created_at: TimeDateTime,
    pub pipeline_id: Uuid,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// The expected close month, `YYYY-MM`.
    pub month: String,
    pub open_count: i64,
    /// Open amount in the base currency, in ten-thousandths.
    pub open_amount_e4: i64,
    /// Open amount weighted by stage probability, in ten-thousandths.
    pub weighted_amount_e4: i64,
    /// The organization's base currency when the snapshot was taken.
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
