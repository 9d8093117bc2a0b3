//! Harvesting's tables: `usage_harvest_accounts` (each library's account at a product's
//! COUNTER API, the API key sealed),
//! `usage_harvests` (each month to harvest, claimed with a lease) and `usage_harvest_log`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use uuid::Uuid;

use super::entities::{harvest, harvest_account as account, harvest_log as log};
use crate::domain::UsageError;
use crate::domain::harvest::Outcome;

/// A library's account at a product's COUNTER API (the API key never leaves the hub).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// The product.
    #[schema(value_type = String, format = Uuid)]
    pub product: Uuid,
    /// The product's vendor.
    #[schema(value_type = String, format = Uuid)]
    pub vendor: Uuid,
    /// The library.
    pub isil: String,
    /// `customer_id` at the vendor.
    pub customer_id: String,
    /// `requestor_id` at the vendor, if it needs one.
    pub requestor_id: Option<String>,
    /// `platform`, if the vendor hosts several.
    pub platform: Option<String>,
    /// Whether an API key is stored.
    pub api_key_set: bool,
    /// The first month harvested, `YYYY-MM`.
    pub harvest_from: String,
    /// Who set it.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
    /// The sealed API key.
    #[serde(skip)]
    pub api_key_sealed: Option<String>,
}

/// One harvest attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LogEntry {
    /// The product.
    #[schema(value_type = String, format = Uuid)]
    pub product: Uuid,
    /// The product's vendor.
    #[schema(value_type = String, format = Uuid)]
    pub vendor: Uuid,
    /// The library.
    pub isil: String,
    /// The month asked for, `YYYY-MM`.
    pub month: String,
    /// When.
    pub at: DateTime<Utc>,
    /// What it came to.
    pub outcome: Outcome,
    /// The HTTP status, if the vendor answered.
    pub http_status: Option<i32>,
    /// The COUNTER exception code, if any.
    pub exception: Option<i32>,
    /// What happened, in words.
    pub message: String,
    /// When the month is asked for again, if it is.
    pub next_at: Option<DateTime<Utc>>,
}

/// A month to harvest.
pub type Due = harvest::Model;

