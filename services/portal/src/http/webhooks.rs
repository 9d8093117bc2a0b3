//! `/vendor/webhooks`: a vendor's webhook endpoints, a form to add one (its signing secret is
//! shown once, on the page that answers the form, never in an address), a *Send a test event*
//! button per endpoint, and the delivery log, through the
//! [`Oversight`](tilgang_kernel::ports::Oversight) port with the API's rules. Only vendors'
//! staff have the page; others get 404, as does another vendor's endpoint.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::ports::{ProductSummary, Refusal, WebhookDelivery, WebhookEndpoint};
use tilgang_kernel::{EndpointId, Principal};
use tilgang_web::i18n::Localizer;

use super::State;
use super::admin::{bar, chrome, forbidden, not_found, page};
use super::library::{failure, moment};
use super::staff::Staff;
use crate::pages::{DeliveryRow, EndpointRow, EventChoice, VendorWebhooks};

/// The events an endpoint can ask for, with the key of their meaning; `subscriptions` checks
/// the names again.
const EVENTS: [(&str, &str); 8] = [
    ("trial.requested", "event-trial-requested"),
    ("trial.started", "event-trial-started"),
    ("trial.ended", "event-trial-ended"),
    ("trial.converted", "event-trial-converted"),
    ("subscription.started", "event-subscription-started"),
    ("subscription.ended", "event-subscription-ended"),
    ("agreement.changed", "event-agreement-changed"),
    ("library.updated", "event-library-updated"),
];

/// Most deliveries the log shows.
const LOG_LENGTH: u64 = 50;

/// What the page says after a button.
#[derive(Debug, Deserialize)]
pub struct Done {
    tested: Option<String>,
    removed: Option<String>,
}

/// What the add form held, to show again.
#[derive(Default)]
struct Typed {
    url: String,
    events: Vec<String>,
}

/// What the page says besides the lists: the form as typed, a new secret, a notice or why the
/// form was refused, and the status.
struct Outcome {
    typed: Typed,
    secret: Option<String>,
    notice: Option<String>,
    problem: Option<String>,
    status: StatusCode,
}

impl Outcome {
    fn ok(notice: Option<String>) -> Self {
        Self {
            typed: Typed::default(),
            secret: None,
            notice,
            problem: None,
            status: StatusCode::OK,
        }
    }
}

/// The log's rows: `endpoints` give the URLs, `products` the vendors' names.
pub(super) fn delivery_rows(
    t: &Localizer,
    lang: &str,
    deliveries: Vec<WebhookDelivery>,
    endpoints: &[WebhookEndpoint],
    products: &[ProductSummary],
) -> Vec<DeliveryRow> {
    deliveries
        .into_iter()
        .map(|d| DeliveryRow {
            at: moment(lang, d.created_at),
            vendor: products
                .iter()
                .find(|p| p.vendor == d.vendor)
                .map_or_else(|| d.vendor.to_string(), |p| p.vendor_name.clone()),
            url: endpoints
                .iter()
                .find(|e| e.id == d.endpoint)
                .map_or_else(|| t.t("webhooks-removed-endpoint"), |e| e.url.clone()),
            event: d.event_type,
            state: t.t(&format!("delivery-{}", d.state)),
            attempts: d.attempts,
            answer: match (d.last_status, d.last_error) {
                (_, Some(error)) => error,
                (Some(status), None) => format!("HTTP {status}"),
                (None, None) => String::new(),
            },
        })
        .collect()
}

