//! `/oauth2/authorize`: checks the request, then sends the patron to log in, or straight on
//! when the browser already has a fresh enough session.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tilgang_kernel::Isil;
use url::Url;

use super::State;
use super::login::{self, FLOW_COOKIE};
use super::pages::{self, Failure};
use super::staff_login;
use crate::crypto;
use crate::domain::client::LOGIN_SCOPES;
use crate::domain::flow::AuthRequest;

/// How long a patron has to log in.
pub const FLOW_TTL: Duration = Duration::from_secs(30 * 60);

/// The parameters of an authorization request (unknown ones are ignored, as OAuth says).
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    response_type: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    prompt: Option<String>,
    max_age: Option<i64>,
    login_hint: Option<String>,
    isil: Option<String>,
    ui_locales: Option<String>,
    request: Option<String>,
}

/// `GET /oauth2/authorize`.
pub async fn authorize_get(
    state: web::Data<State>,
    req: HttpRequest,
    params: web::Query<Params>,
) -> HttpResponse {
    authorize(&state, &req, params.into_inner()).await
}

/// `POST /oauth2/authorize` (form-encoded, OIDC Core 3.1.2.1).
pub async fn authorize_post(
    state: web::Data<State>,
    req: HttpRequest,
    params: web::Form<Params>,
) -> HttpResponse {
    authorize(&state, &req, params.into_inner()).await
}

/// The answer to the client at its (already checked) redirect URI: `pairs`, then the client's
/// `state` and the issuer (RFC 9207).
pub fn answer_url(
    issuer: &str,
    redirect_uri: &str,
    pairs: &[(&str, &str)],
    client_state: Option<&str>,
) -> String {
    let mut url = Url::parse(redirect_uri).expect("registered redirect URIs are absolute");
    {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(pairs);
        if let Some(s) = client_state {
            query.append_pair("state", s);
        }
        query.append_pair("iss", issuer);
    }
    url.into()
}

/// Where errors go once the redirect URI is known to be the client's.
pub fn error_redirect(
    issuer: &str,
    redirect_uri: &str,
    error: &str,
    description: &str,
    client_state: Option<&str>,
) -> HttpResponse {
    let pairs = [("error", error), ("error_description", description)];
    see_other(&answer_url(issuer, redirect_uri, &pairs, client_state))
}

/// A 303 redirect.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

async fn authorize(state: &State, req: &HttpRequest, p: Params) -> HttpResponse {
    let lang = pages::language(req, p.ui_locales.as_deref(), None);
    // Until the client and its redirect URI check out, errors are shown, never redirected.
    let client = match p.client_id.as_deref() {
        Some(id) => match state.clients.get(&state.db, id).await {
            Ok(client) => client,
            Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
        },
        None => None,
    };
    let Some(client) = client.filter(|c| c.usable()) else {
        return pages::failure(state, lang, Failure::UnknownClient);
    };
    let Some(redirect_uri) = p.redirect_uri.clone().filter(|r| client.redirects_to(r)) else {
        return pages::failure(state, lang, Failure::UnknownClient);
    };
    let issuer = &state.tokens.issuer;
    let fail = |error: &str, description: &str| {
        error_redirect(
            issuer,
            &redirect_uri,
            error,
            description,
            p.state.as_deref(),
        )
    };
    if p.request.is_some() {
        return fail("request_not_supported", "request objects are not supported");
    }
    if p.response_type.as_deref() != Some("code") {
        return fail(
            "unsupported_response_type",
            "only response_type=code is supported",
        );
    }
    let scope: Vec<String> = p
        .scope
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .filter(|s| LOGIN_SCOPES.contains(s))
        .map(str::to_owned)
        .collect();
    if !scope.iter().any(|s| s == "openid") {
        return fail("invalid_scope", "the scope must include openid");
    }
    let Some(code_challenge) = p
        .code_challenge
        .clone()
        .filter(|c| (43..=128).contains(&c.len()))
    else {
        return fail(
            "invalid_request",
            "PKCE is required: send code_challenge (S256)",
        );
    };
    if p.code_challenge_method.as_deref() != Some("S256") {
        return fail("invalid_request", "PKCE code_challenge_method must be S256");
    }
    let prompt: Vec<&str> = p
        .prompt
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    if prompt.contains(&"none") && prompt.len() > 1 {
        return fail(
            "invalid_request",
            "prompt=none cannot be combined with other values",
        );
    }
    let fresh_login = prompt.contains(&"login") || p.max_age == Some(0);
    let browser_secret = crypto::random_token();
    let flow_cookie = login::cookie(state, FLOW_COOKIE, &browser_secret, Some(FLOW_TTL));
    // The portal's requests are staff logins: no product, no library.
    let staff = staff_login::is_staff_client(&client.client_id);
    let product = match client.product {
        Some(product) => product,
        None if staff => tilgang_kernel::ProductId(uuid::Uuid::nil()),
        None => {
            return fail(
                "unauthorized_client",
                "this client has no product to log patrons in to",
            );
        }
    };
    let isil = p
        .isil
        .as_deref()
        .or(p.login_hint.as_deref())
        .and_then(|text| Isil::parse(text.trim()).ok())
        .filter(|_| !staff);
    let request = AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.clone(),
        scope,
        state: p.state.clone(),
        nonce: p.nonce.clone(),
        code_challenge,
        isil,
        product,
        fresh_login,
        max_age: p.max_age,
        ui_locales: p.ui_locales.clone(),
        browser_secret,
        then: crate::domain::flow::Then::Code,
    };
    if staff {
        let mut response = staff_login::begin(state, req, &request, prompt.contains(&"none")).await;
        let _ = response.add_cookie(&flow_cookie);
        return response;
    }
    let session = match login::session(state, req).await {
        Ok(session) => session.filter(|s| login::session_fits(state, s, &request)),
        Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
    };
    if prompt.contains(&"none") {
        return match session {
            Some(session) => login::finish(state, &request, &session, true, lang).await,
            None => fail("login_required", "the patron is not logged in"),
        };
    }
    let mut response = match &session {
        Some(session) => login::finish(state, &request, session, false, lang).await,
        None => {
            let flow = crypto::random_token();
            let stored = serde_json::to_vec(&request).expect("flows serialise");
            if let Err(e) = state
                .kv
                .set(&login::flow_key(&flow), &stored, FLOW_TTL)
                .await
            {
                return pages::failure(state, lang, Failure::Internal(e.to_string()));
            }
            see_other(&format!("/login?flow={flow}"))
        }
    };
    let _ = response.add_cookie(&flow_cookie);
    response
}
