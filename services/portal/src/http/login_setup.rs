//! `/admin/libraries/{isil}/login-setup`: how the library's patrons log in with card and PIN —
//! the SIP2 connection to its library system — with a "test the connection" button that tries
//! a SIP2 login and says plainly what failed. Through `sso`'s
//! [`LoginSetup`](tilgang_kernel::ports::LoginSetup) port, with the API's checks. The SIP2
//! password is write-only: the page says whether one is stored, and a blank field keeps it.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::ports::{ConnectionTest, LibrarySummary, Refusal, Sip2Settings, Sip2View};

use tilgang_web::i18n::Localizer;

use super::State;
use super::admin::{acted_for, bar, chrome, page, posted_for};
use super::library::failure;
use super::staff::Staff;
use crate::pages::LoginSetupPage;

/// The codes of failed tests the page explains in its own words (others show the reason).
const EXPLAINED: &[&str] = &[
    "sip2_connect_failed",
    "sip2_timeout",
    "sip2_login_refused",
    "sip2_tls_failed",
    "sip2_offline",
    "login_not_set_up",
    "upstream_discovery_failed",
];

/// What a login set-up page says on top.
pub(super) enum Outcome {
    /// Nothing.
    None,
    /// The form was saved.
    Saved,
    /// The set-up was removed.
    Removed,
    /// The form was refused.
    Refused(Refusal),
    /// The test ran.
    Tested(ConnectionTest),
}

/// The notice, problem and English detail of `outcome` on the page whose texts start with
/// `prefix` (`setup` or `eid`); a failed test's known codes are explained in the page's words.
pub(super) fn said(
    t: &Localizer,
    prefix: &str,
    outcome: Outcome,
) -> (Option<String>, Option<String>, Option<String>) {
    match outcome {
        Outcome::None => (None, None, None),
        Outcome::Saved => (Some(t.t(&format!("{prefix}-saved"))), None, None),
        Outcome::Removed => (Some(t.t(&format!("{prefix}-removed"))), None, None),
        Outcome::Refused(refusal) => (
            None,
            Some(t.t(&format!("{prefix}-refused"))),
            Some(refusal.message),
        ),
        Outcome::Tested(test) if test.ok => (Some(t.t(&format!("{prefix}-test-ok"))), None, None),
        Outcome::Tested(test) => {
            let code = test.code.unwrap_or_default();
            let problem = if EXPLAINED.contains(&code.as_str()) {
                // The page's own words for the code, else the shared ones.
                let code = code.replace('_', "-");
                let own = format!("{prefix}-test-{code}");
                match t.t(&own) {
                    text if text != own => text,
                    _ => t.t(&format!("setup-test-{code}")),
                }
            } else {
                t.t(&format!("{prefix}-test-failed"))
            };
            (None, Some(problem), test.message)
        }
    }
}

/// A refused test as a failed one, so the page says it the same way.
pub(super) fn tested(answer: Result<ConnectionTest, Refusal>) -> Outcome {
    Outcome::Tested(answer.unwrap_or_else(|refusal| ConnectionTest {
        ok: false,
        code: Some(refusal.code),
        message: Some(refusal.message),
    }))
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    shown: &HashMap<String, String>,
    password_set: bool,
    outcome: Outcome,
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/login-setup", library.isil);
    let mut chrome = chrome(state, req, "setup-title", &here);
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = t.t1("setup-title", "library", &library.name);
    let (notice, problem, detail) = said(&t, "setup", outcome);
    let field = |name: &str| shown.get(name).cloned().unwrap_or_default();
    let bar = bar(&chrome, staff);
    page(
        status,
        &LoginSetupPage {
            action: format!("{here}?lang={lang}"),
            test: format!("{here}/test?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            address: field("address"),
            institution_id: field("institution_id"),
            login_user: field("login_user"),
            location_code: field("location_code"),
            tls: shown.contains_key("tls"),
            timeout_seconds: shown
                .get("timeout_seconds")
                .cloned()
                .unwrap_or_else(|| "10".into()),
            password_set,
            chrome,
            bar,
            notice,
            problem,
            detail,
        },
    )
}

/// The form's fields for a stored connection.
fn fields(view: Option<&Sip2View>) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    if let Some(v) = view {
        fields.insert("address".into(), v.address.clone());
        fields.insert("institution_id".into(), v.institution_id.clone());
        fields.insert(
            "login_user".into(),
            v.login_user.clone().unwrap_or_default(),
        );
        fields.insert(
            "location_code".into(),
            v.location_code.clone().unwrap_or_default(),
        );
        fields.insert("timeout_seconds".into(), v.timeout_seconds.to_string());
        if v.tls {
            fields.insert("tls".into(), "yes".into());
        }
    }
    fields
}

/// The stored connection, then the page with it.
async fn show(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    outcome: Outcome,
) -> HttpResponse {
    match state
        .ports
        .setup
        .sip2(&staff.principal, &library.isil)
        .await
    {
        Ok(Ok(view)) => {
            let shown = fields(view.as_ref());
            let set = view.is_some_and(|v| v.password_set);
            render(
                state,
                req,
                staff,
                library,
                &shown,
                set,
                outcome,
                StatusCode::OK,
            )
        }
        Ok(Err(refusal)) => failure(refusal.message),
        Err(e) => failure(e),
    }
}

/// `GET /admin/libraries/{isil}/login-setup`: the form, filled with the stored connection.
#[get("/admin/libraries/{isil}/login-setup")]
pub async fn setup_page(
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

/// `POST /admin/libraries/{isil}/login-setup`: saves the connection, or shows why not.
#[post("/admin/libraries/{isil}/login-setup")]
pub async fn save_setup(
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
    let settings = Sip2Settings {
        address: text("address"),
        institution_id: text("institution_id"),
        login_user: optional("login_user"),
        login_password: form
            .get("login_password")
            .cloned()
            .filter(|p| !p.is_empty()),
        location_code: optional("location_code"),
        tls: form.contains_key("tls"),
        timeout_seconds: text("timeout_seconds").parse().unwrap_or(10),
    };
    let saved = state
        .ports
        .setup
        .set_sip2(&staff.principal, &library.isil, Some(settings))
        .await;
    match saved {
        Ok(Ok(_)) => show(&state, &req, &staff, &library, Outcome::Saved).await,
        Ok(Err(refusal)) => {
            let stored = state
                .ports
                .setup
                .sip2(&staff.principal, &library.isil)
                .await;
            let set = matches!(stored, Ok(Ok(Some(v))) if v.password_set);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let refused = Outcome::Refused(refusal);
            render(&state, &req, &staff, &library, &form, set, refused, status)
        }
        Err(e) => failure(e),
    }
}

/// `POST /admin/libraries/{isil}/login-setup/test`: tries a SIP2 login with the stored
/// connection and says how it went.
#[post("/admin/libraries/{isil}/login-setup/test")]
pub async fn test_setup(
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
    let outcome = match state
        .ports
        .setup
        .test(&staff.principal, &library.isil)
        .await
    {
        Ok(answer) => tested(answer),
        Err(e) => return failure(e),
    };
    show(&state, &req, &staff, &library, outcome).await
}
