//! The roll-ups: `usage_daily` (per library, product and day), `usage_monthly` (per library,
//! product and month) and `usage_watermarks` (the last complete day), and the report read
//! from them.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{daily, library_daily, library_monthly, monthly, watermark};
use crate::domain::UsageError;
use crate::domain::time::month_of;

/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 1_000;

/// The nil UUID stands for "no product" (logins) in the roll-ups' keys.
pub const NO_PRODUCT: Uuid = Uuid::nil();

/// The watermark of the daily roll-up.
const DAILY: &str = "daily";

/// One library's numbers for one product (or logins) in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<P> {
    /// The day or the month (`YYYY-MM`).
    pub period: P,
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
    /// Distinct patrons let in (or logged in) in the period.
    pub unique_users: i64,
}

/// A day's row in `usage_daily`.
pub type DayRow = Row<NaiveDate>;

/// A month's row in `usage_monthly`.
pub type MonthRow = Row<String>;

/// Each library's total over all products of `rows` (one period); its unique users are the
/// patrons who logged in (the row without a product).
fn library_totals<P: Clone>(rows: &[Row<P>]) -> Vec<Row<P>> {
    let mut libraries: std::collections::BTreeMap<String, Row<P>> =
        std::collections::BTreeMap::new();
    for r in rows {
        let total = libraries
            .entry(r.isil.to_ascii_lowercase())
            .or_insert_with(|| Row {
                product: NO_PRODUCT,
                vendor: None,
                logins: 0,
                sessions: 0,
                turnaways: 0,
                unique_users: 0,
                ..r.clone()
            });
        total.logins += r.logins;
        total.sessions += r.sessions;
        total.turnaways += r.turnaways;
        if r.product == NO_PRODUCT {
            total.unique_users = r.unique_users;
        }
    }
    libraries.into_values().collect()
}

