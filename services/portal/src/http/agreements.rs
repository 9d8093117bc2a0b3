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

use super::admin::{bar, chrome, consortium_only, not_found, page};
use super::convert::{CURRENCIES, minor_units};
use super::library::{date, failure, money, today};
use super::staff::Staff;
use super::{State, see_other};
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
    /// An agreement just made or cancelled (after the redirect): the notice's text and its id.
    done: Option<(&'static str, String)>,
}

/// What `GET /admin/agreements` was sent back with after a form: the agreement just made or
/// cancelled.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    made: Option<String>,
    cancelled: Option<String>,
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
    let done = said.done.as_ref().and_then(|(key, id)| {
        let a = listed.iter().find(|a| a.id.to_string() == *id)?;
        Some(t.t1(key, "name", &a.name))
    });
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
            notice: said.notice.or(done),
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
    query: web::Query<Done>,
) -> HttpResponse {
    if !sees(&staff) {
        return not_found(&state, &req, &staff);
    }
    let query = query.into_inner();
    let done = match (query.made, query.cancelled) {
        (Some(id), _) => Some(("agreements-made", id)),
        (None, Some(id)) => Some(("agreements-cancelled", id)),
        _ => None,
    };
    let said = Said {
        done,
        ..Said::default()
    };
    render(&state, &req, &staff, said, StatusCode::OK).await
}

/// Back to the list after a form that changed something (a reload repeats nothing).
fn back(req: &HttpRequest, what: &str, id: AgreementId) -> HttpResponse {
    let lang = tilgang_web::chrome::language(req, None, None);
    see_other(&format!("/admin/agreements?lang={lang}&{what}={id}"))
}

/// The ISILs of a list typed one per line or separated by commas, spaces or semicolons.
fn isils(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Populations typed one library per line (`NO-2030000 12500`, `NO-2030000 = 12 500`), or the
/// line that is not one. The ISIL ends at the first space or `=` (it may hold a colon); the
/// number may be grouped by thousands with spaces or dots, and nothing else may follow.
fn populations(text: &str) -> Result<BTreeMap<String, u64>, String> {
    let mut found = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let bad = || line.to_owned();
        let (isil, number) = line
            .split_once(|c: char| c.is_whitespace() || c == '=')
            .ok_or_else(bad)?;
        let number = number.trim_start_matches(|c: char| c.is_whitespace() || c == '=');
        let groups: Vec<&str> = number.split([' ', '\u{a0}', '.']).collect();
        let grouped =
            groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        let digits = groups.concat();
        if !grouped || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        found.insert(isil.to_owned(), digits.parse::<u64>().map_err(|_| bad())?);
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
    // Refusals without a field still point at the one to change.
    let bad = match refusal.code.as_str() {
        "period_invalid" => "ends_on".to_owned(),
        "library_not_found" | "agreement_without_members" => "isils".to_owned(),
        "product_not_found" => "product".to_owned(),
        "not_found" => "group".to_owned(),
        _ => refusal.field.clone().unwrap_or_default(),
    };
    Said {
        typed,
        bad,
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
        Ok(Ok(made)) => back(&req, "made", made.id),
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
    match cancelled {
        Ok(Ok(a)) => back(&req, "cancelled", a.id),
        Ok(Err(refusal)) if refusal.code == "not_found" => not_found(&state, &req, &staff),
        Ok(Err(refusal)) => {
            let said = refused(&t, HashMap::new(), refusal);
            render(&state, &req, &staff, said, StatusCode::CONFLICT).await
        }
        Err(e) => failure(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_are_read_one_library_a_line_with_grouped_thousands() {
        let read = populations("NO-2030000 12500\nSE-3 = 1 234 567\n\nXX-ab:c 5.000").unwrap();
        assert_eq!(read["NO-2030000"], 12_500);
        assert_eq!(read["SE-3"], 1_234_567);
        assert_eq!(read["XX-ab:c"], 5_000);
    }

    #[test]
    fn a_population_line_with_more_or_less_than_a_number_is_refused_whole() {
        for line in [
            "NO-2030000 12500 3",
            "NO-2030000",
            "NO-2030000 many",
            "NO-2030000 12 50",
        ] {
            assert_eq!(populations(line), Err(line.to_owned()), "{line}");
        }
    }
}
