//! `/oauth2/token`: authorization_code (with PKCE), refresh_token (rotated) and
//! client_credentials.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use serde_json::json;

use super::State;
use super::client_auth::authenticate;
use super::login::code_key;
use super::oauth_error::OAuthError;
use super::staff_login::{self, StaffCode};
use crate::crypto;
use crate::domain::client::OAuthClient;
use crate::domain::flow::CodeRecord;
use crate::storage::grants::{self, Grant, Refresh};

/// The token request form.
#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// How long a used code is remembered, so its replay can be recognised.
const USED_CODE_TTL: std::time::Duration = std::time::Duration::from_secs(600);

fn used_code_key(code: &str) -> String {
    format!("sso:code-used:{}", crypto::digest(code))
}

/// `POST /oauth2/token`.
#[post("/oauth2/token")]
pub async fn token(
    state: web::Data<State>,
    req: HttpRequest,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, OAuthError> {
    let form = form.into_inner();
    let client = authenticate(
        &state.clients,
        &state.db,
        &req,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?;
    tracing::Span::current().record("client_id", client.client_id.as_str());
    let body = match form.grant_type.as_deref() {
        Some("authorization_code") => authorization_code(&state, &client, &form).await?,
        Some("refresh_token") => refresh(&state, &client, &form).await?,
        Some("client_credentials") => client_credentials(&state, &client, &form)?,
        Some(_) => {
            return Err(OAuthError::bad(
                "unsupported_grant_type",
                "use authorization_code, refresh_token or client_credentials",
            ));
        }
        None => return Err(OAuthError::bad("invalid_request", "grant_type is missing")),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"))
        .json(body))
}

async fn authorization_code(
    state: &State,
    client: &OAuthClient,
    form: &TokenForm,
) -> Result<serde_json::Value, OAuthError> {
    let code = form
        .code
        .as_deref()
        .ok_or_else(|| OAuthError::bad("invalid_request", "code is missing"))?;
    let Some(stored) = state
        .kv
        .take(&code_key(code))
        .await
        .map_err(crate::domain::SsoError::from)?
    else {
        // A code used before: revoke everything issued with it (RFC 6749 §4.1.2).
        if let Some(grant) = state
            .kv
            .get(&used_code_key(code))
            .await
            .map_err(crate::domain::SsoError::from)?
            && let Ok(id) = String::from_utf8(grant).unwrap_or_default().parse()
        {
            grants::revoke(&state.db, id, state.clock.now()).await?;
            state.tokens.revoke_grant_tokens(id).await?;
            tracing::warn!(client_id = %client.client_id, "an authorization code was replayed; its grant is revoked");
        }
        return Err(OAuthError::invalid_grant(
            "the code is invalid, expired or used",
        ));
    };
    if staff_login::is_staff_client(&client.client_id) {
        return staff_tokens(state, client, form, code, &stored).await;
    }
    // A staff code brought by another client does not read as a patron's: no such code.
    let record: CodeRecord = serde_json::from_slice(&stored)
        .map_err(|_| OAuthError::invalid_grant("the code was issued to another client"))?;
    state
        .kv
        .set(
            &used_code_key(code),
            record.grant.to_string().as_bytes(),
            USED_CODE_TTL,
        )
        .await
        .map_err(crate::domain::SsoError::from)?;
    check_exchange(
        client,
        form,
        &record.client_id,
        &record.redirect_uri,
        &record.code_challenge,
    )?;
    let grant = Grant {
        id: record.grant,
        client_id: client.client_id.clone(),
        subject: record.subject.clone(),
        isil: record.isil.clone(),
        scope: record.scope.join(" "),
        claims: record.claims.clone(),
        amr: record.method.amr().to_owned(),
        auth_time: record.auth_time,
        revoked_at: None,
    };
    grants::create(&state.db, &grant, state.clock.now()).await?;
    patron_tokens(
        state,
        client,
        &grant,
        record.nonce.as_deref(),
        Some(&record.sid),
    )
    .await
}

/// What every code exchange checks: the code's client, its redirect URI and PKCE.
fn check_exchange(
    client: &OAuthClient,
    form: &TokenForm,
    client_id: &str,
    redirect_uri: &str,
    code_challenge: &str,
) -> Result<(), OAuthError> {
    if client_id != client.client_id {
        return Err(OAuthError::invalid_grant(
            "the code was issued to another client",
        ));
    }
    if form.redirect_uri.as_deref() != Some(redirect_uri) {
        return Err(OAuthError::invalid_grant(
            "redirect_uri does not match the authorization request",
        ));
    }
    let verifier = form
        .code_verifier
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_grant("code_verifier is missing (PKCE)"))?;
    if !crypto::same(&crypto::pkce_challenge(verifier), code_challenge) {
        return Err(OAuthError::invalid_grant(
            "code_verifier does not match the code_challenge",
        ));
    }
    Ok(())
}

/// The portal's tokens for a staff code: an ID token naming the staff member's role and
/// scope. Staff logins make no grant and no refresh token; the portal keeps its own session.
async fn staff_tokens(
    state: &State,
    client: &OAuthClient,
    form: &TokenForm,
    code: &str,
    stored: &[u8],
) -> Result<serde_json::Value, OAuthError> {
    let record: StaffCode = serde_json::from_slice(stored)
        .map_err(|_| OAuthError::invalid_grant("the code was issued to another client"))?;
    state
        .kv
        .set(&used_code_key(code), b"staff", USED_CODE_TTL)
        .await
        .map_err(crate::domain::SsoError::from)?;
    check_exchange(
        client,
        form,
        &record.client_id,
        &record.redirect_uri,
        &record.code_challenge,
    )?;
    let identity = &record.session.identity;
    let (access, _) = state.tokens.access_token(
        &identity.subject,
        &client.client_id,
        client.vendor.0,
        "openid",
        None,
        None,
    )?;
    let id_token = state.tokens.id_token(
        client.id_token_alg,
        &client.client_id,
        &identity.subject,
        record.session.auth_time,
        record.nonce.as_deref(),
        &access,
        Some(&record.session.id),
        "pwd",
        &identity.claims(),
    )?;
    Ok(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": state.tokens.lifetimes.access.as_secs(),
        "id_token": id_token,
        "scope": "openid",
    }))
}

