//! The consortium's watch pages: `/admin/webhook-failures`, every vendor's deliveries of events
//! that were given up (consortium admins only; failed test events are the vendor's own business), and `/admin/audit`, who changed which trial or
//! subscription (a library admin sees their libraries' entries, a consortium admin all; staff
//! are named as the register names them, and a removed account by its subject),
//! through the [`Oversight`](tilgang_kernel::ports::Oversight) port.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use tilgang_kernel::Principal;

use super::State;
use super::admin::{bar, chrome, not_found, page};
use super::library::{failure, moment};
use super::staff::Staff;
use super::webhooks::delivery_rows;
use crate::pages::{AuditRow, AuditTrail, WebhookFailures};

/// Most rows each page shows.
const MOST: u64 = 200;

/// `GET /admin/webhook-failures`: the deliveries given up after the last retry, newest first.
#[get("/admin/webhook-failures")]
pub async fn failures_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
) -> HttpResponse {
    if !matches!(staff.principal, Principal::ConsortiumAdmin { .. }) {
        return not_found(&state, &req, &staff);
    }
    let caller = &staff.principal;
    let failed = Some("failed".to_owned());
    let deliveries = match state.ports.oversight.deliveries(caller, failed, MOST).await {
        // A vendor's own test event that failed tells the consortium nothing.
        Ok(Ok(deliveries)) => deliveries
            .into_iter()
            .filter(|d| d.event_type != "webhook.test")
            .collect(),
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let endpoints = match state.ports.oversight.endpoints(caller).await {
        Ok(Ok(endpoints)) => endpoints,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let chrome = chrome(&state, &req, "failures-title", "/admin/webhook-failures");
    let deliveries = delivery_rows(&chrome.t, chrome.lang, deliveries, &endpoints, &products);
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &WebhookFailures {
            chrome,
            bar,
            deliveries,
            show_vendor: true,
        },
    )
}

/// `GET /admin/audit`: the newest entries of the audit trail the staff member may see.
#[get("/admin/audit")]
pub async fn audit_page(state: web::Data<State>, req: HttpRequest, staff: Staff) -> HttpResponse {
    if !matches!(
        staff.principal,
        Principal::ConsortiumAdmin { .. } | Principal::LibraryAdmin { .. }
    ) {
        return not_found(&state, &req, &staff);
    }
    let entries = match state.ports.oversight.audit(&staff.principal, MOST).await {
        Ok(Ok(entries)) => entries,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let chrome = chrome(&state, &req, "audit-title", "/admin/audit");
    let lang = chrome.lang;
    let mut names = std::collections::HashMap::new();
    let mut actors = std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        if !names.contains_key(&e.isil) {
            let found = match tilgang_kernel::Isil::parse(&e.isil) {
                Ok(isil) => match state.ports.directory.library(&isil).await {
                    Ok(found) => found.map(|l| l.name),
                    Err(err) => return failure(err),
                },
                Err(_) => None,
            };
            names.insert(e.isil.clone(), found.unwrap_or_else(|| e.isil.clone()));
        }
        if !actors.contains_key(&e.actor) {
            let name = match e.actor.as_str() {
                "system" => chrome.t.t("audit-system"),
                subject => match state.ports.staff.current(subject).await {
                    Ok(found) => found.map_or_else(|| subject.to_owned(), |(_, name)| name),
                    Err(err) => return failure(err),
                },
            };
            actors.insert(e.actor.clone(), name);
        }
        rows.push(AuditRow {
            at: moment(lang, e.at),
            actor: actors[&e.actor].clone(),
            library: names[&e.isil].clone(),
            product: products
                .iter()
                .find(|p| p.id == e.product)
                .map_or_else(|| e.product.0.to_string(), |p| p.name(lang).to_owned()),
            isil: e.isil,
            action: e.action,
        });
    }
    let bar = bar(&chrome, &staff);
    page(
        StatusCode::OK,
        &AuditTrail {
            chrome,
            bar,
            entries: rows,
        },
    )
}
