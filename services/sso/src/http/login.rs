//! The patron's way through login: choose the library, log in, see what the vendor receives,
//! and go back to the vendor with a code (or with `access_denied`).

use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::Isil;
use tilgang_kernel::ports::{
    AccessEvent, AccessOutcome, DenialReason, LibrarySummary, ProductSummary,
};
use uuid::Uuid;

use super::State;
use super::authorize::{answer_url, error_redirect, see_other};
use super::pages::{self, CardForm, Chrome, Failure, Message, Notice, Picker};
use crate::crypto;
use crate::domain::claims;
use crate::domain::flow::{AuthRequest, CodeRecord, PatronSession, Then};
use crate::login::{Patron, Refusal};
use crate::storage::setups;

/// The cookie binding a flow to the browser that started it.
pub const FLOW_COOKIE: &str = "tg_flow";
/// The patron's session cookie.
pub const SESSION_COOKIE: &str = "tg_session";
/// The library chosen last on this device (an ISIL: not personal data).
pub const LIBRARY_COOKIE: &str = "tg_library";

/// The store key of a flow.
pub fn flow_key(flow: &str) -> String {
    format!("sso:flow:{}", crypto::digest(flow))
}

fn session_key(id: &str) -> String {
    format!("sso:session:{}", crypto::digest(id))
}

/// The store key of a code.
pub fn code_key(code: &str) -> String {
    format!("sso:code:{}", crypto::digest(code))
}

/// An HttpOnly, SameSite=Lax cookie for the whole site.
pub fn cookie(
    state: &State,
    name: &'static str,
    value: &str,
    max_age: Option<Duration>,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value.to_owned())
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies)
        .same_site(SameSite::Lax)
        .finish();
    if let Some(age) = max_age {
        cookie.set_max_age(actix_web::cookie::time::Duration::seconds(
            age.as_secs() as i64
        ));
    }
    cookie
}

/// The browser's patron session, if any.
pub async fn session(
    state: &State,
    req: &HttpRequest,
) -> Result<Option<PatronSession>, crate::domain::SsoError> {
    let Some(id) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let stored = state.kv.get(&session_key(id.value())).await?;
    Ok(stored.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

/// Ends the browser's session.
pub async fn end_session(state: &State, req: &HttpRequest) -> Result<(), crate::domain::SsoError> {
    if let Some(id) = req.cookie(SESSION_COOKIE) {
        state.kv.delete(&session_key(id.value())).await?;
    }
    Ok(())
}

async fn save_session(
    state: &State,
    session: &PatronSession,
) -> Result<(), crate::domain::SsoError> {
    let bytes = serde_json::to_vec(session).expect("sessions serialise");
    state
        .kv
        .set(
            &session_key(&session.id),
            &bytes,
            state.tokens.lifetimes.session,
        )
        .await?;
    Ok(())
}

/// Whether a session may answer `request` without a new login.
pub fn session_fits(state: &State, session: &PatronSession, request: &AuthRequest) -> bool {
    if request.fresh_login {
        return false;
    }
    if request
        .isil
        .as_ref()
        .is_some_and(|isil| *isil != session.isil)
    {
        return false;
    }
    match request.max_age {
        Some(max) => (state.clock.now() - session.auth_time).num_seconds() <= max,
        None => true,
    }
}

pub(super) async fn load_flow(
    state: &State,
    req: &HttpRequest,
    flow: &str,
) -> Result<AuthRequest, Failure> {
    let stored = state
        .kv
        .get(&flow_key(flow))
        .await
        .map_err(|e| Failure::Internal(e.to_string()))?
        .ok_or(Failure::FlowExpired)?;
    let request: AuthRequest =
        serde_json::from_slice(&stored).map_err(|e| Failure::Internal(e.to_string()))?;
    match req.cookie(FLOW_COOKIE) {
        Some(c) if crypto::same(c.value(), &request.browser_secret) => Ok(request),
        _ => Err(Failure::FlowExpired),
    }
}

/// A stored patron flow: [`load_flow`], refusing the portal's staff flows, which only
/// `/login/staff` continues.
async fn patron_flow(state: &State, req: &HttpRequest, flow: &str) -> Result<AuthRequest, Failure> {
    let request = load_flow(state, req, flow).await?;
    if super::staff_login::is_staff_client(&request.client_id) {
        return Err(Failure::FlowExpired);
    }
    Ok(request)
}

pub(super) async fn save_flow(
    state: &State,
    flow: &str,
    request: &AuthRequest,
) -> Result<(), Failure> {
    let bytes = serde_json::to_vec(request).expect("flows serialise");
    state
        .kv
        .set(&flow_key(flow), &bytes, super::authorize::FLOW_TTL)
        .await
        .map_err(|e| Failure::Internal(e.to_string()))
}

pub(super) async fn library(state: &State, isil: &Isil) -> Result<Option<LibrarySummary>, Failure> {
    let found = state
        .ports
        .directory
        .library(isil)
        .await
        .map_err(|e| Failure::Internal(e.to_string()))?;
    Ok(found.filter(|l| l.active))
}

/// The query of the login page.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    flow: String,
    q: Option<String>,
    isil: Option<String>,
    change: Option<String>,
}

/// `GET /login`: the library picker, or the login form of the chosen library.
#[get("/login")]
pub async fn page(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let q = query.into_inner();
    let mut request = match patron_flow(&state, &req, &q.flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, pages::language(&req, None, None), f),
    };
    let chosen = match q.isil.as_deref().map(Isil::parse) {
        Some(Ok(isil)) => match library(&state, &isil).await {
            Ok(found) => found,
            Err(f) => return pages::failure(&state, pages::language(&req, None, None), f),
        },
        _ => None,
    };
    let mut remember = None;
    if let Some(found) = &chosen {
        request.isil = Some(found.isil.clone());
        if let Err(f) = save_flow(&state, &q.flow, &request).await {
            return pages::failure(&state, "en", f);
        }
        remember = Some(cookie(
            &state,
            LIBRARY_COOKIE,
            found.isil.as_str(),
            Some(Duration::from_secs(365 * 86_400)),
        ));
    } else if q.change.is_some() {
        request.isil = None;
        if let Err(f) = save_flow(&state, &q.flow, &request).await {
            return pages::failure(&state, "en", f);
        }
    }
    let mut response = match &request.isil {
        Some(isil) => match library(&state, isil).await {
            Ok(Some(found)) => {
                card_form(
                    &state,
                    &req,
                    &q.flow,
                    &request,
                    &found,
                    None,
                    StatusCode::OK,
                )
                .await
            }
            Ok(None) => picker(&state, &req, &q, &request).await,
            Err(f) => pages::failure(&state, "en", f),
        },
        None => picker(&state, &req, &q, &request).await,
    };
    if let Some(c) = remember {
        let _ = response.add_cookie(&c);
    }
    response
}

