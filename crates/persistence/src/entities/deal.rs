use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub version: i64,
    pub created_at: TimeDateTime,
    pub updated_at: TimeDateTime,
    pub deleted_at: Option<TimeDateTime>,
    pub name: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub owner_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub amount_e4: Option<i64>,
    pub currency: String,
    pub exchange_rate: String,
    pub close_exchange_rate: Option<String>,
    pub expected_close_date: Option<TimeDate>,
    pub engaged_on: Option<TimeDate>,
    pub closed_on: Option<TimeDate>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
    pub customer_type: Option<String>,
    pub win_loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub next_step: Option<String>,
    pub external_ref: Option<String>,
    pub stage_changed_at: TimeDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
