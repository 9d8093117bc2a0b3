//! The consortium admin's register pages: `/admin/import`, where a BaseBibliotek XML export or
//! a CSV file (at most 32 MiB) is imported into the register in one transaction — known ISILs
//! updated, new ones registered, records without a usable ISIL left out and listed, any other
//! invalid record refusing the whole file with every one at fault listed — and the *Suspend*
//! / *Make active again* button on each library's page. Through `registry`'s
//! [`LibraryEditor`](tilgang_kernel::ports::LibraryEditor) port; library admins and vendors get
//! 404.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::Principal;
use tilgang_kernel::ports::{ImportOutcome, ImportProblem};
use tilgang_web::i18n::Args;

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page, posted_for};
use super::library::failure;
use super::staff::Staff;
use super::upload::{Unread, read};
use crate::pages::{ImportPage, ImportRow};

/// The largest file (as for the API).
const FILE_LIMIT: usize = 32 << 20;

/// What the page says besides the form.
#[derive(Default)]
struct Said {
    format: String,
    notice: Option<String>,
    problem: Option<String>,
    heading: String,
    rows: Vec<ImportProblem>,
}

fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let chrome = chrome(state, req, "import-title", "/admin/import");
    let bar = bar(&chrome, staff);
    let rows = said
        .rows
        .into_iter()
        .map(|p| ImportRow {
            record: p.record,
            isil: p.isil.unwrap_or_default(),
            reason: p.reason,
        })
        .collect();
    page(
        status,
        &ImportPage {
            chrome,
            bar,
            format: said.format,
            notice: said.notice,
            problem: said.problem,
            rows_heading: said.heading,
            rows,
        },
    )
}

fn consortium(staff: &Staff) -> bool {
    matches!(staff.principal, Principal::ConsortiumAdmin { .. })
}

/// `GET /admin/import`: the upload form.
#[get("/admin/import")]
pub async fn import_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    if !consortium(&staff) {
        return not_found(&state, &req, &staff);
    }
    render(&state, &req, &staff, Said::default(), StatusCode::OK)
}

/// `POST /admin/import` (`multipart/form-data`: `csrf`, `format`, the `file`).
#[post("/admin/import")]
pub async fn import(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: Multipart,
) -> HttpResponse {
    if !consortium(&staff) {
        return not_found(&state, &req, &staff);
    }
    let t = chrome(&state, &req, "import-title", "").t;
    let refused = |key: &str, format: String| Said {
        format,
        problem: Some(t.t(key)),
        ..Said::default()
    };
    let sent = match read(form, "file", FILE_LIMIT, |csrf| staff.sent(csrf)).await {
        Ok(sent) => sent,
        Err(Unread::TooLarge) => {
            let said = refused("import-too-large", String::new());
            return render(&state, &req, &staff, said, StatusCode::PAYLOAD_TOO_LARGE);
        }
        Err(Unread::Forged) => return forbidden(&state, &req),
        Err(Unread::Broken) => {
            let said = refused("reports-unreadable", String::new());
            return render(&state, &req, &staff, said, StatusCode::BAD_REQUEST);
        }
    };
    let format = sent.field("format");
    let Ok(text) = String::from_utf8(sent.file) else {
        let said = refused("import-not-text", format);
        return render(&state, &req, &staff, said, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let now = state.clock.now();
    let editor = &state.ports.editor;
    let (said, status) = match editor.import(&staff.principal, &format, text, now).await {
        Ok(Ok(ImportOutcome::Imported {
            created,
            updated,
            unchanged,
            skipped,
        })) => {
            let mut args = Args::new();
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            args.set("created", count(created));
            args.set("updated", count(updated));
            args.set("unchanged", count(unchanged));
            args.set("skipped", count(skipped.len()));
            let said = Said {
                format,
                notice: Some(t.ta("import-done", &args)),
                heading: t.t("import-skipped"),
                rows: skipped,
                ..Said::default()
            };
            (said, StatusCode::OK)
        }
        Ok(Ok(ImportOutcome::Refused(problems))) => {
            let said = Said {
                format,
                problem: Some(t.t("import-refused")),
                heading: t.t("import-invalid"),
                rows: problems,
                ..Said::default()
            };
            (said, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(refusal)) => {
            let said = Said {
                format,
                problem: Some(super::refusal_text(&t, refusal)),
                ..Said::default()
            };
            (said, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return failure(e),
    };
    render(&state, &req, &staff, said, status)
}

/// `POST /admin/libraries/{isil}/status`: suspends the library (`active=false`) or makes it
/// active again (consortium admins).
#[post("/admin/libraries/{isil}/status")]
pub async fn set_status(
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
    if !consortium(&staff) {
        return not_found(&state, &req, &staff);
    }
    let active = form.get("active").map(String::as_str) == Some("true");
    let now = state.clock.now();
    let editor = &state.ports.editor;
    match editor
        .set_active(&staff.principal, &library.isil, active, now)
        .await
    {
        Ok(Ok(changed)) => {
            let lang = tilgang_web::chrome::language(&req, None, None);
            super::see_other(&format!("/admin/libraries/{}?lang={lang}", changed.isil))
        }
        Ok(Err(refusal)) => failure(refusal.message),
        Err(e) => failure(e),
    }
}