async fn picker(
    state: &State,
    req: &HttpRequest,
    q: &PageQuery,
    request: &AuthRequest,
) -> HttpResponse {
    let lang = pages::language(req, request.ui_locales.as_deref(), None);
    let query =
        q.q.clone()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(100)
            .collect::<String>();
    let results = if query.chars().count() >= 2 {
        match state.ports.search.search(&query, 20).await {
            Ok(found) => found
                .into_iter()
                .map(|l| (l.isil.as_str().to_owned(), l.name))
                .collect(),
            Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
        }
    } else {
        Vec::new()
    };
    let mut remembered = None;
    if let Some(isil) = req
        .cookie(LIBRARY_COOKIE)
        .and_then(|c| Isil::parse(c.value()).ok())
        && let Ok(Some(found)) = library(state, &isil).await
    {
        remembered = Some((found.isil.as_str().to_owned(), found.name));
    }
    let here = format!("/login?flow={}&q={}", q.flow, urlencode(&query));
    let chrome = Chrome::new(&state.catalog, lang, "picker-title", &here);
    pages::html(
        StatusCode::OK,
        &Picker {
            chrome,
            flow: q.flow.clone(),
            query,
            results,
            remembered,
        },
    )
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The card and PIN form of `found`, with the button of its upstream provider if it has one.
pub(super) async fn card_form(
    state: &State,
    req: &HttpRequest,
    flow: &str,
    request: &AuthRequest,
    found: &LibrarySummary,
    problem: Option<&str>,
    status: StatusCode,
) -> HttpResponse {
    let lang = pages::language(req, request.ui_locales.as_deref(), Some(&found.language));
    let upstream = match setups::get(&state.db, &found.isil).await {
        Ok(setup) => setup.upstream.map(|u| u.display_name),
        Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
    };
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        "login-title",
        &format!("/login?flow={flow}"),
    );
    let problem = problem.map(|key| chrome.t.t(key));
    let upstream = upstream.map(|name| chrome.t.t1("login-upstream", "provider", &name));
    pages::html(
        status,
        &CardForm {
            chrome,
            flow: flow.to_owned(),
            library: found.name.clone(),
            isil: found.isil.to_string(),
            problem,
            upstream,
        },
    )
}

