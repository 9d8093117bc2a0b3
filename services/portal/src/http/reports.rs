//! `/vendor/reports`: a vendor's staff upload a COUNTER R5.1 report of one of its products as a
//! file, and see what became of it: stored (replacing one for the same period, if any), or
//! every problem on its line of the file, with nothing stored. Checked by `usage` with the
//! same rules as `POST /api/v1/usage/reports`, through the
//! [`UsageReports`](tilgang_kernel::ports::UsageReports) port. Below the form, the reports the
//! vendor sent. Only vendors' staff have the page; others get 404.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::Principal;
use tilgang_kernel::ports::{ReportProblem, UploadOutcome, UsageReports};

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page};
use super::library::{date, failure, moment};
use super::staff::Staff;
use super::upload::{Unread, read};
use crate::pages::{ProblemRow, ReceivedRow, VendorReports};

/// The largest file (as for the API).
const FILE_LIMIT: usize = 32 << 20;
/// Most reports listed.
const LISTED: u64 = 50;

/// What the page says besides the form and the list.
#[derive(Default)]
struct Said {
    chosen: String,
    notice: Option<String>,
    problem: Option<String>,
    problems: Vec<ReportProblem>,
}

async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    usage: &dyn UsageReports,
    said: Said,
    status: StatusCode,
) -> HttpResponse {
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let received = match usage.received(&staff.principal, LISTED).await {
        Ok(Ok(received)) => received,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let chrome = chrome(state, req, "reports-title", "/vendor/reports");
    let lang = chrome.lang;
    let name = |id| {
        products
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.name(lang).to_owned())
    };
    let received = received
        .into_iter()
        .map(|r| ReceivedRow {
            at: moment(lang, r.received_at),
            product: name(r.product),
            period: format!("{} – {}", date(lang, r.begin), date(lang, r.end)),
            replaced: r.replaced_at.map(|at| moment(lang, at)).unwrap_or_default(),
            isil: r.isil,
            kind: r.kind,
            rows: r.rows,
        })
        .collect();
    let own = staff.principal.own_vendor();
    let products = products
        .iter()
        .filter(|p| Some(p.vendor) == own)
        .map(|p| (p.slug.clone(), p.name(lang).to_owned()))
        .collect();
    let problems = said
        .problems
        .into_iter()
        .map(|p| ProblemRow {
            line: p.line.map(|l| l.to_string()).unwrap_or_default(),
            pointer: p.pointer,
            message: p.message,
        })
        .collect();
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorReports {
            chrome,
            bar,
            products,
            chosen: said.chosen,
            notice: said.notice,
            problem: said.problem,
            problems,
            received,
        },
    )
}

/// The usage port, for a vendor's staff; else the page to show instead.
async fn usage_for<'a>(
    state: &'a State,
    req: &HttpRequest,
    staff: &Staff,
) -> Result<&'a dyn UsageReports, HttpResponse> {
    if !matches!(staff.principal, Principal::Vendor { .. }) {
        return Err(not_found(state, req, staff));
    }
    match &state.ports.usage {
        Some(usage) => Ok(usage.as_ref()),
        None => Err(failure("usage statistics do not run in this process")),
    }
}

/// `GET /vendor/reports`: the upload form and the reports received.
#[get("/vendor/reports")]
pub async fn reports_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    let usage = match usage_for(&state, &req, &staff).await {
        Ok(usage) => usage,
        Err(page) => return page,
    };
    render(&state, &req, &staff, usage, Said::default(), StatusCode::OK).await
}

/// `POST /vendor/reports` (`multipart/form-data`: `csrf`, `product`, the file `report`).
#[post("/vendor/reports")]
pub async fn send(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: Multipart,
) -> HttpResponse {
    let usage = match usage_for(&state, &req, &staff).await {
        Ok(usage) => usage,
        Err(page) => return page,
    };
    let chrome = chrome(&state, &req, "reports-title", "");
    let (t, lang) = (chrome.t, chrome.lang);
    let refused = |key: &str, chosen: String| Said {
        chosen,
        problem: Some(t.t(key)),
        ..Said::default()
    };
    let sent = match read(form, "report", FILE_LIMIT, |csrf| staff.sent(csrf)).await {
        Ok(sent) => sent,
        Err(Unread::TooLarge) => {
            let said = refused("reports-too-large", String::new());
            return render(
                &state,
                &req,
                &staff,
                usage,
                said,
                StatusCode::PAYLOAD_TOO_LARGE,
            )
            .await;
        }
        Err(Unread::Forged) => return forbidden(&state, &req),
        Err(Unread::Broken) => {
            let said = refused("reports-unreadable", String::new());
            return render(&state, &req, &staff, usage, said, StatusCode::BAD_REQUEST).await;
        }
    };
    let chosen = sent.field("product");
    let Ok(text) = String::from_utf8(sent.file) else {
        let said = refused("reports-not-text", chosen);
        return render(
            &state,
            &req,
            &staff,
            usage,
            said,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let outcome = usage.upload(&staff.principal, &chosen, text).await;
    let (said, status) = match outcome {
        Ok(Ok(UploadOutcome::Stored { report, replaced })) => {
            let mut args = tilgang_web::i18n::Args::new();
            args.set("kind", report.kind.clone());
            args.set("isil", report.isil.clone());
            args.set("rows", report.rows);
            args.set("from", date(lang, report.begin));
            args.set("to", date(lang, report.end));
            let key = if replaced {
                "reports-replacing"
            } else {
                "reports-stored"
            };
            let said = Said {
                chosen,
                notice: Some(t.ta(key, &args)),
                ..Said::default()
            };
            (said, StatusCode::CREATED)
        }
        Ok(Ok(UploadOutcome::Refused(problems))) => {
            let mut args = tilgang_web::i18n::Args::new();
            args.set("count", i64::try_from(problems.len()).unwrap_or(i64::MAX));
            let said = Said {
                chosen,
                problem: Some(t.ta("reports-refused", &args)),
                problems,
                ..Said::default()
            };
            (said, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Ok(Err(refusal)) if refusal.code == "forbidden" || refusal.code == "product_not_found" => {
            (refused("reports-not-yours", chosen), StatusCode::NOT_FOUND)
        }
        Ok(Err(refusal)) => {
            let said = Said {
                chosen,
                problem: Some(super::refusal_text(&t, refusal)),
                ..Said::default()
            };
            (said, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return failure(e),
    };
    render(&state, &req, &staff, usage, said, status).await
}
