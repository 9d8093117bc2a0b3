//! Vendors' COUNTER reports in `usage_counter_reports` (the report as sent, kept for audit
//! also when a later one replaces it) and their numbers in `usage_counter_rows`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use tilgang_counter::UsageRow;
use uuid::Uuid;

use super::entities::{counter_report as report, counter_row as row};
use crate::domain::UsageError;

/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 1_000;

/// A stored report, without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StoredReport {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// The vendor.
    #[schema(value_type = String, format = Uuid)]
    pub vendor: Uuid,
    /// The product.
    #[schema(value_type = String, format = Uuid)]
    pub product: Uuid,
    /// The library.
    pub isil: String,
    /// `PR`, `TR`, …
    pub kind: String,
    /// First day of the period.
    pub begin: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// When a later report for the same period replaced it.
    pub replaced_at: Option<DateTime<Utc>>,
    /// Its numbers.
    pub rows: i64,
}

fn stored(m: report::Model) -> StoredReport {
    StoredReport {
        id: m.id,
        vendor: m.vendor_id,
        product: m.product_id,
        isil: m.isil,
        kind: m.kind,
        begin: m.begin_date,
        end: m.end_date,
        received_at: m.received_at,
        replaced_at: m.replaced_at,
        rows: m.rows,
    }
}

/// Stores a report and its rows; an earlier report of the same vendor, product, library, kind
/// and period is marked replaced (and kept). Returns the replaced report's id.
pub async fn insert(
    db: &impl ConnectionTrait,
    r: &StoredReport,
    body: &str,
    rows: &[UsageRow],
) -> Result<Option<Uuid>, UsageError> {
    let earlier = report::Entity::find()
        .filter(report::Column::VendorId.eq(r.vendor))
        .filter(report::Column::ProductId.eq(r.product))
        .filter(report::Column::IsilKey.eq(r.isil.to_ascii_lowercase()))
        .filter(report::Column::Kind.eq(r.kind.as_str()))
        .filter(report::Column::BeginDate.eq(r.begin))
        .filter(report::Column::EndDate.eq(r.end))
        .filter(report::Column::ReplacedAt.is_null())
        .one(db)
        .await?;
    if let Some(earlier) = &earlier {
        report::Entity::update_many()
            .col_expr(report::Column::ReplacedAt, Expr::value(Some(r.received_at)))
            .filter(report::Column::Id.eq(earlier.id))
            .exec(db)
            .await?;
    }
    report::Entity::insert(report::ActiveModel {
        id: Set(r.id),
        vendor_id: Set(r.vendor),
        product_id: Set(r.product),
        isil: Set(r.isil.clone()),
        isil_key: Set(r.isil.to_ascii_lowercase()),
        kind: Set(r.kind.clone()),
        begin_date: Set(r.begin),
        end_date: Set(r.end),
        received_at: Set(r.received_at),
        replaced_at: Set(None),
        rows: Set(r.rows),
        body: Set(body.to_owned()),
    })
    .exec_without_returning(db)
    .await?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let models = chunk.iter().map(|u| row::ActiveModel {
            id: Set(Uuid::now_v7()),
            report_id: Set(r.id),
            platform: Set(u.platform.clone()),
            name: Set(u.name.clone()),
            data_type: Set(u.data_type.clone()),
            access_type: Set(u.access_type.clone()),
            access_method: Set(u.access_method.clone()),
            yop: Set(u.yop.clone()),
            metric: Set(u.metric.clone()),
            month: Set(u.month.clone()),
            count: Set(i64::try_from(u.count).unwrap_or(i64::MAX)),
        });
        row::Entity::insert_many(models)
            .exec_without_returning(db)
            .await?;
    }
    Ok(earlier.map(|e| e.id))
}

/// Reports matching the filter, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    isil_keys: Option<Vec<String>>,
    vendor: Option<Uuid>,
    limit: Option<u64>,
) -> Result<Vec<StoredReport>, UsageError> {
    let mut query = report::Entity::find()
        .order_by_desc(report::Column::ReceivedAt)
        .limit(limit);
    if let Some(keys) = isil_keys {
        query = query.filter(report::Column::IsilKey.is_in(keys));
    }
    if let Some(vendor) = vendor {
        query = query.filter(report::Column::VendorId.eq(vendor));
    }
    Ok(query.all(db).await?.into_iter().map(stored).collect())
}

/// One number of a vendor's report still in force (not replaced).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct CurrentRow {
    /// The library's key.
    pub isil_key: String,
    /// The product reported on.
    pub product_id: Uuid,
    /// The report's kind, such as `PR`.
    pub kind: String,
    /// The platform.
    pub platform: String,
    /// `Data_Type`, when shown.
    pub data_type: Option<String>,
    /// `Access_Method`, when shown.
    pub access_method: Option<String>,
    /// The metric.
    pub metric: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The count.
    pub count: i64,
}

/// The numbers of the reports in force for the libraries with `isil_keys` (all when `None`)
/// from month `first` to `last` (`YYYY-MM`, included).
pub async fn current_rows(
    db: &impl ConnectionTrait,
    isil_keys: Option<&[String]>,
    first: &str,
    last: &str,
) -> Result<Vec<CurrentRow>, UsageError> {
    use sea_orm::sea_query::{ExprTrait, Query};
    let (r, w) = (report::Entity, row::Entity);
    let mut query = Query::select()
        .column((r, report::Column::IsilKey))
        .column((r, report::Column::ProductId))
        .column((r, report::Column::Kind))
        .columns([
            (w, row::Column::Platform),
            (w, row::Column::DataType),
            (w, row::Column::AccessMethod),
            (w, row::Column::Metric),
            (w, row::Column::Month),
            (w, row::Column::Count),
        ])
        .from(w)
        .inner_join(
            r,
            Expr::col((r, report::Column::Id)).equals((w, row::Column::ReportId)),
        )
        .and_where(Expr::col((r, report::Column::ReplacedAt)).is_null())
        .and_where(Expr::col((w, row::Column::Month)).gte(first))
        .and_where(Expr::col((w, row::Column::Month)).lte(last))
        .to_owned();
    if let Some(keys) = isil_keys {
        query.and_where(Expr::col((r, report::Column::IsilKey)).is_in(keys.to_vec()));
    }
    let statement = db.get_database_backend().build(&query);
    Ok(CurrentRow::find_by_statement(statement).all(db).await?)
}

/// Of `rows`, those of the most complete report kind sent for each library, product and month
/// (`PR`, then `PR_P1`, `DR`, `DR_D1`, `TR`, `TR_B1`, `TR_B3`, `IR`), so that no use is counted
/// twice.
pub fn best_kind(rows: Vec<CurrentRow>) -> Vec<CurrentRow> {
    use std::collections::HashMap;
    use tilgang_counter::ReportKind;
    let rank = |kind: &str| {
        ReportKind::ALL
            .iter()
            .position(|k| k.id() == kind)
            .unwrap_or(usize::MAX)
    };
    let key = |r: &CurrentRow| (r.isil_key.clone(), r.product_id, r.month.clone());
    let mut best: HashMap<(String, Uuid, String), usize> = HashMap::new();
    for r in &rows {
        let entry = best.entry(key(r)).or_insert(usize::MAX);
        *entry = (*entry).min(rank(&r.kind));
    }
    rows.into_iter()
        .filter(|r| best[&key(r)] == rank(&r.kind))
        .collect()
}