/// The login form.
#[derive(Deserialize)]
pub struct CardInput {
    flow: String,
    card: String,
    pin: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardInput { .. }")
    }
}

/// `POST /login`: checks the card and PIN.
#[post("/login")]
pub async fn submit(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<CardInput>,
) -> HttpResponse {
    let input = form.into_inner();
    let fallback_lang = pages::language(&req, None, None);
    let request = match patron_flow(&state, &req, &input.flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, fallback_lang, f),
    };
    let Some(isil) = request.isil.clone() else {
        return see_other(&format!("/login?flow={}", input.flow));
    };
    let found = match library(&state, &isil).await {
        Ok(Some(found)) => found,
        Ok(None) => return see_other(&format!("/login?flow={}&change=1", input.flow)),
        Err(f) => return pages::failure(&state, fallback_lang, f),
    };
    let address = req
        .connection_info()
        .realip_remote_addr()
        .unwrap_or("unknown")
        .to_owned();
    let checked = state
        .logins
        .check(&isil, &input.card, &input.pin, &address)
        .await;
    let patron = match checked {
        Ok(Ok(patron)) => patron,
        Ok(Err(refusal)) => {
            let (reason, key, status) = match refusal {
                Refusal::WrongCredentials => (
                    DenialReason::WrongPin,
                    "login-wrong",
                    StatusCode::UNAUTHORIZED,
                ),
                Refusal::Blocked => (
                    DenialReason::Blocked,
                    "login-blocked",
                    StatusCode::FORBIDDEN,
                ),
                Refusal::Unavailable => {
                    return card_form(
                        &state,
                        &req,
                        &input.flow,
                        &request,
                        &found,
                        Some("login-unavailable"),
                        StatusCode::SERVICE_UNAVAILABLE,
                    )
                    .await;
                }
                Refusal::Throttled => (
                    DenialReason::Throttled,
                    "login-throttled",
                    StatusCode::TOO_MANY_REQUESTS,
                ),
            };
            let pseudonym = state.pseudonyms.pseudonym(&["attempt", &address]);
            record(
                &state,
                &isil,
                &request,
                None,
                AccessOutcome::Denied,
                Some(reason),
                pseudonym,
            )
            .await;
            return card_form(
                &state,
                &req,
                &input.flow,
                &request,
                &found,
                Some(key),
                status,
            )
            .await;
        }
        Err(e) => return pages::failure(&state, fallback_lang, Failure::Internal(e.to_string())),
    };
    logged_in(&state, &req, &input.flow, &request, &found, patron).await
}

/// A patron the library vouched for: starts the session, records the login and goes on with
/// the flow.
pub(super) async fn logged_in(
    state: &State,
    req: &HttpRequest,
    flow: &str,
    request: &AuthRequest,
    found: &LibrarySummary,
    patron: Patron,
) -> HttpResponse {
    let lang = pages::language(req, request.ui_locales.as_deref(), Some(&found.language));
    let session = PatronSession {
        id: crypto::random_token(),
        patron: patron.handle,
        isil: found.isil.clone(),
        library_name: found.name.clone(),
        method: patron.method,
        auth_time: state.clock.now(),
        attributes: patron.attributes,
        acknowledged: Vec::new(),
    };
    if let Err(e) = save_session(state, &session).await {
        return pages::failure(state, lang, Failure::Internal(e.to_string()));
    }
    let pseudonym = usage_pseudonym(state, &session);
    record(
        state,
        &found.isil,
        request,
        None,
        AccessOutcome::Login,
        None,
        pseudonym,
    )
    .await;
    let mut response = resume(state, flow, request, &session, lang).await;
    let _ = response.add_cookie(&cookie(state, SESSION_COOKIE, &session.id, None));
    response
}

/// The patron's subject at the product's vendor: the same for all of one vendor's products and
/// clients, different at every other vendor.
pub(super) fn pairwise_subject(
    state: &State,
    product: &ProductSummary,
    session: &PatronSession,
) -> String {
    state
        .pseudonyms
        .pseudonym(&["sub", &product.vendor.0.to_string(), &session.patron])
}

fn usage_pseudonym(state: &State, session: &PatronSession) -> String {
    state.pseudonyms.pseudonym(&["usage", &session.patron])
}

