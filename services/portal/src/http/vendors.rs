//! The consortium admin's vendor pages: `/admin/vendors` lists every vendor with its products
//! and registers a new one; `/admin/vendors/{id}` changes a vendor's details (name,
//! organisation number, support page, privacy statement, data processing agreement,
//! accessibility statement) and registers a product for it, whose descriptions, trial terms
//! and release policy are then written on the product's page (`/vendor/products/{slug}`, as
//! the vendor's staff do). Through `registry`'s
//! [`Catalogue`](tilgang_kernel::ports::Catalogue) and
//! [`LibraryEditor`](tilgang_kernel::ports::LibraryEditor) ports with the API's checks;
//! library admins and vendors get 404.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::VendorId;
use tilgang_kernel::ports::{ProductDraft, Refusal, VendorDraft, VendorSummary};
use tilgang_web::i18n::Localizer;

use super::admin::{bar, chrome, consortium_only, not_found, page};
use super::library::failure;
use super::staff::Staff;
use super::{State, see_other};
use crate::pages::{Choice, VendorPage, VendorRow, VendorsPage};

/// What a product is.
const KINDS: [&str; 8] = [
    "ebook",
    "audiobook",
    "newspaper",
    "magazine",
    "streaming",
    "database",
    "course",
    "other",
];

/// How patrons get in.
const INTEGRATIONS: [&str; 4] = [
    "oidc",
    "signed_link",
    "shared_credentials",
    "ip_and_referrer",
];

/// Where usage statistics come from (harvesting over SUSHI needs the vendor's credentials,
/// which the API sets).
const STATISTICS: [&str; 2] = ["hub_events", "counter_push"];

/// The vendor fields of the forms, in order.
const VENDOR_FIELDS: [&str; 6] = [
    "name",
    "organisation_number",
    "support_url",
    "privacy_url",
    "dpa_url",
    "accessibility_url",
];

/// What a page says besides its lists and forms.
#[derive(Default)]
struct Said {
    /// The form as typed (after a refusal).
    typed: HashMap<String, String>,
    /// Which form was refused (`vendor` or `product`) and the field.
    bad: (String, String),
    notice: Option<String>,
    problem: Option<String>,
    detail: Option<String>,
}

impl Said {
    fn done(notice: String) -> Self {
        Self {
            notice: Some(notice),
            ..Self::default()
        }
    }

    fn refused(
        t: &Localizer,
        form: &str,
        typed: HashMap<String, String>,
        refusal: Refusal,
    ) -> Self {
        // A taken short name is a conflict, not a field error, but the field is the slug.
        let field = match refusal.code.as_str() {
            "product_slug_taken" => Some("slug".to_owned()),
            _ => refusal.field.clone(),
        };
        Self {
            typed,
            bad: (form.to_owned(), field.unwrap_or_default()),
            problem: Some(t.t("vendors-refused")),
            detail: Some(refusal.message),
            ..Self::default()
        }
    }
}

/// The vendor form's fields: as typed, else the vendor's.
fn vendor_fields(said: &Said, vendor: Option<&VendorSummary>) -> Vec<(String, String, String)> {
    VENDOR_FIELDS
        .iter()
        .map(|name| {
            let stored = vendor.and_then(|v| match *name {
                "name" => Some(v.name.clone()),
                "organisation_number" => v.organisation_number.clone(),
                "support_url" => v.support_url.clone(),
                "privacy_url" => v.privacy_url.clone(),
                "dpa_url" => v.dpa_url.clone(),
                _ => v.accessibility_url.clone(),
            });
            let value = said
                .typed
                .get(*name)
                .cloned()
                .or(stored)
                .unwrap_or_default();
            let bad = if said.bad == ("vendor".to_owned(), (*name).to_owned()) {
                "true"
            } else {
                ""
            };
            ((*name).to_owned(), value, bad.to_owned())
        })
        .collect()
}

fn draft(form: &HashMap<String, String>) -> VendorDraft {
    let text = |name: &str| form.get(name).map_or("", |v| v.trim()).to_owned();
    VendorDraft {
        name: text("name"),
        organisation_number: text("organisation_number"),
        support_url: text("support_url"),
        privacy_url: text("privacy_url"),
        dpa_url: text("dpa_url"),
        accessibility_url: text("accessibility_url"),
    }
}

