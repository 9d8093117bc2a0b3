//! `/admin/libraries/{isil}/usage`: the library's last twelve months per product (sessions,
//! turnaways, distinct patrons), a chart of sessions per month with the same numbers as a
//! table, what each product cost per use in those months (per session let in, and per COUNTER
//! unique item request when the vendor reports them), and the numbers as CSV
//! (`/admin/libraries/{isil}/usage.csv`). Only the library's
//! admins and consortium admins see them, as every staff page.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Datelike, Months, NaiveDate};
use tilgang_kernel::ProductId;
use tilgang_kernel::ports::{LibrarySummary, ProductCost, UsageMonth};
use tilgang_web::chart::Series;

use super::State;
use super::admin::{acted_for, bar, chrome, page};
use super::library::{count, failure, money, today};
use super::staff::Staff;
use crate::pages::{CostRow, UsagePage, UsageRow};

/// The first day of the month eleven months back, and today.
pub(super) fn last_twelve_months(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .unwrap_or(today);
    (first, today)
}

/// Every month from `from` to `to`, as `YYYY-MM`.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut month = from.with_day(1).unwrap_or(from);
    while month <= to {
        out.push(month.format("%Y-%m").to_string());
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    out
}

/// The library's months, or the page that says why there are none.
async fn numbers(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    isil: &str,
) -> Result<(LibrarySummary, Vec<UsageMonth>, NaiveDate, NaiveDate), HttpResponse> {
    let library = acted_for(state, req, staff, isil).await?;
    let (from, to) = last_twelve_months(today(state.clock.now()));
    let Some(usage) = &state.ports.usage else {
        return Err(failure("usage statistics do not run in this process"));
    };
    let rows = usage
        .months(&library.isil, from, to)
        .await
        .map_err(failure)?;
    Ok((library, rows, from, to))
}

/// `GET /admin/libraries/{isil}/usage`.
#[get("/admin/libraries/{isil}/usage")]
pub async fn usage_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    let (library, rows, from, to) = match numbers(&state, &req, &staff, &isil).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let here = format!("/admin/libraries/{}/usage", library.isil);
    let mut chrome = chrome(&state, &req, "usage-title", &here);
    let t = chrome.t.clone();
    let lang = chrome.lang;
    chrome.title = t.t1("usage-title", "library", &library.name);
    let name = |id: ProductId| {
        products
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.0.to_string(), |p| p.name(lang).to_owned())
    };
    let sessions = |title: String, rows: &mut dyn Iterator<Item = &UsageMonth>| {
        let mut per_month: BTreeMap<String, i64> =
            months(from, to).into_iter().map(|m| (m, 0)).collect();
        for row in rows {
            *per_month.entry(row.month.clone()).or_default() += row.sessions;
        }
        Series {
            title,
            unit: t.t("usage-sessions"),
            period: t.t("usage-month"),
            points: per_month.into_iter().collect(),
        }
    };
    let chart = sessions(t.t("usage-chart"), &mut rows.iter());
    // One chart per product used in the period, by name.
    let mut used: Vec<(String, ProductId)> =
        rows.iter().map(|r| (name(r.product), r.product)).collect();
    used.sort();
    used.dedup();
    let product_charts = used
        .iter()
        .enumerate()
        .map(|(i, (product, id))| {
            let title = t.t1("usage-chart-product", "product", product);
            sessions(title, &mut rows.iter().filter(|r| r.product == *id))
                .figure_named(&format!("product-{i}"))
        })
        .collect();
    let mut table: Vec<UsageRow> = rows
        .iter()
        .map(|r| UsageRow {
            month: r.month.clone(),
            product: name(r.product),
            sessions: r.sessions,
            turnaways: r.turnaways,
            unique_users: r.unique_users,
        })
        .collect();
    table.sort_by(|a, b| b.month.cmp(&a.month).then(a.product.cmp(&b.product)));
    let Some(usage) = &state.ports.usage else {
        return failure("usage statistics do not run in this process");
    };
    // The usage numbers stand without prices: when what was paid cannot be read, the page
    // says so instead of failing.
    let (costs, costs_unavailable) = match usage.costs(&library.isil, from, to).await {
        Ok(costs) => (costs, false),
        Err(e) => {
            tracing::warn!(error = %e, "cost per use is unavailable");
            (Vec::new(), true)
        }
    };
    let amount = |minor: Option<i64>, currency: &str| {
        minor.map_or_else(|| t.t("usage-cost-no-use"), |m| money(lang, m, currency))
    };
    let unreported = || t.t("usage-cost-not-reported");
    let mut costs: Vec<CostRow> = costs
        .iter()
        .map(|ProductCost { product, paid: c }| CostRow {
            product: name(*product),
            days: count(lang, c.days),
            paid: money(lang, c.cost_minor, &c.currency),
            sessions: count(lang, c.sessions),
            per_session: amount(c.cost_per_session_minor, &c.currency),
            requests: c
                .unique_item_requests
                .map_or_else(unreported, |n| count(lang, n)),
            per_request: match c.unique_item_requests {
                None => unreported(),
                Some(_) => amount(c.cost_per_unique_item_request_minor, &c.currency),
            },
        })
        .collect();
    costs.sort_by(|a, b| a.product.cmp(&b.product));
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &UsagePage {
            chart: chart.figure(),
            product_charts,
            rows: table,
            costs,
            costs_unavailable,
            csv: format!("/admin/libraries/{}/usage.csv", library.isil),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            chrome,
            bar,
        },
    )
}

/// `GET /admin/libraries/{isil}/usage.csv`: the same numbers as CSV.
#[get("/admin/libraries/{isil}/usage.csv")]
pub async fn usage_csv(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    let (library, rows, _, _) = match numbers(&state, &req, &staff, &isil).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let mut csv = String::from("month,isil,product,sessions,turnaways,unique_users\n");
    for r in rows {
        let slug = products
            .iter()
            .find(|p| p.id == r.product)
            .map_or_else(|| r.product.0.to_string(), |p| p.slug.clone());
        csv.push_str(&format!(
            "{},{},{slug},{},{},{}\n",
            r.month, library.isil, r.sessions, r.turnaways, r.unique_users
        ));
    }
    super::csv::download(&format!("usage-{}.csv", library.isil.key()), csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_today_and_start_on_a_first() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let (from, to) = last_twelve_months(today);
        assert_eq!(from, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(months(from, to).len(), 12);
        assert_eq!(months(from, to)[11], "2026-12");
    }
}