/// Sends an access event to the usage port; a failure is logged, never shown to the patron.
async fn record(
    state: &State,
    isil: &Isil,
    request: &AuthRequest,
    product: Option<&ProductSummary>,
    outcome: AccessOutcome,
    reason: Option<DenialReason>,
    pseudonym: String,
) {
    let event = AccessEvent {
        id: Uuid::now_v7(),
        at: state.clock.now(),
        isil: isil.clone(),
        vendor: product.map(|p| p.vendor),
        product: Some(product.map_or(request.product, |p| p.id)),
        outcome,
        reason,
        pseudonym,
    };
    if let Err(e) = state.ports.usage.record(vec![event]).await {
        tracing::warn!(error = %e, "an access event was not recorded");
    }
}

/// The flow form of the notice buttons.
#[derive(Debug, Deserialize)]
pub struct FlowInput {
    flow: String,
}

/// `POST /login/consent`: the patron saw what the vendor receives and goes on.
#[post("/login/consent")]
pub async fn acknowledge(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<FlowInput>,
) -> HttpResponse {
    let lang = pages::language(&req, None, None);
    let request = match patron_flow(&state, &req, &form.flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, lang, f),
    };
    let mut session = match session(&state, &req).await {
        Ok(Some(session)) => session,
        Ok(None) => return see_other(&format!("/login?flow={}", form.flow)),
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    if !session.acknowledged.contains(&request.client_id) {
        session.acknowledged.push(request.client_id.clone());
        if let Err(e) = save_session(&state, &session).await {
            return pages::failure(&state, lang, Failure::Internal(e.to_string()));
        }
    }
    resume(&state, &form.flow, &request, &session, lang).await
}

/// `POST /login/decline`: the patron does not want to go on.
#[post("/login/decline")]
pub async fn decline(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<FlowInput>,
) -> HttpResponse {
    let lang = pages::language(&req, None, None);
    let request = match patron_flow(&state, &req, &form.flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, lang, f),
    };
    let _ = state.kv.delete(&flow_key(&form.flow)).await;
    if let (Then::Handoff, Some(isil)) = (request.then, &request.isil) {
        return see_other(&format!("/l/{isil}"));
    }
    error_redirect(
        &state.tokens.issuer,
        &request.redirect_uri,
        "access_denied",
        "the patron cancelled",
        request.state.as_deref(),
    )
}

/// Goes on with a stored flow for a logged-in patron.
async fn resume(
    state: &State,
    flow: &str,
    request: &AuthRequest,
    session: &PatronSession,
    lang: &'static str,
) -> HttpResponse {
    let response = finish_inner(state, Some(flow), request, session, lang).await;
    if response.status().is_redirection() {
        let _ = state.kv.delete(&flow_key(flow)).await;
    }
    response
}

/// Finishes a flow for a logged-in patron; `silent` (prompt=none) never shows a page.
pub async fn finish(
    state: &State,
    request: &AuthRequest,
    session: &PatronSession,
    silent: bool,
    lang: &'static str,
) -> HttpResponse {
    if silent {
        finish_inner(state, None, request, session, lang).await
    } else {
        let flow = crypto::random_token();
        if let Err(f) = save_flow(state, &flow, request).await {
            return pages::failure(state, lang, f);
        }
        resume(state, &flow, request, session, lang).await
    }
}

