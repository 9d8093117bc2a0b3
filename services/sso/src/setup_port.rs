//! The [`LoginSetup`] port: the portal's pages for a library's SIP2 connection and its e-ID
//! provider come here, to the same checks and tests as
//! `/api/v1/libraries/{isil}/patron-login-setup`. The SIP2 password and the provider's client
//! secret are write-only and stored sealed; each page changes only its own part.

use actix_web::web;
use async_trait::async_trait;
use tilgang_kernel::ports::{
    ConnectionTest, LoginSetup, PortError, Refusal, Sip2Settings, Sip2View, UpstreamSettings,
    UpstreamView,
};
use tilgang_kernel::{Isil, Principal};

use crate::domain::SsoError;
use crate::http::State;
use crate::http::api_setup::{
    Sip2Input, TestResult, UpstreamInput, sip2_setup, test_sip2, test_upstream, upstream_setup,
};
use crate::issued::{answer, scoped};
use crate::storage::setups::{self, Sip2Setup, UpstreamSetup};

/// The [`LoginSetup`] port, answered from the provider's database.
pub struct InProcess(pub(crate) web::Data<State>);

fn view(setup: Option<Sip2Setup>) -> Option<Sip2View> {
    setup.map(|s| Sip2View {
        password_set: s.login_password_sealed.is_some(),
        address: s.address,
        institution_id: s.institution_id,
        login_user: s.login_user,
        location_code: s.location_code,
        tls: s.tls,
        timeout_seconds: s.timeout_seconds,
    })
}

fn connection_test(t: TestResult) -> ConnectionTest {
    ConnectionTest {
        ok: t.ok,
        code: t.code,
        message: t.message,
    }
}

fn upstream_view(setup: Option<UpstreamSetup>) -> Option<UpstreamView> {
    setup.map(|u| UpstreamView {
        secret_set: u.client_secret_sealed.is_some(),
        issuer: u.issuer,
        display_name: u.display_name,
        client_id: u.client_id,
        scopes: u.scopes,
        patron_claim: u.patron_claim,
        library_claim: u.library_claim,
    })
}

impl InProcess {
    async fn replace_upstream(
        &self,
        isil: &Isil,
        settings: Option<UpstreamSettings>,
    ) -> Result<Option<UpstreamView>, SsoError> {
        let state = &self.0;
        let mut setup = setups::get(&state.db, isil).await?;
        setup.upstream = match settings {
            None => None,
            Some(s) => {
                let input = UpstreamInput {
                    issuer: s.issuer,
                    display_name: s.display_name,
                    client_id: s.client_id,
                    client_secret: s.client_secret.filter(|c| !c.is_empty()),
                    scopes: s.scopes,
                    patron_claim: s.patron_claim.filter(|c| !c.trim().is_empty()),
                    library_claim: s.library_claim.filter(|c| !c.trim().is_empty()),
                };
                Some(upstream_setup(state, isil, setup.upstream.as_ref(), input)?)
            }
        };
        let now = state.clock.now();
        setup.updated_at = Some(now);
        setups::put(&state.db, isil, &setup, now).await?;
        Ok(upstream_view(setup.upstream))
    }

    async fn replace(
        &self,
        isil: &Isil,
        settings: Option<Sip2Settings>,
    ) -> Result<Option<Sip2View>, SsoError> {
        let state = &self.0;
        let mut setup = setups::get(&state.db, isil).await?;
        setup.sip2 = match settings {
            None => None,
            Some(s) => {
                let stored = setup.sip2.as_ref();
                let input = Sip2Input {
                    address: s.address,
                    institution_id: s.institution_id,
                    login_user: s.login_user.filter(|u| !u.trim().is_empty()),
                    login_password: s.login_password.filter(|p| !p.is_empty()),
                    location_code: s.location_code.filter(|c| !c.trim().is_empty()),
                    tls: s.tls,
                    // Extra CA certificates are set through the API; the page keeps them.
                    ca_pem: stored.and_then(|s| s.ca_pem.clone()),
                    timeout_seconds: Some(s.timeout_seconds),
                };
                Some(sip2_setup(state, isil, stored, input)?)
            }
        };
        let now = state.clock.now();
        setup.updated_at = Some(now);
        setups::put(&state.db, isil, &setup, now).await?;
        Ok(view(setup.sip2))
    }
}

#[async_trait]
impl LoginSetup for InProcess {
    async fn sip2(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError> {
        let found = async {
            scoped(caller, isil)?;
            setups::get(&self.0.db, isil).await.map(|s| view(s.sip2))
        }
        .await;
        answer(found)
    }

    async fn set_sip2(
        &self,
        caller: &Principal,
        isil: &Isil,
        settings: Option<Sip2Settings>,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError> {
        let replaced = async {
            scoped(caller, isil)?;
            self.replace(isil, settings).await
        }
        .await;
        answer(replaced)
    }

    async fn test(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError> {
        let tested = async {
            scoped(caller, isil)?;
            let setup = setups::get(&self.0.db, isil).await?;
            let Some(sip2) = setup.sip2 else {
                return Err(SsoError::invalid(
                    "sip2",
                    "login_not_set_up",
                    "set up the SIP2 connection first",
                ));
            };
            test_sip2(&self.0, isil, &sip2).await
        }
        .await;
        answer(tested.map(connection_test))
    }

    async fn upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError> {
        let found = async {
            scoped(caller, isil)?;
            setups::get(&self.0.db, isil)
                .await
                .map(|s| upstream_view(s.upstream))
        }
        .await;
        answer(found)
    }

    async fn set_upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
        settings: Option<UpstreamSettings>,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError> {
        let replaced = async {
            scoped(caller, isil)?;
            self.replace_upstream(isil, settings).await
        }
        .await;
        answer(replaced)
    }

    async fn test_upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError> {
        let tested = async {
            scoped(caller, isil)?;
            let setup = setups::get(&self.0.db, isil).await?;
            let Some(upstream) = setup.upstream else {
                return Err(SsoError::invalid(
                    "upstream",
                    "login_not_set_up",
                    "set up the e-ID provider first",
                ));
            };
            Ok(test_upstream(&self.0, &upstream).await)
        }
        .await;
        answer(tested.map(connection_test))
    }
}
