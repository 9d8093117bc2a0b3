//! `/api/v1/sso/clients`: vendors' OAuth clients. A vendor registers and edits its own; a
//! consortium admin approves, suspends, and rotates the signing keys.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::{Principal, ProductId, VendorId};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use crate::crypto;
use crate::domain::SsoError;
use crate::domain::client::{ClientFields, ClientStatus, OAuthClient, SigningAlg};
use crate::storage::clients as repo;

/// A client as sent by its owner; on update, absent fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    /// The owning vendor (consortium admins only; a vendor's own id otherwise).
    pub vendor: Option<VendorId>,
    /// A name for people.
    pub name: Option<String>,
    /// The product patrons log in to (one of the vendor's).
    pub product: Option<ProductId>,
    /// Redirect URIs (exact match; https, or http on localhost).
    pub redirect_uris: Option<Vec<String>>,
    /// Where patrons may go after logout.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// The vendor's initiate-login URI, used by `/go/{isil}/{product}`.
    pub initiate_login_uri: Option<String>,
    /// `ES256` (default) or `RS256`.
    pub id_token_alg: Option<SigningAlg>,
    /// API scopes for `client_credentials`.
    pub scopes: Option<Vec<String>>,
}

impl ClientInput {
    fn fields(self) -> ClientFields {
        ClientFields {
            name: self.name,
            product: self.product.map(Some),
            redirect_uris: self.redirect_uris,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            initiate_login_uri: self.initiate_login_uri.map(Some),
            id_token_alg: self.id_token_alg,
            scopes: self.scopes,
        }
    }
}

/// A client with its secret, shown once.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClientWithSecret {
    /// The client.
    #[serde(flatten)]
    pub client: OAuthClient,
    /// The secret; store it now, it is not shown again.
    pub client_secret: String,
}

async fn owned(
    state: &State,
    caller: &Principal,
    client_id: &str,
) -> Result<OAuthClient, SsoError> {
    match repo::find(&state.db, client_id).await? {
        Some(client) if client.owned_by(caller) => Ok(client),
        _ => Err(SsoError::ClientNotFound(client_id.to_owned())),
    }
}

async fn check_product(
    state: &State,
    vendor: VendorId,
    product: Option<ProductId>,
) -> Result<(), SsoError> {
    if let Some(product) = product {
        let found = state
            .ports
            .catalogue
            .product(product)
            .await
            .map_err(SsoError::from)?;
        if found.is_none_or(|p| p.vendor != vendor) {
            return Err(SsoError::invalid(
                "product",
                "product_not_owned",
                "the product is not one of this vendor's",
            ));
        }
    }
    Ok(())
}

/// Lists clients: a vendor's own, or all for consortium admins.
#[utoipa::path(tag = "sso", responses((status = 200, body = Vec<OAuthClient>), (status = 403)))]
#[get("/api/v1/sso/clients")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
) -> Result<web::Json<Vec<OAuthClient>>, ApiError> {
    Ok(web::Json(listed(&state, &caller).await?))
}

/// The clients `caller` manages: a vendor's own, or all for consortium admins.
pub(crate) async fn listed(
    state: &State,
    caller: &Principal,
) -> Result<Vec<OAuthClient>, SsoError> {
    let vendor = match caller {
        p if p.acts_for_all() => None,
        Principal::Vendor { vendor, .. } => Some(*vendor),
        _ => {
            return Err(SsoError::Forbidden(
                "only vendors and consortium admins manage OAuth clients".into(),
            ));
        }
    };
    repo::list(&state.db, vendor).await
}

/// Registers a client. A vendor's client waits for a consortium admin's approval; one made by
/// a consortium admin is approved at once. The answer carries the secret, once.
#[utoipa::path(tag = "sso", request_body = ClientInput, responses((status = 201, body = ClientWithSecret), (status = 403), (status = 422)))]
#[post("/api/v1/sso/clients")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<ClientInput>,
) -> Result<HttpResponse, ApiError> {
    let made = register(&state, &caller, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "location",
            format!("/api/v1/sso/clients/{}", made.client.client_id),
        ))
        .json(made))
}

/// Registers the client `input` describes for `caller`: pending approval when a vendor
/// registers it, approved when a consortium admin does; with its secret, shown once.
pub(crate) async fn register(
    state: &State,
    caller: &Principal,
    input: ClientInput,
) -> Result<ClientWithSecret, SsoError> {
    let (vendor, status) = match (caller, input.vendor) {
        (p, Some(vendor)) if p.acts_for_all() => (vendor, ClientStatus::Approved),
        (p, None) if p.acts_for_all() => {
            return Err(SsoError::invalid(
                "vendor",
                "value_missing",
                "name the vendor that owns the client",
            ));
        }
        (Principal::Vendor { vendor, .. }, None) => (*vendor, ClientStatus::Pending),
        (Principal::Vendor { vendor, .. }, Some(asked)) if asked == *vendor => {
            (*vendor, ClientStatus::Pending)
        }
        _ => {
            return Err(SsoError::Forbidden(
                "a vendor registers clients for itself only".into(),
            ));
        }
    };
    let fields = input.fields().validate()?;
    if fields.name.is_none() {
        return Err(SsoError::invalid(
            "name",
            "value_missing",
            "give the client a name",
        ));
    }
    check_product(state, vendor, fields.product.flatten()).await?;
    let secret = crypto::random_token();
    let now = state.clock.now();
    let mut client = OAuthClient {
        client_id: format!("tg_{}", &crypto::random_token()[..22]),
        vendor,
        product: None,
        name: String::new(),
        secret_hash: crypto::digest(&secret),
        redirect_uris: Vec::new(),
        post_logout_redirect_uris: Vec::new(),
        initiate_login_uri: None,
        id_token_alg: SigningAlg::ES256,
        scopes: Vec::new(),
        status,
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut client);
    state.tokens.keys.ensure(client.id_token_alg).await?;
    repo::create(&state.db, &client).await?;
    Ok(ClientWithSecret {
        client,
        client_secret: secret,
    })
}

