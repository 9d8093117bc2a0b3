//! The staff login at `/login/staff`. The portal is an OpenID Connect client of this provider
//! ([`PORTAL_CLIENT_ID`]); its authorization requests end here instead of at the patron's
//! library picker. The register checks the e-mail address and password (the
//! [`StaffDirectory`](tilgang_kernel::ports::StaffDirectory) port, which also locks an account
//! after five wrong passwords); a one-time password is replaced before anything else. The
//! code then carries an ID token that names the staff member's role and scope
//! ([`StaffIdentity`]). When the consortium has its own identity provider, the form also
//! offers a login there (`staff_upstream`).

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
    /// The consortium's identity provider: the address that starts a login there, and its
    /// name.
    pub idp: Option<(String, String)>,
}

/// The staff login form of `flow`, with the address typed last and why the last try failed.
pub(super) fn form(
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
            idp: state.staff_idp.as_ref().map(|idp| {
                let href = format!("/login/staff/upstream?flow={flow}&lang={lang}");
                (href, idp.display_name.clone())
            }),
        },
    )
}

/// The form that replaces a one-time password (`title` `staff-change-title`) or asks for the
/// code of a two-step login (`staff-code-title`); the right password rides along in it (never
/// in the store) so the register checks it again.
fn next_form(
    state: &State,
    lang: &'static str,
    input: &StaffInput,
    (title, problem, ask_code): (&str, &str, bool),
    status: StatusCode,
) -> HttpResponse {
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        title,
        &format!("/login/staff?flow={}", input.flow),
    );
    let problem = Some(chrome.t.t(problem));
    pages::html(
        status,
        &StaffChangeForm {
            change: title == "staff-change-title",
            ask_code,
            chrome,
            flow: input.flow.clone(),
            email: input.email.clone(),
            password: input.password.clone(),
            problem,
        },
    )
}

fn change_form(
    state: &State,
    lang: &'static str,
    input: &StaffInput,
    (problem, ask_code): (&str, bool),
    status: StatusCode,
) -> HttpResponse {
    let what = ("staff-change-title", problem, ask_code);
    next_form(state, lang, input, what, status)
}

fn code_form(
    state: &State,
    lang: &'static str,
    input: &StaffInput,
    problem: &str,
    status: StatusCode,
) -> HttpResponse {
    next_form(
        state,
        lang,
        input,
        ("staff-code-title", problem, true),
        status,
    )
}

