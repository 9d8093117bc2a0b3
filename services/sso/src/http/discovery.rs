//! OpenID Connect Discovery and the JWKS.

use actix_web::{HttpResponse, get, web};

use super::State;
use crate::domain::client::LOGIN_SCOPES;

/// `/.well-known/openid-configuration`.
#[get("/.well-known/openid-configuration")]
pub async fn configuration(state: web::Data<State>) -> HttpResponse {
    let issuer = &state.tokens.issuer;
    let at = |path: &str| format!("{issuer}{path}");
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": at("/oauth2/authorize"),
            "token_endpoint": at("/oauth2/token"),
            "userinfo_endpoint": at("/oauth2/userinfo"),
            "jwks_uri": at("/oauth2/jwks"),
            "introspection_endpoint": at("/oauth2/introspect"),
            "revocation_endpoint": at("/oauth2/revoke"),
            "end_session_endpoint": at("/oauth2/logout"),
            "scopes_supported": LOGIN_SCOPES,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid",
                "isil", "library_name", "age_band", "patron_category", "preferred_language",
                "home_municipality"
            ],
            "prompt_values_supported": ["none", "login"],
            "ui_locales_supported": ["en", "nb", "nn", "sv", "da", "fi"],
            "authorization_response_iss_parameter_supported": true,
            "request_parameter_supported": false,
            "claims_parameter_supported": false,
        }))
}

/// `/oauth2/jwks`: every published key. Clients may cache it for five minutes; a new key is
/// published longer than that before it signs.
#[get("/oauth2/jwks")]
pub async fn jwks(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .content_type("application/jwk-set+json")
        .json(state.tokens.keys.jwks())
}
