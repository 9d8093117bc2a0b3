//! `/api/v1/trials`: a library asks for a trial, the vendor confirms or declines it, the
//! library cancels it or converts it to a subscription.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use tilgang_kernel::TrialId;
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::subscriptions::TermsInput;
use super::{State, caller_scope, parse_isil};
use crate::desk::TrialStep;
use crate::domain::subscription::Subscription;
use crate::domain::time::day_of;
use crate::domain::trial::{Trial, TrialState};
use crate::storage::trials;

/// A library's request for a trial.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialRequest {
    /// The library's ISIL.
    #[schema(example = "NO-2030000")]
    isil: String,
    /// The product: its id or its slug.
    #[schema(example = "nordlys-ebok")]
    product: String,
}

/// Filters for the trial list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrialQuery {
    /// Only this library.
    isil: Option<String>,
    /// Only this product (id or slug).
    product: Option<String>,
    /// Only in this state.
    state: Option<TrialState>,
}

/// Trials the caller may see (a library admin: their libraries'; a vendor: its products';
/// consortium admins: all), newest first.
#[utoipa::path(tag = "trials", params(TrialQuery, PageParams), responses((status = 200, body = Page<Trial>), (status = 403)))]
#[get("/api/v1/trials")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<TrialQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Trial>>, ApiError> {
    let (isil, product) = (query.isil.as_deref(), query.product.as_deref());
    let scope = caller_scope(&state, &caller, isil, product).await?;
    let all = trials::list(&state.desk.db, &scope, query.state).await?;
    Ok(web::Json(paged(all, *page)))
}

/// One page out of a whole list.
pub(super) fn paged<T>(all: Vec<T>, page: PageParams) -> Page<T> {
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit()).unwrap_or(usize::MAX))
        .collect();
    Page::new(items, total, page)
}

/// Asks for a trial (the library's admins, consortium admins). It starts at once, unless the
/// product's vendor confirms trials first.
#[utoipa::path(
    tag = "trials",
    request_body = TrialRequest,
    responses(
        (status = 201, body = Trial),
        (status = 403, description = "not an admin of this library"),
        (status = 404, description = "unknown library or product"),
        (status = 409, description = "already subscribed, a trial is open, or the waiting period has not passed"),
        (status = 422, description = "the product offers no trials"),
    )
)]
#[post("/api/v1/trials")]
pub async fn request(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<TrialRequest>,
) -> Result<HttpResponse, ApiError> {
    let isil = parse_isil("isil", &body.isil)?;
    let product = state.desk.product_ref(&body.product).await?;
    let trial = state.desk.request_trial(&caller, &isil, product).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/trials/{}", trial.id)))
        .json(trial))
}

/// A trial (404 to those who may not see it).
#[utoipa::path(tag = "trials", params(("id" = TrialId, Path)), responses((status = 200, body = Trial), (status = 404)))]
#[get("/api/v1/trials/{id}")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<TrialId>,
) -> Result<web::Json<Trial>, ApiError> {
    Ok(web::Json(state.desk.visible_trial(&caller, *id).await?))
}

async fn step(
    state: &State,
    caller: &Authenticated,
    id: TrialId,
    step: TrialStep,
) -> Result<web::Json<Trial>, ApiError> {
    Ok(web::Json(state.desk.trial_step(caller, id, step).await?))
}

/// The vendor (or a consortium admin) confirms a requested trial: it starts now.
#[utoipa::path(tag = "trials", params(("id" = TrialId, Path)), responses((status = 200, body = Trial), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/trials/{id}/confirm")]
pub async fn confirm(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<TrialId>,
) -> Result<web::Json<Trial>, ApiError> {
    step(&state, &caller, *id, TrialStep::Confirm).await
}

/// The vendor (or a consortium admin) declines a requested trial.
#[utoipa::path(tag = "trials", params(("id" = TrialId, Path)), responses((status = 200, body = Trial), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/trials/{id}/decline")]
pub async fn decline(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<TrialId>,
) -> Result<web::Json<Trial>, ApiError> {
    step(&state, &caller, *id, TrialStep::Decline).await
}

/// The library (or a consortium admin) cancels a requested or running trial; access ends now.
#[utoipa::path(tag = "trials", params(("id" = TrialId, Path)), responses((status = 200, body = Trial), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/trials/{id}/cancel")]
pub async fn cancel(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<TrialId>,
) -> Result<web::Json<Trial>, ApiError> {
    step(&state, &caller, *id, TrialStep::Cancel).await
}

/// Converts a running trial to a subscription that starts today, so access continues without
/// a gap (the library's admins, consortium admins).
#[utoipa::path(
    tag = "trials",
    params(("id" = TrialId, Path)),
    request_body = TermsInput,
    responses((status = 201, body = Subscription), (status = 403), (status = 404), (status = 409, description = "the trial is not running, or a subscription overlaps"), (status = 422))
)]
#[post("/api/v1/trials/{id}/convert")]
pub async fn convert(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<TrialId>,
    body: web::Json<TermsInput>,
) -> Result<HttpResponse, ApiError> {
    let today = day_of(state.desk.clock.now());
    let terms = body.into_inner().terms(Some(today))?;
    let s = state.desk.convert(&caller, *id, terms).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/subscriptions/{}", s.id)))
        .json(s))
}
