//! The bearer token extractor: a handler that takes [`Authenticated`] only runs for a verified
//! caller, and every scope check starts from the [`Principal`] it holds.

use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use tilgang_kernel::{Principal, TokenVerifier};

use crate::error::ApiError;

/// The verified caller of a request.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl Deref for Authenticated {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.0
    }
}

fn authenticate(req: &HttpRequest) -> Result<Authenticated, ApiError> {
    let verifier = req
        .app_data::<web::Data<Arc<dyn TokenVerifier>>>()
        .ok_or_else(|| ApiError::internal("no token verifier configured"))?;
    verified(req, verifier.as_ref().as_ref()).map(Authenticated)
}

/// The principal of the request's bearer token, as `verifier` reads it.
pub fn verified(req: &HttpRequest, verifier: &dyn TokenVerifier) -> Result<Principal, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthenticated("This endpoint needs a bearer token."))?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .ok_or_else(|| {
            ApiError::unauthenticated("The Authorization header must be 'Bearer <token>'.")
        })?;
    verifier
        .verify(token.trim())
        .map_err(|e| ApiError::unauthenticated(e.to_string()))
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}
