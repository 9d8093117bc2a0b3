//! A vendor's product pages: `/vendor/products` lists the vendor's products, and
//! `/vendor/products/{slug}` changes one's descriptions (per language), trial terms, price
//! model and release policy (the claims patrons' logins give it), through `registry`'s
//! [`LibraryEditor`](tilgang_kernel::ports::LibraryEditor) port with the API's checks. Only the
//! vendor's own products: another's, like any page of a library admin, is 404. A consortium
//! admin edits every vendor's products here, from `/admin/vendors`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::Principal;
use tilgang_kernel::ports::{ProductChanges, ProductSummary, TrialOffer};

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page};
use super::library::failure;
use super::staff::Staff;
use super::vendors::options;
use crate::pages::{DescriptionField, EventChoice, VendorProduct, VendorProducts};

/// The languages a description is written in, with each one's name in itself.
const LANGUAGES: [(&str, &str); 6] = [
    ("en", "English"),
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("fi", "Suomi"),
];

/// The claims a product may receive beyond the pairwise subject and the library.
const CLAIMS: [&str; 4] = [
    "age_band",
    "patron_category",
    "preferred_language",
    "home_municipality",
];

/// The vendor's products (every vendor's for a consortium admin), or the page to show instead.
async fn own(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
) -> Result<Vec<ProductSummary>, HttpResponse> {
    let caller = &staff.principal;
    if !matches!(caller, Principal::Vendor { .. }) && !caller.acts_for_all() {
        return Err(not_found(state, req, staff));
    }
    match state.ports.catalogue.products().await {
        Ok(all) => Ok(all
            .into_iter()
            .filter(|p| caller.acts_for_vendor(p.vendor))
            .collect()),
        Err(e) => Err(failure(e)),
    }
}

/// `GET /vendor/products`.
#[get("/vendor/products")]
pub async fn products_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
) -> HttpResponse {
    let products = match own(&state, &req, &staff).await {
        Ok(products) => products,
        Err(page) => return page,
    };
    let chrome = chrome(&state, &req, "products-title", "/vendor/products");
    let lang = chrome.lang;
    let products = products
        .iter()
        .map(|p| {
            let href = format!("/vendor/products/{}?lang={lang}", p.slug);
            (href, p.name(lang).to_owned(), p.slug.clone())
        })
        .collect();
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &VendorProducts {
            chrome,
            bar,
            products,
        },
    )
}

/// How a vendor may charge, as the catalogue names them (`price-{code}`).
const PRICE_MODELS: [&str; 5] = ["annual", "population", "per_use", "free", "on_request"];

/// The form as a product (or a refused form) fills it.
struct Shown {
    descriptions: BTreeMap<String, String>,
    trial: (bool, String, bool, String),
    price_model: String,
    claims: Vec<String>,
}

impl Shown {
    fn of(p: &ProductSummary) -> Self {
        let t = p.trial;
        Self {
            descriptions: p.descriptions.clone(),
            trial: (
                t.available,
                t.days.to_string(),
                t.needs_vendor_confirmation,
                t.waiting_days.to_string(),
            ),
            price_model: p.price_model.clone(),
            claims: p.claims.clone(),
        }
    }
}

fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    product: &ProductSummary,
    shown: Shown,
    (notice, problem): (Option<String>, Option<String>),
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/vendor/products/{}", product.slug);
    let mut chrome = chrome(state, req, "products-title", &here);
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = product.name(lang).to_owned();
    let descriptions = LANGUAGES
        .iter()
        .map(|(code, label)| DescriptionField {
            lang: (*code).to_owned(),
            label: (*label).to_owned(),
            text: shown.descriptions.get(*code).cloned().unwrap_or_default(),
        })
        .collect();
    let claims = CLAIMS
        .iter()
        .map(|c| EventChoice {
            name: (*c).to_owned(),
            meaning: t.t(&format!("claim-{c}")),
            checked: shown.claims.iter().any(|s| s == c),
        })
        .collect();
    let prices = options(&t, "price", &PRICE_MODELS, &shown.price_model);
    let (available, days, confirms, waiting_days) = shown.trial;
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorProduct {
            action: format!("{here}?lang={lang}"),
            back: if staff.principal.acts_for_all() {
                format!("/admin/vendors/{}?lang={lang}", product.vendor)
            } else {
                format!("/vendor/products?lang={lang}")
            },
            descriptions,
            available,
            days,
            confirms,
            waiting_days,
            prices,
            claims,
            notice,
            problem,
            chrome,
            bar,
        },
    )
}

/// The vendor's product `slug`, or the page to show instead.
async fn product(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    slug: &str,
) -> Result<ProductSummary, HttpResponse> {
    let products = own(state, req, staff).await?;
    products
        .into_iter()
        .find(|p| p.slug == slug)
        .ok_or_else(|| not_found(state, req, staff))
}

/// `GET /vendor/products/{slug}`: the form.
#[get("/vendor/products/{slug}")]
pub async fn product_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    slug: web::Path<String>,
) -> HttpResponse {
    match product(&state, &req, &staff, &slug).await {
        Ok(p) => render(
            &state,
            &req,
            &staff,
            &p,
            Shown::of(&p),
            (None, None),
            StatusCode::OK,
        ),
        Err(page) => page,
    }
}

/// `POST /vendor/products/{slug}`: saves the descriptions (`description-{lang}`), the trial
/// terms (`available`, `days`, `confirms`, `waiting_days`), the price model (`price_model`)
/// and the claims (one `claim` each).
#[post("/vendor/products/{slug}")]
pub async fn save_product(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    if !staff.sent(&field("csrf")) {
        return forbidden(&state, &req);
    }
    let found = match product(&state, &req, &staff, &slug).await {
        Ok(p) => p,
        Err(page) => return page,
    };
    let shown = Shown {
        descriptions: LANGUAGES
            .iter()
            .map(|(code, _)| ((*code).to_owned(), field(&format!("description-{code}"))))
            .filter(|(_, text)| !text.is_empty())
            .collect(),
        trial: (
            field("available") == "yes",
            field("days"),
            field("confirms") == "yes",
            field("waiting_days"),
        ),
        // A form without the choice (an older page) keeps the product's.
        price_model: Some(field("price_model"))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| found.price_model.clone()),
        claims: form
            .iter()
            .filter(|(k, _)| k == "claim")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let t = chrome(&state, &req, "products-title", "").t;
    let refused = |shown: Shown, text: String| {
        let said = (None, Some(text));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        render(&state, &req, &staff, &found, shown, said, status)
    };
    let (Ok(days), Ok(waiting_days)) = (shown.trial.1.parse::<u16>(), shown.trial.3.parse::<u16>())
    else {
        return refused(shown, t.t("products-days-invalid"));
    };
    let changes = ProductChanges {
        descriptions: shown.descriptions.clone(),
        trial: TrialOffer {
            available: shown.trial.0,
            days,
            needs_vendor_confirmation: shown.trial.2,
            waiting_days,
        },
        price_model: shown.price_model.clone(),
        claims: shown.claims.clone(),
    };
    let now = state.clock.now();
    match state
        .ports
        .editor
        .change_product(&staff.principal, &found.slug, changes, now)
        .await
    {
        Ok(Ok(saved)) => {
            let said = (Some(t.t("products-saved")), None);
            render(
                &state,
                &req,
                &staff,
                &saved,
                Shown::of(&saved),
                said,
                StatusCode::OK,
            )
        }
        Ok(Err(refusal)) => refused(shown, super::refusal_text(&t, refusal)),
        Err(e) => failure(e),
    }
}
