//! `/api/v1/libraries/{isil}/patron-login-setup`: how a library's patrons log in — today the
//! SIP2 connection to its library system, with a test that tries a SIP2 login and says plainly
//! what failed. The SIP2 password is write-only and stored sealed.

use actix_web::{get, post, put, web};
use serde::{Deserialize, Serialize};
use tilgang_web::{ApiError, Authenticated};

use super::State;
use super::api_logins::library;
use crate::domain::SsoError;
use crate::login::sip2::{config, seal_context};
use crate::storage::setups::{self, LoginSetup, Sip2Setup};

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

/// A library's login setup, as sent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupInput {
    /// The SIP2 connection, or null for none.
    pub sip2: Option<Sip2Input>,
}

/// A library's login setup, as shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupView {
    /// The SIP2 connection (without its password).
    pub sip2: Option<Sip2Setup>,
    /// Whether a SIP2 password is stored.
    pub sip2_password_set: bool,
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
    let sip2 = match body.into_inner().sip2 {
        None => None,
        Some(input) => {
            let sealed = match input.login_password {
                Some(password) => Some(
                    state
                        .logins
                        .sealer()
                        .seal(password.as_bytes(), &seal_context(&isil)),
                ),
                None => stored
                    .sip2
                    .as_ref()
                    .and_then(|s| s.login_password_sealed.clone()),
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
            tilgang_sip2::Sip2Pool::new(config(state.logins.sealer(), &isil, &setup))
                .map_err(|e| SsoError::invalid("sip2", "sip2_setup_invalid", e.to_string()))?;
            Some(setup)
        }
    };
    let setup = LoginSetup {
        sip2,
        updated_at: Some(state.clock.now()),
    };
    setups::put(&state.db, &isil, &setup, state.clock.now()).await?;
    Ok(web::Json(view(setup)))
}

/// Tries a SIP2 login with the stored setup and reports plainly what failed.
#[utoipa::path(tag = "sso", params(("isil" = String, Path)), responses((status = 200, body = TestResult), (status = 403), (status = 422)))]
#[post("/api/v1/libraries/{isil}/patron-login-setup:test")]
pub async fn test(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<TestResult>, ApiError> {
    let isil = library(&caller.0, &isil)?;
    let Some(sip2) = setups::get(&state.db, &isil).await?.sip2 else {
        return Err(SsoError::invalid(
            "sip2",
            "sip2_not_set_up",
            "set up the SIP2 connection first",
        )
        .into());
    };
    let pool = tilgang_sip2::Sip2Pool::new(config(state.logins.sealer(), &isil, &sip2))
        .map_err(|e| SsoError::invalid("sip2", "sip2_setup_invalid", e.to_string()))?;
    Ok(web::Json(match pool.test_connection().await {
        Ok(()) => TestResult {
            ok: true,
            code: None,
            message: None,
        },
        Err(e) => TestResult {
            ok: false,
            code: Some(e.code().to_owned()),
            message: Some(e.to_string()),
        },
    }))
}
