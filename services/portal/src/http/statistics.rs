//! `/admin/statistics`: the consortium's national statistics — the hub's own counts of
//! logins, sessions and turnaways over a period of whole months (the last twelve by default),
//! per country, per region and per product, as tables. Through `usage`'s
//! [`UsageReports`](tilgang_kernel::ports::UsageReports) port; consortium admins only.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Months, NaiveDate};
use serde::Deserialize;
use tilgang_kernel::Principal;
use tilgang_kernel::ports::GroupUsage;

use super::State;
use super::admin::{bar, chrome, not_found, page};
use super::library::{count, failure, today};
use super::staff::Staff;
use super::usage::last_twelve_months;
use crate::pages::{StatisticsPage, StatisticsRow, StatisticsTable};

/// The longest period shown, in months.
const MOST_MONTHS: u32 = 120;

/// The period asked for, as `YYYY-MM`.
#[derive(Debug, Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// The first day of the month `YYYY-MM`.
fn month(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok()
}

/// The first and last day of the period, or `None` when it is not a period.
fn period(asked: &Period, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let (default_from, default_to) = last_twelve_months(today);
    let from = match &asked.from {
        Some(text) => month(text)?,
        None => default_from,
    };
    let to = match &asked.to {
        Some(text) => {
            let first = month(text)?;
            let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
            last.min(today)
        }
        None => default_to,
    };
    let longest = from.checked_add_months(Months::new(MOST_MONTHS))?;
    (from <= to && to < longest).then_some((from, to))
}

fn row(lang: &str, group: String, g: &GroupUsage, logins: bool) -> StatisticsRow {
    StatisticsRow {
        group,
        libraries: count(lang, g.libraries),
        logins: if logins {
            count(lang, g.logins)
        } else {
            String::new()
        },
        sessions: count(lang, g.sessions),
        turnaways: count(lang, g.turnaways),
    }
}

/// `GET /admin/statistics?from=YYYY-MM&to=YYYY-MM`.
#[get("/admin/statistics")]
pub async fn statistics_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    asked: web::Query<Period>,
) -> HttpResponse {
    if !matches!(staff.principal, Principal::ConsortiumAdmin { .. }) {
        return not_found(&state, &req, &staff);
    }
    let Some(usage) = &state.ports.usage else {
        return failure("usage statistics do not run in this process");
    };
    let today = today(state.clock.now());
    let chrome = chrome(&state, &req, "statistics-title", "/admin/statistics");
    let lang = chrome.lang;
    let (chosen, problem, status) = match period(&asked, today) {
        Some(chosen) => (chosen, None, StatusCode::OK),
        None => (
            last_twelve_months(today),
            Some(chrome.t.t("statistics-period-invalid")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let numbers = match usage.national(&staff.principal, chosen.0, chosen.1).await {
        Ok(Ok(numbers)) => numbers,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let groups = |rows: &[GroupUsage]| {
        rows.iter()
            .map(|g| row(lang, g.group.clone(), g, true))
            .collect::<Vec<_>>()
    };
    let per_product = numbers
        .products
        .iter()
        .map(|(id, g)| {
            let name = products
                .iter()
                .find(|p| p.id == *id)
                .map_or_else(|| g.group.clone(), |p| p.name(lang).to_owned());
            row(lang, name, g, false)
        })
        .collect();
    let table = |id, key: &str, with_logins, rows| StatisticsTable {
        id,
        heading: chrome.t.t(key),
        with_logins,
        rows,
    };
    let tables = vec![
        table(
            "countries",
            "statistics-countries",
            true,
            groups(&numbers.countries),
        ),
        table(
            "regions",
            "statistics-regions",
            true,
            groups(&numbers.regions),
        ),
        table("products", "statistics-products", false, per_product),
    ];
    let bar = bar(&chrome, &staff);
    page(
        status,
        &StatisticsPage {
            from: chosen.0.format("%Y-%m").to_string(),
            to: chosen.1.format("%Y-%m").to_string(),
            tables,
            problem,
            chrome,
            bar,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_period_of_months_ends_on_the_last_day_or_today() {
        let asked = Period {
            from: Some("2026-01".into()),
            to: Some("2026-03".into()),
        };
        assert_eq!(
            period(&asked, day("2026-12-02")),
            Some((day("2026-01-01"), day("2026-03-31")))
        );
        let this_month = Period {
            from: Some("2026-12".into()),
            to: Some("2026-12".into()),
        };
        assert_eq!(
            period(&this_month, day("2026-12-02")),
            Some((day("2026-12-01"), day("2026-12-02")))
        );
    }

    #[test]
    fn a_backwards_or_unreadable_period_is_refused() {
        let backwards = Period {
            from: Some("2026-05".into()),
            to: Some("2026-01".into()),
        };
        assert_eq!(period(&backwards, day("2026-12-02")), None);
        let garbage = Period {
            from: Some("May".into()),
            to: None,
        };
        assert_eq!(period(&garbage, day("2026-12-02")), None);
    }
}
