//! `/api/v1/libraries/{isil}/patron-login-setup`: how a library's patrons log in — the SIP2
//! connection to its library system and its upstream OpenID Connect provider (e-ID) — with a
//! test that tries each and says plainly what failed. Passwords and client secrets are
//! write-only and stored sealed. A PUT replaces the whole setup; a secret left out keeps the
//! stored one.

use actix_web::{get, post, put, web};
use serde::{Deserialize, Serialize};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use super::api_logins::library;
use crate::domain::SsoError;
use crate::login::sip2::{config, seal_context};
use crate::storage::setups::{self, LoginSetup, Sip2Setup, UpstreamSetup};
use crate::upstream::upstream_seal_context;
use tilgang_kernel::Isil;

/// A SIP2 connection as the library admin sends it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sip2Input {
    /// `host:port`.
    pub address: String,
    /// Institution id (AO).
    pub institution_id: String,
    /// SIP2 login user (CN).
    pub login_user: Option<String>,
    /// SIP2 login password (CO); leave out to keep the stored one.
    pub login_password: Option<String>,
    /// Location code (CP).
    pub location_code: Option<String>,
    /// Use TLS.
    #[serde(default)]
    pub tls: bool,
    /// Extra CA certificates (PEM).
    pub ca_pem: Option<String>,
    /// Seconds to wait (1 to 30; default 10).
    pub timeout_seconds: Option<u64>,
}

impl std::fmt::Debug for Sip2Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sip2Input")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// An upstream OpenID Connect provider as the library admin sends it. Register the hub at the
/// provider with the redirect URI `{hub}/login/upstream/callback`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpstreamInput {
    /// The provider's issuer URL (https; http only on the loopback interface, for testing).
    pub issuer: String,
    /// The name on the login button, such as "BankID" (1 to 60 characters).
    pub display_name: String,
    /// The hub's client id at the provider.
    pub client_id: String,
    /// The hub's client secret; leave out to keep the stored one.
    pub client_secret: Option<String>,
    /// Scopes to ask for besides `openid` (default none).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The ID token claim that identifies a patron stably (default `sub`).
    pub patron_claim: Option<String>,
    /// An ID token claim with the patron's home library ISIL, for a provider shared by many
    /// libraries; leave out when every patron of this provider belongs to this library.
    pub library_claim: Option<String>,
}

impl std::fmt::Debug for UpstreamInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamInput")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// A library's login setup, as sent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupInput {
    /// The SIP2 connection, or null for none.
    #[serde(default)]
    pub sip2: Option<Sip2Input>,
    /// The upstream OpenID Connect provider, or null for none.
    #[serde(default)]
    pub upstream: Option<UpstreamInput>,
}

/// A library's login setup, as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupView {
    /// The SIP2 connection (without its password).
    pub sip2: Option<Sip2Setup>,
    /// Whether a SIP2 password is stored.
    pub sip2_password_set: bool,
    /// The upstream provider (without its client secret).
    pub upstream: Option<UpstreamSetup>,
}

/// The outcome of a connection test.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TestResult {
    /// Whether the library system answered and accepted the SIP2 login.
    pub ok: bool,
    /// A stable code of what failed, such as `sip2_login_refused`.
    pub code: Option<String>,
    /// What failed, in plain words.
    pub message: Option<String>,
}

fn view(setup: LoginSetup) -> SetupView {
    SetupView {
        sip2_password_set: setup
            .sip2
            .as_ref()
            .is_some_and(|s| s.login_password_sealed.is_some()),
        sip2: setup.sip2,
        upstream: setup.upstream,
    }
}

/// The library's login setup.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), responses((status = 200, body = SetupView), (status = 403)))]
#[get("/api/v1/libraries/{isil}/patron-login-setup")]
pub async fn get(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<SetupView>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    Ok(web::Json(view(setups::get(&state.db, &isil).await?)))
}

/// Sets the library's login setup; the settings are checked before anything is stored.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), request_body = SetupInput, responses((status = 200, body = SetupView), (status = 403), (status = 422)))]
#[put("/api/v1/libraries/{isil}/patron-login-setup")]
pub async fn put(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
    body: web::Json<SetupInput>,
) -> Result<web::Json<SetupView>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    let stored = setups::get(&state.db, &isil).await?;
    let input = body.into_inner();
    let setup = LoginSetup {
        sip2: input
            .sip2
            .map(|i| sip2_setup(&state, &isil, stored.sip2.as_ref(), i))
            .transpose()?,
        upstream: input
            .upstream
            .map(|i| upstream_setup(&state, &isil, stored.upstream.as_ref(), i))
            .transpose()?,
        updated_at: Some(state.clock.now()),
    };
    setups::put(&state.db, &isil, &setup, state.clock.now()).await?;
    Ok(web::Json(view(setup)))
}

pub(crate) fn sip2_setup(
    state: &State,
    isil: &Isil,
    stored: Option<&Sip2Setup>,
    input: Sip2Input,
) -> Result<Sip2Setup, SsoError> {
    let sealed = match input.login_password {
        Some(password) => Some(
            state
                .logins
                .sealer()
                .seal(password.as_bytes(), &seal_context(isil)),
        ),
        None => stored.and_then(|s| s.login_password_sealed.clone()),
    };
    let setup = Sip2Setup {
        address: input.address.trim().to_owned(),
        institution_id: input.institution_id.trim().to_owned(),
        login_user: input.login_user,
        login_password_sealed: sealed,
        location_code: input.location_code,
        tls: input.tls,
        ca_pem: input.ca_pem,
        timeout_seconds: input.timeout_seconds.unwrap_or(10).clamp(1, 30),
    };
    tilgang_sip2::Sip2Pool::new(config(state.logins.sealer(), isil, &setup))
        .map_err(|e| SsoError::invalid("sip2", "sip2_setup_invalid", e.to_string()))?;
    Ok(setup)
}

