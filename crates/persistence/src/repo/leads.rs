//! Leads: unqualified interest in buying, worked until it is disqualified or converted into a
//! contact, a company and a deal.

use domain::{Money, Scope};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::Value as Json;
use time::{Date, PrimitiveDateTime};
use uuid::Uuid;

use super::deals::{self, DealRecord, NewDeal};
use super::set_optional;
use super::{check_reference, check_version, find_live, update_versioned, users};
use crate::RepoError;
use crate::changes::{self, ChangeKind};
use crate::entities::lead::{ActiveModel, Column, Entity, Model};
use crate::entities::{company, contact, pipeline};
use crate::list::{ListOptions, Page, contains_text, fetch_page, like_pattern, parse_sort};
use crate::tenant::visible;

/// The qualification status of a lead. `Converted` is set only by [`convert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadStatus {
    New,
    Working,
    Qualified,
    Disqualified,
    Converted,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 5] = [
        LeadStatus::New,
        LeadStatus::Working,
        LeadStatus::Qualified,
        LeadStatus::Disqualified,
        LeadStatus::Converted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Working => "working",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Disqualified => "disqualified",
            LeadStatus::Converted => "converted",
        }
    }

    /// Parses a stored status name.
    pub fn parse(name: &str) -> Option<LeadStatus> {
        LeadStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
    }
}

/// The fields of a new lead.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub campaign: Option<String>,
    pub status: LeadStatus,
    /// The responsible user. When `None`, the acting user.
    pub owner_id: Option<Uuid>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct LeadChanges {
    pub name: Option<String>,
    pub company_name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub title: Option<Option<String>>,
    pub source: Option<Option<String>>,
    pub channel: Option<Option<String>>,
    pub campaign: Option<Option<String>>,
    pub status: Option<LeadStatus>,
    pub owner_id: Option<Option<Uuid>>,
}

/// Filters of the lead list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    /// Text to find in the name, company name, e-mail address or phone number.
    pub q: Option<String>,
    pub status: Option<LeadStatus>,
    pub source: Option<String>,
    pub channel: Option<String>,
    pub owner_id: Option<Uuid>,
    pub updated_since: Option<PrimitiveDateTime>,
}

/// Options of a lead conversion: the deal fields and the choice of company.
#[derive(Debug, Clone, Default)]
pub struct ConvertLead {
    /// The deal name; the lead's company name, else its name, when `None`.
    pub deal_name: Option<String>,
    /// The deal pipeline; the organization's first pipeline by position when `None`.
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub amount: Option<Money>,
    pub exchange_rate: Option<Decimal>,
    pub expected_close_date: Option<Date>,
    /// An existing company to attach the contact and deal to, instead of creating one.
    pub company_id: Option<Uuid>,
    /// Whether to create a company from the lead's company name. When `None`, a company is
    /// created if the lead has a company name and `company_id` is not set.
    pub create_company: Option<bool>,
}

/// The records a conversion wrote.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub lead: Model,
    pub contact: contact::Model,
    /// The new company, or `None` when the deal was attached to an existing company or to
    /// none.
    pub company: Option<company::Model>,
    pub deal: DealRecord,
}

/// The fields a lead list may sort by.
pub const SORT_FIELDS: &[(&str, Column)] = &[
    ("name", Column::Name),
    ("created_at", Column::CreatedAt),
    ("updated_at", Column::UpdatedAt),
    ("status", Column::Status),
];

/// The sort applied when a request names none.
pub const DEFAULT_SORT: &str = "-created_at";

/// Splits a person's name on its last space into first and last name, so "Mary Ann Lee"
/// becomes ("Mary Ann", "Lee"). A name without a space is all first name.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim_end().to_owned(), last.to_owned()),
        None => (name.to_owned(), String::new()),
    }
}

fn email_key(email: &Option<String>) -> Option<String> {
    email.as_deref().map(domain::contact::email_key)
}

fn phone_key(phone: &Option<String>) -> Option<String> {
    phone
        .as_deref()
        .map(domain::contact::phone_key)
        .filter(|key| !key.is_empty())
}

fn reject_converted_status() -> RepoError {
    RepoError::invalid(
        "status",
        "invalid_status",
        "status converted is set only by POST /leads/{id}/convert: use new, working, qualified or disqualified",
    )
}

