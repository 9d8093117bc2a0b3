//! The provider's HTTP endpoints: OpenID Connect and OAuth under `/oauth2`, the patron pages
//! under `/login`, and the REST API for clients and library-issued logins under `/api/v1`.

pub(crate) mod api_clients;
mod api_logins;
pub(crate) mod api_setup;
mod api_shared;
mod authorize;
pub mod client_auth;
mod discovery;
mod go;
mod login;
mod logout;
mod oauth_error;
mod pages;
mod pin_change;
mod staff_login;
mod staff_upstream;
mod token;
mod token_info;
mod upstream_login;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use sea_orm::DatabaseConnection;
use tilgang_kernel::Clock;
use tilgang_kernel::ports::{
    Catalogue, Entitlements, LibraryDirectory, LibrarySearch, StaffDirectory, UsageSink,
};
use tilgang_store::Kv;
use tilgang_web::ApiError;
use tilgang_web::i18n::Catalog;
use utoipa::OpenApi;

use crate::crypto::Keyed;
use crate::domain::SsoError;
use crate::login::Logins;
use crate::tokens::Tokens;

/// The ports the provider asks of other services.
#[derive(Clone)]
pub struct Ports {
    /// Libraries by ISIL.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The library picker's search.
    pub search: Arc<dyn LibrarySearch>,
    /// Products.
    pub catalogue: Arc<dyn Catalogue>,
    /// Who may use what.
    pub entitlements: Arc<dyn Entitlements>,
    /// Where access events go.
    pub usage: Arc<dyn UsageSink>,
    /// Staff accounts, for the portal's login.
    pub staff: Arc<dyn StaffDirectory>,
}

/// What the handlers share.
pub struct State {
    /// The provider's database.
    pub db: DatabaseConnection,
    /// Flows, sessions, codes, revocations and throttles.
    pub kv: Arc<dyn Kv>,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// Token issuing and checking.
    pub tokens: Tokens,
    /// Patron logins.
    pub logins: Logins,
    /// Makes pairwise subjects and usage pseudonyms.
    pub pseudonyms: Keyed,
    /// Other services.
    pub ports: Ports,
    /// Page texts.
    pub catalog: Arc<Catalog>,
    /// Whether cookies are marked `Secure` (the issuer is https).
    pub secure_cookies: bool,
    /// OAuth clients, cached.
    pub clients: client_auth::ClientCache,
    /// Signs the service tokens of the built-in service clients.
    pub service_tokens: tilgang_kernel::SharedSecretTokens,
    /// Logins at libraries' upstream identity providers.
    pub upstreams: crate::upstream::RelyingParty,
    /// Opens staff members' two-step login secrets.
    pub staff_totp: tilgang_kernel::totp::SecretBox,
    /// The consortium's identity provider for staff, if it has one.
    pub staff_idp: Option<crate::StaffIdp>,
}

impl From<SsoError> for ApiError {
    fn from(e: SsoError) -> Self {
        let status = match &e {
            SsoError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            SsoError::ClientNotFound(_) | SsoError::LoginNotFound => StatusCode::NOT_FOUND,
            SsoError::LoginExists => StatusCode::CONFLICT,
            SsoError::Forbidden(_) => StatusCode::FORBIDDEN,
            SsoError::Storage(_) => return ApiError::internal(e),
        };
        let mut problem = ApiError::new(status, e.code(), e.to_string());
        if let SsoError::Invalid { field, .. } = &e {
            problem = problem.with("field", field.as_str());
        }
        problem
    }
}

/// The provider's REST API document.
#[derive(OpenApi)]
#[openapi(
    paths(
        api_clients::list, api_clients::create, api_clients::get, api_clients::update,
        api_clients::delete, api_clients::new_secret, api_clients::approve, api_clients::suspend,
        api_clients::rotate_keys,
        api_logins::list, api_logins::create, api_logins::update,
        api_setup::get, api_setup::put, api_setup::test,
        api_shared::list, api_shared::put, api_shared::remove,
    ),
    tags((name = "sso", description = "OAuth clients of vendors, signing keys, and logins libraries issue to patrons. The OpenID Connect endpoints themselves are described by /.well-known/openid-configuration."))
)]
pub struct SsoApi;

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state)
        .app_data(web::FormConfig::default().limit(16 * 1024))
        .service(discovery::configuration)
        .service(discovery::jwks)
        .route("/oauth2/authorize", web::get().to(authorize::authorize_get))
        .route(
            "/oauth2/authorize",
            web::post().to(authorize::authorize_post),
        )
        .service(token::token)
        .service(token_info::introspect)
        .service(token_info::revoke)
        .route("/oauth2/userinfo", web::get().to(token_info::userinfo))
        .route("/oauth2/userinfo", web::post().to(token_info::userinfo))
        .route("/oauth2/logout", web::get().to(logout::logout_get))
        .route("/oauth2/logout", web::post().to(logout::logout_post))
        .service(pages::stylesheet)
        .service(login::page)
        .service(login::submit)
        .service(login::acknowledge)
        .service(login::decline)
        .service(staff_login::page)
        .service(staff_login::submit)
        .service(staff_upstream::start)
        .service(staff_upstream::callback)
        .service(pin_change::page)
        .service(pin_change::submit)
        .service(upstream_login::start)
        .service(upstream_login::callback)
        .service(api_clients::list)
        .service(api_clients::create)
        .service(api_clients::get)
        .service(api_clients::update)
        .service(api_clients::delete)
        .service(api_clients::new_secret)
        .service(api_clients::approve)
        .service(api_clients::suspend)
        .service(api_clients::rotate_keys)
        .service(api_logins::list)
        .service(api_logins::create)
        .service(api_logins::update)
        .service(api_setup::get)
        .service(api_setup::put)
        .service(api_setup::test)
        .service(api_shared::list)
        .service(api_shared::put)
        .service(api_shared::remove)
        .service(go::go);
}

/// The page texts, loaded once.
pub fn pages_catalog() -> Catalog {
    pages::catalog()
}