/// The upstream provider `input` describes, checked, its secret sealed (a blank secret keeps the
/// stored one for the same provider and client id).
pub(crate) fn upstream_setup(
    state: &State,
    isil: &Isil,
    stored: Option<&UpstreamSetup>,
    input: UpstreamInput,
) -> Result<UpstreamSetup, SsoError> {
    let invalid = |field: &str, detail: &str| {
        SsoError::invalid(
            &format!("upstream.{field}"),
            "upstream_setup_invalid",
            detail,
        )
    };
    let issuer = input.issuer.trim().trim_end_matches('/').to_owned();
    let url = url::Url::parse(&issuer).map_err(|_| invalid("issuer", "not a URL"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if !(url.scheme() == "https" || url.scheme() == "http" && loopback) {
        return Err(invalid(
            "issuer",
            "must be https (http only on the loopback interface)",
        ));
    }
    let display_name = input.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 60 {
        return Err(invalid("display_name", "must be 1 to 60 characters"));
    }
    let client_id = input.client_id.trim().to_owned();
    if client_id.is_empty() {
        return Err(invalid("client_id", "must not be empty"));
    }
    let claim_name = |field: &str, name: String| {
        let name = name.trim().to_owned();
        if name.is_empty() || name.len() > 100 || name.chars().any(char::is_whitespace) {
            Err(invalid(field, "must be a claim name without spaces"))
        } else {
            Ok(name)
        }
    };
    let patron_claim = claim_name("patron_claim", input.patron_claim.unwrap_or("sub".into()))?;
    let library_claim = input
        .library_claim
        .map(|c| claim_name("library_claim", c))
        .transpose()?;
    let scopes = input
        .scopes
        .into_iter()
        .map(|s| claim_name("scopes", s))
        .filter(|s| !matches!(s.as_deref(), Ok("openid")))
        .collect::<Result<Vec<_>, _>>()?;
    let sealed = match input.client_secret {
        Some(secret) if !secret.is_empty() => Some(
            state
                .logins
                .sealer()
                .seal(secret.as_bytes(), &upstream_seal_context(isil)),
        ),
        _ => stored
            .filter(|s| s.issuer == issuer && s.client_id == client_id)
            .and_then(|s| s.client_secret_sealed.clone()),
    };
    if sealed.is_none() {
        return Err(invalid(
            "client_secret",
            "is needed for a new provider or client id",
        ));
    }
    Ok(UpstreamSetup {
        issuer,
        display_name,
        client_id,
        client_secret_sealed: sealed,
        scopes,
        patron_claim,
        library_claim,
    })
}

/// Tries what is set up — a SIP2 login, and the upstream provider's discovery document and
/// keys — and reports plainly what failed first.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), responses((status = 200, body = TestResult), (status = 403), (status = 422)))]
#[post("/api/v1/libraries/{isil}/patron-login-setup:test")]
pub async fn test(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<TestResult>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    Ok(web::Json(run_test(&state, &isil).await?))
}

/// Tries the library's setup: a SIP2 login, then the upstream provider; says what failed
/// first (the API's test).
pub(crate) async fn run_test(state: &State, isil: &Isil) -> Result<TestResult, SsoError> {
    let setup = setups::get(&state.db, isil).await?;
    if setup.sip2.is_none() && setup.upstream.is_none() {
        return Err(SsoError::invalid(
            "sip2",
            "login_not_set_up",
            "set up the SIP2 connection or an upstream provider first",
        ));
    }
    if let Some(sip2) = &setup.sip2 {
        let tested = test_sip2(state, isil, sip2).await?;
        if !tested.ok {
            return Ok(tested);
        }
    }
    match &setup.upstream {
        Some(upstream) => Ok(test_upstream(state, upstream).await),
        None => Ok(TestResult::passed()),
    }
}

/// Logs in to the library system with the SIP2 connection `sip2`.
pub(crate) async fn test_sip2(
    state: &State,
    isil: &Isil,
    sip2: &Sip2Setup,
) -> Result<TestResult, SsoError> {
    let pool = tilgang_sip2::Sip2Pool::new(config(state.logins.sealer(), isil, sip2))
        .map_err(|e| SsoError::invalid("sip2", "sip2_setup_invalid", e.to_string()))?;
    Ok(match pool.test_connection().await {
        Ok(()) => TestResult::passed(),
        Err(e) => TestResult::failed(e.code(), e.to_string()),
    })
}

/// Fetches the upstream provider's discovery document and keys.
pub(crate) async fn test_upstream(state: &State, upstream: &UpstreamSetup) -> TestResult {
    match state.upstreams.check(&upstream.issuer).await {
        Ok(()) => TestResult::passed(),
        Err(e) => TestResult::failed("upstream_discovery_failed", e.to_string()),
    }
}

impl TestResult {
    fn passed() -> Self {
        Self {
            ok: true,
            code: None,
            message: None,
        }
    }

    fn failed(code: &str, message: String) -> Self {
        Self {
            ok: false,
            code: Some(code.to_owned()),
            message: Some(message),
        }
    }
}