/// Inserts a lead and its change event.
pub async fn create(
    db: &DatabaseConnection,
    scope: &Scope,
    new: NewLead,
) -> Result<Model, RepoError> {
    if new.status == LeadStatus::Converted {
        return Err(reject_converted_status());
    }
    let txn = crate::begin_write(db).await?;
    let owner_id = new.owner_id.unwrap_or(scope.user_id);
    users::check_member(&txn, scope, "owner_id", Some(owner_id)).await?;

    let now = domain::time::now_utc();
    let model = ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        email_key: Set(email_key(&new.email)),
        phone_key: Set(phone_key(&new.phone)),
        name: Set(new.name),
        company_name: Set(new.company_name),
        email: Set(new.email),
        phone: Set(new.phone),
        title: Set(new.title),
        source: Set(new.source),
        channel: Set(new.channel),
        campaign: Set(new.campaign),
        status: Set(new.status.as_str().to_owned()),
        owner_id: Set(Some(owner_id)),
        converted_at: Set(None),
        converted_deal_id: Set(None),
        converted_contact_id: Set(None),
        converted_company_id: Set(None),
    }
    .insert(&txn)
    .await?;

    changes::record(
        &txn,
        scope,
        "lead",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Reads one live lead.
pub async fn get(db: &DatabaseConnection, scope: &Scope, id: Uuid) -> Result<Model, RepoError> {
    find_live::<Entity, _>(db, scope, id).await
}

fn already_converted(id: Uuid) -> RepoError {
    RepoError::Conflict {
        code: "already_converted",
        message: format!(
            "lead {id} is already converted: work on its contact and deal (converted_contact_id, converted_deal_id) instead"
        ),
    }
}

/// Checks a status change against the lead's current status.
fn check_status_change(current: &Model, status: Option<LeadStatus>) -> Result<(), RepoError> {
    let Some(status) = status else {
        return Ok(());
    };
    if status == LeadStatus::Converted && current.status != LeadStatus::Converted.as_str() {
        return Err(reject_converted_status());
    }
    if current.status == LeadStatus::Converted.as_str() && status != LeadStatus::Converted {
        return Err(RepoError::Conflict {
            code: "already_converted",
            message: format!(
                "lead {} is converted, so its status cannot change: its contact and deal carry on",
                current.id
            ),
        });
    }
    Ok(())
}

/// Applies a partial update at the client's expected version; the change event lists the
/// fields that differ in `describe`.
pub async fn update(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    changes: LeadChanges,
    describe: impl Fn(&Model) -> Json,
) -> Result<Model, RepoError> {
    let txn = crate::begin_write(db).await?;
    let current = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("lead", expected, current.version)?;
    check_status_change(&current, changes.status)?;
    users::check_member(&txn, scope, "owner_id", changes.owner_id.flatten()).await?;

    let mut active = <ActiveModel as ActiveModelTrait>::default();
    if let Some(name) = changes.name {
        active.name = Set(name);
    }
    if let Some(email) = changes.email {
        active.email_key = Set(email_key(&email));
        active.email = Set(email);
    }
    if let Some(phone) = changes.phone {
        active.phone_key = Set(phone_key(&phone));
        active.phone = Set(phone);
    }
    if let Some(status) = changes.status {
        active.status = Set(status.as_str().to_owned());
    }
    set_optional(&mut active.company_name, changes.company_name);
    set_optional(&mut active.title, changes.title);
    set_optional(&mut active.source, changes.source);
    set_optional(&mut active.channel, changes.channel);
    set_optional(&mut active.campaign, changes.campaign);
    set_optional(&mut active.owner_id, changes.owner_id);

    let updated = update_versioned::<Entity, _>(&txn, scope, id, current.version, active).await?;
    let diff = changes::diff(&describe(&current), &describe(&updated));
    changes::record(&txn, scope, "lead", id, ChangeKind::Updated, diff).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Lists leads visible to `scope`.
pub async fn list(
    db: &DatabaseConnection,
    scope: &Scope,
    filter: LeadFilter,
    options: &ListOptions,
) -> Result<Page<Model>, RepoError> {
    let sort_text = options.sort.as_deref().unwrap_or(DEFAULT_SORT);
    let sort =
        parse_sort(sort_text, SORT_FIELDS).map_err(|error| RepoError::Invalid(vec![error]))?;
    let mut condition = visible::<Entity>(scope);
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        let mut any = Condition::any()
            .add(contains_text(Column::Name, &pattern))
            .add(contains_text(Column::CompanyName, &pattern))
            .add(contains_text(Column::EmailKey, &pattern));
        let digits = domain::contact::phone_key(q);
        if digits.len() >= 3 {
            any = any.add(Column::PhoneKey.like(format!("%{digits}%")));
        }
        condition = condition.add(any);
    }
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
    }
    if let Some(source) = filter.source {
        condition = condition.add(Column::Source.eq(source));
    }
    if let Some(channel) = filter.channel {
        condition = condition.add(Column::Channel.eq(channel));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(Column::OwnerId.eq(owner_id));
    }
    if let Some(since) = filter.updated_since {
        condition = condition.add(Column::UpdatedAt.gte(since));
    }
    fetch_page(
        db,
        Entity::find().filter(condition),
        sort_text,
        &sort,
        options,
    )
    .await
}

