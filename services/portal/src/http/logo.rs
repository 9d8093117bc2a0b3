//! A library's logo: its admins upload one at `/admin/libraries/{isil}/logo` (a PNG, JPEG or
//! WebP image of at most 256 KiB, kept in the register through the `LibraryEditor` port, which
//! reads the image type from the file itself) or remove it; the e-library page and the widget
//! show it above the library's name, from `/l/{isil}/logo`. The logo is decorative there
//! (`alt=""`): the name beside it says the same to a screen reader.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use std::collections::HashMap;
use tilgang_kernel::ports::LibrarySummary;

use super::admin::{acted_for, bar, chrome, forbidden, not_found, page, posted_for};
use super::library::{failure, found};
use super::staff::Staff;
use super::upload::{Unread, read};
use super::{State, see_other};
use crate::pages::LogoPage;

/// The largest logo file read (the register's limit): a larger one is refused as it arrives.
const UPLOAD_LIMIT: usize = 256 * 1024;

/// Where pages load the library's logo from, if it has one: the address changes with each new
/// logo, so browsers may keep one for a year.
pub(super) fn src(library: &LibrarySummary) -> Option<String> {
    library
        .logo_at
        .map(|at| format!("/l/{}/logo?v={}", library.isil, at.timestamp_millis()))
}

/// What the page says after a change.
#[derive(Debug, Deserialize)]
pub struct Done {
    saved: Option<String>,
    removed: Option<String>,
}

fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    (notice, problem): (Option<String>, Option<String>),
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/logo", library.isil);
    let mut chrome = chrome(state, req, "logo-title", &here);
    let lang = chrome.lang;
    chrome.title = chrome.t.t1("logo-title", "library", &library.name);
    let bar = bar(&chrome, staff);
    page(
        status,
        &LogoPage {
            action: format!("{here}?lang={lang}"),
            remove: format!("{here}/remove?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            logo: src(library),
            notice,
            problem,
            chrome,
            bar,
        },
    )
}

/// `GET /admin/libraries/{isil}/logo`: the logo as it is, and the forms.
#[get("/admin/libraries/{isil}/logo")]
pub async fn logo_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    done: web::Query<Done>,
) -> HttpResponse {
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let t = chrome(&state, &req, "logo-title", "").t;
    let notice = match (&done.saved, &done.removed) {
        (Some(_), _) => Some(t.t("logo-saved")),
        (_, Some(_)) => Some(t.t("logo-removed")),
        _ => None,
    };
    render(
        &state,
        &req,
        &staff,
        &library,
        (notice, None),
        StatusCode::OK,
    )
}

/// `POST /admin/libraries/{isil}/logo` (`multipart/form-data`: `csrf`, then the `logo` file).
#[post("/admin/libraries/{isil}/logo")]
pub async fn upload_logo(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: Multipart,
) -> HttpResponse {
    let sent = read(form, "logo", UPLOAD_LIMIT, |csrf| staff.sent(csrf)).await;
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let t = chrome(&state, &req, "logo-title", "").t;
    let refused =
        |text: String, status| render(&state, &req, &staff, &library, (None, Some(text)), status);
    let image = match sent {
        Ok(sent) => sent.file,
        Err(Unread::Forged) => return forbidden(&state, &req),
        Err(Unread::TooLarge) => {
            return refused(t.t("refused-logo_too_large"), StatusCode::PAYLOAD_TOO_LARGE);
        }
        Err(Unread::Broken) => {
            return refused(t.t("reports-unreadable"), StatusCode::BAD_REQUEST);
        }
    };
    let now = state.clock.now();
    let editor = &state.ports.editor;
    match editor
        .set_logo(&staff.principal, &library.isil, Some(image), now)
        .await
    {
        Ok(Ok(_)) => see_other(&format!(
            "/admin/libraries/{}/logo?lang={}&saved=1",
            library.isil, t.lang
        )),
        Ok(Err(refusal)) => refused(
            super::refusal_text(&t, refusal),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => failure(e),
    }
}

/// `POST /admin/libraries/{isil}/logo/remove`: the e-library page shows the name alone again.
#[post("/admin/libraries/{isil}/logo/remove")]
pub async fn remove_logo(
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
    let now = state.clock.now();
    match state
        .ports
        .editor
        .set_logo(&staff.principal, &library.isil, None, now)
        .await
    {
        Ok(Ok(_)) => see_other(&format!(
            "/admin/libraries/{}/logo?lang={}&removed=1",
            library.isil,
            tilgang_web::chrome::language(&req, None, None)
        )),
        Ok(Err(_)) => not_found(&state, &req, &staff),
        Err(e) => failure(e),
    }
}

/// `GET /l/{isil}/logo`: the image, for an active library that has one.
#[get("/l/{isil}/logo")]
pub async fn logo(
    state: web::Data<State>,
    req: HttpRequest,
    isil: web::Path<String>,
) -> HttpResponse {
    let library = match found(&state, &req, &isil).await {
        Ok((library, _)) => library,
        Err(page) => return page,
    };
    match state.ports.directory.logo(&library.isil).await {
        Ok(Some(logo)) => HttpResponse::Ok()
            .content_type(logo.content_type)
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
            .body(logo.bytes),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(e) => failure(e),
    }
}
