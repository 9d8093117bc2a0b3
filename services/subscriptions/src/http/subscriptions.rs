//! `/api/v1/subscriptions`: consortium admins record subscriptions; libraries and vendors see
//! theirs.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use tilgang_kernel::SubscriptionId;
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::trials::paged;
use super::{State, caller_scope, parse_date, parse_isil};
use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Currency, Renewal, Subscription, Terms};
use crate::storage::subscriptions;

/// The terms of a subscription. `isil` and `product` name the library and product of a new
/// subscription; a converted trial's subscription takes them from the trial and starts today,
/// so there they and `starts_on` are left out.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// The library's ISIL (new subscriptions only).
    #[schema(example = "NO-2030000")]
    isil: Option<String>,
    /// The product: id or slug (new subscriptions only).
    #[schema(example = "nordlys-ebok")]
    product: Option<String>,
    /// First day, YYYY-MM-DD, Europe/Oslo (new subscriptions only).
    #[schema(example = "2027-01-01")]
    starts_on: Option<String>,
    /// Last day, included.
    #[schema(example = "2027-12-31")]
    ends_on: String,
    /// Price for the period in minor units (øre, cent).
    #[schema(example = 1_250_000)]
    price_minor: i64,
    /// Currency.
    currency: Currency,
    /// What happens after the last day; `end` unless asked, so nothing renews by surprise.
    #[serde(default = "ends")]
    renewal: Renewal,
}

fn ends() -> Renewal {
    Renewal::End
}

impl TermsInput {
    /// Checked terms; `today` is the first day of a converted trial's subscription.
    pub(super) fn terms(self, today: Option<NaiveDate>) -> Result<Terms, SubscriptionsError> {
        let starts_on = match (today, &self.starts_on) {
            (Some(_), Some(_)) => {
                return Err(SubscriptionsError::invalid(
                    "starts_on",
                    "field_not_allowed",
                    "a converted trial's subscription starts today",
                ));
            }
            (Some(today), None) => today,
            (None, Some(text)) => parse_date("starts_on", text)?,
            (None, None) => return Err(required("starts_on")),
        };
        if today.is_some() {
            for (field, given) in [("isil", &self.isil), ("product", &self.product)] {
                if given.is_some() {
                    return Err(SubscriptionsError::invalid(
                        field,
                        "field_not_allowed",
                        "a converted trial's subscription is for the trial's library and product",
                    ));
                }
            }
        }
        Terms::new(
            starts_on,
            parse_date("ends_on", &self.ends_on)?,
            self.price_minor,
            self.currency,
            self.renewal,
        )
    }
}

fn required(field: &str) -> SubscriptionsError {
    SubscriptionsError::invalid(field, "field_required", "this field is required")
}

/// Filters for the subscription list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriptionQuery {
    /// Only this library.
    isil: Option<String>,
    /// Only this product (id or slug).
    product: Option<String>,
}

/// Subscriptions the caller may see, newest first.
#[utoipa::path(tag = "subscriptions", params(SubscriptionQuery, PageParams), responses((status = 200, body = Page<Subscription>), (status = 403)))]
#[get("/api/v1/subscriptions")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<SubscriptionQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Subscription>>, ApiError> {
    let (isil, product) = (query.isil.as_deref(), query.product.as_deref());
    let scope = caller_scope(&state, &caller, isil, product).await?;
    let all = subscriptions::list(&state.desk.db, &scope).await?;
    Ok(web::Json(paged(all, *page)))
}

/// Records a subscription (consortium admins). A period that overlaps another subscription of
/// the same library and product is refused.
#[utoipa::path(
    tag = "subscriptions",
    request_body = TermsInput,
    responses((status = 201, body = Subscription), (status = 400), (status = 403), (status = 404), (status = 409, description = "overlaps a subscription"), (status = 422, description = "the last day is before the first"))
)]
#[post("/api/v1/subscriptions")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<TermsInput>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let isil = parse_isil(
        "isil",
        body.isil.as_deref().ok_or_else(|| required("isil"))?,
    )?;
    let product = state
        .desk
        .product_ref(body.product.as_deref().ok_or_else(|| required("product"))?)
        .await?;
    let terms = body.terms(None)?;
    let s = state.desk.subscribe(&caller, &isil, product, terms).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/subscriptions/{}", s.id)))
        .json(s))
}

/// A subscription (404 to those who may not see it).
#[utoipa::path(tag = "subscriptions", params(("id" = SubscriptionId, Path)), responses((status = 200, body = Subscription), (status = 404)))]
#[get("/api/v1/subscriptions/{id}")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<Subscription>, ApiError> {
    Ok(web::Json(
        state.desk.visible_subscription(&caller, *id).await?,
    ))
}

/// Cancels a subscription (consortium admins): access ends with today, or never begins.
#[utoipa::path(tag = "subscriptions", params(("id" = SubscriptionId, Path)), responses((status = 200, body = Subscription), (status = 403), (status = 404), (status = 409)))]
#[post("/api/v1/subscriptions/{id}/cancel")]
pub async fn cancel(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<Subscription>, ApiError> {
    Ok(web::Json(
        state.desk.cancel_subscription(&caller, *id).await?,
    ))
}
