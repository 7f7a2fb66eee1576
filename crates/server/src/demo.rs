//! The demo organization, loaded from the sample CSV files.

use std::path::Path;

use persistence::DatabaseConnection;

/// The e-mail address the demo owner signs in with.
pub const DEMO_EMAIL: &str = "demo@example.com";

/// What a demo load found and inserted.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub org_id: uuid::Uuid,
    pub deals_inserted: usize,
    pub deals_total: usize,
}

/// Loads the sample data into the demo organization, creating it when missing.
pub async fn load(
    _db: &DatabaseConnection,
    _sample_dir: &Path,
    _password_hash: Option<String>,
) -> anyhow::Result<DemoSummary> {
    anyhow::bail!("the demo loader is not written yet")
}

/// Whether the database holds no organization yet.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    use persistence::entities::organization;
    use sea_orm::{EntityTrait, PaginatorTrait};
    Ok(organization::Entity::find().count(db).await? == 0)
}
