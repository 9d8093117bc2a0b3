//! The hub's COUNTER API 5.1 (SUSHI server) at `/sushi/r51`: `status`, `members`, `reports`,
//! `reports/pr` and `reports/pr_p1`, per library. `customer_id` is the library's ISIL; a
//! client authenticates with the `requestor_id` and `api_key` of a credential made at
//! `/api/v1/usage/sushi-credentials`, which names the libraries it may harvest. Errors are
//! COUNTER exceptions with their standard codes and HTTP statuses.

mod counts;
pub mod exception;
mod request;

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use tilgang_counter::{PlatformHeader, ReportKind, platform_report};
use tilgang_kernel::Isil;

use crate::domain::time::{day_of, month_of};
use crate::http::State;
use crate::storage::sushi_credentials::{self, SushiCredential};
use exception::Exception;
use request::{PlatformRequest, given};

/// Who the hub says it is in `Created_By`.
const CREATED_BY: &str = "Tilgang";

type Query = web::Query<HashMap<String, String>>;

/// Registers the routes under `/sushi/r51`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(status)
        .service(members)
        .service(reports)
        .service(pr)
        .service(pr_p1);
}

/// Whether the service is up (no credential needed).
#[get("/sushi/r51/status")]
async fn status() -> HttpResponse {
    HttpResponse::Ok().json(json!([{
        "Description": "Tilgang COUNTER API: usage per library; customer_id is the library's ISIL",
        "Service_Active": true,
    }]))
}

