//! Token introspection (RFC 7662), revocation (RFC 7009) and userinfo.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use serde_json::json;

use super::State;
use super::client_auth::authenticate;
use super::oauth_error::OAuthError;
use crate::crypto;
use crate::domain::client::OAuthClient;
use crate::storage::grants;

/// The form of introspection and revocation (`token_type_hint` is not needed: the token's
/// form tells).
#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// The authenticated caller and the token it asks about.
async fn caller_and_token<'f>(
    state: &State,
    req: &HttpRequest,
    form: &'f TokenQuery,
) -> Result<(std::sync::Arc<OAuthClient>, &'f str), OAuthError> {
    let caller = authenticate(
        &state.clients,
        &state.db,
        req,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?;
    let token = form
        .token
        .as_deref()
        .ok_or_else(|| OAuthError::bad("invalid_request", "token is missing"))?;
    Ok((caller, token))
}

/// A JSON answer that no cache may keep.
fn no_store(body: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body)
}

/// `POST /oauth2/introspect`: whether a token is active. A vendor learns about tokens of its
/// own clients only; anything else is `{"active": false}`.
#[post("/oauth2/introspect")]
pub async fn introspect(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<TokenQuery>,
) -> Result<HttpResponse, OAuthError> {
    let (caller, token) = caller_and_token(&state, &req, &form).await?;
    let inactive = || no_store(json!({"active": false}));
    if let Some(claims) = state.tokens.verify_access(token).await? {
        if claims.vendor != caller.vendor.0 {
            return Ok(inactive());
        }
        let mut body = json!({
            "active": true,
            "token_type": "Bearer",
            "client_id": claims.client_id,
            "scope": claims.scope,
            "sub": claims.sub,
            "aud": claims.aud,
            "iss": claims.iss,
            "iat": claims.iat,
            "exp": claims.exp,
            "jti": claims.jti,
        });
        if let Some(isil) = claims.isil {
            body["isil"] = isil.into();
        }
        return Ok(no_store(body));
    }
    if let Some((grant_id, unused, expires)) =
        grants::grant_of_refresh_token(&state.db, &crypto::digest(token)).await?
        && let Some(grant) = grants::find(&state.db, grant_id).await?
    {
        let live = unused && grant.revoked_at.is_none() && expires > state.clock.now();
        if live && grant.client_id == caller.client_id {
            return Ok(no_store(json!({
                "active": true,
                "token_type": "refresh_token",
                "client_id": grant.client_id,
                "scope": grant.scope,
                "sub": grant.subject,
                "exp": expires.timestamp(),
                "iss": state.tokens.issuer,
            })));
        }
    }
    Ok(inactive())
}

/// `POST /oauth2/revoke`: revokes an access token, or a refresh token with its whole grant.
/// Unknown tokens and other clients' tokens are answered 200 and left alone (RFC 7009 §2.2).
#[post("/oauth2/revoke")]
pub async fn revoke(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<TokenQuery>,
) -> Result<HttpResponse, OAuthError> {
    let (caller, token) = caller_and_token(&state, &req, &form).await?;
    if let Some(claims) = state.tokens.decode_access(token) {
        if claims.client_id == caller.client_id {
            state.tokens.revoke_access(&claims).await?;
        }
    } else if let Some((grant_id, _, _)) =
        grants::grant_of_refresh_token(&state.db, &crypto::digest(token)).await?
        && let Some(grant) = grants::find(&state.db, grant_id).await?
        && grant.client_id == caller.client_id
    {
        grants::revoke(&state.db, grant_id, state.clock.now()).await?;
        state.tokens.revoke_grant_tokens(grant_id).await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}

/// `GET|POST /oauth2/userinfo`: the subject and the claims released to the client.
pub async fn userinfo(state: web::Data<State>, req: HttpRequest) -> HttpResponse {
    let unauthorized = |error: &str| {
        HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", format!("Bearer error=\"{error}\"")))
            .finish()
    };
    let Some(token) = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return unauthorized("invalid_request");
    };
    let claims = match state.tokens.verify_access(token.trim()).await {
        Ok(Some(claims)) => claims,
        Ok(None) => return unauthorized("invalid_token"),
        Err(e) => {
            tracing::error!(error = %e, "userinfo failed");
            return HttpResponse::InternalServerError().finish();
        }
    };
    let Some(grant_id) = claims
        .grant
        .filter(|_| claims.scope.split(' ').any(|s| s == "openid"))
    else {
        return HttpResponse::Forbidden()
            .insert_header(("WWW-Authenticate", "Bearer error=\"insufficient_scope\""))
            .finish();
    };
    match grants::find(&state.db, grant_id).await {
        Ok(Some(grant)) if grant.revoked_at.is_none() => {
            let mut body = grant.claims.clone();
            body.insert("sub".into(), grant.subject.into());
            no_store(body.into())
        }
        Ok(_) => unauthorized("invalid_token"),
        Err(e) => {
            tracing::error!(error = %e, "userinfo failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
