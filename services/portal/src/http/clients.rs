//! The OpenID Connect client pages, through `sso`'s [`Clients`](tilgang_kernel::ports::Clients)
//! port: `/vendor/clients`, where a vendor's staff see their clients and register one (its
//! secret shown once, on the answer to the form; it then waits for approval), and
//! `/admin/approvals`, where a consortium admin approves or suspends every vendor's clients,
//! those waiting first, and sees how many trial requests wait for their vendors.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::ports::{ClientSummary, NewClient, ProductSummary};
use tilgang_kernel::{Principal, ProductId};
use tilgang_web::i18n::Localizer;

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page};
use super::library::failure;
use super::staff::Staff;
use crate::pages::{Approvals, ClientRow, VendorClients};

/// The rows of `clients`; with `buttons`, each with the consortium admin's buttons.
fn rows(
    t: &Localizer,
    lang: &str,
    clients: Vec<ClientSummary>,
    products: &[ProductSummary],
    buttons: bool,
) -> Vec<ClientRow> {
    clients
        .into_iter()
        .map(|c| {
            let actions = match (buttons, c.status.as_str()) {
                (false, _) => &[][..],
                (true, "pending") => &["approve", "suspend"][..],
                (true, "approved") => &["suspend"][..],
                (true, _) => &["approve"][..],
            };
            ClientRow {
                vendor: products
                    .iter()
                    .find(|p| p.vendor == c.vendor)
                    .map_or_else(|| c.vendor.to_string(), |p| p.vendor_name.clone()),
                product: c
                    .product
                    .and_then(|id| products.iter().find(|p| p.id == id))
                    .map_or_else(|| t.t("clients-api-only"), |p| p.name(lang).to_owned()),
                status: t.t(&format!("client-{}", c.status)),
                actions: actions
                    .iter()
                    .map(|a| {
                        let label = t.t(&format!("approvals-{a}"));
                        let aria = t.t1(&format!("approvals-{a}-label"), "name", &c.name);
                        ((*a).to_owned(), label, aria)
                    })
                    .collect(),
                client_id: c.client_id,
                name: c.name,
                redirect_uris: c.redirect_uris,
            }
        })
        .collect()
}

/// What the vendor's page says besides the list.
#[derive(Default)]
struct Said {
    typed: (String, String, String, String),
    bad: String,
    secret: Option<(String, String)>,
    notice: Option<String>,
    problem: Option<String>,
}

async fn render_vendor(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let clients = match state.ports.clients.clients(&staff.principal).await {
        Ok(Ok(clients)) => clients,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let chrome = chrome(state, req, "clients-title", "/vendor/clients");
    let lang = chrome.lang;
    let clients = rows(&chrome.t, lang, clients, &products, false);
    let own = staff.principal.own_vendor();
    let products = products
        .iter()
        .filter(|p| Some(p.vendor) == own)
        .map(|p| (p.id.0.to_string(), p.name(lang).to_owned()))
        .collect();
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorClients {
            chrome,
            bar,
            clients,
            products,
            typed: said.typed,
            bad: said.bad,
            secret: said.secret,
            notice: said.notice,
            problem: said.problem,
        },
    )
}

/// `GET /vendor/clients`: the vendor's clients and the form to register one.
#[get("/vendor/clients")]
pub async fn vendor_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    if !matches!(staff.principal, Principal::Vendor { .. }) {
        return not_found(&state, &req, &staff);
    }
    render_vendor(&state, &req, &staff, Said::default(), StatusCode::OK).await
}

