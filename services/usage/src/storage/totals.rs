//! Per-library totals over all products, summed in the database from the daily or monthly
//! roll-up, for reports that group libraries (per library, region or country).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::rollups::ReportFilter;
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
}

/// The totals of each library and period matching `filter`, by period and library.
pub async fn per_library(
    db: &impl ConnectionTrait,
    filter: &ReportFilter,
    granularity: Granularity,
) -> Result<Vec<LibraryTotals>, UsageError> {
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
    let mut query = Query::select();
    query
        .expr_as(Expr::cust(period), Alias::new("period"))
        .column(Alias::new("isil_key"))
        .column(Alias::new("isil"))
        .expr_as(
            Expr::cust("CAST(SUM(logins) AS BIGINT)"),
            Alias::new("logins"),
        )
        .expr_as(
            Expr::cust("CAST(SUM(sessions) AS BIGINT)"),
            Alias::new("sessions"),
        )
        .expr_as(
            Expr::cust("CAST(SUM(turnaways) AS BIGINT)"),
            Alias::new("turnaways"),
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