/// Replaces the rows of `day`, and each library's total over all products.
pub async fn replace_day(
    db: &impl ConnectionTrait,
    day: NaiveDate,
    rows: Vec<DayRow>,
) -> Result<(), UsageError> {
    daily::Entity::delete_many()
        .filter(daily::Column::Day.eq(day))
        .exec(db)
        .await?;
    library_daily::Entity::delete_many()
        .filter(library_daily::Column::Day.eq(day))
        .exec(db)
        .await?;
    let totals: Vec<_> = library_totals(&rows)
        .into_iter()
        .map(|t| library_daily::ActiveModel {
            day: Set(day),
            isil_key: Set(t.isil.to_ascii_lowercase()),
            isil: Set(t.isil),
            logins: Set(t.logins),
            sessions: Set(t.sessions),
            turnaways: Set(t.turnaways),
            unique_users: Set(t.unique_users),
        })
        .collect();
    for chunk in totals.chunks(ROWS_PER_INSERT) {
        library_daily::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let models = chunk.iter().cloned().map(|r| daily::ActiveModel {
            day: Set(r.period),
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
    }
    Ok(())
}

/// Replaces the rows of `month`, and each library's total over all products.
pub async fn replace_month(
    db: &impl ConnectionTrait,
    month: &str,
    rows: Vec<MonthRow>,
) -> Result<(), UsageError> {
    monthly::Entity::delete_many()
        .filter(monthly::Column::Month.eq(month))
        .exec(db)
        .await?;
    library_monthly::Entity::delete_many()
        .filter(library_monthly::Column::Month.eq(month))
        .exec(db)
        .await?;
    let totals: Vec<_> = library_totals(&rows)
        .into_iter()
        .map(|t| library_monthly::ActiveModel {
            month: Set(month.to_owned()),
            isil_key: Set(t.isil.to_ascii_lowercase()),
            isil: Set(t.isil),
            logins: Set(t.logins),
            sessions: Set(t.sessions),
            turnaways: Set(t.turnaways),
            unique_users: Set(t.unique_users),
        })
        .collect();
    for chunk in totals.chunks(ROWS_PER_INSERT) {
        library_monthly::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let models = chunk.iter().cloned().map(|r| monthly::ActiveModel {
            month: Set(r.period),
            isil_key: Set(r.isil.to_ascii_lowercase()),
            product_id: Set(r.product),
            isil: Set(r.isil),
            vendor_id: Set(r.vendor),
            logins: Set(r.logins),
            sessions: Set(r.sessions),
            turnaways: Set(r.turnaways),
            unique_users: Set(r.unique_users),
        });
        monthly::Entity::insert_many(models)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The daily rows from `first` to `last` summed per library and product, as rows of `month`
/// (unique users left at 0: they cannot be added up across days).
pub async fn sum_days(
    db: &impl ConnectionTrait,
    month: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<MonthRow>, UsageError> {
    use daily::Column as C;
    let sums = daily::Entity::find()
        .select_only()
        .columns([C::IsilKey, C::Isil, C::ProductId, C::VendorId])
        .column_as(Expr::cust("CAST(SUM(logins) AS BIGINT)"), "logins")
        .column_as(Expr::cust("CAST(SUM(sessions) AS BIGINT)"), "sessions")
        .column_as(Expr::cust("CAST(SUM(turnaways) AS BIGINT)"), "turnaways")
        .filter(C::Day.gte(first))
        .filter(C::Day.lte(last))
        .group_by(C::IsilKey)
        .group_by(C::Isil)
        .group_by(C::ProductId)
        .group_by(C::VendorId)
        .into_model::<Sums>()
        .all(db)
        .await?;
    Ok(sums
        .into_iter()
        .map(|s| Row {
            period: month.to_owned(),
            isil: s.isil,
            product: s.product_id,
            vendor: s.vendor_id,
            logins: s.logins,
            sessions: s.sessions,
            turnaways: s.turnaways,
            unique_users: 0,
        })
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct Sums {
    isil: String,
    product_id: Uuid,
    vendor_id: Option<Uuid>,
    logins: i64,
    sessions: i64,
    turnaways: i64,
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

impl ReportFilter {
    /// The libraries, vendor and product asked for, over a roll-up's columns.
    fn condition<C: ColumnTrait>(&self, isil_key: C, vendor: C, product: C) -> Condition {
        let mut all = Condition::all();
        if let Some(keys) = &self.isil_keys {
            all = all.add(isil_key.is_in(keys.clone()));
        }
        if let Some(v) = self.vendor {
            all = all.add(vendor.eq(v));
        }
        if let Some(p) = self.product {
            all = all.add(product.eq(p));
        }
        all
    }
}

/// The daily rows matching `filter`, by day, library and product.
pub async fn days(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
) -> Result<Vec<DayRow>, UsageError> {
    let query = daily::Entity::find()
        .filter(daily::Column::Day.gte(filter.from))
        .filter(daily::Column::Day.lte(filter.to))
        .order_by_asc(daily::Column::Day)
        .order_by_asc(daily::Column::IsilKey)
        .order_by_asc(daily::Column::ProductId);
    let query = query.filter(filter.condition(
        daily::Column::IsilKey,
        daily::Column::VendorId,
        daily::Column::ProductId,
    ));
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| Row {
            period: m.day,
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

/// The monthly rows matching `filter` (whole months from `from`'s to `to`'s), by month,
/// library and product.
pub async fn months(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
) -> Result<Vec<MonthRow>, UsageError> {
    let query = monthly::Entity::find()
        .filter(monthly::Column::Month.gte(month_of(filter.from)))
        .filter(monthly::Column::Month.lte(month_of(filter.to)))
        .order_by_asc(monthly::Column::Month)
        .order_by_asc(monthly::Column::IsilKey)
        .order_by_asc(monthly::Column::ProductId);
    let query = query.filter(filter.condition(
        monthly::Column::IsilKey,
        monthly::Column::VendorId,
        monthly::Column::ProductId,
    ));
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| Row {
            period: m.month,
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

/// The first month with numbers for a library (by ISIL key).
pub async fn first_month(
    db: &impl ConnectionTrait,
    isil_key: &str,
) -> Result<Option<String>, UsageError> {
    Ok(monthly::Entity::find()
        .filter(monthly::Column::IsilKey.eq(isil_key))
        .order_by_asc(monthly::Column::Month)
        .one(db)
        .await?
        .map(|m| m.month))
}

/// Patrons let in per (ISIL key, product) from `first` to `last` (days, included), for the
/// libraries with `isil_keys` (all when `None`).
pub async fn sessions_between(
    db: &impl ConnectionTrait,
    isil_keys: Option<&[String]>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<std::collections::HashMap<(String, Uuid), i64>, UsageError> {
    #[derive(FromQueryResult)]
    struct Sessions {
        isil_key: String,
        product_id: Uuid,
        sessions: i64,
    }
    use daily::Column as C;
    let mut query = daily::Entity::find()
        .select_only()
        .columns([C::IsilKey, C::ProductId])
        .column_as(Expr::cust("CAST(SUM(sessions) AS BIGINT)"), "sessions")
        .filter(C::Day.gte(first))
        .filter(C::Day.lte(last))
        .group_by(C::IsilKey)
        .group_by(C::ProductId);
    if let Some(keys) = isil_keys {
        query = query.filter(C::IsilKey.is_in(keys.to_vec()));
    }
    Ok(query
        .into_model::<Sessions>()
        .all(db)
        .await?
        .into_iter()
        .map(|s| ((s.isil_key, s.product_id), s.sessions))
        .collect())
}
