//! The staff login at `/login/staff`. The portal is an OpenID Connect client of this provider
//! ([`PORTAL_CLIENT_ID`]); its authorization requests end here instead of at the patron's
//! library picker. The register checks the e-mail address and password (the
//! [`StaffDirectory`](tilgang_kernel::ports::StaffDirectory) port, which also locks an account
//! after five wrong passwords); a one-time password is replaced before anything else. The
//! code then carries an ID token that names the staff member's role and scope
//! ([`StaffIdentity`]).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tilgang_kernel::ports::{MIN_PASSWORD_CHARS, StaffLogin};
use tilgang_kernel::staff::{PORTAL_CLIENT_ID, StaffIdentity};

use super::State;
use super::authorize::{answer_url, see_other};
use super::login::{FLOW_COOKIE, code_key, cookie, load_flow, save_flow};
use super::pages::{self, Chrome, Failure};
use crate::crypto;
use crate::domain::flow::AuthRequest;

/// The staff session cookie (apart from the patron's: one browser may be both).
pub const STAFF_COOKIE: &str = "tg_staff";

/// A logged-in staff member on one browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffSession {
    /// The session id (also the OIDC `sid`).
    pub id: String,
    /// Who they are.
    pub identity: StaffIdentity,
    /// When they logged in.
    pub auth_time: DateTime<Utc>,
}

/// A staff code waiting to be exchanged by the portal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffCode {
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI it was sent to.
    pub redirect_uri: String,
    /// The PKCE S256 challenge.
    pub code_challenge: String,
    /// The nonce for the ID token.
    pub nonce: Option<String>,
    /// Who logged in.
    pub session: StaffSession,
}

fn session_key(id: &str) -> String {
    format!("sso:staff-session:{}", crypto::digest(id))
}

/// Whether `client_id` is the portal's, whose logins are staff logins.
pub fn is_staff_client(client_id: &str) -> bool {
    client_id == PORTAL_CLIENT_ID
}

/// The browser's staff session, if any.
pub async fn session(state: &State, req: &HttpRequest) -> Option<StaffSession> {
    let id = req.cookie(STAFF_COOKIE)?;
    let stored = state.kv.get(&session_key(id.value())).await.ok()??;
    serde_json::from_slice(&stored).ok()
}

/// Ends the browser's staff session.
pub async fn end_session(state: &State, req: &HttpRequest) -> Result<(), crate::domain::SsoError> {
    if let Some(id) = req.cookie(STAFF_COOKIE) {
        state.kv.delete(&session_key(id.value())).await?;
    }
    Ok(())
}

/// Answers the portal's authorization request: at once with a code when the browser has a
/// staff session that fits, else with the login form.
pub async fn begin(
    state: &State,
    req: &HttpRequest,
    request: &AuthRequest,
    silent: bool,
) -> HttpResponse {
    let lang = pages::language(req, request.ui_locales.as_deref(), None);
    let fits = |s: &StaffSession| {
        !request.fresh_login
            && request
                .max_age
                .is_none_or(|max| (state.clock.now() - s.auth_time).num_seconds() <= max)
    };
    let session = match session(state, req).await.filter(fits) {
        Some(session) => refreshed(state, session).await,
        None => Ok(None),
    };
    match session {
        Err(e) => pages::failure(state, lang, Failure::Internal(e.to_string())),
        Ok(Some(session)) => issue_code(state, request, &session, lang).await,
        Ok(None) if silent => super::authorize::error_redirect(
            &state.tokens.issuer,
            &request.redirect_uri,
            "login_required",
            "the staff member is not logged in",
            request.state.as_deref(),
        ),
        Ok(None) => {
            let flow = crypto::random_token();
            if let Err(f) = save_flow(state, &flow, request).await {
                return pages::failure(state, lang, f);
            }
            see_other(&format!("/login/staff?flow={flow}"))
        }
    }
}

/// The session with the account as the register has it now; `None` when the account is gone
/// or deactivated (the session then ends: the next login asks for the password).
async fn refreshed(
    state: &State,
    mut session: StaffSession,
) -> Result<Option<StaffSession>, tilgang_kernel::ports::PortError> {
    match state.ports.staff.current(&session.identity.subject).await? {
        Some((principal, name)) => {
            session.identity = StaffIdentity::new(&principal, &name);
            Ok(Some(session))
        }
        None => {
            let _ = state.kv.delete(&session_key(&session.id)).await;
            Ok(None)
        }
    }
}

async fn issue_code(
    state: &State,
    request: &AuthRequest,
    session: &StaffSession,
    lang: &'static str,
) -> HttpResponse {
    let code = crypto::random_token();
    let record = StaffCode {
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        nonce: request.nonce.clone(),
        session: session.clone(),
    };
    let bytes = serde_json::to_vec(&record).expect("codes serialise");
    if let Err(e) = state
        .kv
        .set(&code_key(&code), &bytes, state.tokens.lifetimes.code)
        .await
    {
        return pages::failure(state, lang, Failure::Internal(e.to_string()));
    }
    see_other(&answer_url(
        &state.tokens.issuer,
        &request.redirect_uri,
        &[("code", &code)],
        request.state.as_deref(),
    ))
}

/// The staff login form.
#[derive(askama::Template)]
#[template(path = "staff.html")]
pub struct StaffForm {
    /// Chrome.
    pub chrome: Chrome,
    /// The flow.
    pub flow: String,
    /// The address typed last.
    pub email: String,
    /// Why the last try failed.
    pub problem: Option<String>,
}

