//! The staff pages: `/admin/libraries/{isil}` (a library's
//! products by state, and the products it may try) and `/admin/libraries/{isil}/trial`
//! (start a trial: the second click). A page of a library the staff member does not act for
//! does not exist for them (404), whatever the URL says: the same tenant check as the API.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use tilgang_kernel::ports::{EntitlementBasis, LibrarySummary, ProductSummary};
use tilgang_kernel::{Isil, Principal, ProductId};
use tilgang_web::chrome::{Chrome, language};
use tilgang_web::i18n::{Args, Localizer};

use super::library::{date, failure, last_day, today};
use super::staff::Staff;
use super::{State, html, see_other};
use crate::pages::{AdminLibrary, AdminMessage, HeldProduct, StaffBar, TrialOffer, TrialPage};

/// The bar on every staff page: who is logged in, their home, and the logout button.
pub(super) fn bar(chrome: &Chrome, staff: &Staff) -> StaffBar {
    let t = &chrome.t;
    let (role, links): (_, &[(&str, &str)]) = match staff.principal {
        Principal::ConsortiumAdmin { .. } => (
            "role-consortium-admin",
            &[
                ("/admin/approvals", "staff-approvals"),
                ("/admin/import", "staff-import"),
                ("/admin/vendors", "staff-vendors"),
                ("/admin/agreements", "staff-agreements"),
                ("/admin/statistics", "staff-statistics"),
                ("/vendor", "staff-trial-requests"),
                ("/admin/webhook-failures", "staff-webhook-failures"),
                ("/admin/audit", "staff-audit"),
            ],
        ),
        Principal::LibraryAdmin { .. } => (
            "role-library-admin",
            &[
                ("/admin/agreements", "staff-agreements"),
                ("/admin/audit", "staff-audit"),
            ],
        ),
        _ => (
            "role-vendor",
            &[
                ("/vendor/products", "staff-products"),
                ("/vendor/libraries", "staff-vendor-libraries"),
                ("/vendor/webhooks", "staff-webhooks"),
                ("/vendor/reports", "staff-reports"),
                ("/vendor/clients", "staff-clients"),
            ],
        ),
    };
    StaffBar {
        who: t.t1("staff-who", "name", &staff.session.identity.name),
        role: t.t(role),
        csrf: staff.session.csrf.clone(),
        home: format!("/admin?lang={}", chrome.lang),
        links: links
            .iter()
            .map(|(path, key)| (format!("{path}?lang={}", chrome.lang), t.t(key)))
            .collect(),
        account: format!("/admin/account?lang={}", chrome.lang),
    }
}

pub(super) fn chrome(state: &State, req: &HttpRequest, key: &str, here: &str) -> Chrome {
    Chrome::new(&state.catalog, language(req, None, None), key, here)
}

/// A staff page: the portal's headers, and never cached (it is one person's).
pub(super) fn page(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => {
            let mut response = html(status, body, "'none'");
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(e) => failure(e),
    }
}

fn message(
    state: &State,
    req: &HttpRequest,
    staff: Option<&Staff>,
    key: &str,
    status: StatusCode,
) -> HttpResponse {
    let chrome = chrome(state, req, key, req.path());
    let text = chrome.t.t(&format!("{key}-text"));
    let bar = staff.map(|s| bar(&chrome, s));
    page(status, &AdminMessage { chrome, bar, text })
}

/// The page to show instead when the staff member is not a consortium admin (404), or a form
/// lacks the session's CSRF token (403).
pub(super) fn consortium_only(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    form: Option<&HashMap<String, String>>,
) -> Option<HttpResponse> {
    if let Some(form) = form
        && !form.get("csrf").is_some_and(|csrf| staff.sent(csrf))
    {
        return Some(forbidden(state, req));
    }
    (!staff.principal.acts_for_all()).then(|| not_found(state, req, staff))
}

/// The page for a form whose CSRF token is not the session's.
pub fn forbidden(state: &State, req: &HttpRequest) -> HttpResponse {
    message(state, req, None, "admin-csrf", StatusCode::FORBIDDEN)
}

/// "{days} days".
fn days(t: &Localizer, days: u16) -> String {
    let mut args = Args::new();
    args.set("days", i64::from(days));
    t.ta("offer-days", &args)
}