/// The libraries the credential may harvest (or the one `customer_id` names).
#[get("/sushi/r51/members")]
async fn members(state: web::Data<State>, query: Query) -> Result<HttpResponse, Exception> {
    let credential = authorize(&state, &query).await?;
    let customer = given(&query, "customer_id")
        .ok_or_else(|| Exception::new(1030, "customer_id is required"))?;
    let libraries = if customer == credential.requestor_id {
        match &credential.isils {
            Some(isils) => {
                let mut found = Vec::new();
                for isil in isils {
                    found.extend(state.directory.library(isil).await.map_err(unavailable)?);
                }
                found
            }
            None => state.directory.libraries().await.map_err(unavailable)?,
        }
    } else {
        let isil = covered(&credential, customer)?;
        vec![library(&state, &isil).await?]
    };
    if libraries.is_empty() {
        return Err(Exception::new(2010, "the credential covers no library"));
    }
    let members: Vec<_> = libraries
        .iter()
        .map(|l| {
            json!({
                "Customer_ID": l.isil.as_str(),
                "Institution_Name": l.name,
                "Institution_ID": {"ISIL": [l.isil.as_str()]},
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(members))
}

/// The reports the hub serves for the customer, with the months they cover.
#[get("/sushi/r51/reports")]
async fn reports(state: web::Data<State>, query: Query) -> Result<HttpResponse, Exception> {
    let credential = authorize(&state, &query).await?;
    let isil = customer(&credential, &query)?;
    let last = month_of(last_complete_day(&state));
    let first = crate::storage::rollups::first_month(&state.db, &isil.key())
        .await
        .map_err(storage)?
        .filter(|first| *first <= last)
        .unwrap_or_else(|| last.clone());
    let list = [
        (ReportKind::Pr, "Platform Report", "pr"),
        (ReportKind::PrP1, "Platform Usage", "pr_p1"),
    ]
    .map(|(kind, name, path)| {
        json!({
            "Report_Name": name,
            "Report_ID": kind.id(),
            "Release": "5.1",
            "Report_Description": format!("{name}: the vendors' COUNTER reports and the hub's own access events"),
            "Path": format!("/sushi/r51/reports/{path}"),
            "First_Month_Available": first,
            "Last_Month_Available": last,
        })
    });
    Ok(HttpResponse::Ok().json(list))
}

/// The Platform Report.
#[get("/sushi/r51/reports/pr")]
async fn pr(state: web::Data<State>, query: Query) -> Result<HttpResponse, Exception> {
    platform(&state, &query, ReportKind::Pr).await
}

/// The Platform Usage standard view.
#[get("/sushi/r51/reports/pr_p1")]
async fn pr_p1(state: web::Data<State>, query: Query) -> Result<HttpResponse, Exception> {
    platform(&state, &query, ReportKind::PrP1).await
}

async fn platform(
    state: &State,
    query: &HashMap<String, String>,
    kind: ReportKind,
) -> Result<HttpResponse, Exception> {
    let credential = authorize(state, query).await?;
    let isil = customer(&credential, query)?;
    let mut request = PlatformRequest::read(kind, query)?;
    let library = library(state, &isil).await?;
    let ready = last_complete_day(state);
    if request.end > ready {
        request.exceptions.push(Exception::new(
            3031,
            format!("usage after {} is not complete yet", month_of(ready)),
        ));
    }
    let counts = counts::gather(&state.db, &*state.catalogue, &isil.key(), &request)
        .await
        .map_err(storage)?;
    if counts.is_empty() {
        request.exceptions.push(Exception::new(
            3030,
            format!(
                "no usage from {} to {}",
                month_of(request.begin),
                month_of(request.end)
            ),
        ));
    }
    let mut header = PlatformHeader {
        institution_name: library.name.clone(),
        isil: library.isil.as_str().to_owned(),
        created: state.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        created_by: CREATED_BY.into(),
        begin: request.begin.to_string(),
        end: request.end.to_string(),
        filters: request.filters.clone(),
        show_access_method: request.show_access_method,
        exceptions: request.exceptions.iter().map(Exception::json).collect(),
    };
    let (mut report, left_out) = platform_report(kind, &header, &counts);
    if !left_out.is_empty() {
        header.exceptions.push(
            Exception::new(
                3040,
                format!(
                    "left out, a single metric reported: {}",
                    left_out.join(", ")
                ),
            )
            .json(),
        );
        report = platform_report(kind, &header, &counts).0;
    }
    Ok(HttpResponse::Ok().json(report))
}

/// The credential named by `requestor_id`, if `api_key` is its key.
async fn authorize(
    state: &State,
    query: &HashMap<String, String>,
) -> Result<SushiCredential, Exception> {
    let requestor = given(query, "requestor_id")
        .ok_or_else(|| Exception::new(2000, "requestor_id is required"))?;
    let (credential, hash) = sushi_credentials::find(&state.db, requestor)
        .await
        .map_err(storage)?
        .ok_or_else(|| Exception::new(2000, "no such requestor_id"))?;
    let key = given(query, "api_key").unwrap_or_default();
    if state.api_keys.pseudonym(&[key]) != hash {
        return Err(Exception::new(2020, "api_key is not this requestor's key"));
    }
    Ok(credential)
}

/// The single library `customer_id` names.
fn customer(
    credential: &SushiCredential,
    query: &HashMap<String, String>,
) -> Result<Isil, Exception> {
    let customer = given(query, "customer_id")
        .ok_or_else(|| Exception::new(1030, "customer_id is required"))?;
    if customer == credential.requestor_id {
        return Err(Exception::new(
            2011,
            "reports are per library: ask /members, then each member's ISIL",
        ));
    }
    covered(credential, customer)
}

fn covered(credential: &SushiCredential, customer: &str) -> Result<Isil, Exception> {
    Isil::parse(customer)
        .ok()
        .filter(|isil| credential.covers(isil))
        .ok_or_else(|| {
            Exception::new(
                2010,
                "customer_id must be the ISIL of a library this credential covers",
            )
        })
}

async fn library(
    state: &State,
    isil: &Isil,
) -> Result<tilgang_kernel::ports::LibrarySummary, Exception> {
    state
        .directory
        .library(isil)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| Exception::new(2010, "no library has this ISIL"))
}

/// The last day of the last complete month.
fn last_complete_day(state: &State) -> NaiveDate {
    let today = day_of(state.clock.now());
    let first = today.with_day(1).unwrap_or(today);
    first.pred_opt().unwrap_or(first)
}

fn unavailable(e: tilgang_kernel::ports::PortError) -> Exception {
    tracing::warn!(error = %e, "the COUNTER API could not ask another service");
    Exception::new(1000, "the register is unavailable; try again later")
}

fn storage(e: crate::domain::UsageError) -> Exception {
    tracing::warn!(error = %e, "the COUNTER API could not read its data");
    Exception::new(1000, "usage data is unavailable; try again later")
}
