//! Per-library totals over all products, for reports that group libraries (per library,
//! region or country): read from `usage_library_daily` or `usage_library_monthly` for every
//! product, or summed in the database from the product rows for one vendor or product.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};

use super::entities::{library_daily, library_monthly};
use super::rollups::{NO_PRODUCT, ReportFilter};
use crate::domain::UsageError;
use crate::domain::report::Granularity;
use crate::domain::time::month_of;

/// One library's numbers over all products in one period.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct LibraryTotals {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// The library's key.
    pub isil_key: String,
    /// The ISIL as registered.
    pub isil: String,
    /// Logins.
    pub logins: i64,
    /// Patrons let in.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
    /// Distinct patrons who logged in.
    pub unique_users: i64,
}

/// The totals of each library and period matching `filter`, by period and library.
pub async fn per_library(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
    granularity: Granularity,
) -> Result<Vec<LibraryTotals>, UsageError> {
    let every_product = filter.vendor.is_none() && filter.product.is_none();
    match granularity {
        Granularity::Month if every_product => return months(db, filter).await,
        Granularity::Day if every_product => return days(db, filter).await,
        _ => {}
    }
    let (table, period, from, to): (&str, &str, SimpleExpr, SimpleExpr) = match granularity {
        Granularity::Day => (
            "usage_daily",
            "CAST(day AS TEXT)",
            Expr::col(Alias::new("day")).gte(filter.from),
            Expr::col(Alias::new("day")).lte(filter.to),
        ),
        Granularity::Month => (
            "usage_monthly",
            "month",
            Expr::col(Alias::new("month")).gte(month_of(filter.from)),
            Expr::col(Alias::new("month")).lte(month_of(filter.to)),
        ),
    };
    let sum = |column: &str| Expr::cust(format!("CAST(SUM({column}) AS BIGINT)"));
    let login_users = Expr::case(
        Expr::col(Alias::new("product_id")).eq(NO_PRODUCT),
        Expr::col(Alias::new("unique_users")),
    )
    .finally(0);
    let mut query = Query::select();
    query
        .expr_as(Expr::cust(period), Alias::new("period"))
        .column(Alias::new("isil_key"))
        .column(Alias::new("isil"))
        .expr_as(sum("logins"), Alias::new("logins"))
        .expr_as(sum("sessions"), Alias::new("sessions"))
        .expr_as(sum("turnaways"), Alias::new("turnaways"))
        .expr_as(
            Func::cast_as(Func::sum(login_users), Alias::new("BIGINT")),
            Alias::new("unique_users"),
        )
        .from(Alias::new(table))
        .and_where(from)
        .and_where(to)
        .group_by_columns([Alias::new("isil_key"), Alias::new("isil")])
        .add_group_by([Expr::cust(period)])
        .order_by_expr(Expr::cust(period), sea_orm::Order::Asc)
        .order_by(Alias::new("isil_key"), sea_orm::Order::Asc);
    if let Some(keys) = &filter.isil_keys {
        query.and_where(Expr::col(Alias::new("isil_key")).is_in(keys.clone()));
    }
    if let Some(vendor) = filter.vendor {
        query.and_where(Expr::col(Alias::new("vendor_id")).eq(vendor));
    }
    if let Some(product) = filter.product {
        query.and_where(Expr::col(Alias::new("product_id")).eq(product));
    }
    let statement = db.get_database_backend().build(&query);
    Ok(LibraryTotals::find_by_statement(statement).all(db).await?)
}

/// Whole months of every product, from `usage_library_monthly`.
async fn months(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
) -> Result<Vec<LibraryTotals>, UsageError> {
    use library_monthly::Column as C;
    let mut query = library_monthly::Entity::find()
        .filter(C::Month.gte(month_of(filter.from)))
        .filter(C::Month.lte(month_of(filter.to)))
        .order_by_asc(C::Month)
        .order_by_asc(C::IsilKey);
    if let Some(keys) = &filter.isil_keys {
        query = query.filter(C::IsilKey.is_in(keys.clone()));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| LibraryTotals {
            period: m.month,
            isil_key: m.isil_key,
            isil: m.isil,
            logins: m.logins,
            sessions: m.sessions,
            turnaways: m.turnaways,
            unique_users: m.unique_users,
        })
        .collect())
}

/// Days of every product, from `usage_library_daily`.
async fn days(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
) -> Result<Vec<LibraryTotals>, UsageError> {
    use library_daily::Column as C;
    let mut query = library_daily::Entity::find()
        .filter(C::Day.gte(filter.from))
        .filter(C::Day.lte(filter.to))
        .order_by_asc(C::Day)
        .order_by_asc(C::IsilKey);
    if let Some(keys) = &filter.isil_keys {
        query = query.filter(C::IsilKey.is_in(keys.clone()));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| LibraryTotals {
            period: m.day.to_string(),
            isil_key: m.isil_key,
            isil: m.isil,
            logins: m.logins,
            sessions: m.sessions,
            turnaways: m.turnaways,
            unique_users: m.unique_users,
        })
        .collect())
}
