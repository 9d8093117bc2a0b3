//! `/admin/libraries/{isil}/patrons`: the logins a library issues to patrons who cannot use
//! e-ID. Its staff issue one (card number or username and a first PIN), reset a PIN, and
//! switch a login off or on again, through `sso`'s
//! [`PatronLogins`](tilgang_kernel::ports::PatronLogins) port. The card number and PIN are
//! never shown again (only the card number's last characters), and a refused form keeps the
//! card number but never the PIN.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::ports::{IssuedLoginChange, LibrarySummary, NewIssuedLogin, Refusal};

use super::State;
use super::admin::{acted_for, bar, chrome, page, posted_for};
use super::library::{date, failure};
use super::staff::Staff;
use crate::pages::{IssuedRow, PatronsPage};

/// What the page says on top: a done change, or a refusal.
enum Outcome<'a> {
    /// Nothing yet.
    None,
    /// Done; the key of the message and the login's hint.
    Done(&'static str, String),
    /// Refused.
    Refused(&'a Refusal),
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    logins: Vec<tilgang_kernel::ports::IssuedLogin>,
    outcome: Outcome<'_>,
    entered: &HashMap<String, String>,
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/patrons", library.isil);
    let mut chrome = chrome(state, req, "patrons-title", &here);
    let lang = chrome.lang;
    chrome.title = chrome.t.t1("patrons-title", "library", &library.name);
    let t = &chrome.t;
    let rows = logins
        .into_iter()
        .map(|l| IssuedRow {
            id: l.id.to_string(),
            hint: l.hint.clone(),
            category: l.category.clone().unwrap_or_default(),
            birth_year: l.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            issued: date(lang, l.created_at.date_naive()),
            state: t.t(if l.disabled {
                "patrons-disabled"
            } else {
                "patrons-active"
            }),
            disabled: l.disabled,
            toggle: t.t1(
                if l.disabled {
                    "patrons-enable"
                } else {
                    "patrons-disable"
                },
                "hint",
                &l.hint,
            ),
            reset_label: t.t1("patrons-new-pin", "hint", &l.hint),
        })
        .collect();
    let (notice, problem, detail, bad) = match outcome {
        Outcome::None => (None, None, None, String::new()),
        Outcome::Done(key, hint) => (Some(t.t1(key, "hint", &hint)), None, None, String::new()),
        Outcome::Refused(refusal) => (
            None,
            Some(t.t("patrons-refused")),
            Some(refusal.message.clone()),
            refusal.field.clone().unwrap_or_default(),
        ),
    };
    let bar = bar(&chrome, staff);
    page(
        status,
        &PatronsPage {
            action: format!("{here}?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            username: entered.get("username").cloned().unwrap_or_default(),
            category: entered.get("category").cloned().unwrap_or_default(),
            birth_year: entered.get("birth_year").cloned().unwrap_or_default(),
            isil: library.isil.to_string(),
            chrome,
            bar,
            rows,
            notice,
            problem,
            detail,
            bad,
        },
    )
}

/// The library's logins, then the page.
#[allow(clippy::too_many_arguments)]
async fn show(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    outcome: Outcome<'_>,
    entered: &HashMap<String, String>,
    status: StatusCode,
) -> HttpResponse {
    match state
        .ports
        .logins
        .list(&staff.principal, &library.isil)
        .await
    {
        Ok(Ok(logins)) => render(state, req, staff, library, logins, outcome, entered, status),
        Ok(Err(refusal)) => failure(refusal.message),
        Err(e) => failure(e),
    }
}

/// `GET /admin/libraries/{isil}/patrons`: the logins, and the form to issue one.
#[get("/admin/libraries/{isil}/patrons")]
pub async fn patrons_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let none = HashMap::new();
    show(
        &state,
        &req,
        &staff,
        &library,
        Outcome::None,
        &none,
        StatusCode::OK,
    )
    .await
}

/// A form field, trimmed; empty is none.
fn field(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `POST /admin/libraries/{isil}/patrons`: issues a login.
#[post("/admin/libraries/{isil}/patrons")]
pub async fn issue(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let birth_year = field(&form, "birth_year");
    let year = match birth_year.as_deref().map(str::parse::<i32>) {
        None => None,
        Some(Ok(year)) => Some(year),
        Some(Err(_)) => Some(0), // out of range: the provider says so, with the field
    };
    let new = NewIssuedLogin {
        username: field(&form, "username").unwrap_or_default(),
        pin: form.get("pin").cloned().unwrap_or_default(),
        category: field(&form, "category"),
        birth_year: year,
    };
    match state
        .ports
        .logins
        .issue(&staff.principal, &library.isil, new)
        .await
    {
        Ok(Ok(login)) => {
            let done = Outcome::Done("patrons-issued", login.hint);
            show(
                &state,
                &req,
                &staff,
                &library,
                done,
                &HashMap::new(),
                StatusCode::OK,
            )
            .await
        }
        Ok(Err(refusal)) => {
            let status = if refusal.code == "patron_login_exists" {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let refused = Outcome::Refused(&refusal);
            show(&state, &req, &staff, &library, refused, &form, status).await
        }
        Err(e) => failure(e),
    }
}

/// `POST /admin/libraries/{isil}/patrons/{id}`: a new PIN (`pin`), or the login switched
/// off or on (`disabled` = `true` or `false`).
#[post("/admin/libraries/{isil}/patrons/{id}")]
pub async fn change(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let (isil, id) = path.into_inner();
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return super::admin::not_found(&state, &req, &staff);
    };
    let disabled = form.get("disabled").map(|v| v == "true");
    let (change, key) = match disabled {
        Some(disabled) => (
            IssuedLoginChange {
                disabled: Some(disabled),
                ..Default::default()
            },
            if disabled {
                "patrons-switched-off"
            } else {
                "patrons-switched-on"
            },
        ),
        None => (
            IssuedLoginChange {
                pin: Some(form.get("pin").cloned().unwrap_or_default()),
                ..Default::default()
            },
            "patrons-pin-reset",
        ),
    };
    let none = HashMap::new();
    match state
        .ports
        .logins
        .change(&staff.principal, &library.isil, id, change)
        .await
    {
        Ok(Ok(login)) => {
            let done = Outcome::Done(key, login.hint);
            show(&state, &req, &staff, &library, done, &none, StatusCode::OK).await
        }
        Ok(Err(refusal)) if refusal.code == "patron_login_not_found" => {
            super::admin::not_found(&state, &req, &staff)
        }
        Ok(Err(refusal)) => {
            let refused = Outcome::Refused(&refusal);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show(&state, &req, &staff, &library, refused, &none, status).await
        }
        Err(e) => failure(e),
    }
}
