//! `/vendor/libraries`: every library with access to the vendor's products now, with the
//! websites and IP ranges a vendor needs to switch access on at its end, as a page and as CSV
//! (`/vendor/libraries.csv`), through the [`Oversight`](tilgang_kernel::ports::Oversight)
//! port. Only vendors' staff have the page: a consortium admin acts for no one vendor here, and
//! a library admin gets 404.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use tilgang_kernel::Principal;
use tilgang_kernel::ports::{LibraryAccess, ProductSummary};
use tilgang_web::i18n::Localizer;

use super::State;
use super::admin::{bar, chrome, not_found, page};
use super::library::{date, failure, last_day};
use super::staff::Staff;
use crate::pages::{AccessRow, VendorLibraries};

/// The vendor's access list, or the page to show instead.
async fn access(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
) -> Result<(Vec<LibraryAccess>, Vec<ProductSummary>), HttpResponse> {
    if !matches!(staff.principal, Principal::Vendor { .. }) {
        return Err(not_found(state, req, staff));
    }
    let rows = match state.ports.oversight.access(&staff.principal).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(refusal)) => return Err(failure(refusal.message)),
        Err(e) => return Err(failure(e)),
    };
    match state.ports.catalogue.products().await {
        Ok(products) => Ok((rows, products)),
        Err(e) => Err(failure(e)),
    }
}

/// "Trial until …", "Subscription until …", "Consortium agreement".
fn basis(t: &Localizer, lang: &str, row: &LibraryAccess) -> String {
    let (dated, open) = match row.basis.as_str() {
        "trial" => ("access-trial", "access-trial"),
        "subscription" => ("held-subscription", "held-subscription-open"),
        _ => ("held-agreement", "held-agreement-open"),
    };
    match row.until {
        Some(until) => t.t1(dated, "date", &date(lang, last_day(until))),
        None => t.t(open),
    }
}

/// `GET /vendor/libraries`: the page.
#[get("/vendor/libraries")]
pub async fn libraries_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
) -> HttpResponse {
    let (rows, products) = match access(&state, &req, &staff).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let chrome = chrome(&state, &req, "access-title", "/vendor/libraries");
    let lang = chrome.lang;
    let rows = rows
        .into_iter()
        .map(|r| AccessRow {
            basis: basis(&chrome.t, lang, &r),
            product: products
                .iter()
                .find(|p| p.id == r.product)
                .map_or_else(|| r.product_slug.clone(), |p| p.name(lang).to_owned()),
            library: r.name,
            isil: r.isil,
            websites: r.websites,
            ip_ranges: r.ip_ranges,
        })
        .collect();
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &VendorLibraries {
            chrome,
            bar,
            rows,
            csv: "/vendor/libraries.csv".into(),
        },
    )
}

/// `GET /vendor/libraries.csv`: the same list, one line per library and product, websites and
/// IP ranges separated by spaces.
#[get("/vendor/libraries.csv")]
pub async fn libraries_csv(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
) -> HttpResponse {
    let (rows, _) = match access(&state, &req, &staff).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let mut csv = super::csv::line(&[
        "isil",
        "library",
        "product",
        "basis",
        "last_day",
        "websites",
        "ip_ranges",
    ]);
    for r in rows {
        let until = r.until.map(|u| last_day(u).to_string()).unwrap_or_default();
        csv.push_str(&super::csv::line(&[
            r.isil,
            r.name,
            r.product_slug,
            r.basis,
            until,
            r.websites.join(" "),
            r.ip_ranges.join(" "),
        ]));
    }
    super::csv::download("libraries-with-access.csv", csv)
}
