//! `/login/staff/upstream`: a staff member logs in at the consortium's own OpenID Connect
//! provider (its staff directory, say Entra ID or Keycloak) instead of with a password, and
//! comes back to `/login/staff/upstream/callback`. The ID token's e-mail claim names the
//! account, which must exist in the register and be active; an address the provider does not
//! mark verified (`email_verified: true`) is refused, unless the consortium trusts the claim as
//! its directory's own (`trust_email`, for a claim such as `upn` that users cannot change). The hub's own two-step code is not asked
//! for: the consortium's provider runs its own second step.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::ports::StaffLogin;
use tilgang_kernel::staff::StaffIdentity;

use super::State;
use super::authorize::see_other;
use super::login::load_flow;
use super::pages::{self, Failure};
use super::staff_login::{form, is_staff_client, logged_in};
use crate::upstream::{ProviderClient, Secrets};

/// A login begun at the provider, kept until the staff member comes back.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    /// The hub's login flow (the portal's authorization request).
    flow: String,
    /// The page's language.
    lang: String,
    /// PKCE verifier and nonce.
    secrets: Secrets,
}

/// The hub's client at the consortium's provider, if it has one.
fn client(state: &State) -> Option<ProviderClient> {
    let idp = state.staff_idp.as_ref()?;
    Some(ProviderClient {
        issuer: idp.issuer.clone(),
        client_id: idp.client_id.clone(),
        client_secret: idp.client_secret.clone(),
        scopes: vec!["email".to_owned()],
        redirect_uri: format!("{}/login/staff/upstream/callback", state.tokens.issuer),
    })
}

/// The query of `/login/staff/upstream`.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    flow: String,
    lang: Option<String>,
}

/// `GET /login/staff/upstream`: sends the staff member to the consortium's provider.
#[get("/login/staff/upstream")]
pub async fn start(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<StartQuery>,
) -> HttpResponse {
    let lang = query
        .lang
        .as_deref()
        .and_then(tilgang_web::i18n::supported)
        .unwrap_or_else(|| pages::language(&req, None, None));
    let flow = &query.flow;
    match load_flow(&state, &req, flow).await {
        Ok(request) if is_staff_client(&request.client_id) => {}
        Ok(_) => return pages::failure(&state, lang, Failure::FlowExpired),
        Err(f) => return pages::failure(&state, lang, f),
    }
    let Some(client) = client(&state) else {
        return see_other(&format!("/login/staff?flow={flow}"));
    };
    let extra = [("ui_locales", lang.to_owned())];
    let (url, upstream_state, secrets) = match state.upstreams.begin(&client, &extra).await {
        Ok(begun) => begun,
        Err(e) => {
            tracing::warn!(error = %e, "the consortium's staff identity provider is not usable");
            return form(
                &state,
                lang,
                flow,
                "",
                Some("staff-idp-failed"),
                StatusCode::BAD_GATEWAY,
            );
        }
    };
    let pending = Pending {
        flow: flow.clone(),
        lang: lang.to_owned(),
        secrets,
    };
    let kept = crate::upstream::keep(
        state.kv.as_ref(),
        "staff-upstream",
        &upstream_state,
        &pending,
    );
    if let Err(e) = kept.await {
        return pages::failure(&state, lang, Failure::Internal(e));
    }
    see_other(&url)
}

/// `GET /login/staff/upstream/callback`: the code is exchanged, the ID token verified, and the
/// staff member whose address it names logged in (each state once).
#[get("/login/staff/upstream/callback")]
pub async fn callback(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<crate::upstream::Callback>,
) -> HttpResponse {
    let lang = pages::language(&req, None, None);
    let pending: Pending =
        match crate::upstream::take(state.kv.as_ref(), "staff-upstream", query.state.as_deref())
            .await
        {
            Ok(Some(pending)) => pending,
            Ok(None) => return pages::failure(&state, lang, Failure::FlowExpired),
            Err(e) => return pages::failure(&state, lang, Failure::Internal(e)),
        };
    let lang = tilgang_web::i18n::supported(&pending.lang).unwrap_or(lang);
    let flow = &pending.flow;
    let request = match load_flow(&state, &req, flow).await {
        Ok(request) if is_staff_client(&request.client_id) => request,
        Ok(_) => return pages::failure(&state, lang, Failure::FlowExpired),
        Err(f) => return pages::failure(&state, lang, f),
    };
    let refused = |key: &str, status: StatusCode| form(&state, lang, flow, "", Some(key), status);
    let (Some(client), Some(idp)) = (client(&state), state.staff_idp.as_ref()) else {
        return see_other(&format!("/login/staff?flow={flow}"));
    };
    let code = match (&query.code, &query.error) {
        (Some(code), None) => code,
        (_, error) => {
            tracing::info!(error = ?error, "the staff identity provider sent no code");
            return refused("staff-idp-failed", StatusCode::BAD_GATEWAY);
        }
    };
    let identity = match state
        .upstreams
        .finish(&client, &pending.secrets, code)
        .await
    {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(error = %e, "a staff login at the identity provider failed");
            return refused("staff-idp-failed", StatusCode::BAD_GATEWAY);
        }
    };
    // An address counts only when the provider says it verified it, unless the consortium
    // trusts the claim as its directory's own (`sso.staff_idp_trust_email`).
    let verified = idp.trust_email
        || matches!(
            identity.claims.get("email_verified"),
            Some(serde_json::Value::Bool(true))
        )
        || identity.text("email_verified").as_deref() == Some("true");
    let Some(email) = identity.text(&idp.email_claim).filter(|_| verified) else {
        tracing::warn!(claim = %idp.email_claim, "the staff ID token has no verified e-mail address");
        return refused("staff-idp-unknown", StatusCode::FORBIDDEN);
    };
    match state.ports.staff.federated(&email).await {
        Ok(StaffLogin::Valid {
            principal, name, ..
        }) => {
            let identity = StaffIdentity::new(&principal, &name);
            tracing::info!(subject = %identity.subject, role = ?identity.role, "a staff member logged in at the consortium's provider");
            logged_in(&state, flow, &request, identity, lang).await
        }
        Ok(_) => refused("staff-idp-unknown", StatusCode::FORBIDDEN),
        Err(e) => pages::failure(&state, lang, Failure::Internal(e.to_string())),
    }
}
