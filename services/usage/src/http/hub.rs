//! `GET /api/v1/usage/hub`: logins, sessions, turnaways and unique users per library, product
//! and day or month, from the hub's own access events, as JSON or CSV; and
//! `GET /api/v1/usage/hub/totals`, the same over all products per library, region or country.

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use tilgang_kernel::ProductId;
use tilgang_web::{ApiError, Authenticated};

use super::{State, caller_scope};
use crate::domain::UsageError;
use crate::domain::report::{Granularity, Grouping, HubRow, TotalRow};
use crate::domain::time::day_of;
use crate::storage::rollups::ReportFilter;

/// The longest period one request may ask for per day.
const MOST_DAYS: i64 = 366;

/// The longest period one request may ask for per month (charts and cost ask month by month).
const MOST_YEARS: i64 = 10;

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
    pub(super) format: Option<String>,
}

/// The hub's usage report per library and product. A library admin sees their libraries, a
/// vendor its products (as numbers only), consortium admins everything.
#[utoipa::path(tag = "usage", params(HubQuery), responses((status = 200, body = Vec<HubRow>), (status = 400), (status = 403)))]
#[get("/api/v1/usage/hub")]
pub async fn report(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HubQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, granularity) = asked(&state, &caller, &query)?;
    let rows = crate::report::hub(&state.db, &filter, granularity).await?;
    Ok(answer(
        &query,
        &filter,
        HubRow::CSV_HEADER,
        &rows,
        HubRow::csv,
    ))
}

/// What to group the totals by.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    /// `library` (default), `region` or `country`.
    by: Option<Grouping>,
}

/// The hub's usage summed over all products, per library, region or country: the consortium's
/// national statistics. Scoped as `/api/v1/usage/hub`.
#[utoipa::path(tag = "usage", params(HubQuery, TotalsQuery), responses((status = 200, body = Vec<TotalRow>), (status = 400), (status = 403)))]
#[get("/api/v1/usage/hub/totals")]
pub async fn totals(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HubQuery>,
    group: web::Query<TotalsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, granularity) = asked(&state, &caller, &query)?;
    let by = group.by.unwrap_or_default();
    let rows =
        crate::report::totals(&state.db, &*state.directory, &filter, granularity, by).await?;
    Ok(answer(
        &query,
        &filter,
        TotalRow::CSV_HEADER,
        &rows,
        TotalRow::csv,
    ))
}

/// The rows the caller asked for and may see, and per day or month.
pub(super) fn asked(
    state: &State,
    caller: &Authenticated,
    query: &HubQuery,
) -> Result<(ReportFilter, Granularity), ApiError> {
    let today = day_of(state.clock.now());
    let to = date("to", query.to.as_deref())?.unwrap_or(today);
    let from = date("from", query.from.as_deref())?
        .unwrap_or_else(|| (to - Months::new(11)).with_day(1).unwrap_or(to));
    if from > to {
        return Err(UsageError::invalid("from", "period_invalid", "from is after to").into());
    }
    let granularity = query.granularity.unwrap_or_default();
    if (to - from).num_days() >= MOST_YEARS * 366 {
        return Err(UsageError::invalid(
            "from",
            "period_too_long",
            format!("a report covers at most {MOST_YEARS} years"),
        )
        .into());
    }
    if granularity == Granularity::Day && (to - from).num_days() >= MOST_DAYS {
        return Err(UsageError::invalid(
            "from",
            "period_too_long",
            format!("per day, a report covers at most {MOST_DAYS} days"),
        )
        .into());
    }
    let (isil_keys, vendor) = caller_scope(caller, query.isil.as_deref())?;
    let filter = ReportFilter {
        isil_keys,
        vendor,
        product: query.product.map(|p| p.0),
        from,
        to,
    };
    Ok((filter, granularity))
}

/// The rows as JSON, or as a CSV download when asked.
fn answer<T: serde::Serialize>(
    query: &HubQuery,
    filter: &ReportFilter,
    header: &str,
    rows: &[T],
    line: fn(&T) -> String,
) -> HttpResponse {
    if query.format.as_deref() != Some("csv") {
        return HttpResponse::Ok().json(rows);
    }
    let mut body = String::from(header);
    for row in rows {
        body.push_str(&line(row));
    }
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!(
                "attachment; filename=\"tilgang-usage-{}-{}.csv\"",
                filter.from, filter.to
            ),
        ))
        .body(body)
}

fn date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, UsageError> {
    text.map(|t| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| UsageError::invalid(field, "date_invalid", "a date is written YYYY-MM-DD"))
    })
    .transpose()
}
