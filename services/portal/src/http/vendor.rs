//! `/vendor`: the pages of a vendor's staff. For now, the trial requests of the vendor's
//! products that wait for its answer, each confirmed or declined with one button through the
//! [`Trials`](tilgang_kernel::ports::Trials) port. Library admins have no vendor pages (404);
//! a consortium admin sees every vendor's requests.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::{Principal, TrialId};

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page};
use super::library::failure;
use super::staff::Staff;
use crate::pages::{VendorHome, WaitingTrial};

/// What the page says after an answer.
#[derive(Debug, Deserialize)]
pub struct Answered {
    confirmed: Option<String>,
    declined: Option<String>,
}

fn vendor_staff(staff: &Staff) -> bool {
    matches!(
        staff.principal,
        Principal::Vendor { .. } | Principal::ConsortiumAdmin { .. }
    )
}

async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    notice_key: Option<(&str, String)>,
    problem: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let waiting = match state.ports.trials.waiting(&staff.principal).await {
        Ok(Ok(waiting)) => waiting,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let mut chrome = chrome(state, req, "vendor-title", "/vendor");
    let lang = chrome.lang;
    let t = chrome.t.clone();
    chrome.title = t.t("vendor-title");
    let mut rows = Vec::with_capacity(waiting.len());
    for trial in waiting {
        let library = match state.ports.directory.library(&trial.isil).await {
            Ok(found) => found.map_or_else(|| trial.isil.to_string(), |l| l.name),
            Err(e) => return failure(e),
        };
        let product = products
            .iter()
            .find(|p| p.id == trial.product)
            .map_or_else(String::new, |p| p.name(lang).to_owned());
        let mut args = tilgang_web::i18n::Args::new();
        args.set("product", product.clone());
        args.set("library", library.clone());
        rows.push(WaitingTrial {
            id: trial.id.to_string(),
            isil: trial.isil.to_string(),
            confirm: t.ta("vendor-confirm-label", &args),
            decline: t.ta("vendor-decline-label", &args),
            library,
            product,
        });
    }
    let notice = notice_key.map(|(key, library)| t.t1(key, "library", &library));
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorHome {
            chrome,
            bar,
            waiting: rows,
            notice,
            problem,
        },
    )
}

/// `GET /vendor`: the trial requests waiting for the vendor's answer.
#[get("/vendor")]
pub async fn home(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    answered: web::Query<Answered>,
) -> HttpResponse {
    if !vendor_staff(&staff) {
        return not_found(&state, &req, &staff);
    }
    // The notice names the library the answer was for, as the register names it.
    let (key, isil) = match (&answered.confirmed, &answered.declined) {
        (Some(isil), _) => ("vendor-confirmed", Some(isil)),
        (None, Some(isil)) => ("vendor-declined", Some(isil)),
        _ => ("", None),
    };
    let mut notice = None;
    if let Some(Ok(isil)) = isil.map(|i| tilgang_kernel::Isil::parse(i)) {
        match state.ports.directory.library(&isil).await {
            Ok(Some(library)) => notice = Some((key, library.name)),
            Ok(None) => {}
            Err(e) => return failure(e),
        }
    }
    render(&state, &req, &staff, notice, None, StatusCode::OK).await
}

/// `POST /vendor/trials/{id}`: confirms (`decision=confirm`) or declines the request.
#[post("/vendor/trials/{id}")]
pub async fn decide(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return forbidden(&state, &req);
    }
    if !vendor_staff(&staff) {
        return not_found(&state, &req, &staff);
    }
    let Ok(id) = id.parse::<TrialId>() else {
        return not_found(&state, &req, &staff);
    };
    let confirm = form.get("decision").map(String::as_str) == Some("confirm");
    let lang = tilgang_web::chrome::language(&req, None, None);
    match state
        .ports
        .trials
        .decide(&staff.principal, id, confirm)
        .await
    {
        Ok(Ok(trial)) => {
            let what = if confirm { "confirmed" } else { "declined" };
            super::see_other(&format!("/vendor?lang={lang}&{what}={}", trial.isil))
        }
        Ok(Err(refusal)) if matches!(refusal.code.as_str(), "not_found" | "forbidden") => {
            not_found(&state, &req, &staff)
        }
        Ok(Err(refusal)) => {
            let problem = super::refusal_text(&state.catalog.localizer(lang), refusal);
            render(
                &state,
                &req,
                &staff,
                None,
                Some(problem),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => failure(e),
    }
}
