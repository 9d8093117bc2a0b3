//! `/oauth2/logout`: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use url::Url;

use super::State;
use super::authorize::see_other;
use super::login::{self, SESSION_COOKIE};
use super::pages::{self, Chrome, Message};

/// The logout parameters.
#[derive(Debug, Default, Deserialize)]
pub struct LogoutParams {
    id_token_hint: Option<String>,
    post_logout_redirect_uri: Option<String>,
    client_id: Option<String>,
    state: Option<String>,
    ui_locales: Option<String>,
}

/// `GET /oauth2/logout`.
pub async fn logout_get(
    state: web::Data<State>,
    req: HttpRequest,
    p: web::Query<LogoutParams>,
) -> HttpResponse {
    logout(&state, &req, p.into_inner()).await
}

/// `POST /oauth2/logout`.
pub async fn logout_post(
    state: web::Data<State>,
    req: HttpRequest,
    p: web::Form<LogoutParams>,
) -> HttpResponse {
    logout(&state, &req, p.into_inner()).await
}

/// The client an ID token was issued to, if the token is ours (expired tokens count).
fn audience_of(state: &State, id_token: &str) -> Option<String> {
    let (_, claims) = state.tokens.decode::<serde_json::Value>(id_token)?;
    if claims["iss"] != state.tokens.issuer.as_str() {
        return None;
    }
    claims["aud"].as_str().map(str::to_owned)
}

async fn logout(state: &State, req: &HttpRequest, p: LogoutParams) -> HttpResponse {
    let lang = pages::language(req, p.ui_locales.as_deref(), None);
    let ended = match login::end_session(state, req).await {
        Ok(()) => super::staff_login::end_session(state, req).await,
        Err(e) => Err(e),
    };
    if let Err(e) = ended {
        return pages::failure(state, lang, pages::Failure::Internal(e.to_string()));
    }
    let client_id = p
        .id_token_hint
        .as_deref()
        .and_then(|t| audience_of(state, t))
        .or(p.client_id.clone());
    let mut target = None;
    if let (Some(uri), Some(client_id)) = (&p.post_logout_redirect_uri, &client_id)
        && let Ok(Some(client)) = state.clients.get(&state.db, client_id).await
        && client.post_logout_redirect_uris.iter().any(|u| u == uri)
        && let Ok(mut url) = Url::parse(uri)
    {
        if let Some(s) = &p.state {
            url.query_pairs_mut().append_pair("state", s);
        }
        target = Some(url.to_string());
    }
    let mut response = match target {
        Some(url) => see_other(&url),
        None => {
            let chrome = Chrome::new(&state.catalog, lang, "logout-title", "/oauth2/logout");
            let text = chrome.t.t("logout-text");
            pages::html(
                StatusCode::OK,
                &Message {
                    chrome,
                    text,
                    links: Vec::new(),
                },
            )
        }
    };
    for name in [SESSION_COOKIE, super::staff_login::STAFF_COOKIE] {
        let mut gone = login::cookie(state, name, "", None);
        gone.make_removal();
        let _ = response.add_cookie(&gone);
    }
    response
}