async fn patron_tokens(
    state: &State,
    client: &OAuthClient,
    grant: &Grant,
    nonce: Option<&str>,
    sid: Option<&str>,
) -> Result<serde_json::Value, OAuthError> {
    let (access, _) = state.tokens.access_token(
        &grant.subject,
        &client.client_id,
        client.vendor.0,
        &grant.scope,
        Some(grant.id),
        Some(grant.isil.as_str()),
    )?;
    let id_token = state.tokens.id_token(
        client.id_token_alg,
        &client.client_id,
        &grant.subject,
        grant.auth_time,
        nonce,
        &access,
        sid,
        &grant.amr,
        &grant.claims,
    )?;
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": state.tokens.lifetimes.access.as_secs(),
        "id_token": id_token,
        "scope": grant.scope,
    });
    if grant.scope.split(' ').any(|s| s == "offline_access") {
        let refresh = crypto::random_token();
        let now = state.clock.now();
        let expires = now
            + chrono::Duration::from_std(state.tokens.lifetimes.refresh).expect("lifetime fits");
        grants::add_refresh_token(&state.db, &crypto::digest(&refresh), grant.id, now, expires)
            .await?;
        body["refresh_token"] = refresh.into();
    }
    Ok(body)
}

async fn refresh(
    state: &State,
    client: &OAuthClient,
    form: &TokenForm,
) -> Result<serde_json::Value, OAuthError> {
    let presented = form
        .refresh_token
        .as_deref()
        .ok_or_else(|| OAuthError::bad("invalid_request", "refresh_token is missing"))?;
    let now = state.clock.now();
    match grants::use_refresh_token(
        &state.db,
        &crypto::digest(presented),
        &client.client_id,
        now,
    )
    .await?
    {
        Refresh::Live(grant) => patron_tokens(state, client, &grant, None, None).await,
        Refresh::Reused => {
            tracing::warn!(client_id = %client.client_id, "a refresh token was reused; its grant is revoked");
            if let Some((grant, _, _)) =
                grants::grant_of_refresh_token(&state.db, &crypto::digest(presented)).await?
            {
                state.tokens.revoke_grant_tokens(grant).await?;
            }
            Err(OAuthError::invalid_grant(
                "the refresh token was used before; the grant is revoked",
            ))
        }
        Refresh::Invalid => Err(OAuthError::invalid_grant(
            "the refresh token is invalid, expired or revoked",
        )),
    }
}

fn client_credentials(
    state: &State,
    client: &OAuthClient,
    form: &TokenForm,
) -> Result<serde_json::Value, OAuthError> {
    let scope: Vec<&str> = match form.scope.as_deref() {
        Some(asked) => {
            let asked: Vec<&str> = asked.split_whitespace().collect();
            if let Some(bad) = asked
                .iter()
                .find(|s| !client.scopes.iter().any(|c| c == *s))
            {
                return Err(OAuthError::bad(
                    "invalid_scope",
                    format!("this client may not have the scope {bad}"),
                ));
            }
            asked
        }
        None => client.scopes.iter().map(String::as_str).collect(),
    };
    let scope = scope.join(" ");
    if let Some(service) = client.service_name() {
        return Ok(service_token(state, service, scope));
    }
    let (access, _) = state.tokens.access_token(
        &client.client_id,
        &client.client_id,
        client.vendor.0,
        &scope,
        None,
        None,
    )?;
    Ok(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": state.tokens.lifetimes.access.as_secs(),
        "scope": scope,
    }))
}

/// How long a service token is valid.
const SERVICE_TOKEN_SECONDS: i64 = 300;

/// A service token: a token of the role `service` for the internal audience, which every
/// process's internal endpoints verify with the shared root secret (and the public API
/// refuses).
fn service_token(state: &State, service: &str, scope: String) -> serde_json::Value {
    let principal = tilgang_kernel::Principal::Service {
        subject: service.to_owned(),
    };
    let ttl = chrono::Duration::seconds(SERVICE_TOKEN_SECONDS);
    let access = state
        .service_tokens
        .mint(&principal, state.clock.now(), ttl);
    json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": SERVICE_TOKEN_SECONDS,
        "scope": scope,
    })
}