/// Sets a library's account; months that failed are tried again.
pub async fn put_account(
    db: &impl ConnectionTrait,
    a: &Account,
    now: DateTime<Utc>,
) -> Result<(), UsageError> {
    let key = a.isil.to_ascii_lowercase();
    account::Entity::insert(account::ActiveModel {
        product_id: Set(a.product),
        vendor_id: Set(a.vendor),
        isil_key: Set(key.clone()),
        isil: Set(a.isil.clone()),
        customer_id: Set(a.customer_id.clone()),
        requestor_id: Set(a.requestor_id.clone()),
        api_key_sealed: Set(a.api_key_sealed.clone()),
        platform: Set(a.platform.clone()),
        harvest_from: Set(a.harvest_from.clone()),
        updated_by: Set(a.updated_by.clone()),
        updated_at: Set(a.updated_at),
    })
    .on_conflict(
        OnConflict::columns([account::Column::ProductId, account::Column::IsilKey])
            .update_columns([
                account::Column::CustomerId,
                account::Column::RequestorId,
                account::Column::ApiKeySealed,
                account::Column::Platform,
                account::Column::HarvestFrom,
                account::Column::UpdatedBy,
                account::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    harvest::Entity::update_many()
        .col_expr(harvest::Column::State, Expr::value("pending"))
        .col_expr(harvest::Column::Attempts, Expr::value(0))
        .col_expr(harvest::Column::NextAt, Expr::value(now))
        .filter(harvest::Column::ProductId.eq(a.product))
        .filter(harvest::Column::IsilKey.eq(key))
        .filter(harvest::Column::State.eq("failed"))
        .exec(db)
        .await?;
    Ok(())
}

fn to_account(m: account::Model) -> Account {
    Account {
        product: m.product_id,
        vendor: m.vendor_id,
        isil: m.isil,
        customer_id: m.customer_id,
        requestor_id: m.requestor_id,
        platform: m.platform,
        api_key_set: m.api_key_sealed.is_some(),
        harvest_from: m.harvest_from,
        updated_by: m.updated_by,
        updated_at: m.updated_at,
        api_key_sealed: m.api_key_sealed,
    }
}

/// The accounts of these libraries (all when `None`), vendor and product.
pub async fn accounts(
    db: &impl ConnectionTrait,
    isil_keys: Option<Vec<String>>,
    vendor: Option<Uuid>,
    product: Option<Uuid>,
) -> Result<Vec<Account>, UsageError> {
    let mut query = account::Entity::find()
        .order_by_asc(account::Column::IsilKey)
        .order_by_asc(account::Column::ProductId);
    if let Some(keys) = isil_keys {
        query = query.filter(account::Column::IsilKey.is_in(keys));
    }
    if let Some(vendor) = vendor {
        query = query.filter(account::Column::VendorId.eq(vendor));
    }
    if let Some(product) = product {
        query = query.filter(account::Column::ProductId.eq(product));
    }
    Ok(query.all(db).await?.into_iter().map(to_account).collect())
}

/// Deletes an account and its months still to harvest; whether there was one.
pub async fn delete_account(
    db: &impl ConnectionTrait,
    product: Uuid,
    isil_key: &str,
) -> Result<bool, UsageError> {
    harvest::Entity::delete_many()
        .filter(harvest::Column::ProductId.eq(product))
        .filter(harvest::Column::IsilKey.eq(isil_key))
        .filter(harvest::Column::State.ne("done"))
        .exec(db)
        .await?;
    Ok(account::Entity::delete_many()
        .filter(account::Column::ProductId.eq(product))
        .filter(account::Column::IsilKey.eq(isil_key))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Adds the `months` of an account not yet planned, due at `now`.
pub async fn plan(
    db: &impl ConnectionTrait,
    product: Uuid,
    isil_key: &str,
    months: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), UsageError> {
    if months.is_empty() {
        return Ok(());
    }
    let models = months.into_iter().map(|month| harvest::ActiveModel {
        product_id: Set(product),
        isil_key: Set(isil_key.to_owned()),
        month: Set(month),
        state: Set("pending".into()),
        attempts: Set(0),
        next_at: Set(now),
        lease_until: Set(None),
    });
    harvest::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([
                harvest::Column::ProductId,
                harvest::Column::IsilKey,
                harvest::Column::Month,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Up to `limit` months due at `now` and not leased.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Due>, UsageError> {
    Ok(harvest::Entity::find()
        .filter(harvest::Column::State.eq("pending"))
        .filter(harvest::Column::NextAt.lte(now))
        .filter(
            Condition::any()
                .add(harvest::Column::LeaseUntil.is_null())
                .add(harvest::Column::LeaseUntil.lt(now)),
        )
        .order_by_asc(harvest::Column::NextAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Takes a month for this process until `until`, if no other took it since it was read.
pub async fn claim(
    db: &impl ConnectionTrait,
    due: &Due,
    until: DateTime<Utc>,
) -> Result<bool, UsageError> {
    let mut update = harvest::Entity::update_many()
        .col_expr(harvest::Column::LeaseUntil, Expr::value(Some(until)))
        .filter(harvest::Column::ProductId.eq(due.product_id))
        .filter(harvest::Column::IsilKey.eq(due.isil_key.as_str()))
        .filter(harvest::Column::Month.eq(due.month.as_str()))
        .filter(harvest::Column::State.eq("pending"));
    update = match due.lease_until {
        Some(lease) => update.filter(harvest::Column::LeaseUntil.eq(lease)),
        None => update.filter(harvest::Column::LeaseUntil.is_null()),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Records an attempt (the month's new state, and the log entry) if this process still holds
/// the month's lease, which ends `lease`; whether it did.
pub async fn record(
    db: &impl ConnectionTrait,
    due: &Due,
    lease: DateTime<Utc>,
    entry: &LogEntry,
) -> Result<bool, UsageError> {
    let state = match (entry.outcome.settles(), entry.next_at) {
        (true, _) => "done",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let recorded = harvest::Entity::update_many()
        .col_expr(harvest::Column::State, Expr::value(state))
        .col_expr(harvest::Column::Attempts, Expr::value(due.attempts + 1))
        .col_expr(
            harvest::Column::NextAt,
            Expr::value(entry.next_at.unwrap_or(entry.at)),
        )
        .col_expr(
            harvest::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(harvest::Column::ProductId.eq(due.product_id))
        .filter(harvest::Column::IsilKey.eq(due.isil_key.as_str()))
        .filter(harvest::Column::Month.eq(due.month.as_str()))
        .filter(harvest::Column::LeaseUntil.eq(lease))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if !recorded {
        return Ok(false);
    }
    log::Entity::insert(log::ActiveModel {
        id: Set(Uuid::now_v7()),
        product_id: Set(entry.product),
        vendor_id: Set(entry.vendor),
        isil_key: Set(entry.isil.to_ascii_lowercase()),
        isil: Set(entry.isil.clone()),
        month: Set(entry.month.clone()),
        at: Set(entry.at),
        outcome: Set(entry.outcome.as_str().into()),
        http_status: Set(entry.http_status),
        exception: Set(entry.exception),
        message: Set(entry.message.clone()),
        next_at: Set(entry.next_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(true)
}

/// The latest `limit` attempts for these libraries (all when `None`), vendor and product,
/// newest first.
pub async fn log(
    db: &impl ConnectionTrait,
    isil_keys: Option<Vec<String>>,
    vendor: Option<Uuid>,
    product: Option<Uuid>,
    limit: u64,
) -> Result<Vec<LogEntry>, UsageError> {
    let mut query = log::Entity::find()
        .order_by_desc(log::Column::At)
        .order_by_desc(log::Column::Id)
        .limit(limit);
    if let Some(keys) = isil_keys {
        query = query.filter(log::Column::IsilKey.is_in(keys));
    }
    if let Some(vendor) = vendor {
        query = query.filter(log::Column::VendorId.eq(vendor));
    }
    if let Some(product) = product {
        query = query.filter(log::Column::ProductId.eq(product));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| LogEntry {
            product: m.product_id,
            vendor: m.vendor_id,
            isil: m.isil,
            month: m.month,
            at: m.at,
            outcome: Outcome::parse(&m.outcome).unwrap_or(Outcome::Error),
            http_status: m.http_status,
            exception: m.exception,
            message: m.message,
            next_at: m.next_at,
        })
        .collect())
}
