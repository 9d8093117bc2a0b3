//! `GET /api/v1/usage/hub`: logins, sessions, turnaways and unique users per library, product
//! and day or month, from the hub's own access events, as JSON or CSV.

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use tilgang_kernel::ProductId;
use tilgang_web::{ApiError, Authenticated};

use super::{State, caller_scope};
use crate::domain::UsageError;
use crate::domain::report::{Granularity, HubRow};
use crate::domain::time::day_of;
use crate::storage::rollups::ReportFilter;

/// The longest period one request may ask for per day.
const MOST_DAYS: i64 = 366;

/// What to report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HubQuery {
    /// Only this library (a library admin's own; default: all the caller may see).
    isil: Option<String>,
    /// Only this product.
    product: Option<ProductId>,
    /// First day, YYYY-MM-DD (default: the first day of the month eleven months ago).
    from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    to: Option<String>,
    /// `month` (default) or `day` (at most 366 days).
    granularity: Option<Granularity>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// The hub's usage report. A library admin sees their libraries, a vendor its products (as
/// numbers only), consortium admins everything.
#[utoipa::path(tag = "usage", params(HubQuery), responses((status = 200, body = Vec<HubRow>), (status = 400), (status = 403)))]
#[get("/api/v1/usage/hub")]
pub async fn report(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HubQuery>,
) -> Result<HttpResponse, ApiError> {
    let today = day_of(state.clock.now());
    let to = date("to", query.to.as_deref())?.unwrap_or(today);
    let from = date("from", query.from.as_deref())?
        .unwrap_or_else(|| (to - Months::new(11)).with_day(1).unwrap_or(to));
    if from > to {
        return Err(UsageError::invalid("from", "period_invalid", "from is after to").into());
    }
    let granularity = query.granularity.unwrap_or_default();
    if granularity == Granularity::Day && (to - from).num_days() >= MOST_DAYS {
        return Err(UsageError::invalid(
            "from",
            "period_too_long",
            format!("per day, a report covers at most {MOST_DAYS} days"),
        )
        .into());
    }
    let (isil_keys, vendor) = caller_scope(&caller, query.isil.as_deref())?;
    let filter = ReportFilter {
        isil_keys,
        vendor,
        product: query.product.map(|p| p.0),
        from,
        to,
    };
    let rows = crate::report::hub(&state.db, &filter, granularity).await?;
    if query.format.as_deref() == Some("csv") {
        let mut body = String::from(HubRow::CSV_HEADER);
        for row in &rows {
            body.push_str(&row.csv());
        }
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "content-disposition",
                format!("attachment; filename=\"tilgang-usage-{from}-{to}.csv\""),
            ))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(rows))
}

fn date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, UsageError> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| UsageError::invalid(field, "date_invalid", "a date is written YYYY-MM-DD"))
    })
    .transpose()
}
