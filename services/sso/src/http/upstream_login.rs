//! `/login/upstream`: the patron logs in at the library's upstream OpenID Connect provider
//! (e-ID) instead of with a card, and comes back to `/login/upstream/callback`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::Isil;
use tilgang_kernel::ports::LibrarySummary;

use super::State;
use super::authorize::see_other;
use super::login::{card_form, library, load_flow, logged_in};
use super::pages::{self, Failure};
use crate::domain::flow::AuthRequest;
use crate::storage::setups;
use crate::upstream::{ProviderClient, Secrets, client_of};

/// A login begun at the upstream provider, kept until the patron comes back.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    /// The hub's login flow the patron came from.
    flow: String,
    /// The library whose provider it is.
    isil: String,
    /// PKCE verifier and nonce.
    secrets: Secrets,
}

/// The query of `/login/upstream`.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    flow: String,
}

/// `GET /login/upstream`: sends the patron to the chosen library's provider.
#[get("/login/upstream")]
pub async fn start(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<StartQuery>,
) -> HttpResponse {
    let flow = &query.flow;
    let lang = pages::language(&req, None, None);
    let request = match load_flow(&state, &req, flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, lang, f),
    };
    let back_to_login = || see_other(&format!("/login?flow={flow}"));
    let Some(isil) = request.isil.clone() else {
        return back_to_login();
    };
    let (found, client) = match provider(&state, &isil).await {
        Ok(Some(found)) => found,
        Ok(None) => return back_to_login(),
        Err(f) => return pages::failure(&state, lang, f),
    };
    let extra: Vec<_> = request
        .ui_locales
        .iter()
        .map(|l| ("ui_locales", l.clone()))
        .collect();
    let (url, upstream_state, secrets) = match state.upstreams.begin(&client, &extra).await {
        Ok(begun) => begun,
        Err(e) => {
            tracing::warn!(isil = %isil, error = %e, "the upstream provider is not usable");
            return failed(&state, &req, flow, &request, &found).await;
        }
    };
    let pending = Pending {
        flow: flow.clone(),
        isil: isil.to_string(),
        secrets,
    };
    let kept = crate::upstream::keep(state.kv.as_ref(), "upstream", &upstream_state, &pending);
    if let Err(e) = kept.await {
        return pages::failure(&state, lang, Failure::Internal(e));
    }
    see_other(&url)
}

/// `GET /login/upstream/callback`: the patron is back from the provider; the code is exchanged,
/// the ID token verified, and the patron logged in at their home library.
#[get("/login/upstream/callback")]
pub async fn callback(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<crate::upstream::Callback>,
) -> HttpResponse {
    let lang = pages::language(&req, None, None);
    let pending: Pending =
        match crate::upstream::take(state.kv.as_ref(), "upstream", query.state.as_deref()).await {
            Ok(Some(pending)) => pending,
            Ok(None) => return pages::failure(&state, lang, Failure::FlowExpired),
            Err(e) => return pages::failure(&state, lang, Failure::Internal(e)),
        };
    let flow = &pending.flow;
    let request = match load_flow(&state, &req, flow).await {
        Ok(request) => request,
        Err(f) => return pages::failure(&state, lang, f),
    };
    let isil = match Isil::parse(&pending.isil) {
        Ok(isil) => isil,
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    let (found, client) = match provider(&state, &isil).await {
        Ok(Some(found)) => found,
        Ok(None) => return see_other(&format!("/login?flow={flow}")),
        Err(f) => return pages::failure(&state, lang, f),
    };
    let code = match (&query.code, &query.error) {
        (Some(code), None) => code,
        (_, error) => {
            tracing::info!(isil = %isil, error = ?error, "the upstream provider sent no code");
            return failed(&state, &req, flow, &request, &found).await;
        }
    };
    let identity = match state
        .upstreams
        .finish(&client, &pending.secrets, code)
        .await
    {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(isil = %isil, error = %e, "an upstream login failed");
            return failed(&state, &req, flow, &request, &found).await;
        }
    };
    let setup = match setups::get(&state.db, &isil).await {
        Ok(setup) => setup.upstream,
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    let Some(setup) = setup else {
        return see_other(&format!("/login?flow={flow}"));
    };
    let Some(key) = identity.text(&setup.patron_claim) else {
        tracing::warn!(isil = %isil, claim = %setup.patron_claim, "the ID token lacks the patron claim");
        return failed(&state, &req, flow, &request, &found).await;
    };
    let home = match &setup.library_claim {
        None => Some(found.clone()),
        Some(claim) => match identity.text(claim).map(|t| Isil::parse(&t)) {
            Some(Ok(home)) => match library(&state, &home).await {
                Ok(home) => home,
                Err(f) => return pages::failure(&state, lang, f),
            },
            _ => None,
        },
    };
    let Some(home) = home else {
        return card_form(
            &state,
            &req,
            flow,
            &request,
            &found,
            Some("login-upstream-no-library"),
            StatusCode::FORBIDDEN,
        )
        .await;
    };
    let patron =
        state
            .logins
            .upstream_patron(&setup.issuer, &key, crate::upstream::attributes(&identity));
    logged_in(&state, &req, flow, &request, &home, patron).await
}

/// The library and the client of its provider, or `None` when it has none (any more).
async fn provider(
    state: &State,
    isil: &Isil,
) -> Result<Option<(LibrarySummary, ProviderClient)>, Failure> {
    let Some(found) = library(state, isil).await? else {
        return Ok(None);
    };
    let setup = setups::get(&state.db, isil)
        .await
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let Some(upstream) = setup.upstream else {
        return Ok(None);
    };
    let redirect = format!("{}/login/upstream/callback", state.tokens.issuer);
    let client = client_of(state.logins.sealer(), isil, &upstream, redirect)
        .ok_or_else(|| Failure::Internal("the upstream client secret does not open".to_owned()))?;
    Ok(Some((found, client)))
}

async fn failed(
    state: &State,
    req: &HttpRequest,
    flow: &str,
    request: &AuthRequest,
    found: &LibrarySummary,
) -> HttpResponse {
    card_form(
        state,
        req,
        flow,
        request,
        found,
        Some("login-upstream-failed"),
        StatusCode::BAD_GATEWAY,
    )
    .await
}
