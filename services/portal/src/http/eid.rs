//! `/admin/libraries/{isil}/e-id`: how the library's patrons log in with e-ID — the library's
//! upstream OpenID Connect provider — with the redirect URI to register there, a *Test the
//! provider* button that fetches its discovery document and keys, and *Remove*. Through
//! `sso`'s [`LoginSetup`](tilgang_kernel::ports::LoginSetup) port, with the API's checks. The
//! client secret is write-only: the page says whether one is stored, and a blank field keeps
//! it for the same provider and client id. The SIP2 connection is not touched.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::ports::{LibrarySummary, UpstreamSettings, UpstreamView};

use super::State;
use super::admin::{acted_for, bar, chrome, page, posted_for};
use super::library::failure;
use super::login_setup::{Outcome, said, tested};
use super::staff::Staff;
use crate::pages::EidPage;

/// Where the provider sends patrons back (register it there).
const CALLBACK: &str = "/login/upstream/callback";

/// The form's fields for a stored provider.
fn fields(view: Option<&UpstreamView>) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    if let Some(v) = view {
        fields.insert("issuer".into(), v.issuer.clone());
        fields.insert("display_name".into(), v.display_name.clone());
        fields.insert("client_id".into(), v.client_id.clone());
        fields.insert("scopes".into(), v.scopes.join(" "));
        fields.insert("patron_claim".into(), v.patron_claim.clone());
        let library = v.library_claim.clone().unwrap_or_default();
        fields.insert("library_claim".into(), library);
    }
    fields
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    shown: &HashMap<String, String>,
    secret_set: bool,
    (outcome, bad): (Outcome, String),
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/e-id", library.isil);
    let mut chrome = chrome(state, req, "eid-title", &here);
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = t.t1("eid-title", "library", &library.name);
    let (notice, problem, detail) = said(&t, "eid", outcome);
    let field = |name: &str| shown.get(name).cloned().unwrap_or_default();
    let bar = bar(&chrome, staff);
    page(
        status,
        &EidPage {
            action: format!("{here}?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            redirect_uri: format!("{}{CALLBACK}", state.staff.issuer),
            issuer: field("issuer"),
            display_name: field("display_name"),
            client_id: field("client_id"),
            scopes: field("scopes"),
            patron_claim: shown
                .get("patron_claim")
                .cloned()
                .unwrap_or_else(|| "sub".into()),
            library_claim: field("library_claim"),
            secret_set,
            bad,
            here,
            chrome,
            bar,
            notice,
            problem,
            detail,
        },
    )
}

/// The stored provider, then the page with it.
async fn show(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    outcome: Outcome,
) -> HttpResponse {
    let stored = state
        .ports
        .setup
        .upstream(&staff.principal, &library.isil)
        .await;
    match stored {
        Ok(Ok(view)) => {
            let shown = fields(view.as_ref());
            let set = view.is_some_and(|v| v.secret_set);
            let said = (outcome, String::new());
            render(
                state,
                req,
                staff,
                library,
                &shown,
                set,
                said,
                StatusCode::OK,
            )
        }
        Ok(Err(refusal)) => failure(refusal.message),
        Err(e) => failure(e),
    }
}

/// `GET /admin/libraries/{isil}/e-id`: the form, filled with the stored provider.
#[get("/admin/libraries/{isil}/e-id")]
pub async fn eid_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => show(&state, &req, &staff, &library, Outcome::None).await,
        Err(page) => page,
    }
}

/// `POST /admin/libraries/{isil}/e-id`: saves the provider, or shows why not.
#[post("/admin/libraries/{isil}/e-id")]
pub async fn save_eid(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let text = |name: &str| {
        form.get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let optional = |name: &str| Some(text(name)).filter(|v| !v.is_empty());
    let settings = UpstreamSettings {
        issuer: text("issuer"),
        display_name: text("display_name"),
        client_id: text("client_id"),
        client_secret: form.get("client_secret").cloned().filter(|s| !s.is_empty()),
        scopes: text("scopes")
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        patron_claim: optional("patron_claim"),
        library_claim: optional("library_claim"),
    };
    let saved = state
        .ports
        .setup
        .set_upstream(&staff.principal, &library.isil, Some(settings))
        .await;
    match saved {
        Ok(Ok(_)) => show(&state, &req, &staff, &library, Outcome::Saved).await,
        Ok(Err(refusal)) => {
            let stored = state
                .ports
                .setup
                .upstream(&staff.principal, &library.isil)
                .await;
            let set = matches!(stored, Ok(Ok(Some(v))) if v.secret_set);
            // `upstream.issuer` marks the issuer field.
            let bad = refusal
                .field
                .as_deref()
                .map(|f| f.trim_start_matches("upstream.").to_owned())
                .unwrap_or_default();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let said = (Outcome::Refused(refusal), bad);
            render(&state, &req, &staff, &library, &form, set, said, status)
        }
        Err(e) => failure(e),
    }
}

/// `POST /admin/libraries/{isil}/e-id/{action}`: `test` fetches the provider's discovery
/// document and keys and says how it went; `remove` removes the provider.
#[post("/admin/libraries/{isil}/e-id/{action}")]
pub async fn eid_action(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let (isil, action) = path.into_inner();
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let (caller, setup) = (&staff.principal, &state.ports.setup);
    let outcome = match action.as_str() {
        "test" => match setup.test_upstream(caller, &library.isil).await {
            Ok(answer) => tested(answer),
            Err(e) => return failure(e),
        },
        "remove" => match setup.set_upstream(caller, &library.isil, None).await {
            Ok(Ok(_)) => Outcome::Removed,
            Ok(Err(refusal)) => Outcome::Refused(refusal),
            Err(e) => return failure(e),
        },
        _ => return super::admin::not_found(&state, &req, &staff),
    };
    show(&state, &req, &staff, &library, outcome).await
}
