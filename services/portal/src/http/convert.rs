//! `/admin/libraries/{isil}/convert?product=`: a library admin turns a running trial into a
//! subscription from today (last day, price for the period, currency, whether it renews),
//! through the [`Trials`](tilgang_kernel::ports::Trials) port with the API's rules, and sees the
//! trial's use beside the price: the sessions so far, and what one session would cost at the
//! same rate of use.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Days, NaiveDate};
use tilgang_kernel::ports::{EntitlementBasis, LibrarySummary, ProductSummary, SubscriptionTerms};
use tilgang_web::i18n::Args;

use super::State;
use super::admin::{TrialQuery, bar, chrome, not_found, page, posted_for, trial_target};
use super::library::{date, failure, last_day, money, today};
use super::staff::Staff;
use crate::pages::{Choice, ConvertPage};

/// The currencies a subscription may be priced in.
pub(super) const CURRENCIES: &[&str] = &["NOK", "SEK", "DKK", "EUR"];

/// The currency a library of `country` usually pays in.
fn usual_currency(isil: &tilgang_kernel::Isil) -> &'static str {
    match isil.country() {
        Some("NO") => "NOK",
        Some("SE") => "SEK",
        Some("DK") => "DKK",
        _ => "EUR",
    }
}

/// Reads a price in major units ("12 500", "12500,50", "12500.5") into minor units.
pub(super) fn minor_units(text: &str) -> Option<i64> {
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let (whole, fraction) = match plain.rsplit_once([',', '.']) {
        Some((whole, fraction)) if fraction.len() <= 2 => (whole, fraction),
        Some(_) => return None,
        None => (plain.as_str(), ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// The trial the page is about: its last day and start, if the library has it running.
struct Running {
    last: NaiveDate,
    started: NaiveDate,
}

async fn running(
    state: &State,
    library: &LibrarySummary,
    product: &ProductSummary,
) -> Result<Option<Running>, HttpResponse> {
    let now = state.clock.now();
    let held = state
        .ports
        .entitlements
        .check(&library.isil, product.id, now)
        .await
        .map_err(failure)?;
    Ok(match (held.basis, held.until) {
        (EntitlementBasis::Trial, Some(until)) => {
            let last = last_day(until);
            let started = last
                .checked_sub_days(Days::new(u64::from(product.trial.days.saturating_sub(1))))
                .unwrap_or(last);
            Some(Running { last, started })
        }
        _ => None,
    })
}

/// Sessions of the product at the library since `from`, or `None` without usage statistics.
async fn sessions_since(
    state: &State,
    library: &LibrarySummary,
    product: &ProductSummary,
    from: NaiveDate,
) -> Option<i64> {
    let usage = state.ports.usage.as_ref()?;
    let months = usage
        .months(&library.isil, from, today(state.clock.now()))
        .await
        .ok()?;
    Some(
        months
            .iter()
            .filter(|m| m.product == product.id)
            .map(|m| m.sessions)
            .sum(),
    )
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    product: &ProductSummary,
    trial: &Running,
    entered: &HashMap<String, String>,
    problem: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let here = format!(
        "/admin/libraries/{}/convert?product={}",
        library.isil, product.slug
    );
    let mut chrome = chrome(state, req, "convert-title", &here);
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = t.t1("convert-title", "product", product.name(lang));
    let now = today(state.clock.now());
    let mut facts = vec![
        (t.t("trial-library"), library.name.clone()),
        (t.t("trial-vendor"), product.vendor_name.clone()),
        (t.t("convert-trial-ends"), date(lang, trial.last)),
    ];
    if let Some(sessions) = sessions_since(state, library, product, trial.started).await {
        facts.push((t.t("convert-sessions"), sessions.to_string()));
    }
    let year_on = now
        .checked_add_days(Days::new(364))
        .unwrap_or(now)
        .to_string();
    let field = |name: &str, default: &str| {
        entered
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    let currency = field("currency", usual_currency(&library.isil));
    let currencies = CURRENCIES
        .iter()
        .map(|c| Choice {
            code: (*c).to_owned(),
            name: (*c).to_owned(),
            selected: *c == currency,
        })
        .collect();
    let bar = bar(&chrome, staff);
    page(
        status,
        &ConvertPage {
            action: format!("/admin/libraries/{}/convert?lang={lang}", library.isil),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            product: product.slug.clone(),
            ends_on: field("ends_on", &year_on),
            price: field("price", ""),
            renews: entered.get("renews").is_some(),
            starts: date(lang, now),
            chrome,
            bar,
            facts,
            currencies,
            problem,
        },
    )
}

/// The library, product and running trial of a convert page, or the page to show instead.
async fn target(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: Result<LibrarySummary, HttpResponse>,
    slug: &str,
) -> Result<(LibrarySummary, ProductSummary, Running), HttpResponse> {
    let library = library?;
    let (library, product) = trial_target(state, req, staff, library.isil.as_str(), slug).await?;
    match running(state, &library, &product).await? {
        Some(trial) => Ok((library, product, trial)),
        None => Err(not_found(state, req, staff)),
    }
}

/// `GET /admin/libraries/{isil}/convert?product=`: the form.
#[get("/admin/libraries/{isil}/convert")]
pub async fn convert_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    query: web::Query<TrialQuery>,
) -> HttpResponse {
    let library = super::admin::acted_for(&state, &req, &staff, &isil).await;
    match target(&state, &req, &staff, library, &query.product).await {
        Ok((library, product, trial)) => {
            let none = HashMap::new();
            let ok = StatusCode::OK;
            render(
                &state, &req, &staff, &library, &product, &trial, &none, None, ok,
            )
            .await
        }
        Err(page) => page,
    }
}

/// `POST /admin/libraries/{isil}/convert`: converts, then says what it costs per use.
#[post("/admin/libraries/{isil}/convert")]
pub async fn convert(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let library = posted_for(&state, &req, &staff, &isil, &form).await;
    let slug = form.get("product").cloned().unwrap_or_default();
    let (library, product, trial) = match target(&state, &req, &staff, library, &slug).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let lang = tilgang_web::chrome::language(&req, None, None);
    let t = state.catalog.localizer(lang);
    let refuse = |problem: String| {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        render(
            &state,
            &req,
            &staff,
            &library,
            &product,
            &trial,
            &form,
            Some(problem),
            status,
        )
    };
    let Some(price_minor) = form.get("price").and_then(|p| minor_units(p)) else {
        return refuse(t.t("convert-price-invalid")).await;
    };
    let Ok(ends_on) = form
        .get("ends_on")
        .map_or("", String::as_str)
        .parse::<NaiveDate>()
    else {
        return refuse(t.t("convert-date-invalid")).await;
    };
    let terms = SubscriptionTerms {
        ends_on,
        price_minor,
        currency: form.get("currency").cloned().unwrap_or_default(),
        renews: form.get("renews").is_some(),
    };
    let sessions = sessions_since(&state, &library, &product, trial.started).await;
    let converted = state
        .ports
        .trials
        .convert(&staff.principal, &library.isil, product.id, terms)
        .await;
    let subscription = match converted {
        Ok(Ok(subscription)) => subscription,
        Ok(Err(refusal)) => return refuse(super::refusal_text(&t, refusal)).await,
        Err(e) => return failure(e),
    };
    let mut args = Args::new();
    args.set("product", product.name(lang).to_owned());
    args.set("date", date(lang, subscription.ends_on));
    let price = money(lang, subscription.price_minor, &subscription.currency);
    args.set("price", price);
    let mut lines = vec![t.ta("convert-done", &args)];
    let tried_days = (today(state.clock.now()) - trial.started).num_days().max(1);
    let period_days = (subscription.ends_on - subscription.starts_on).num_days() + 1;
    match sessions {
        Some(sessions) if sessions > 0 => {
            // The same rate of use over the whole period.
            let expected = sessions * period_days / tried_days;
            let per_use = subscription.price_minor / expected.max(1);
            let mut args = Args::new();
            args.set("sessions", sessions);
            args.set("days", tried_days);
            args.set("expected", expected.max(1));
            args.set("cost", money(lang, per_use, &subscription.currency));
            lines.push(t.ta("convert-cost-per-use", &args));
        }
        Some(_) => lines.push(t.t("convert-no-use-yet")),
        None => {}
    }
    let here = format!("/admin/libraries/{}", library.isil);
    let mut chrome = chrome(&state, &req, "convert-title", &here);
    chrome.title = t.t1("convert-title", "product", product.name(lang));
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &crate::pages::ConvertedPage {
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            chrome,
            bar,
            lines,
        },
    )
}
