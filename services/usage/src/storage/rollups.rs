//! The roll-ups: `usage_daily` (per library, product and day), `usage_monthly_users` (unique
//! users per month) and `usage_watermarks` (the last complete day), and the report read
//! from them.

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entities::{daily, monthly, watermark};
use crate::domain::UsageError;

/// The nil UUID stands for "no product" (logins) in the roll-ups' keys.
pub const NO_PRODUCT: Uuid = Uuid::nil();

/// The watermark of the daily roll-up.
const DAILY: &str = "daily";

/// One library's numbers for one product (or logins) on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    /// The day.
    pub day: NaiveDate,
    /// The ISIL as registered.
    pub isil: String,
    /// The product, or [`NO_PRODUCT`].
    pub product: Uuid,
    /// The vendor.
    pub vendor: Option<Uuid>,
    /// Logins.
    pub logins: i64,
    /// Patrons let in.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
    /// Distinct patrons let in (or logged in).
    pub unique_users: i64,
}

/// Replaces the rows of `day`.
pub async fn replace_day(
    db: &impl ConnectionTrait,
    day: NaiveDate,
    rows: Vec<DayRow>,
) -> Result<(), UsageError> {
    daily::Entity::delete_many()
        .filter(daily::Column::Day.eq(day))
        .exec(db)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|r| daily::ActiveModel {
        day: Set(r.day),
        isil_key: Set(r.isil.to_ascii_lowercase()),
        product_id: Set(r.product),
        isil: Set(r.isil),
        vendor_id: Set(r.vendor),
        logins: Set(r.logins),
        sessions: Set(r.sessions),
        turnaways: Set(r.turnaways),
        unique_users: Set(r.unique_users),
    });
    daily::Entity::insert_many(models)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Replaces the unique users of `month` with `(isil key, product, users)`.
pub async fn replace_month(
    db: &impl ConnectionTrait,
    month: &str,
    users: Vec<(String, Uuid, i64)>,
) -> Result<(), UsageError> {
    monthly::Entity::delete_many()
        .filter(monthly::Column::Month.eq(month))
        .exec(db)
        .await?;
    if users.is_empty() {
        return Ok(());
    }
    let models = users
        .into_iter()
        .map(|(isil_key, product, n)| monthly::ActiveModel {
            month: Set(month.to_owned()),
            isil_key: Set(isil_key),
            product_id: Set(product),
            unique_users: Set(n),
        });
    monthly::Entity::insert_many(models)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The last day the daily roll-up is complete for.
pub async fn watermark(db: &impl ConnectionTrait) -> Result<Option<NaiveDate>, UsageError> {
    Ok(watermark::Entity::find_by_id(DAILY.to_owned())
        .one(db)
        .await?
        .map(|m| m.day))
}

/// Sets the last complete day.
pub async fn set_watermark(db: &impl ConnectionTrait, day: NaiveDate) -> Result<(), UsageError> {
    watermark::Entity::insert(watermark::ActiveModel {
        name: Set(DAILY.to_owned()),
        day: Set(day),
    })
    .on_conflict(
        OnConflict::column(watermark::Column::Name)
            .update_column(watermark::Column::Day)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Which rows a report reads.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// Only these libraries (ISIL keys).
    pub isil_keys: Option<Vec<String>>,
    /// Only this vendor's products.
    pub vendor: Option<Uuid>,
    /// Only this product.
    pub product: Option<Uuid>,
    /// First day.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

/// The daily rows matching `filter`, by day, library and product.
pub async fn days(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
) -> Result<Vec<DayRow>, UsageError> {
    let mut query = daily::Entity::find()
        .filter(daily::Column::Day.gte(filter.from))
        .filter(daily::Column::Day.lte(filter.to))
        .order_by_asc(daily::Column::Day)
        .order_by_asc(daily::Column::IsilKey)
        .order_by_asc(daily::Column::ProductId);
    if let Some(keys) = &filter.isil_keys {
        query = query.filter(daily::Column::IsilKey.is_in(keys.clone()));
    }
    if let Some(vendor) = filter.vendor {
        query = query.filter(daily::Column::VendorId.eq(vendor));
    }
    if let Some(product) = filter.product {
        query = query.filter(daily::Column::ProductId.eq(product));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| DayRow {
            day: m.day,
            isil: m.isil,
            product: m.product_id,
            vendor: m.vendor_id,
            logins: m.logins,
            sessions: m.sessions,
            turnaways: m.turnaways,
            unique_users: m.unique_users,
        })
        .collect())
}

/// Unique users of `months`, by (month, ISIL key, product).
pub async fn month_users(
    db: &impl ConnectionTrait,
    months: Vec<String>,
) -> Result<Vec<(String, String, Uuid, i64)>, UsageError> {
    Ok(monthly::Entity::find()
        .filter(monthly::Column::Month.is_in(months))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.month, m.isil_key, m.product_id, m.unique_users))
        .collect())
}