/// Picks the deal pipeline: the requested one, or the organization's first by position.
async fn conversion_pipeline<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    pipeline_id: Option<Uuid>,
) -> Result<Uuid, RepoError> {
    if let Some(pipeline_id) = pipeline_id {
        return Ok(pipeline_id);
    }
    let first = pipeline::Entity::find()
        .filter(visible::<pipeline::Entity>(scope))
        .filter(pipeline::Column::DeletedAt.is_null())
        .order_by_asc(pipeline::Column::Position)
        .order_by_asc(pipeline::Column::Id)
        .one(db)
        .await?;
    first.map(|pipeline| pipeline.id).ok_or_else(|| {
        RepoError::invalid(
            "pipeline_id",
            "required",
            "the organization has no pipeline yet: create one with POST /pipelines, then convert again",
        )
    })
}

/// Decides the company of a conversion: an existing one to link, a name to create one from,
/// or neither.
enum CompanyPlan {
    Existing(Uuid),
    Create(String),
    None,
}

async fn company_plan<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    lead: &Model,
    request: &ConvertLead,
) -> Result<CompanyPlan, RepoError> {
    if let Some(company_id) = request.company_id {
        if request.create_company == Some(true) {
            return Err(RepoError::invalid(
                "create_company",
                "conflicting_fields",
                "create_company is true but company_id names an existing company: send only one of them",
            ));
        }
        check_reference::<company::Entity, C>(db, scope, "company_id", Some(company_id)).await?;
        return Ok(CompanyPlan::Existing(company_id));
    }
    let create = request
        .create_company
        .unwrap_or(lead.company_name.is_some());
    match (create, lead.company_name.clone()) {
        (true, Some(name)) => Ok(CompanyPlan::Create(name)),
        (true, None) => Err(RepoError::invalid(
            "create_company",
            "missing_company_name",
            "the lead has no company_name to create a company from: set company_name on the lead, pass company_id, or send create_company: false",
        )),
        (false, _) => Ok(CompanyPlan::None),
    }
}

async fn insert_company<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    name: String,
    owner_id: Uuid,
) -> Result<company::Model, RepoError> {
    let now = domain::time::now_utc();
    let model = company::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        name: Set(name),
        industry: Set(None),
        country: Set(None),
        website: Set(None),
        phone: Set(None),
        phone_key: Set(None),
        annual_revenue_e4: Set(None),
        revenue_currency: Set(None),
        employees: Set(None),
        year_established: Set(None),
        parent_id: Set(None),
        owner_id: Set(Some(owner_id)),
    }
    .insert(db)
    .await?;
    changes::record(
        db,
        scope,
        "company",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    Ok(model)
}