async fn render_list(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let (vendors, products) = match (
        state.ports.catalogue.vendors().await,
        state.ports.catalogue.products().await,
    ) {
        (Ok(vendors), Ok(products)) => (vendors, products),
        (Err(e), _) | (_, Err(e)) => return failure(e),
    };
    let chrome = chrome(state, req, "vendors-title", "/admin/vendors");
    let lang = chrome.lang;
    let rows = vendors
        .iter()
        .map(|v| VendorRow {
            href: format!("/admin/vendors/{}?lang={lang}", v.id),
            name: v.name.clone(),
            organisation_number: v.organisation_number.clone().unwrap_or_default(),
            products: products
                .iter()
                .filter(|p| p.vendor == v.id)
                .map(|p| p.name(lang).to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let fields = vendor_fields(&said, None);
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorsPage {
            chrome,
            bar,
            rows,
            fields,
            notice: said.notice,
            problem: said.problem,
            detail: said.detail,
        },
    )
}

/// `GET /admin/vendors`: every vendor, and the form to register one.
#[get("/admin/vendors")]
pub async fn vendors_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    if let Some(page) = consortium_only(&state, &req, &staff, None) {
        return page;
    }
    render_list(&state, &req, &staff, Said::default(), StatusCode::OK).await
}

/// `POST /admin/vendors`: registers a vendor, then shows its page.
#[post("/admin/vendors")]
pub async fn register(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if let Some(page) = consortium_only(&state, &req, &staff, Some(&form)) {
        return page;
    }
    let t = chrome(&state, &req, "vendors-title", "").t;
    let now = state.clock.now();
    let editor = &state.ports.editor;
    match editor
        .save_vendor(&staff.principal, None, draft(&form), now)
        .await
    {
        Ok(Ok(vendor)) => back(&req, vendor.id, "registered=1"),
        Ok(Err(refusal)) => {
            let said = Said::refused(&t, "vendor", form.into_inner(), refusal);
            render_list(&state, &req, &staff, said, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => failure(e),
    }
}

/// The options of a select of `codes`, named by the texts `{prefix}-{code}`.
pub(super) fn options(t: &Localizer, prefix: &str, codes: &[&str], chosen: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|code| Choice {
            code: (*code).to_owned(),
            name: t.t(&format!("{prefix}-{code}")),
            selected: *code == chosen,
        })
        .collect()
}

async fn render_vendor(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    vendor: VendorSummary,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let here = format!("/admin/vendors/{}", vendor.id);
    let mut chrome = chrome(state, req, "vendors-title", &here);
    let (lang, t) = (chrome.lang, chrome.t.clone());
    chrome.title = vendor.name.clone();
    let products = products
        .iter()
        .filter(|p| p.vendor == vendor.id)
        .map(|p| {
            let href = format!("/vendor/products/{}?lang={lang}", p.slug);
            (href, p.name(lang).to_owned(), p.slug.clone())
        })
        .collect();
    let typed = |name: &str, default: &str| {
        said.typed
            .get(name)
            .map_or_else(|| default.to_owned(), |v| v.trim().to_owned())
    };
    let product_bad = match &said.bad {
        (form, field) if form == "product" => field.clone(),
        _ => String::new(),
    };
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorPage {
            action: format!("{here}?lang={lang}"),
            add_action: format!("{here}/products?lang={lang}"),
            back: format!("/admin/vendors?lang={lang}"),
            fields: vendor_fields(&said, Some(&vendor)),
            products,
            slug: typed("slug", ""),
            name_en: typed("name-en", ""),
            name_local: typed("name-local", ""),
            kinds: options(&t, "kind", &KINDS, &typed("kind", "ebook")),
            integrations: options(
                &t,
                "integration",
                &INTEGRATIONS,
                &typed("integration", "oidc"),
            ),
            statistics: options(
                &t,
                "statistics",
                &STATISTICS,
                &typed("statistics", "hub_events"),
            ),
            access_url: typed("access_url", ""),
            product_bad,
            notice: said.notice,
            problem: said.problem,
            detail: said.detail,
            chrome,
            bar,
        },
    )
}

/// The vendor `id`, or the page to show instead.
async fn vendor(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    id: &str,
) -> Result<VendorSummary, HttpResponse> {
    let Ok(id) = id.parse().map(VendorId) else {
        return Err(not_found(state, req, staff));
    };
    match state.ports.catalogue.vendors().await {
        Ok(all) => all
            .into_iter()
            .find(|v| v.id == id)
            .ok_or_else(|| not_found(state, req, staff)),
        Err(e) => Err(failure(e)),
    }
}

/// The vendor `id` a consortium admin's form is for, or the page to show instead.
async fn posted_for(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    id: &str,
    form: &HashMap<String, String>,
) -> Result<VendorSummary, HttpResponse> {
    match consortium_only(state, req, staff, Some(form)) {
        Some(page) => Err(page),
        None => vendor(state, req, staff, id).await,
    }
}

/// What `GET /admin/vendors/{id}` was sent back with after a form: the vendor was just
/// registered, or a product (its slug) added.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    registered: Option<String>,
    added: Option<String>,
}

