//! `/admin/agreements`: consortium agreements, one product for many libraries over one period
//! at one price. A consortium admin sees every agreement, makes one (the members of a region
//! or consortium and any other ISILs, the price split equally or by population) and cancels
//! one; a library admin sees those covering their libraries, with their libraries' shares of
//! the price. Through `subscriptions`'s [`Oversight`](tilgang_kernel::ports::Oversight) port,
//! with the API's rules; vendors get 404 (they hear of agreements through webhooks).

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Days, NaiveDate};
use tilgang_kernel::ports::{AgreementDraft, AgreementSummary, ProductSummary, Refusal};
use tilgang_kernel::{AgreementId, ConsortiumId, Principal};
use tilgang_web::i18n::{Args, Localizer};

use super::State;
use super::admin::{bar, chrome, consortium_only, not_found, page};
use super::convert::{CURRENCIES, minor_units, money};
use super::library::{date, failure, today};
use super::staff::Staff;
use crate::pages::{AgreementRow, AgreementsPage, Choice};

/// What the page says besides the list.
#[derive(Default)]
struct Said {
    /// The form as typed (after a refusal).
    typed: HashMap<String, String>,
    /// The field the service refused.
    bad: String,
    notice: Option<String>,
    problem: Option<String>,
    detail: Option<String>,
}

/// "3 libraries", in the page's language.
fn members(t: &Localizer, n: usize) -> String {
    let mut args = Args::new();
    args.set("count", i64::try_from(n).unwrap_or(i64::MAX));
    t.ta("agreements-members-count", &args)
}

fn row(
    t: &Localizer,
    lang: &str,
    a: AgreementSummary,
    products: &[ProductSummary],
    cancellable: bool,
) -> AgreementRow {
    let product = products
        .iter()
        .find(|p| p.id == a.product)
        .map_or_else(|| a.product.to_string(), |p| p.name(lang).to_owned());
    let shares = a
        .shares
        .iter()
        .map(|(isil, minor)| format!("{isil}: {}", money(lang, *minor, &a.currency)))
        .collect();
    let open = cancellable && matches!(a.status.as_str(), "scheduled" | "active");
    AgreementRow {
        cancel: open.then(|| {
            (
                format!("/admin/agreements/{}/cancel?lang={lang}", a.id),
                t.t1("agreements-cancel-label", "name", &a.name),
            )
        }),
        members: members(t, a.members.len()),
        isils: a.members.join(", "),
        period: format!("{} – {}", date(lang, a.starts_on), date(lang, a.ends_on)),
        price: money(lang, a.price_minor, &a.currency),
        split: t.t(&format!("agreements-split-{}", a.split)),
        status: t.t(&format!("agreements-status-{}", a.status)),
        name: a.name,
        product,
        shares,
    }
}

async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let caller = &staff.principal;
    let makes = caller.acts_for_all();
    let listed = match state.ports.oversight.agreements(caller).await {
        Ok(Ok(listed)) => listed,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let groups = if makes {
        match state.ports.directory.regions().await {
            Ok(groups) => groups,
            Err(e) => return failure(e),
        }
    } else {
        Vec::new()
    };
    let chrome = chrome(state, req, "agreements-title", "/admin/agreements");
    let (lang, t) = (chrome.lang, chrome.t.clone());
    let rows = listed
        .into_iter()
        .map(|a| row(&t, lang, a, &products, makes))
        .collect();
    let typed = |name: &str, default: &str| {
        said.typed
            .get(name)
            .map_or_else(|| default.to_owned(), |v| v.trim().to_owned())
    };
    let choices = |chosen: String, options: Vec<(String, String)>| {
        options
            .into_iter()
            .map(|(code, name)| Choice {
                selected: code == chosen,
                code,
                name,
            })
            .collect::<Vec<_>>()
    };
    let now = today(state.clock.now());
    let year_on = now.checked_add_days(Days::new(364)).unwrap_or(now);
    let product_options = products
        .iter()
        .map(|p| {
            (
                p.slug.clone(),
                format!("{} ({})", p.name(lang), p.vendor_name),
            )
        })
        .collect();
    let mut group_options = vec![(String::new(), t.t("agreements-group-none"))];
    group_options.extend(groups.iter().map(|g| {
        let count = members(&t, g.members.len());
        (g.id.to_string(), format!("{} ({count})", g.name))
    }));
    let currency_options = CURRENCIES
        .iter()
        .map(|c| ((*c).to_owned(), (*c).to_owned()))
        .collect();
    let bar = bar(&chrome, staff);
    page(
        status,
        &AgreementsPage {
            rows,
            makes,
            name: typed("name", ""),
            products: choices(typed("product", ""), product_options),
            groups: choices(typed("group", ""), group_options),
            isils: typed("isils", ""),
            populations: typed("populations", ""),
            starts_on: typed("starts_on", &now.to_string()),
            ends_on: typed("ends_on", &year_on.to_string()),
            price: typed("price", ""),
            currencies: choices(typed("currency", "NOK"), currency_options),
            by_population: typed("split", "equal") == "population",
            bad: said.bad,
            notice: said.notice,
            problem: said.problem,
            detail: said.detail,
            chrome,
            bar,
        },
    )
}