async fn render(state: &State, req: &HttpRequest, staff: &Staff, outcome: Outcome) -> HttpResponse {
    let Outcome {
        typed,
        secret,
        notice,
        problem,
        status,
    } = outcome;
    let caller = &staff.principal;
    let endpoints = match state.ports.oversight.endpoints(caller).await {
        Ok(Ok(endpoints)) => endpoints,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let deliveries = match state
        .ports
        .oversight
        .deliveries(caller, None, LOG_LENGTH)
        .await
    {
        Ok(Ok(deliveries)) => deliveries,
        Ok(Err(refusal)) => return failure(refusal.message),
        Err(e) => return failure(e),
    };
    let chrome = chrome(state, req, "webhooks-title", "/vendor/webhooks");
    let t = chrome.t.clone();
    let deliveries = delivery_rows(&t, chrome.lang, deliveries, &endpoints, &[]);
    let rows = endpoints
        .into_iter()
        .map(|e| EndpointRow {
            id: e.id.to_string(),
            events: e.events.join(", "),
            test_label: t.t1("webhooks-test-label", "url", &e.url),
            remove_label: t.t1("webhooks-remove-label", "url", &e.url),
            url: e.url,
        })
        .collect();
    let events = EVENTS
        .iter()
        .map(|(name, key)| EventChoice {
            name: (*name).to_owned(),
            meaning: t.t(key),
            checked: typed.events.iter().any(|e| e == name),
        })
        .collect();
    let bar = bar(&chrome, staff);
    page(
        status,
        &VendorWebhooks {
            chrome,
            bar,
            endpoints: rows,
            events,
            url: typed.url,
            secret,
            notice,
            problem,
            deliveries,
            show_vendor: false,
        },
    )
}

fn vendor(staff: &Staff) -> bool {
    matches!(staff.principal, Principal::Vendor { .. })
}

/// The page's words for a refusal of the add form.
fn refusal(t: &Localizer, refusal: Refusal) -> String {
    if refusal.field.as_deref() == Some("events") && refusal.code == "field_required" {
        return t.t("webhooks-events-required");
    }
    super::refusal_text(t, refusal)
}

/// `GET /vendor/webhooks`: the endpoints and the delivery log.
#[get("/vendor/webhooks")]
pub async fn webhooks_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    done: web::Query<Done>,
) -> HttpResponse {
    if !vendor(&staff) {
        return not_found(&state, &req, &staff);
    }
    let t = chrome(&state, &req, "webhooks-title", "").t;
    let notice = match (&done.tested, &done.removed) {
        (Some(_), _) => Some(t.t("webhooks-tested")),
        (None, Some(_)) => Some(t.t("webhooks-removed")),
        _ => None,
    };
    render(&state, &req, &staff, Outcome::ok(notice)).await
}

/// `POST /vendor/webhooks`: adds an endpoint (`url`, one `event` per ticked box) and shows its
/// signing secret.
#[post("/vendor/webhooks")]
pub async fn add(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if !field("csrf").is_some_and(|csrf| staff.sent(&csrf)) {
        return forbidden(&state, &req);
    }
    if !vendor(&staff) {
        return not_found(&state, &req, &staff);
    }
    let typed = Typed {
        url: field("url").unwrap_or_default().trim().to_owned(),
        events: form
            .iter()
            .filter(|(k, _)| k == "event")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let added = state
        .ports
        .oversight
        .add_endpoint(&staff.principal, &typed.url, typed.events.clone())
        .await;
    let t = chrome(&state, &req, "webhooks-title", "").t;
    match added {
        Ok(Ok(new)) => {
            let notice = Some(t.t1("webhooks-added", "url", &new.endpoint.url));
            let outcome = Outcome {
                secret: Some(new.secret),
                status: StatusCode::CREATED,
                ..Outcome::ok(notice)
            };
            render(&state, &req, &staff, outcome).await
        }
        Ok(Err(why)) => {
            let outcome = Outcome {
                typed,
                problem: Some(refusal(&t, why)),
                status: StatusCode::UNPROCESSABLE_ENTITY,
                ..Outcome::ok(None)
            };
            render(&state, &req, &staff, outcome).await
        }
        Err(e) => failure(e),
    }
}

/// `POST /vendor/webhooks/{id}/{action}`: `test` queues a test event for the endpoint,
/// `remove` removes it.
#[post("/vendor/webhooks/{id}/{action}")]
pub async fn act(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    if !form.get("csrf").is_some_and(|csrf| staff.sent(csrf)) {
        return forbidden(&state, &req);
    }
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<EndpointId>() else {
        return not_found(&state, &req, &staff);
    };
    if !vendor(&staff) {
        return not_found(&state, &req, &staff);
    }
    let oversight = &state.ports.oversight;
    let done = match action.as_str() {
        "test" => oversight
            .send_test(&staff.principal, id)
            .await
            .map(|r| r.map(|_| "tested")),
        "remove" => oversight
            .remove_endpoint(&staff.principal, id)
            .await
            .map(|r| r.map(|()| "removed")),
        _ => return not_found(&state, &req, &staff),
    };
    let lang = tilgang_web::chrome::language(&req, None, None);
    match done {
        Ok(Ok(what)) => {
            super::see_other(&format!("/vendor/webhooks?lang={lang}&{what}=1#endpoints"))
        }
        Ok(Err(refusal)) if refusal.code == "test_pending" => {
            let t = chrome(&state, &req, "webhooks-title", "").t;
            let outcome = Outcome {
                problem: Some(t.t("webhooks-test-pending")),
                status: StatusCode::CONFLICT,
                ..Outcome::ok(None)
            };
            render(&state, &req, &staff, outcome).await
        }
        Ok(Err(_)) => not_found(&state, &req, &staff),
        Err(e) => failure(e),
    }
}