/// Back to the vendor's page after a form that made something (a reload repeats nothing).
fn back(req: &HttpRequest, id: VendorId, done: &str) -> HttpResponse {
    let lang = tilgang_web::chrome::language(req, None, None);
    see_other(&format!("/admin/vendors/{id}?lang={lang}&{done}"))
}

/// `GET /admin/vendors/{id}`: the vendor's details, its products, and the form to add one.
#[get("/admin/vendors/{id}")]
pub async fn vendor_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    done: web::Query<Done>,
) -> HttpResponse {
    if let Some(page) = consortium_only(&state, &req, &staff, None) {
        return page;
    }
    let found = match vendor(&state, &req, &staff, &id).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let chrome = chrome(&state, &req, "vendors-title", "");
    let (lang, t) = (chrome.lang, chrome.t);
    let added = match &done.added {
        Some(slug) => match state.ports.catalogue.product_by_slug(slug).await {
            Ok(p) => p.filter(|p| p.vendor == found.id),
            Err(e) => return failure(e),
        },
        None => None,
    };
    let said = match (&done.registered, added) {
        (_, Some(p)) => Said::done(t.t1("vendors-product-added", "name", p.name(lang))),
        (Some(_), None) => Said::done(t.t1("vendors-registered", "name", &found.name)),
        (None, None) => Said::default(),
    };
    render_vendor(&state, &req, &staff, found, said, StatusCode::OK).await
}

/// `POST /admin/vendors/{id}`: saves the vendor's details.
#[post("/admin/vendors/{id}")]
pub async fn save(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let found = match posted_for(&state, &req, &staff, &id, &form).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let t = chrome(&state, &req, "vendors-title", "").t;
    let now = state.clock.now();
    let editor = &state.ports.editor;
    let saved = editor
        .save_vendor(&staff.principal, Some(found.id), draft(&form), now)
        .await;
    let (shown, said, status) = match saved {
        Ok(Ok(saved)) => (saved, Said::done(t.t("vendors-saved")), StatusCode::OK),
        Ok(Err(refusal)) => {
            let said = Said::refused(&t, "vendor", form.into_inner(), refusal);
            (found, said, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return failure(e),
    };
    render_vendor(&state, &req, &staff, shown, said, status).await
}

/// `POST /admin/vendors/{id}/products`: registers a product for the vendor (`slug`,
/// `name-en`, `name-local` in the page's language, `kind`, `integration`, `statistics`,
/// `access_url`).
#[post("/admin/vendors/{id}/products")]
pub async fn add_product(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let found = match posted_for(&state, &req, &staff, &id, &form).await {
        Ok(v) => v,
        Err(page) => return page,
    };
    let chrome = chrome(&state, &req, "vendors-title", "");
    let (lang, t) = (chrome.lang, chrome.t);
    let text = |name: &str| form.get(name).map_or("", |v| v.trim()).to_owned();
    let mut names = std::collections::BTreeMap::new();
    names.insert("en".to_owned(), text("name-en"));
    if lang != "en" {
        names.insert(lang.to_owned(), text("name-local"));
    }
    let product = ProductDraft {
        vendor: found.id,
        slug: text("slug"),
        names,
        kind: text("kind"),
        integration: text("integration"),
        statistics: text("statistics"),
        access_url: text("access_url"),
    };
    let now = state.clock.now();
    let added = state
        .ports
        .editor
        .add_product(&staff.principal, product, now);
    match added.await {
        Ok(Ok(p)) => back(&req, found.id, &format!("added={}", p.slug)),
        Ok(Err(refusal)) => {
            let mut typed = form.into_inner();
            typed.remove("csrf");
            let said = Said::refused(&t, "product", typed, refusal);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_vendor(&state, &req, &staff, found, said, status).await
        }
        Err(e) => failure(e),
    }
}