async fn finish_inner(
    state: &State,
    flow: Option<&str>,
    request: &AuthRequest,
    session: &PatronSession,
    lang: &'static str,
) -> HttpResponse {
    let issuer = &state.tokens.issuer;
    let back = |error: &str, description: &str| {
        error_redirect(
            issuer,
            &request.redirect_uri,
            error,
            description,
            request.state.as_deref(),
        )
    };
    let product = match state.ports.catalogue.product(request.product).await {
        Ok(Some(product)) => product,
        Ok(None) => {
            return back(
                "unauthorized_client",
                "the client's product no longer exists",
            );
        }
        Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
    };
    let now = state.clock.now();
    let entitled = match state
        .ports
        .entitlements
        .check(&session.isil, product.id, now)
        .await
    {
        Ok(e) => e.granted(),
        Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
    };
    let pseudonym = usage_pseudonym(state, session);
    if !entitled {
        record(
            state,
            &session.isil,
            request,
            Some(&product),
            AccessOutcome::Denied,
            Some(DenialReason::NotEntitled),
            pseudonym,
        )
        .await;
        if flow.is_none() {
            return back(
                "access_denied",
                "the patron's library has no access to this product",
            );
        }
        return denied(state, request, session, &product, lang);
    }
    let handoff = request.then == Then::Handoff;
    // An OIDC vendor's own authorization request shows the notice, so the hand-off goes first.
    if handoff && product.integration == "oidc" {
        return super::go::handoff(state, session, &product, lang).await;
    }
    if !session.acknowledged.contains(&request.client_id) {
        let Some(flow) = flow else {
            return back(
                "consent_required",
                "the patron has not yet seen what this vendor receives",
            );
        };
        return notice(state, flow, session, &product, lang);
    }
    if handoff {
        record(
            state,
            &session.isil,
            request,
            Some(&product),
            AccessOutcome::Granted,
            None,
            pseudonym,
        )
        .await;
        return super::go::handoff(state, session, &product, lang).await;
    }
    let code = crypto::random_token();
    let record_ = CodeRecord {
        grant: Uuid::now_v7(),
        client_id: request.client_id.clone(),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        nonce: request.nonce.clone(),
        scope: request.scope.clone(),
        subject: pairwise_subject(state, &product, session),
        isil: session.isil.clone(),
        claims: claims::release(
            &product.claims,
            session.isil.as_str(),
            &session.library_name,
            &session.attributes,
            now,
        ),
        auth_time: session.auth_time,
        sid: crypto::digest(&session.id),
        method: session.method,
    };
    let bytes = serde_json::to_vec(&record_).expect("codes serialise");
    if let Err(e) = state
        .kv
        .set(&code_key(&code), &bytes, state.tokens.lifetimes.code)
        .await
    {
        return pages::failure(state, lang, Failure::Internal(e.to_string()));
    }
    record(
        state,
        &session.isil,
        request,
        Some(&product),
        AccessOutcome::Granted,
        None,
        pseudonym,
    )
    .await;
    see_other(&answer_url(
        issuer,
        &request.redirect_uri,
        &[("code", &code)],
        request.state.as_deref(),
    ))
}

fn notice(
    state: &State,
    flow: &str,
    session: &PatronSession,
    product: &ProductSummary,
    lang: &'static str,
) -> HttpResponse {
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        "notice-title",
        &format!("/login?flow={flow}"),
    );
    let t = &chrome.t;
    let vendor = product.vendor_name.as_str();
    let released_claims = claims::release(
        &product.claims,
        session.isil.as_str(),
        &session.library_name,
        &session.attributes,
        state.clock.now(),
    );
    let mut released = vec![
        t.t1("notice-subject", "vendor", vendor),
        t.t1(
            "notice-library",
            "library",
            &format!("{} ({})", session.library_name, session.isil),
        ),
    ];
    for name in &product.claims {
        if released_claims.contains_key(name) {
            released.push(t.t(&format!("notice-{name}")));
        }
    }
    let intro = {
        let mut args = tilgang_web::i18n::Args::new();
        args.set("vendor", vendor);
        args.set("product", product.name(lang));
        t.ta("notice-intro", &args)
    };
    let privacy_text = t.t1("notice-privacy", "vendor", vendor);
    pages::html(
        StatusCode::OK,
        &Notice {
            flow: flow.to_owned(),
            intro,
            released,
            privacy_url: product.privacy_url.clone(),
            privacy_text,
            chrome,
        },
    )
}

fn denied(
    state: &State,
    request: &AuthRequest,
    session: &PatronSession,
    product: &ProductSummary,
    lang: &'static str,
) -> HttpResponse {
    let chrome = Chrome::new(&state.catalog, lang, "denied-title", "/login");
    let t = &chrome.t;
    let text = {
        let mut args = tilgang_web::i18n::Args::new();
        args.set("library", session.library_name.as_str());
        args.set("product", product.name(lang));
        t.ta("denied-text", &args)
    };
    let mut links = vec![(
        format!("/l/{}", session.isil),
        t.t1("denied-library-page", "library", &session.library_name),
    )];
    if request.then == Then::Code {
        let back = answer_url(
            &state.tokens.issuer,
            &request.redirect_uri,
            &[
                ("error", "access_denied"),
                (
                    "error_description",
                    "the patron's library has no access to this product",
                ),
            ],
            request.state.as_deref(),
        );
        links.push((back, t.t1("denied-back", "vendor", &product.vendor_name)));
    }
    pages::html(
        StatusCode::FORBIDDEN,
        &Message {
            chrome,
            text,
            links,
        },
    )
}