/// A client.
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), responses((status = 200, body = OAuthClient), (status = 404)))]
#[get("/api/v1/sso/clients/{client_id}")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<web::Json<OAuthClient>, ApiError> {
    Ok(web::Json(owned(&state, &caller.0, &id).await?))
}

/// Changes a client. A vendor's change of redirect URIs sends the client back for approval.
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), request_body = ClientInput, responses((status = 200, body = OAuthClient), (status = 404), (status = 422)))]
#[patch("/api/v1/sso/clients/{client_id}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
    body: web::Json<ClientInput>,
) -> Result<web::Json<OAuthClient>, ApiError> {
    let mut client = owned(&state, &caller.0, &id).await?;
    let input = body.into_inner();
    if input.vendor.is_some_and(|v| v != client.vendor) {
        return Err(SsoError::invalid(
            "vendor",
            "value_fixed",
            "a client cannot move to another vendor",
        )
        .into());
    }
    let fields = input.fields().validate()?;
    check_product(&state, client.vendor, fields.product.flatten()).await?;
    let before = client.redirect_uris.clone();
    fields.apply(&mut client);
    if !caller.0.acts_for_all()
        && client.redirect_uris != before
        && client.status == ClientStatus::Approved
    {
        client.status = ClientStatus::Pending;
    }
    state.tokens.keys.ensure(client.id_token_alg).await?;
    client.updated_at = state.clock.now();
    repo::save(&state.db, &client).await?;
    state.clients.forget(&client.client_id);
    Ok(web::Json(client))
}

/// Deletes a client.
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/sso/clients/{client_id}")]
pub async fn delete(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = owned(&state, &caller.0, &id).await?;
    repo::delete(&state.db, &client.client_id).await?;
    state.clients.forget(&client.client_id);
    Ok(HttpResponse::NoContent().finish())
}

/// Issues a new secret; the old one stops working at once.
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), responses((status = 200, body = ClientWithSecret), (status = 404)))]
#[post("/api/v1/sso/clients/{client_id}/secret")]
pub async fn new_secret(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<web::Json<ClientWithSecret>, ApiError> {
    let mut client = owned(&state, &caller.0, &id).await?;
    let secret = crypto::random_token();
    client.secret_hash = crypto::digest(&secret);
    client.updated_at = state.clock.now();
    repo::save(&state.db, &client).await?;
    state.clients.forget(&client.client_id);
    Ok(web::Json(ClientWithSecret {
        client,
        client_secret: secret,
    }))
}

/// A consortium admin approves or suspends the client `id`.
pub(crate) async fn set_status(
    state: &State,
    caller: &Principal,
    id: &str,
    status: ClientStatus,
) -> Result<OAuthClient, SsoError> {
    if !caller.acts_for_all() {
        return Err(SsoError::Forbidden(
            "only consortium admins approve or suspend clients".into(),
        ));
    }
    let mut client = owned(state, caller, id).await?;
    client.status = status;
    client.updated_at = state.clock.now();
    repo::save(&state.db, &client).await?;
    state.clients.forget(&client.client_id);
    Ok(client)
}

/// Approves a client (consortium admins).
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), responses((status = 200, body = OAuthClient), (status = 403), (status = 404)))]
#[post("/api/v1/sso/clients/{client_id}/approve")]
pub async fn approve(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<web::Json<OAuthClient>, ApiError> {
    Ok(web::Json(
        set_status(&state, &caller.0, &id, ClientStatus::Approved).await?,
    ))
}

/// Suspends a client (consortium admins).
#[utoipa::path(tag = "sso", params(("client_id" = String, Path)), responses((status = 200, body = OAuthClient), (status = 403), (status = 404)))]
#[post("/api/v1/sso/clients/{client_id}/suspend")]
pub async fn suspend(
    state: web::Data<State>,
    caller: Authenticated,
    id: web::Path<String>,
) -> Result<web::Json<OAuthClient>, ApiError> {
    Ok(web::Json(
        set_status(&state, &caller.0, &id, ClientStatus::Suspended).await?,
    ))
}

/// Which algorithm to rotate.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RotateQuery {
    /// `ES256` (default) or `RS256`.
    alg: Option<SigningAlg>,
}

/// Rotates a signing key now (consortium admins): the new key is published at once and signs
/// after the publication lead, so clients' cached JWKS keep working.
#[utoipa::path(tag = "sso", params(RotateQuery), responses((status = 202), (status = 403)))]
#[post("/api/v1/sso/keys:rotate")]
pub async fn rotate_keys(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<RotateQuery>,
) -> Result<HttpResponse, ApiError> {
    if !caller.0.acts_for_all() {
        return Err(ApiError::forbidden("only consortium admins rotate keys"));
    }
    state
        .tokens
        .keys
        .rotate(query.alg.unwrap_or(SigningAlg::ES256))
        .await?;
    Ok(HttpResponse::Accepted().json(state.tokens.keys.jwks()))
}