/// The library in the path if the staff member acts for it; else the page that says it is
/// not there (the same for a library that does not exist).
pub(super) async fn acted_for(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    isil: &str,
) -> Result<LibrarySummary, HttpResponse> {
    let not_found = || not_found(state, req, staff);
    let Ok(isil) = Isil::parse(isil) else {
        return Err(not_found());
    };
    if !staff.principal.acts_for_library(&isil) {
        return Err(not_found());
    }
    match state.ports.directory.library(&isil).await {
        Ok(Some(library)) => Ok(library),
        Ok(None) => Err(not_found()),
        Err(e) => Err(failure(e)),
    }
}

/// The staff pages' "not found": the same for a page that does not exist and one of a
/// library the staff member does not act for.
pub(super) fn not_found(state: &State, req: &HttpRequest, staff: &Staff) -> HttpResponse {
    message(
        state,
        req,
        Some(staff),
        "admin-not-found",
        StatusCode::NOT_FOUND,
    )
}

/// The library of a staff form posted for `isil`: refused (403) without the session's CSRF
/// token, and not found (404) for a library the staff member does not act for.
pub(super) async fn posted_for(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    isil: &str,
    form: &HashMap<String, String>,
) -> Result<LibrarySummary, HttpResponse> {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return Err(forbidden(state, req));
    }
    acted_for(state, req, staff, isil).await
}

/// What the page says after a change.
#[derive(Debug, Deserialize)]
pub struct Done {
    started: Option<String>,
    requested: Option<String>,
    cancelled: Option<String>,
    withdrawn: Option<String>,
}