fn form(
    state: &State,
    lang: &'static str,
    flow: &str,
    email: &str,
    problem: Option<&str>,
    status: StatusCode,
) -> HttpResponse {
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        "staff-title",
        &format!("/login/staff?flow={flow}"),
    );
    let problem = problem.map(|key| chrome.t.t(key));
    pages::html(
        status,
        &StaffForm {
            chrome,
            flow: flow.to_owned(),
            email: email.to_owned(),
            problem,
        },
    )
}

fn change_form(
    state: &State,
    lang: &'static str,
    input: &StaffInput,
    problem: &str,
    status: StatusCode,
) -> HttpResponse {
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        "staff-change-title",
        &format!("/login/staff?flow={}", input.flow),
    );
    let problem = Some(chrome.t.t(problem));
    pages::html(
        status,
        &StaffChangeForm {
            chrome,
            flow: input.flow.clone(),
            email: input.email.clone(),
            password: input.password.clone(),
            problem,
        },
    )
}

/// The query of the login page.
#[derive(Debug, Deserialize)]
pub struct FlowQuery {
    flow: String,
}

/// `GET /login/staff`: the staff login form of a flow begun by the portal.
#[get("/login/staff")]
pub async fn page(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<FlowQuery>,
) -> HttpResponse {
    let lang = pages::language(&req, None, None);
    match load_flow(&state, &req, &query.flow).await {
        Ok(_) => form(&state, lang, &query.flow, "", None, StatusCode::OK),
        Err(f) => pages::failure(&state, lang, f),
    }
}

/// The staff login form's fields (`new` and `repeat` when a one-time password is replaced).
#[derive(Deserialize)]
pub struct StaffInput {
    flow: String,
    email: String,
    password: String,
    new: Option<String>,
    repeat: Option<String>,
    lang: Option<String>,
}

impl std::fmt::Debug for StaffInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaffInput { .. }")
    }
}

/// `POST /login/staff`: checks the password (and sets a new one when asked), starts the
/// staff session and goes back to the portal with a code.
#[post("/login/staff")]
pub async fn submit(
    state: web::Data<State>,
    req: HttpRequest,
    input: web::Form<StaffInput>,
) -> HttpResponse {
    let input = input.into_inner();
    let lang = input
        .lang
        .as_deref()
        .and_then(tilgang_web::i18n::supported)
        .unwrap_or_else(|| pages::language(&req, None, None));
    let request = match load_flow(&state, &req, &input.flow).await {
        Ok(request) if is_staff_client(&request.client_id) => request,
        Ok(_) => return pages::failure(&state, lang, Failure::FlowExpired),
        Err(f) => return pages::failure(&state, lang, f),
    };
    let again = |key: &str, status: StatusCode| {
        form(&state, lang, &input.flow, &input.email, Some(key), status)
    };
    let now = state.clock.now();
    let staff = &state.ports.staff;
    let login = match (&input.new, &input.repeat) {
        (Some(new), Some(repeat)) => {
            if new != repeat {
                return change_form(
                    &state,
                    lang,
                    &input,
                    "staff-mismatch",
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
            if new.chars().count() < MIN_PASSWORD_CHARS || *new == input.password {
                return change_form(
                    &state,
                    lang,
                    &input,
                    "staff-weak",
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
            staff
                .change_password(&input.email, &input.password, new, now)
                .await
        }
        _ => staff.authenticate(&input.email, &input.password, now).await,
    };
    let (identity, must_change) = match login {
        Ok(StaffLogin::Valid {
            principal,
            name,
            must_change_password,
        }) => (StaffIdentity::new(&principal, &name), must_change_password),
        Ok(StaffLogin::Invalid) => {
            return again("staff-wrong", StatusCode::UNAUTHORIZED);
        }
        Ok(StaffLogin::Locked { .. }) => {
            return again("staff-locked", StatusCode::TOO_MANY_REQUESTS);
        }
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    if must_change {
        // The one-time password is right: it rides along in the form (never in the store)
        // while the new one is chosen.
        return change_form(&state, lang, &input, "staff-change-intro", StatusCode::OK);
    }
    tracing::info!(subject = %identity.subject, role = ?identity.role, "a staff member logged in");
    let session = StaffSession {
        id: crypto::random_token(),
        identity,
        auth_time: now,
    };
    let bytes = serde_json::to_vec(&session).expect("sessions serialise");
    if let Err(e) = state
        .kv
        .set(
            &session_key(&session.id),
            &bytes,
            state.tokens.lifetimes.session,
        )
        .await
    {
        return pages::failure(&state, lang, Failure::Internal(e.to_string()));
    }
    let _ = state.kv.delete(&super::login::flow_key(&input.flow)).await;
    let mut response = issue_code(&state, &request, &session, lang).await;
    let _ = response.add_cookie(&cookie(&state, STAFF_COOKIE, &session.id, None));
    let mut gone = cookie(&state, FLOW_COOKIE, "", None);
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    response
}

/// The form that replaces a one-time password; the right one-time password rides along in a
/// hidden field so the register checks it again with the change.
#[derive(askama::Template)]
#[template(path = "staff_change.html")]
pub struct StaffChangeForm {
    /// Chrome.
    pub chrome: Chrome,
    /// The flow.
    pub flow: String,
    /// The account's address.
    pub email: String,
    /// The one-time password just checked.
    pub password: String,
    /// What to do, or why the last try failed.
    pub problem: Option<String>,
}