/// `POST /vendor/clients`: registers a client (`name`, `product`, `redirect_uris` one per
/// line, `initiate_login_uri`).
#[post("/vendor/clients")]
pub async fn register(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return forbidden(&state, &req);
    }
    if !matches!(staff.principal, Principal::Vendor { .. }) {
        return not_found(&state, &req, &staff);
    }
    let field = |name: &str| {
        form.get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let typed = (
        field("name"),
        field("product"),
        field("redirect_uris"),
        field("initiate_login_uri"),
    );
    let t = chrome(&state, &req, "clients-title", "").t;
    let product = match typed.1.as_str() {
        "" => None,
        text => match text.parse() {
            Ok(id) => Some(ProductId(id)),
            Err(_) => {
                let said = Said {
                    bad: "product".into(),
                    problem: Some(t.t("clients-product-unknown")),
                    typed,
                    ..Said::default()
                };
                return render_vendor(&state, &req, &staff, said, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            }
        },
    };
    let client = NewClient {
        name: typed.0.clone(),
        product,
        redirect_uris: typed
            .2
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        initiate_login_uri: Some(typed.3.clone()).filter(|u| !u.is_empty()),
    };
    match state.ports.clients.register(&staff.principal, client).await {
        Ok(Ok(made)) => {
            let said = Said {
                notice: Some(t.t1("clients-registered", "name", &made.client.name)),
                secret: Some((made.client.client_id, made.secret)),
                ..Said::default()
            };
            render_vendor(&state, &req, &staff, said, StatusCode::CREATED).await
        }
        Ok(Err(refusal)) => {
            let said = Said {
                // `redirect_uris[1]` marks the whole list.
                bad: refusal
                    .field
                    .as_deref()
                    .and_then(|f| f.split('[').next())
                    .unwrap_or_default()
                    .to_owned(),
                problem: Some(super::refusal_text(&t, refusal)),
                typed,
                ..Said::default()
            };
            render_vendor(&state, &req, &staff, said, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => failure(e),
    }
}

/// What the approvals page says after a button.
#[derive(Debug, Deserialize)]
pub struct Decided {
    approved: Option<String>,
    suspended: Option<String>,
}

/// `GET /admin/approvals`: every vendor's clients, those waiting first.
#[get("/admin/approvals")]
pub async fn approvals_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    decided: web::Query<Decided>,
) -> HttpResponse {
    if !matches!(staff.principal, Principal::ConsortiumAdmin { .. }) {
        return not_found(&state, &req, &staff);
    }
    let mut clients = match state.ports.clients.clients(&staff.principal).await {
        Ok(Ok(clients)) => clients,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    clients.sort_by_key(|c| (c.status != "pending", c.created_at));
    let waiting = match state.ports.trials.waiting(&staff.principal).await {
        Ok(Ok(waiting)) => waiting.len(),
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let chrome = chrome(&state, &req, "approvals-title", "/admin/approvals");
    let t = chrome.t.clone();
    // The notice names a client as registered, and only one that exists.
    let name_of = |id: &String| {
        clients
            .iter()
            .find(|c| &c.client_id == id)
            .map(|c| c.name.clone())
    };
    let notice = match (&decided.approved, &decided.suspended) {
        (Some(id), _) => name_of(id).map(|n| t.t1("approvals-approved", "name", &n)),
        (None, Some(id)) => name_of(id).map(|n| t.t1("approvals-suspended", "name", &n)),
        _ => None,
    };
    let mut args = tilgang_web::i18n::Args::new();
    args.set("count", i64::try_from(waiting).unwrap_or(i64::MAX));
    let trials = t.ta("approvals-trials", &args);
    let clients = rows(&t, chrome.lang, clients, &products, true);
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &Approvals {
            chrome,
            bar,
            clients,
            trials,
            notice,
        },
    )
}

/// `POST /admin/approvals/{client_id}`: approves (`decision=approve`) or suspends the client.
#[post("/admin/approvals/{client_id}")]
pub async fn decide(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return forbidden(&state, &req);
    }
    if !matches!(staff.principal, Principal::ConsortiumAdmin { .. }) {
        return not_found(&state, &req, &staff);
    }
    let approve = match form.get("decision").map(String::as_str) {
        Some("approve") => true,
        Some("suspend") => false,
        _ => return not_found(&state, &req, &staff),
    };
    let lang = tilgang_web::chrome::language(&req, None, None);
    match state
        .ports
        .clients
        .decide(&staff.principal, &id, approve)
        .await
    {
        Ok(Ok(client)) => {
            let what = if approve { "approved" } else { "suspended" };
            let id = url::form_urlencoded::byte_serialize(client.client_id.as_bytes())
                .collect::<String>();
            super::see_other(&format!("/admin/approvals?lang={lang}&{what}={id}"))
        }
        Ok(Err(_)) => not_found(&state, &req, &staff),
        Err(e) => failure(e),
    }
}
