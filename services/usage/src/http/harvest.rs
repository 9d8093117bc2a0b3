//! `/api/v1/usage/harvest/*`: each library's account at a product's COUNTER API (the
//! product's `sushi_url` in the register; set by the library's admin or a consortium admin;
//! the API key is write-only and stored sealed), and the log of every harvest attempt.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{Datelike, Months};
use serde::Deserialize;
use tilgang_kernel::{Isil, Principal};
use tilgang_web::{ApiError, Authenticated};
use uuid::Uuid;

use super::State;
use crate::domain::UsageError;
use crate::domain::time::{day_of, month_of};
use crate::storage::harvests::{self, Account, LogEntry};

/// A library's account at a product's COUNTER API.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountBody {
    /// `customer_id` at the vendor.
    customer_id: String,
    /// `requestor_id`, if the vendor asks for one.
    requestor_id: Option<String>,
    /// `api_key`, if the vendor asks for one (write-only; left out: the stored key is kept;
    /// empty: it is removed).
    api_key: Option<String>,
    /// `platform`, if the vendor hosts several.
    platform: Option<String>,
    /// The first month to harvest, `YYYY-MM` (default: twelve months back).
    harvest_from: Option<String>,
}

/// Sets a library's account: its admin, or a consortium admin. Months that failed are tried
/// again.
#[utoipa::path(tag = "usage", params(("product" = String, Path, description = "id or slug"), ("isil" = String, Path)), request_body = AccountBody, responses((status = 200, body = Account), (status = 400), (status = 403), (status = 404), (status = 409)))]
#[put("/api/v1/usage/harvest/accounts/{product}/{isil}")]
pub async fn put_account(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<(String, String)>,
    body: web::Json<AccountBody>,
) -> Result<HttpResponse, ApiError> {
    let (product, isil) = path.into_inner();
    let isil = library_of(&caller, &isil)?;
    let product = state.push.product(&product).await?;
    let api = product.sushi_url.as_deref();
    if !api.is_some_and(|url| crate::harvest::usable(url, state.allow_http_harvest)) {
        return Err(ApiError::new(
            actix_web::http::StatusCode::CONFLICT,
            "no_harvest_source",
            format!(
                "{} has no https COUNTER API in the register; its vendor sets the product's sushi_url",
                product.slug
            ),
        ));
    }
    let library = state
        .directory
        .library(&isil)
        .await
        .map_err(UsageError::unavailable)?
        .ok_or_else(|| UsageError::NotFound("library_not_found", format!("no library {isil}")))?;
    let body = body.into_inner();
    let text = |field: &str, value: Option<String>| -> Result<Option<String>, UsageError> {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            return Err(UsageError::invalid(
                field,
                "value_length",
                "at most 200 characters",
            ));
        }
        Ok(value)
    };
    let customer_id = text("customer_id", Some(body.customer_id))?.ok_or_else(|| {
        UsageError::invalid(
            "customer_id",
            "field_required",
            "the vendor's customer id is required",
        )
    })?;
    let today = day_of(state.clock.now());
    let harvest_from = match body.harvest_from {
        Some(month) => {
            let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                .ok()
                .filter(|first| *first <= today && month.len() == 7)
                .ok_or_else(|| {
                    UsageError::invalid("harvest_from", "month_invalid", "a past month, YYYY-MM")
                })?;
            month_of(first)
        }
        None => month_of(today.with_day(1).unwrap_or(today) - Months::new(12)),
    };
    let context = crate::harvest::context(product.id.0, library.isil.as_str());
    let existing =
        harvests::accounts(&state.db, Some(vec![isil.key()]), None, Some(product.id.0)).await?;
    let api_key_sealed = match body.api_key.as_deref().map(str::trim) {
        None => existing.first().and_then(|a| a.api_key_sealed.clone()),
        Some("") => None,
        Some(key) => Some(state.sealer.seal(key.as_bytes(), &context)),
    };
    let account = Account {
        product: product.id.0,
        vendor: product.vendor.0,
        isil: library.isil.as_str().to_owned(),
        customer_id,
        requestor_id: text("requestor_id", body.requestor_id)?,
        platform: text("platform", body.platform)?,
        api_key_set: api_key_sealed.is_some(),
        harvest_from,
        updated_by: caller.subject().to_owned(),
        updated_at: state.clock.now(),
        api_key_sealed,
    };
    harvests::put_account(&state.db, &account, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(account))
}

/// Which accounts and log entries to show.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HarvestQuery {
    /// Only this library (a library admin's own).
    isil: Option<String>,
    /// Only this product (id).
    product: Option<Uuid>,
    /// Log entries, newest first (default 100, at most 1,000).
    limit: Option<u64>,
}

/// The accounts the caller may see: a library admin's libraries', a vendor's products'.
#[utoipa::path(tag = "usage", params(HarvestQuery), responses((status = 200, body = Vec<Account>), (status = 403)))]
#[get("/api/v1/usage/harvest/accounts")]
pub async fn accounts(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HarvestQuery>,
) -> Result<HttpResponse, ApiError> {
    let (keys, vendor) = super::caller_scope(&caller, query.isil.as_deref())?;
    let found = harvests::accounts(&state.db, keys, vendor, query.product).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Removes a library's account; its months not yet harvested are dropped.
#[utoipa::path(tag = "usage", params(("product" = String, Path, description = "id or slug"), ("isil" = String, Path)), responses((status = 204), (status = 403), (status = 404)))]
#[delete("/api/v1/usage/harvest/accounts/{product}/{isil}")]
pub async fn delete_account(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (product, isil) = path.into_inner();
    let isil = library_of(&caller, &isil)?;
    let product = state.push.product(&product).await?;
    if harvests::delete_account(&state.db, product.id.0, &isil.key()).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(UsageError::NotFound(
            "account_not_found",
            format!("{isil} has no account for {}", product.slug),
        )
        .into())
    }
}

/// Every harvest attempt the caller may see, newest first.
#[utoipa::path(tag = "usage", params(HarvestQuery), responses((status = 200, body = Vec<LogEntry>), (status = 403)))]
#[get("/api/v1/usage/harvest/log")]
pub async fn log(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<HarvestQuery>,
) -> Result<HttpResponse, ApiError> {
    let (keys, vendor) = super::caller_scope(&caller, query.isil.as_deref())?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1_000);
    let found = harvests::log(&state.db, keys, vendor, query.product, limit).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The library an admin acts for (another is refused).
fn library_of(caller: &Principal, isil: &str) -> Result<Isil, ApiError> {
    let isil = Isil::parse(isil)
        .map_err(|e| UsageError::invalid("isil", "isil_invalid", e.to_string()))?;
    if !caller.acts_for_library(&isil) {
        return Err(ApiError::forbidden(format!("you do not act for {isil}")));
    }
    Ok(isil)
}
