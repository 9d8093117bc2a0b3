//! `GET /api/v1/usage/charts/{chart}`: server-rendered SVG charts with their numbers as a
//! table, for the portal (and a library's own intranet) to embed.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, Months, NaiveDate};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use super::hub::{HubQuery, asked};
use crate::domain::UsageError;
use crate::domain::report::Granularity;
use crate::domain::time::months;
use crate::storage::rollups::ReportFilter;
use tilgang_web::chart::Series;

/// The chart over the asked libraries, product and months (default: the last twelve), as a
/// `<figure>` with the SVG and a table (`format=html`, the default) or the SVG alone
/// (`format=svg`). Scoped as `/api/v1/usage/hub`.
#[utoipa::path(tag = "usage", params(("chart" = String, Path, description = "`sessions`, `turnaways` or `cost-per-session`"), HubQuery), responses((status = 200, content_type = "text/html"), (status = 400), (status = 403)))]
#[get("/api/v1/usage/charts/{chart}")]
pub async fn chart(
    state: web::Data<State>,
    caller: Authenticated,
    chart: web::Path<String>,
    query: web::Query<HubQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, _) = asked(&state, &caller, &query)?;
    let series = match chart.as_str() {
        "sessions" => {
            counts(&state, &filter, "Sessions per month", "sessions", |r| {
                r.sessions
            })
            .await?
        }
        "turnaways" => {
            counts(&state, &filter, "Turnaways per month", "turnaways", |r| {
                r.turnaways
            })
            .await?
        }
        "cost-per-session" => cost_per_session(&state, &filter).await?,
        other => {
            return Err(ApiError::not_found(
                "chart_not_found",
                format!("no chart {other}: sessions, turnaways or cost-per-session"),
            ));
        }
    };
    Ok(match query.format.as_deref() {
        Some("svg") => HttpResponse::Ok()
            .content_type("image/svg+xml")
            .body(series.svg()),
        _ => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(series.figure()),
    })
}

async fn counts(
    state: &State,
    filter: &ReportFilter,
    title: &str,
    unit: &str,
    value: fn(&crate::domain::report::HubRow) -> i64,
) -> Result<Series, UsageError> {
    let mut per_month: BTreeMap<String, i64> = months(filter.from, filter.to)
        .into_iter()
        .map(|m| (m, 0))
        .collect();
    for row in crate::report::hub(&state.db, filter, Granularity::Month).await? {
        *per_month.entry(row.period.clone()).or_default() += value(&row);
    }
    Ok(Series {
        title: title.into(),
        unit: unit.into(),
        period: "Month".into(),
        points: per_month.into_iter().collect(),
    })
}

/// Cost and sessions per currency.
type Sums = BTreeMap<String, (i64, i64)>;

/// Per month: the paid cost of the month's days over its sessions, in the currency with the
/// most cost (others are left out, and the title says which currency is shown).
async fn cost_per_session(state: &State, filter: &ReportFilter) -> Result<Series, UsageError> {
    let mut per_month: Vec<(String, Sums)> = Vec::new();
    let mut first = filter.from;
    while first <= filter.to {
        let next = first
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(1)))
            .unwrap_or(filter.to);
        let last: NaiveDate = next.pred_opt().unwrap_or(next).min(filter.to);
        let month = ReportFilter {
            from: first,
            to: last,
            ..filter.clone()
        };
        let mut sums = Sums::new();
        for row in crate::cost::cost_per_use(&state.db, &*state.prices, &month).await? {
            for paid in row.paid {
                let sum = sums.entry(paid.currency).or_default();
                sum.0 += paid.cost_minor;
                sum.1 += paid.sessions;
            }
        }
        per_month.push((crate::domain::time::month_of(first), sums));
        if next <= first {
            break;
        }
        first = next;
    }
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for (_, sums) in &per_month {
        for (currency, (cost, _)) in sums {
            *totals.entry(currency.as_str()).or_default() += cost;
        }
    }
    let currency = totals
        .iter()
        .max_by_key(|(_, cost)| **cost)
        .map(|(c, _)| (*c).to_owned())
        .unwrap_or_else(|| "NOK".into());
    let points = per_month
        .iter()
        .map(|(month, sums)| {
            let (cost, sessions) = sums.get(&currency).copied().unwrap_or((0, 0));
            let value = crate::domain::cost::per(cost, sessions.saturating_mul(100)).unwrap_or(0);
            (month.clone(), value)
        })
        .collect();
    Ok(Series {
        title: format!("Cost per session per month ({currency})"),
        unit: format!("{currency} per session"),
        period: "Month".into(),
        points,
    })
}