/// Whether the staff member may see agreements here (consortium and library admins).
fn sees(staff: &Staff) -> bool {
    staff.principal.acts_for_all() || matches!(staff.principal, Principal::LibraryAdmin { .. })
}

/// `GET /admin/agreements`.
#[get("/admin/agreements")]
pub async fn agreements_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
) -> HttpResponse {
    if !sees(&staff) {
        return not_found(&state, &req, &staff);
    }
    render(&state, &req, &staff, Said::default(), StatusCode::OK).await
}

/// The ISILs of a list typed one per line or separated by commas, spaces or semicolons.
fn isils(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Populations typed one library per line (`NO-2030000 12500`), or the line that is not one.
fn populations(text: &str) -> Result<BTreeMap<String, u64>, String> {
    let mut found = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split(|c: char| c.is_whitespace() || c == ':' || c == '=' || c == ';');
        let isil = parts.next().unwrap_or_default();
        let digits: String = parts.collect::<String>().replace(['\u{a0}', ' ', '.'], "");
        match digits.parse::<u64>() {
            Ok(n) => found.insert(isil.to_owned(), n),
            Err(_) => return Err(line.to_owned()),
        };
    }
    Ok(found)
}

/// The draft the form asks for, or the field that is not written right and what to say.
fn draft(
    form: &HashMap<String, String>,
    t: &Localizer,
) -> Result<AgreementDraft, (String, String)> {
    let text = |name: &str| form.get(name).map_or("", |v| v.trim());
    let day = |name: &str| {
        text(name)
            .parse::<NaiveDate>()
            .map_err(|_| (name.to_owned(), t.t("agreements-date-invalid")))
    };
    let group = match text("group") {
        "" => None,
        id => Some(ConsortiumId(id.parse().map_err(|_| {
            ("group".to_owned(), t.t("agreements-group-invalid"))
        })?)),
    };
    let price_minor = minor_units(text("price"))
        .ok_or_else(|| ("price".to_owned(), t.t("convert-price-invalid")))?;
    let populations = populations(text("populations")).map_err(|line| {
        let said = t.t1("agreements-population-invalid", "line", &line);
        ("populations".to_owned(), said)
    })?;
    Ok(AgreementDraft {
        name: text("name").to_owned(),
        product: text("product").to_owned(),
        group,
        isils: isils(text("isils")),
        populations,
        starts_on: day("starts_on")?,
        ends_on: day("ends_on")?,
        price_minor,
        currency: text("currency").to_owned(),
        split: text("split").to_owned(),
    })
}

/// What the page says when the service refuses: its words for the refusal, the reason in
/// English, and the field.
fn refused(t: &Localizer, typed: HashMap<String, String>, refusal: Refusal) -> Said {
    Said {
        typed,
        bad: refusal.field.clone().unwrap_or_default(),
        problem: Some(t.t("agreements-refused")),
        detail: Some(refusal.message),
        ..Said::default()
    }
}

/// `POST /admin/agreements`: makes an agreement, or shows why not with the form as typed.
#[post("/admin/agreements")]
pub async fn make(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if let Some(page) = consortium_only(&state, &req, &staff, Some(&form)) {
        return page;
    }
    let t = chrome(&state, &req, "agreements-title", "").t;
    let typed = form.into_inner();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let draft = match draft(&typed, &t) {
        Ok(draft) => draft,
        Err((bad, problem)) => {
            let said = Said {
                typed,
                bad,
                problem: Some(problem),
                ..Said::default()
            };
            return render(&state, &req, &staff, said, unprocessable).await;
        }
    };
    match state
        .ports
        .oversight
        .make_agreement(&staff.principal, draft)
        .await
    {
        Ok(Ok(made)) => {
            let said = Said {
                notice: Some(t.t1("agreements-made", "name", &made.name)),
                ..Said::default()
            };
            render(&state, &req, &staff, said, StatusCode::OK).await
        }
        Ok(Err(refusal)) => {
            let said = refused(&t, typed, refusal);
            render(&state, &req, &staff, said, unprocessable).await
        }
        Err(e) => failure(e),
    }
}

/// `POST /admin/agreements/{id}/cancel`: cancels the agreement.
#[post("/admin/agreements/{id}/cancel")]
pub async fn cancel(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if let Some(page) = consortium_only(&state, &req, &staff, Some(&form)) {
        return page;
    }
    let Ok(id) = id.parse().map(AgreementId) else {
        return not_found(&state, &req, &staff);
    };
    let t = chrome(&state, &req, "agreements-title", "").t;
    let cancelled = state
        .ports
        .oversight
        .cancel_agreement(&staff.principal, id)
        .await;
    let (said, status) = match cancelled {
        Ok(Ok(a)) => {
            let notice = Some(t.t1("agreements-cancelled", "name", &a.name));
            let said = Said {
                notice,
                ..Said::default()
            };
            (said, StatusCode::OK)
        }
        Ok(Err(refusal)) if refusal.code == "not_found" => {
            return not_found(&state, &req, &staff);
        }
        Ok(Err(refusal)) => (refused(&t, HashMap::new(), refusal), StatusCode::CONFLICT),
        Err(e) => return failure(e),
    };
    render(&state, &req, &staff, said, status).await
}
