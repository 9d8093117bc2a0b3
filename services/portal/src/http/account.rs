//! `/admin/account`: a staff member's own account. For now its two-step login: turned on with a
//! new secret (shown as text and as an `otpauth://` link that opens an authenticator app on a
//! phone) once a code from it is right, and turned off with a current code. The secret is
//! sealed here and kept by `registry` through the
//! [`StaffDirectory`](tilgang_kernel::ports::StaffDirectory) port; `sso` asks for a code at
//! every login once it is on. The code that turns it on is used up, so it cannot log in again.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::totp;

use super::State;
use super::admin::{bar, chrome, forbidden, page};
use super::library::failure;
use super::staff::Staff;
use crate::pages::AccountPage;

/// The label apps show for the hub.
const ISSUER: &str = "Tilgang";

async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    secret: Option<String>,
    (notice, problem): (Option<&str>, Option<&str>),
    status: StatusCode,
) -> HttpResponse {
    let subject = staff.principal.subject();
    let on = match state.ports.staff.totp(subject).await {
        Ok(found) => found.is_some(),
        Err(e) => return failure(e),
    };
    let chrome = chrome(state, req, "account-title", "/admin/account");
    let secret = secret.unwrap_or_else(totp::new_secret);
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let account = staff.session.identity.name.clone();
    let (notice, problem) = (
        notice.map(|k| chrome.t.t(k)),
        problem.map(|k| chrome.t.t(k)),
    );
    let bar = bar(&chrome, staff);
    page(
        status,
        &AccountPage {
            uri: totp::uri(&secret, &account, ISSUER),
            secret: grouped,
            secret_plain: secret,
            chrome,
            bar,
            on,
            notice,
            problem,
        },
    )
}

/// `GET /admin/account`: the two-step login, on or off.
#[get("/admin/account")]
pub async fn account_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    render(&state, &req, &staff, None, (None, None), StatusCode::OK).await
}

/// `POST /admin/account/totp`: `action=on` with the `secret` shown and a `code` from the app,
/// or `action=off` with a current `code`.
#[post("/admin/account/totp")]
pub async fn set_totp(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return forbidden(&state, &req);
    }
    let subject = staff.principal.subject().to_owned();
    let code = form.get("code").cloned().unwrap_or_default();
    let now = state.clock.now();
    let directory = &state.ports.staff;
    let wrong = |secret: Option<String>| {
        let said = (None, Some("account-code-wrong"));
        render(
            &state,
            &req,
            &staff,
            secret,
            said,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    match form.get("action").map(String::as_str) {
        Some("on") => {
            // Turning it on again with another secret would need no code: refused.
            match directory.totp(&subject).await {
                Ok(Some(_)) => return wrong(None).await,
                Ok(None) => {}
                Err(e) => return failure(e),
            }
            let secret = form.get("secret").cloned().unwrap_or_default();
            let Some(step) = totp::verify(&secret, &code, now) else {
                return wrong(Some(secret).filter(|s| !s.is_empty())).await;
            };
            let sealed = state.staff_totp.seal(&subject, &secret);
            let saved = async {
                directory.set_totp(&subject, Some(sealed), now).await?;
                directory.claim_totp_step(&subject, step).await
            };
            if let Err(e) = saved.await {
                return failure(e);
            }
            tracing::info!(subject = %subject, "a staff member turned the two-step login on");
            let said = (Some("account-turned-on"), None);
            render(&state, &req, &staff, None, said, StatusCode::OK).await
        }
        Some("off") => {
            let stored = match directory.totp(&subject).await {
                Ok(stored) => stored,
                Err(e) => return failure(e),
            };
            let secret = stored.and_then(|sealed| state.staff_totp.open(&subject, &sealed));
            // The code proves the app is at hand; within this session it need not be unused.
            if secret.and_then(|s| totp::verify(&s, &code, now)).is_none() {
                return wrong(None).await;
            }
            if let Err(e) = directory.set_totp(&subject, None, now).await {
                return failure(e);
            }
            tracing::info!(subject = %subject, "a staff member turned the two-step login off");
            let said = (Some("account-turned-off"), None);
            render(&state, &req, &staff, None, said, StatusCode::OK).await
        }
        _ => super::admin::not_found(&state, &req, &staff),
    }
}
