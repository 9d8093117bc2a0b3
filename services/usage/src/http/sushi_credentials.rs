//! `/api/v1/usage/sushi-credentials`: credentials for harvesting the hub's COUNTER API. A
//! library admin makes them for their own libraries, a consortium admin for any or all;
//! vendors make none. The API key is shown once, when made, and stored only as a keyed hash.

use actix_web::{HttpResponse, delete, get, post, web};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tilgang_kernel::{Isil, Principal};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use crate::domain::UsageError;
use crate::storage::sushi_credentials::{self, SushiCredential};

/// What to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCredential {
    /// What it is for, such as the harvesting tool's name.
    name: String,
    /// The libraries it may harvest (default: a library admin's own; for a consortium admin,
    /// every library).
    #[schema(value_type = Option<Vec<String>>)]
    isils: Option<Vec<String>>,
}

/// A new credential with its key, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MadeCredential {
    /// The credential.
    #[serde(flatten)]
    credential: SushiCredential,
    /// The COUNTER API's `api_key`.
    api_key: String,
}

/// Makes a credential. The key is in this answer only.
#[utoipa::path(tag = "usage", request_body = NewCredential, responses((status = 201, body = MadeCredential), (status = 400), (status = 403)))]
#[post("/api/v1/usage/sushi-credentials")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<NewCredential>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(
            UsageError::invalid("name", "name_invalid", "a name has 1 to 200 characters").into(),
        );
    }
    let isils = match (&*caller, body.isils) {
        (Principal::Vendor { .. }, _) => {
            return Err(ApiError::forbidden("vendors harvest no libraries"));
        }
        (Principal::LibraryAdmin { isils, .. }, None) => Some(isils.clone()),
        (_, None) => None,
        (_, Some(asked)) => Some(asked_isils(&caller, &asked)?),
    };
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let api_key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key);
    let credential = SushiCredential {
        requestor_id: format!("tilgang-{}", uuid::Uuid::new_v4().simple()),
        name: name.to_owned(),
        isils,
        created_by: caller.subject().to_owned(),
        created_at: state.clock.now(),
    };
    sushi_credentials::insert(
        &state.db,
        &credential,
        &state.api_keys.pseudonym(&[&api_key]),
    )
    .await?;
    Ok(HttpResponse::Created().json(MadeCredential {
        credential,
        api_key,
    }))
}

fn asked_isils(caller: &Principal, asked: &[String]) -> Result<Vec<Isil>, ApiError> {
    if asked.is_empty() {
        return Err(
            UsageError::invalid("isils", "isils_empty", "name at least one library").into(),
        );
    }
    asked
        .iter()
        .map(|text| {
            let isil = Isil::parse(text)
                .map_err(|e| UsageError::invalid("isils", "isil_invalid", e.to_string()))?;
            if !caller.acts_for_library(&isil) {
                return Err(ApiError::forbidden(format!("you do not act for {isil}")));
            }
            Ok(isil)
        })
        .collect()
}

/// The credentials the caller may see: a library admin's cover only their libraries.
#[utoipa::path(tag = "usage", responses((status = 200, body = Vec<SushiCredential>), (status = 403)))]
#[get("/api/v1/usage/sushi-credentials")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    if caller.own_vendor().is_some() {
        return Err(ApiError::forbidden("vendors harvest no libraries"));
    }
    let all = sushi_credentials::list(&state.db).await?;
    let visible: Vec<_> = all.into_iter().filter(|c| visible(&caller, c)).collect();
    Ok(HttpResponse::Ok().json(visible))
}

/// Deletes a credential; harvesting with it stops at once.
#[utoipa::path(tag = "usage", params(("requestor_id" = String, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/usage/sushi-credentials/{requestor_id}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let requestor_id = path.into_inner();
    let found = sushi_credentials::find(&state.db, &requestor_id).await?;
    match found {
        Some((credential, _)) if visible(&caller, &credential) => {
            sushi_credentials::delete(&state.db, &requestor_id).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        _ => Err(ApiError::not_found(
            "sushi_credential_not_found",
            format!("no credential {requestor_id}"),
        )),
    }
}

/// Whether the caller may see a credential: consortium admins all; a library admin those
/// naming only their libraries.
fn visible(caller: &Principal, credential: &SushiCredential) -> bool {
    match &credential.isils {
        None => caller.acts_for_all(),
        Some(isils) => {
            caller.own_vendor().is_none() && isils.iter().all(|i| caller.acts_for_library(i))
        }
    }
}
