//! Raw access events in `usage_events`: inserted in batches (a repeated id is ignored),
//! counted per day, and deleted after the retention period.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::event as row;
use crate::domain::UsageError;

/// Rows per INSERT statement (PostgreSQL allows 65,535 parameters; an event has 10).
const ROWS_PER_INSERT: usize = 1_000;

/// An event as stored: the patron only as this month's key.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The event id (a repeat is ignored).
    pub id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// Its day in Europe/Oslo.
    pub day: NaiveDate,
    /// The library's ISIL as registered.
    pub isil: String,
    /// The vendor.
    pub vendor: Option<Uuid>,
    /// The product.
    pub product: Option<Uuid>,
    /// `login`, `granted` or `denied`.
    pub outcome: &'static str,
    /// Why it was denied.
    pub reason: Option<&'static str>,
    /// The patron's key for this month.
    pub user_key: String,
}

/// Stores `events`, ignoring those already stored; returns how many were new.
pub async fn insert(db: &impl ConnectionTrait, events: &[StoredEvent]) -> Result<u64, UsageError> {
    let mut new = 0;
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().map(|e| row::ActiveModel {
            id: Set(e.id),
            at: Set(e.at),
            day: Set(e.day),
            isil: Set(e.isil.clone()),
            isil_key: Set(e.isil.to_ascii_lowercase()),
            vendor_id: Set(e.vendor),
            product_id: Set(e.product),
            outcome: Set(e.outcome.to_owned()),
            reason: Set(e.reason.map(str::to_owned)),
            user_key: Set(e.user_key.clone()),
        });
        new += row::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(row::Column::Id).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(new)
}

/// Deletes the events of days before `day`; returns how many.
pub async fn delete_before(db: &impl ConnectionTrait, day: NaiveDate) -> Result<u64, UsageError> {
    Ok(row::Entity::delete_many()
        .filter(row::Column::Day.lt(day))
        .exec(db)
        .await?
        .rows_affected)
}

/// The first day with events still stored.
pub async fn earliest_day(db: &impl ConnectionTrait) -> Result<Option<NaiveDate>, UsageError> {
    Ok(row::Entity::find()
        .order_by_asc(row::Column::Day)
        .one(db)
        .await?
        .map(|m| m.day))
}

/// How many events of one outcome a library had for one product (or none) on a day.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Tally {
    /// The library's key.
    pub isil_key: String,
    /// The ISIL as registered.
    pub isil: String,
    /// The product.
    pub product_id: Option<Uuid>,
    /// The vendor.
    pub vendor_id: Option<Uuid>,
    /// The outcome.
    pub outcome: String,
    /// How many.
    pub n: i64,
}

/// The events of `day`, counted by library, product and outcome.
pub async fn tally(db: &impl ConnectionTrait, day: NaiveDate) -> Result<Vec<Tally>, UsageError> {
    use row::Column as C;
    Ok(row::Entity::find()
        .select_only()
        .columns([C::IsilKey, C::Isil, C::ProductId, C::VendorId, C::Outcome])
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(C::Day.eq(day))
        .group_by(C::IsilKey)
        .group_by(C::Isil)
        .group_by(C::ProductId)
        .group_by(C::VendorId)
        .group_by(C::Outcome)
        .into_model::<Tally>()
        .all(db)
        .await?)
}

/// Distinct patrons let in (or logged in) per library and product, over some days.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Users {
    /// The library's key.
    pub isil_key: String,
    /// The product (none: logins).
    pub product_id: Option<Uuid>,
    /// How many patrons.
    pub n: i64,
}

/// Distinct patrons from `first` to `last` (days, included). Keys differ between months, so
/// the days must lie in one month.
pub async fn users(
    db: &impl ConnectionTrait,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<Users>, UsageError> {
    use row::Column as C;
    Ok(row::Entity::find()
        .select_only()
        .columns([C::IsilKey, C::ProductId])
        .column_as(Expr::cust("COUNT(DISTINCT user_key)"), "n")
        .filter(C::Day.gte(first))
        .filter(C::Day.lte(last))
        .filter(C::Outcome.is_in(["granted", "login"]))
        .group_by(C::IsilKey)
        .group_by(C::ProductId)
        .into_model::<Users>()
        .all(db)
        .await?)
}
