//! `/api/v1/agreements`: consortium agreements, one product for many libraries.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::ports::AgreementDraft;
use tilgang_kernel::{AgreementId, ConsortiumId, Principal};
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::trials::paged;
use super::{State, caller_scope, parse_date, parse_isil};
use crate::domain::agreement::{Agreement, Share, Split};
use crate::domain::subscription::Currency;
use crate::storage::agreements;

/// A new agreement.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    /// Its name.
    #[schema(example = "Nordlys e-books for Viken 2027")]
    name: String,
    /// The product: id or slug.
    #[schema(example = "nordlys-ebok")]
    product: String,
    /// Every member of this consortium or region.
    consortium: Option<ConsortiumId>,
    /// These libraries (as well).
    #[serde(default)]
    #[schema(example = json!(["NO-2030000", "NO-2060200"]))]
    isils: Vec<String>,
    /// The population each library serves, by ISIL (needed for `split: population`).
    #[serde(default)]
    populations: BTreeMap<String, u64>,
    /// First day, YYYY-MM-DD, Europe/Oslo.
    #[schema(example = "2027-01-01")]
    starts_on: String,
    /// Last day, included.
    #[schema(example = "2027-12-31")]
    ends_on: String,
    /// Price for the whole period and all members, in minor units.
    #[schema(example = 50_000_000)]
    price_minor: i64,
    /// Currency.
    currency: Currency,
    /// How the price is shared: `equal` or `population`.
    split: Split,
}

/// An agreement with the shares of the price the caller may see: all of them for consortium
/// admins, a library admin's own libraries', none for vendors.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgreementView {
    /// The agreement.
    #[serde(flatten)]
    agreement: Agreement,
    /// Shares of the price.
    shares: Vec<Share>,
}

fn view(caller: &Principal, agreement: Agreement) -> AgreementView {
    let shares = agreement
        .shares()
        .into_iter()
        .filter(|s| caller.acts_for_library(&s.isil))
        .collect();
    AgreementView { agreement, shares }
}

/// Makes an agreement (consortium admins): every member gets access from the first day to the
/// last, and the vendor gets `agreement.changed`.
#[utoipa::path(
    tag = "agreements",
    request_body = AgreementInput,
    responses((status = 201, body = AgreementView), (status = 400), (status = 403), (status = 404, description = "an unknown library, consortium or product"), (status = 422))
)]
#[post("/api/v1/agreements")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<AgreementInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    // ISILs are checked here too, for the API's `rule` of an invalid one.
    for text in &body.isils {
        parse_isil("isils", text)?;
    }
    for text in body.populations.keys() {
        parse_isil("populations", text)?;
    }
    let draft = AgreementDraft {
        name: body.name,
        product: body.product,
        group: body.consortium,
        isils: body.isils,
        populations: body.populations,
        starts_on: parse_date("starts_on", &body.starts_on)?,
        ends_on: parse_date("ends_on", &body.ends_on)?,
        price_minor: body.price_minor,
        currency: body.currency.as_str().to_owned(),
        split: body.split.as_str().to_owned(),
    };
    let request = state.desk.agreement_request(draft).await?;
    let a = state.desk.create_agreement(&caller, request).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/agreements/{}", a.id)))
        .json(view(&caller, a)))
}

/// Agreements the caller may see, newest first.
#[utoipa::path(tag = "agreements", params(PageParams), responses((status = 200, body = Page<AgreementView>)))]
#[get("/api/v1/agreements")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<AgreementView>>, ApiError> {
    let scope = caller_scope(&state, &caller, None, None).await?;
    let all = agreements::list(&state.desk.db, &scope).await?;
    let views = all.into_iter().map(|a| view(&caller, a)).collect();
    Ok(web::Json(paged(views, *page)))
}

/// An agreement (404 to those who may not see it).
#[utoipa::path(tag = "agreements", params(("id" = AgreementId, Path)), responses((status = 200, body = AgreementView), (status = 404)))]
#[get("/api/v1/agreements/{id}")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<AgreementId>,
) -> Result<web::Json<AgreementView>, ApiError> {
    let a = state.desk.visible_agreement(&caller, *id).await?;
    Ok(web::Json(view(&caller, a)))
}

/// Cancels an agreement (consortium admins): access ends with today, or never begins.
#[utoipa::path(tag = "agreements", params(("id" = AgreementId, Path)), responses((status = 200, body = AgreementView), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/agreements/{id}/cancel")]
pub async fn cancel(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<AgreementId>,
) -> Result<web::Json<AgreementView>, ApiError> {
    let a = state.desk.cancel_agreement(&caller, *id).await?;
    Ok(web::Json(view(&caller, a)))
}
