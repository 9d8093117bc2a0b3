//! `/go/{isil}/{product}`: the link a library puts on its website. It logs the patron in at
//! that library (if needed), checks that the library has the product, then hands off by the
//! product's integration method:
//!
//! - `oidc`: to the vendor's initiate-login URI (OpenID Connect Core 4) with `iss`,
//!   `login_hint` (the ISIL) and `target_link_uri`; the vendor then asks `/oauth2/authorize`,
//!   which finds the patron logged in.
//! - `signed_link`: a redirect to the product's access URL with `?token=` a JWT signed like
//!   our ID tokens (`typ` `tilgang-link+jwt`, `aud` the vendor's id, `sub` the pairwise
//!   subject, `isil`, released claims, `jti`, 60 seconds). Vendors verify it with our JWKS and
//!   accept each `jti` once.
//! - `shared_credentials`: a page showing the library's login for the product, to the
//!   library's own logged-in patrons only.
//! - `ip_and_referrer`: a redirect to the product's access URL (the hub is the referrer).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use tilgang_kernel::Isil;
use tilgang_kernel::ports::ProductSummary;
use url::Url;

use super::State;
use super::authorize::{FLOW_TTL, see_other};
use super::login::{self, FLOW_COOKIE, library, pairwise_subject};
use super::pages::{self, Chrome, Credentials, Failure, Message};
use crate::crypto;
use crate::domain::claims;
use crate::domain::flow::{AuthRequest, PatronSession};
use crate::storage::{clients, shared};

/// How long a signed link may take to reach the vendor.
const LINK_SECONDS: i64 = 60;

/// The query of `/go`.
#[derive(Debug, Deserialize)]
pub struct GoQuery {
    lang: Option<String>,
}

/// `GET /go/{isil}/{product}`: logs the patron in at the library and hands off to the product.
#[get("/go/{isil}/{product}")]
pub async fn go(
    state: web::Data<State>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<GoQuery>,
) -> HttpResponse {
    let (isil, slug) = path.into_inner();
    let lang = pages::language(&req, query.lang.as_deref(), None);
    let Ok(isil) = Isil::parse(&isil) else {
        return pages::failure(&state, lang, Failure::NotFound);
    };
    let found = match library(&state, &isil).await {
        Ok(Some(found)) => found,
        Ok(None) => return pages::failure(&state, lang, Failure::NotFound),
        Err(f) => return pages::failure(&state, lang, f),
    };
    let product = match state.ports.catalogue.product_by_slug(&slug).await {
        Ok(Some(product)) => product,
        Ok(None) => return pages::failure(&state, lang, Failure::NotFound),
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    let lang = pages::language(&req, query.lang.as_deref(), Some(&found.language));
    let request = AuthRequest::handoff(
        found.isil.clone(),
        product.id,
        query.lang.clone(),
        crypto::random_token(),
    );
    let session = match login::session(&state, &req).await {
        Ok(session) => session.filter(|s| login::session_fits(&state, s, &request)),
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    let mut response = match &session {
        Some(session) => login::finish(&state, &request, session, false, lang).await,
        None => {
            let flow = crypto::random_token();
            if let Err(f) = login::save_flow(&state, &flow, &request).await {
                return pages::failure(&state, lang, f);
            }
            see_other(&format!("/login?flow={flow}"))
        }
    };
    let cookie = login::cookie(&state, FLOW_COOKIE, &request.browser_secret, Some(FLOW_TTL));
    let _ = response.add_cookie(&cookie);
    response
}

/// Hands a logged-in patron whose library has `product` off to it.
pub(super) async fn handoff(
    state: &State,
    session: &PatronSession,
    product: &ProductSummary,
    lang: &'static str,
) -> HttpResponse {
    let result = match product.integration.as_str() {
        "oidc" => initiate_login(state, session, product).await,
        "signed_link" => signed_link(state, session, product),
        "shared_credentials" => return credentials(state, session, product, lang).await,
        _ => Ok(product.access_url.clone()),
    };
    match result {
        Ok(Some(url)) => see_other(&url),
        Ok(None) => unavailable(state, product, lang),
        Err(f) => pages::failure(state, lang, f),
    }
}

/// The vendor's initiate-login URI, from the first approved client of the product that has one.
async fn initiate_login(
    state: &State,
    session: &PatronSession,
    product: &ProductSummary,
) -> Result<Option<String>, Failure> {
    let all = clients::list(&state.db, Some(product.vendor))
        .await
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let Some(uri) = all
        .into_iter()
        .filter(|c| c.usable() && c.product == Some(product.id))
        .find_map(|c| c.initiate_login_uri)
    else {
        return Ok(None);
    };
    let Ok(mut url) = Url::parse(&uri) else {
        return Ok(None);
    };
    let target = product.access_url.clone().unwrap_or_else(|| uri.clone());
    url.query_pairs_mut()
        .append_pair("iss", &state.tokens.issuer)
        .append_pair("login_hint", session.isil.as_str())
        .append_pair("target_link_uri", &target);
    Ok(Some(url.into()))
}

/// The access URL with a fresh signed token.
fn signed_link(
    state: &State,
    session: &PatronSession,
    product: &ProductSummary,
) -> Result<Option<String>, Failure> {
    let Some(Ok(mut url)) = product.access_url.as_deref().map(Url::parse) else {
        return Ok(None);
    };
    let mut body = claims::release(
        &product.claims,
        session.isil.as_str(),
        &session.library_name,
        &session.attributes,
        state.clock.now(),
    );
    body.insert(
        "sub".into(),
        pairwise_subject(state, product, session).into(),
    );
    body.insert("aud".into(), product.vendor.0.to_string().into());
    body.insert("product".into(), product.slug.clone().into());
    let token = state
        .tokens
        .signed(&body, LINK_SECONDS, "tilgang-link+jwt")
        .map_err(|e| Failure::Internal(e.to_string()))?;
    url.query_pairs_mut().append_pair("token", &token);
    Ok(Some(url.into()))
}

/// The library's login for the product, shown to its own patron.
async fn credentials(
    state: &State,
    session: &PatronSession,
    product: &ProductSummary,
    lang: &'static str,
) -> HttpResponse {
    let stored = match shared::get(&state.db, &session.isil, product.id).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return unavailable(state, product, lang),
        Err(e) => return pages::failure(state, lang, Failure::Internal(e.to_string())),
    };
    let context = shared::seal_context(&session.isil, product.id);
    let Ok(password) = state
        .logins
        .sealer()
        .open_text(&stored.password_sealed, &context)
    else {
        return pages::failure(
            state,
            lang,
            Failure::Internal("a shared password does not open".into()),
        );
    };
    let chrome = Chrome::new(&state.catalog, lang, "shared-title", "/login");
    let intro = chrome.t.t1("shared-intro", "product", product.name(lang));
    let mut response = pages::html(
        StatusCode::OK,
        &Credentials {
            chrome,
            intro,
            username: stored.username,
            password,
            note: stored.note,
            access_url: product.access_url.clone(),
        },
    );
    // The page holds a password: never cache it anywhere.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// The product cannot be opened from the hub (the vendor or library has not finished its setup).
fn unavailable(state: &State, product: &ProductSummary, lang: &'static str) -> HttpResponse {
    let chrome = Chrome::new(&state.catalog, lang, "handoff-title", "/login");
    let text = chrome
        .t
        .t1("handoff-unavailable", "product", product.name(lang));
    pages::html(
        StatusCode::SERVICE_UNAVAILABLE,
        &Message {
            chrome,
            text,
            links: Vec::new(),
        },
    )
}