async fn insert_contact<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    lead: &Model,
    company_id: Option<Uuid>,
    owner_id: Uuid,
) -> Result<contact::Model, RepoError> {
    let now = domain::time::now_utc();
    let (first_name, last_name) = split_name(&lead.name);
    let model = contact::ActiveModel {
        id: Set(domain::id::new_id()),
        org_id: Set(scope.org_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        first_name: Set(first_name),
        last_name: Set(last_name),
        email: Set(lead.email.clone()),
        email_key: Set(email_key(&lead.email)),
        phone: Set(lead.phone.clone()),
        phone_key: Set(phone_key(&lead.phone)),
        title: Set(lead.title.clone()),
        company_id: Set(company_id),
        owner_id: Set(Some(owner_id)),
    }
    .insert(db)
    .await?;
    changes::record(
        db,
        scope,
        "contact",
        model.id,
        ChangeKind::Created,
        Json::Null,
    )
    .await?;
    Ok(model)
}

/// Converts a lead into a contact, an optional company and a deal in one transaction, and
/// marks the lead converted. Any failure rolls back every write. The lead's change event
/// lists the fields that differ in `describe`.
pub async fn convert(
    db: &DatabaseConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i64>,
    request: ConvertLead,
    describe: impl Fn(&Model) -> Json,
) -> Result<Conversion, RepoError> {
    let txn = crate::begin_write(db).await?;
    let lead = find_live::<Entity, _>(&txn, scope, id).await?;
    check_version("lead", expected, lead.version)?;
    if lead.status == LeadStatus::Converted.as_str() {
        return Err(already_converted(id));
    }
    let pipeline_id = conversion_pipeline(&txn, scope, request.pipeline_id).await?;
    let plan = company_plan(&txn, scope, &lead, &request).await?;
    let owner_id = lead.owner_id.unwrap_or(scope.user_id);

    let company = match &plan {
        CompanyPlan::Create(name) => {
            Some(insert_company(&txn, scope, name.clone(), owner_id).await?)
        }
        CompanyPlan::Existing(_) | CompanyPlan::None => None,
    };
    let company_id = match plan {
        CompanyPlan::Existing(company_id) => Some(company_id),
        CompanyPlan::Create(_) | CompanyPlan::None => company.as_ref().map(|company| company.id),
    };
    let contact = insert_contact(&txn, scope, &lead, company_id, owner_id).await?;
    let deal_name = request
        .deal_name
        .clone()
        .or_else(|| lead.company_name.clone())
        .unwrap_or_else(|| lead.name.clone());
    let deal = NewDeal {
        stage_id: request.stage_id,
        owner_id: Some(owner_id),
        company_id,
        amount: request.amount,
        exchange_rate: request.exchange_rate,
        expected_close_date: request.expected_close_date,
        source: lead.source.clone(),
        channel: lead.channel.clone(),
        contact_ids: vec![contact.id],
        ..NewDeal::named(deal_name, pipeline_id)
    };
    let deal = deals::insert_deal(&txn, scope, deal).await?;

    let now = domain::time::now_utc();
    let active = ActiveModel {
        status: Set(LeadStatus::Converted.as_str().to_owned()),
        converted_at: Set(Some(now)),
        converted_deal_id: Set(Some(deal.id)),
        converted_contact_id: Set(Some(contact.id)),
        converted_company_id: Set(company_id),
        ..Default::default()
    };
    let updated = match update_versioned::<Entity, _>(&txn, scope, id, lead.version, active).await {
        Err(RepoError::StaleVersion { .. }) if is_converted(&txn, scope, id).await? => {
            return Err(already_converted(id));
        }
        other => other?,
    };
    let diff = changes::diff(&describe(&lead), &describe(&updated));
    changes::record(&txn, scope, "lead", id, ChangeKind::Updated, diff).await?;
    let deal = deals::get(&txn, scope, deal.id).await?;
    txn.commit().await?;
    Ok(Conversion {
        lead: updated,
        contact,
        company,
        deal,
    })
}

/// Checks whether a concurrent request converted the lead first.
async fn is_converted<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
) -> Result<bool, RepoError> {
    let lead = find_live::<Entity, C>(db, scope, id).await?;
    Ok(lead.status == LeadStatus::Converted.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_name_on_last_space() {
        let cases = [
            ("Mary Ann Lee", ("Mary Ann", "Lee")),
            ("Wei", ("Wei", "")),
            ("  Jo   Smith ", ("Jo", "Smith")),
            ("", ("", "")),
        ];
        for (name, (first, last)) in cases {
            assert_eq!(
                split_name(name),
                (first.to_owned(), last.to_owned()),
                "{name:?}"
            );
        }
    }

    #[test]
    fn status_round_trips() {
        for status in LeadStatus::ALL {
            assert_eq!(
                LeadStatus::parse(status.as_str()),
                Some(status),
                "{status:?}"
            );
        }
        assert_eq!(LeadStatus::parse("won"), None);
    }
}
