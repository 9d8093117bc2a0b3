//! `/login/pin`: a patron with a library-issued login changes the PIN. The current PIN is
//! checked exactly as at login (throttled, one answer for an unknown card or a wrong PIN);
//! cards checked by the library system are sent to the library, where their PIN lives.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::Isil;
use tilgang_kernel::ports::LibrarySummary;

use super::State;
use super::login::library;
use super::pages::{self, Chrome, Failure, Message, PinForm};
use crate::domain::SsoError;
use crate::login::Refusal;

/// The query of the PIN page.
#[derive(Debug, Deserialize)]
pub struct PinQuery {
    isil: String,
    flow: Option<String>,
    lang: Option<String>,
}

/// The PIN change form.
#[derive(Deserialize)]
pub struct PinInput {
    isil: String,
    flow: Option<String>,
    lang: Option<String>,
    card: String,
    pin: String,
    new_pin: String,
    new_pin_again: String,
}

impl std::fmt::Debug for PinInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinInput { .. }")
    }
}

async fn chosen(state: &State, text: &str) -> Result<LibrarySummary, Failure> {
    let isil = Isil::parse(text).map_err(|_| Failure::NotFound)?;
    library(state, &isil).await?.ok_or(Failure::NotFound)
}

fn form(
    state: &State,
    lang: &'static str,
    found: &LibrarySummary,
    flow: Option<String>,
    problem: Option<&str>,
    status: StatusCode,
) -> HttpResponse {
    let chrome = Chrome::new(
        &state.catalog,
        lang,
        "pin-title",
        &format!("/login/pin?isil={}", found.isil),
    );
    let problem = problem.map(|key| chrome.t.t(key));
    pages::html(
        status,
        &PinForm {
            chrome,
            isil: found.isil.to_string(),
            flow,
            library: found.name.clone(),
            problem,
        },
    )
}

/// `GET /login/pin`: the form.
#[get("/login/pin")]
pub async fn page(
    state: web::Data<State>,
    req: HttpRequest,
    q: web::Query<PinQuery>,
) -> HttpResponse {
    let q = q.into_inner();
    let found = match chosen(&state, &q.isil).await {
        Ok(found) => found,
        Err(f) => return pages::failure(&state, pages::language(&req, q.lang.as_deref(), None), f),
    };
    let lang = pages::language(&req, q.lang.as_deref(), Some(&found.language));
    form(&state, lang, &found, q.flow, None, StatusCode::OK)
}

/// `POST /login/pin`: checks the current PIN and sets the new one.
#[post("/login/pin")]
pub async fn submit(
    state: web::Data<State>,
    req: HttpRequest,
    input: web::Form<PinInput>,
) -> HttpResponse {
    let input = input.into_inner();
    let found = match chosen(&state, &input.isil).await {
        Ok(found) => found,
        Err(f) => {
            return pages::failure(
                &state,
                pages::language(&req, input.lang.as_deref(), None),
                f,
            );
        }
    };
    let lang = pages::language(&req, input.lang.as_deref(), Some(&found.language));
    let again = |key, status| form(&state, lang, &found, input.flow.clone(), Some(key), status);
    if input.new_pin != input.new_pin_again {
        return again("pin-mismatch", StatusCode::UNPROCESSABLE_ENTITY);
    }
    let address = req
        .connection_info()
        .realip_remote_addr()
        .unwrap_or("unknown")
        .to_owned();
    let changed = state
        .logins
        .change_pin(
            &found.isil,
            &input.card,
            &input.pin,
            &input.new_pin,
            &address,
            state.clock.now(),
        )
        .await;
    let key = match changed {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some(("pin-not-issued", StatusCode::CONFLICT)),
        Ok(Err(Refusal::Throttled)) => Some(("login-throttled", StatusCode::TOO_MANY_REQUESTS)),
        Ok(Err(Refusal::Blocked)) => Some(("login-blocked", StatusCode::FORBIDDEN)),
        Ok(Err(Refusal::Unavailable)) => {
            Some(("login-unavailable", StatusCode::SERVICE_UNAVAILABLE))
        }
        Ok(Err(Refusal::WrongCredentials)) => Some(("login-wrong", StatusCode::UNAUTHORIZED)),
        Err(SsoError::Invalid { .. }) => Some(("pin-invalid", StatusCode::UNPROCESSABLE_ENTITY)),
        Err(e) => return pages::failure(&state, lang, Failure::Internal(e.to_string())),
    };
    if let Some((key, status)) = key {
        return again(key, status);
    }
    let chrome = Chrome::new(&state.catalog, lang, "pin-title", "/login");
    let text = chrome.t.t("pin-changed");
    let links = match &input.flow {
        Some(flow) => vec![(format!("/login?flow={flow}"), chrome.t.t("pin-back"))],
        None => Vec::new(),
    };
    pages::html(
        StatusCode::OK,
        &Message {
            chrome,
            text,
            links,
        },
    )
}