/// Wrong codes in a row before the two-step login is locked for [`CODE_LOCK`].
const MOST_WRONG_CODES: i64 = 5;
/// How long too many wrong codes lock the two-step login.
const CODE_LOCK: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Whether `code` is the right, unused code of the account `subject` with the sealed secret
/// `sealed`; wrong codes are counted, and after [`MOST_WRONG_CODES`] none is taken for a while.
async fn code_right(
    state: &State,
    subject: &str,
    sealed: &str,
    code: &str,
) -> Result<bool, String> {
    let key = format!("sso:staff-codes:{subject}");
    let wrong = state.kv.get(&key).await.map_err(|e| e.to_string())?;
    let so_far: i64 = wrong
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    if so_far >= MOST_WRONG_CODES {
        return Ok(false);
    }
    let secret = state
        .staff_totp
        .open(subject, sealed)
        .ok_or("a two-step login secret does not open")?;
    let right = match tilgang_kernel::totp::verify(&secret, code, state.clock.now()) {
        Some(step) => state
            .ports
            .staff
            .claim_totp_step(subject, step)
            .await
            .map_err(|e| e.to_string())?,
        None => false,
    };
    if !right {
        state
            .kv
            .incr(&key, 1, CODE_LOCK)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(right)
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
    code: Option<String>,
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
    // The password first; then the code, when the account has a two-step login; then a new
    // password, when one is being chosen.
    let (principal, name, must_change, totp) =
        match staff.authenticate(&input.email, &input.password, now).await {
            Ok(StaffLogin::Valid {
                principal,
                name,
                must_change_password,
                totp,
            }) => (principal, name, must_change_password, totp),
            Ok(StaffLogin::Invalid) => return again("staff-wrong", StatusCode::UNAUTHORIZED),
            Ok(StaffLogin::Locked { .. }) => {
                return again("staff-locked", StatusCode::TOO_MANY_REQUESTS);
            }
            Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
        };
    let identity = StaffIdentity::new(&principal, &name);
    let choosing = input.new.is_some() && input.repeat.is_some();
    // A one-time password's first step shows the change form, which asks for the code too.
    let code_now = choosing || !must_change;
    if let Some(sealed) = totp.as_ref().filter(|_| code_now) {
        let code = input.code.as_deref().map(str::trim).unwrap_or_default();
        let right = if code.is_empty() {
            Ok(false)
        } else {
            code_right(&state, &identity.subject, sealed, code).await
        };
        match right {
            Ok(true) => {}
            Ok(false) if choosing => {
                let what = ("staff-code-wrong", true);
                return change_form(&state, lang, &input, what, StatusCode::UNAUTHORIZED);
            }
            Ok(false) if code.is_empty() => {
                return code_form(&state, lang, &input, "staff-code-intro", StatusCode::OK);
            }
            Ok(false) => {
                let status = StatusCode::UNAUTHORIZED;
                return code_form(&state, lang, &input, "staff-code-wrong", status);
            }
            Err(e) => return pages::failure(&state, lang, Failure::Internal(e)),
        }
    }
    if let (Some(new), Some(repeat)) = (&input.new, &input.repeat) {
        if new != repeat {
            let what = ("staff-mismatch", totp.is_some());
            return change_form(&state, lang, &input, what, StatusCode::UNPROCESSABLE_ENTITY);
        }
        if new.chars().count() < MIN_PASSWORD_CHARS || *new == input.password {
            let what = ("staff-weak", totp.is_some());
            return change_form(&state, lang, &input, what, StatusCode::UNPROCESSABLE_ENTITY);
        }
        match staff
            .change_password(&input.email, &input.password, new, now)
            .await
        {
            Ok(StaffLogin::Valid { .. }) => {}
            Ok(_) => return again("staff-wrong", StatusCode::UNAUTHORIZED),
            Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
        }
    } else if must_change {
        // The one-time password is right: it rides along in the form (never in the store)
        // while the new one is chosen, with the code field when the account has a two-step
        // login.
        let what = ("staff-change-intro", totp.is_some());
        return change_form(&state, lang, &input, what, StatusCode::OK);
    }
    tracing::info!(subject = %identity.subject, role = ?identity.role, "a staff member logged in");
    logged_in(&state, &input.flow, &request, identity, lang).await
}

/// Starts the staff session of `identity`, whose login of `flow` succeeded, and goes back to
/// the portal with a code.
pub(super) async fn logged_in(
    state: &State,
    flow: &str,
    request: &AuthRequest,
    identity: StaffIdentity,
    lang: &'static str,
) -> HttpResponse {
    let now = state.clock.now();
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
        return pages::failure(state, lang, Failure::Internal(e.to_string()));
    }
    let _ = state.kv.delete(&super::login::flow_key(flow)).await;
    let mut response = issue_code(state, request, &session, lang).await;
    let _ = response.add_cookie(&cookie(state, STAFF_COOKIE, &session.id, None));
    let mut gone = cookie(state, FLOW_COOKIE, "", None);
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    response
}

/// The form that replaces a one-time password, or asks for a two-step login's code; the right
/// password rides along in a hidden field so the register checks it again.
#[derive(askama::Template)]
#[template(path = "staff_change.html")]
pub struct StaffChangeForm {
    /// Chrome.
    pub chrome: Chrome,
    /// Whether a new password is chosen (else only the code is asked for).
    pub change: bool,
    /// Whether the account's two-step login code is asked for.
    pub ask_code: bool,
    /// The flow.
    pub flow: String,
    /// The account's address.
    pub email: String,
    /// The one-time password just checked.
    pub password: String,
    /// What to do, or why the last try failed.
    pub problem: Option<String>,
}