/// `GET /admin/libraries/{isil}`: the library's products by state, and what it may try.
#[get("/admin/libraries/{isil}")]
pub async fn library_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    done: web::Query<Done>,
) -> HttpResponse {
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let now = state.clock.now();
    let granted: HashMap<_, _> = match state.ports.entitlements.granted(&library.isil, now).await {
        Ok(granted) => granted.into_iter().collect(),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let trials = match state
        .ports
        .trials
        .of_library(&staff.principal, &library.isil)
        .await
    {
        Ok(Ok(trials)) => trials,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let here = format!("/admin/libraries/{}", library.isil);
    let mut chrome = chrome(&state, &req, "admin-library-title", &here);
    chrome.title = chrome.t.t1("admin-library-title", "library", &library.name);
    let t = chrome.t.clone();
    let lang = chrome.lang;
    let mut sorted: Vec<&ProductSummary> = products.iter().collect();
    sorted.sort_by_key(|p| p.name(lang).to_lowercase());
    let glance = at_a_glance(&state, &library, today(now)).await;
    let sessions = |product: ProductId, month: &str| -> String {
        let counted = glance
            .as_ref()
            .and_then(|g| g.get(&(product, month.to_owned())));
        counted.copied().unwrap_or(0).to_string()
    };
    let this_month = today(now).format("%Y-%m").to_string();
    let last_month = first_of_last_month(today(now)).format("%Y-%m").to_string();
    let mut reminders = Vec::new();
    let held = sorted
        .iter()
        .filter_map(|p| granted.get(&p.id).map(|e| (p, e)))
        .map(|(p, e)| {
            let until = e.until.map(last_day);
            if let Some(reminder) = reminder(&t, lang, p, e.basis, until, today(now)) {
                reminders.push(reminder);
            }
            let state_text = match (e.basis, until) {
                (EntitlementBasis::Trial, Some(day)) => {
                    let left = (day - today(now)).num_days() + 1;
                    let mut args = Args::new();
                    args.set("date", date(lang, day));
                    args.set("days", left);
                    t.ta("held-trial", &args)
                }
                (EntitlementBasis::Subscription, Some(day)) => {
                    t.t1("held-subscription", "date", &date(lang, day))
                }
                (EntitlementBasis::Agreement, Some(day)) => {
                    t.t1("held-agreement", "date", &date(lang, day))
                }
                (EntitlementBasis::Subscription, None) => t.t("held-subscription-open"),
                _ => t.t("held-agreement-open"),
            };
            HeldProduct {
                name: p.name(lang).to_owned(),
                vendor: p.vendor_name.clone(),
                state: state_text,
                trial: e.basis == EntitlementBasis::Trial,
                slug: p.slug.clone(),
                cancel: t.t1("trial-cancel", "product", p.name(lang)),
                convert: t.t1("trial-convert", "product", p.name(lang)),
                this_month: sessions(p.id, &this_month),
                last_month: sessions(p.id, &last_month),
            }
        })
        .collect();
    let asked = super::requests::asked(&t, lang, &trials, &products, now);
    let waiting = super::requests::waiting(&trials);
    let offers = sorted
        .iter()
        .filter(|p| p.trial.available && !granted.contains_key(&p.id) && !waiting.contains(&p.id))
        .map(|p| TrialOffer {
            name: p.name(lang).to_owned(),
            vendor: p.vendor_name.clone(),
            days: days(&t, p.trial.days),
            href: format!("{here}/trial?product={}&lang={lang}", p.slug),
            label: t.t1("offer-try", "product", p.name(lang)),
        })
        .collect();
    let named = |slug: &Option<String>| {
        let slug = slug.as_deref()?;
        products.iter().find(|p| p.slug == slug)
    };
    let notices = [
        (&done.started, "trial-started"),
        (&done.requested, "trial-requested"),
        (&done.cancelled, "trial-cancelled"),
        (&done.withdrawn, "trial-withdrawn"),
    ];
    let notice = notices
        .iter()
        .find_map(|(slug, message)| named(slug).map(|p| t.t1(message, "product", p.name(lang))));
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &AdminLibrary {
            chrome,
            bar,
            isil: library.isil.to_string(),
            csrf: staff.session.csrf.clone(),
            notice,
            active: library.active,
            may_suspend: matches!(staff.principal, Principal::ConsortiumAdmin { .. }),
            reminders,
            held,
            asked,
            with_usage: glance.is_some(),
            offers,
            elibrary: format!("/l/{}?lang={lang}", library.isil),
            usage: format!("/admin/libraries/{}/usage?lang={lang}", library.isil),
            featured: format!("/admin/libraries/{}/highlights?lang={lang}", library.isil),
            settings: format!("/admin/libraries/{}/settings?lang={lang}", library.isil),
            patrons: format!("/admin/libraries/{}/patrons?lang={lang}", library.isil),
            login_setup: format!("/admin/libraries/{}/login-setup?lang={lang}", library.isil),
            eid: format!("/admin/libraries/{}/e-id?lang={lang}", library.isil),
            logo: format!("/admin/libraries/{}/logo?lang={lang}", library.isil),
        },
    )
}

/// Days before its end from which a trial is mentioned on top of the library's page.
const TRIAL_REMINDER_DAYS: i64 = 14;
/// Days before its end from which a subscription or agreement is mentioned.
const TERM_REMINDER_DAYS: i64 = 30;

/// What the library's page says on top about a product whose access ends soon, if it does.
fn reminder(
    t: &Localizer,
    lang: &str,
    product: &ProductSummary,
    basis: EntitlementBasis,
    last: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Option<String> {
    let last = last?;
    let left = (last - today).num_days() + 1;
    let (key, within) = match basis {
        EntitlementBasis::Trial => ("reminder-trial-ending", TRIAL_REMINDER_DAYS),
        EntitlementBasis::Subscription => ("reminder-subscription-ending", TERM_REMINDER_DAYS),
        EntitlementBasis::Agreement => ("reminder-agreement-ending", TERM_REMINDER_DAYS),
        EntitlementBasis::None => return None,
    };
    if left > within {
        return None;
    }
    let mut args = Args::new();
    args.set("product", product.name(lang).to_owned());
    args.set("vendor", product.vendor_name.clone());
    args.set("date", date(lang, last));
    args.set("days", left);
    Some(t.ta(key, &args))
}

fn first_of_last_month(today: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let first = today.with_day(1).unwrap_or(today);
    let last_of_previous = first.pred_opt().unwrap_or(first);
    last_of_previous.with_day(1).unwrap_or(last_of_previous)
}

/// Sessions per product and month (`YYYY-MM`) of this month and the last, or `None` when the
/// usage service is not wired in or does not answer (the page then goes without).
async fn at_a_glance(
    state: &State,
    library: &LibrarySummary,
    today: chrono::NaiveDate,
) -> Option<HashMap<(ProductId, String), i64>> {
    let usage = state.ports.usage.as_ref()?;
    match usage
        .months(&library.isil, first_of_last_month(today), today)
        .await
    {
        Ok(months) => Some(
            months
                .into_iter()
                .map(|m| ((m.product, m.month), m.sessions))
                .collect(),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "the library page goes without usage");
            None
        }
    }
}

/// The product of the trial page.
#[derive(Debug, Deserialize)]
pub struct TrialQuery {
    pub(super) product: String,
}

async fn trial_page(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    product: &ProductSummary,
    problem: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let here = format!(
        "/admin/libraries/{}/trial?product={}",
        library.isil, product.slug
    );
    let mut chrome = chrome(state, req, "trial-title", &here);
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = t.t1("trial-title", "product", product.name(lang));
    let starts = if product.trial.needs_vendor_confirmation {
        t.t1("trial-after-vendor", "vendor", &product.vendor_name)
    } else {
        t.t("trial-at-once")
    };
    let facts = vec![
        (t.t("trial-library"), library.name.clone()),
        (t.t("trial-vendor"), product.vendor_name.clone()),
        (t.t("trial-length"), days(&t, product.trial.days)),
        (t.t("trial-starts"), starts),
    ];
    let bar = bar(&chrome, staff);
    page(
        status,
        &TrialPage {
            action: format!("/admin/libraries/{}/trial?lang={lang}", library.isil),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            chrome,
            bar,
            facts,
            product: product.slug.clone(),
            problem,
        },
    )
}

/// The library in the path (if the staff member acts for it) and the product named `slug`;
/// else the page that says they are not there.
pub(super) async fn trial_target(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    isil: &str,
    slug: &str,
) -> Result<(LibrarySummary, ProductSummary), HttpResponse> {
    let library = acted_for(state, req, staff, isil).await?;
    match state.ports.catalogue.product_by_slug(slug).await {
        Ok(Some(product)) => Ok((library, product)),
        Ok(None) => Err(message(
            state,
            req,
            Some(staff),
            "admin-not-found",
            StatusCode::NOT_FOUND,
        )),
        Err(e) => Err(failure(e)),
    }
}

/// `GET /admin/libraries/{isil}/trial?product=`: what a trial of the product means, and the
/// button that starts it.
#[get("/admin/libraries/{isil}/trial")]
pub async fn trial(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    query: web::Query<TrialQuery>,
) -> HttpResponse {
    match trial_target(&state, &req, &staff, &isil, &query.product).await {
        Ok((library, product)) => {
            trial_page(
                &state,
                &req,
                &staff,
                &library,
                &product,
                None,
                StatusCode::OK,
            )
            .await
        }
        Err(page) => page,
    }
}

/// The form that starts a trial.
#[derive(Debug, Deserialize)]
pub struct TrialForm {
    csrf: String,
    product: String,
    /// Set by the button that withdraws a request still waiting for the vendor (only the
    /// page's notice differs).
    #[serde(default)]
    withdraw: bool,
}

/// `POST /admin/libraries/{isil}/trial`: starts the trial through the `Trials` port, with the
/// same rules as the API; a refusal is shown on the same page and changes nothing.
#[post("/admin/libraries/{isil}/trial")]
pub async fn start_trial(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<TrialForm>,
) -> HttpResponse {
    if !staff.sent(&form.csrf) {
        return forbidden(&state, &req);
    }
    let (library, product) = match trial_target(&state, &req, &staff, &isil, &form.product).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let lang = language(&req, None, None);
    match state
        .ports
        .trials
        .request(&staff.principal, &library.isil, product.id)
        .await
    {
        Ok(Ok(asked)) => {
            let done = if asked.state == "requested" {
                "requested"
            } else {
                "started"
            };
            see_other(&format!(
                "/admin/libraries/{}?lang={lang}&{done}={}",
                library.isil, product.slug
            ))
        }
        Ok(Err(refusal)) => {
            let problem = super::refusal_text(&state.catalog.localizer(lang), refusal);
            trial_page(
                &state,
                &req,
                &staff,
                &library,
                &product,
                Some(problem),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => failure(e),
    }
}

/// `POST /admin/libraries/{isil}/trial/cancel`: stops the library's trial of the product now
/// through the `Trials` port; patrons lose access at once and the vendor is told.
#[post("/admin/libraries/{isil}/trial/cancel")]
pub async fn cancel_trial(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<TrialForm>,
) -> HttpResponse {
    if !staff.sent(&form.csrf) {
        return forbidden(&state, &req);
    }
    let (library, product) = match trial_target(&state, &req, &staff, &isil, &form.product).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let lang = language(&req, None, None);
    match state
        .ports
        .trials
        .cancel(&staff.principal, &library.isil, product.id)
        .await
    {
        Ok(Ok(_)) => see_other(&format!(
            "/admin/libraries/{}?lang={lang}&{}={}",
            library.isil,
            if form.withdraw {
                "withdrawn"
            } else {
                "cancelled"
            },
            product.slug
        )),
        Ok(Err(_)) => message(
            &state,
            &req,
            Some(&staff),
            "admin-not-found",
            StatusCode::NOT_FOUND,
        ),
        Err(e) => failure(e),
    }
}
