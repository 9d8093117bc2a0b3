//! `sso`'s ports over HTTP: the logins libraries issue to patrons, how patrons log in, and
//! vendors' OpenID Connect clients.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;
use tilgang_isil::Isil;
use uuid::Uuid;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ports::{
    ClientSummary, Clients, ConnectionTest, IssuedLogin, IssuedLoginChange, LoginSetup, NewClient,
    NewIssuedLogin, PatronLogins, PortError, Refusal, RegisteredClient, Sip2Settings, Sip2View,
    UpstreamSettings, UpstreamView,
};
use crate::principal::Principal;

/// `sso` in another process.
#[derive(Clone)]
pub struct SsoClient(pub Peer);

#[async_trait]
impl PatronLogins for SsoClient {
    async fn list(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<IssuedLogin>, Refusal>, PortError> {
        self.0.call("patron_logins", "list", &(caller, isil)).await
    }
    async fn issue(
        &self,
        caller: &Principal,
        isil: &Isil,
        login: NewIssuedLogin,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError> {
        self.0
            .call("patron_logins", "issue", &(caller, isil, login))
            .await
    }
    async fn change(
        &self,
        caller: &Principal,
        isil: &Isil,
        id: Uuid,
        change: IssuedLoginChange,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError> {
        self.0
            .call("patron_logins", "change", &(caller, isil, id, change))
            .await
    }
}

#[async_trait]
impl LoginSetup for SsoClient {
    async fn sip2(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError> {
        self.0.call("login_setup", "sip2", &(caller, isil)).await
    }
    async fn set_sip2(
        &self,
        caller: &Principal,
        isil: &Isil,
        settings: Option<Sip2Settings>,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError> {
        let args = (caller, isil, settings);
        self.0.call("login_setup", "set_sip2", &args).await
    }
    async fn test(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError> {
        self.0.call("login_setup", "test", &(caller, isil)).await
    }
    async fn upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError> {
        self.0
            .call("login_setup", "upstream", &(caller, isil))
            .await
    }
    async fn set_upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
        settings: Option<UpstreamSettings>,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError> {
        let args = (caller, isil, settings);
        self.0.call("login_setup", "set_upstream", &args).await
    }
    async fn test_upstream(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError> {
        let args = (caller, isil);
        self.0.call("login_setup", "test_upstream", &args).await
    }
}

#[async_trait]
impl Clients for SsoClient {
    async fn clients(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<ClientSummary>, Refusal>, PortError> {
        self.0.call("clients", "clients", &(caller,)).await
    }
    async fn register(
        &self,
        caller: &Principal,
        client: NewClient,
    ) -> Result<Result<RegisteredClient, Refusal>, PortError> {
        self.0.call("clients", "register", &(caller, client)).await
    }
    async fn decide(
        &self,
        caller: &Principal,
        client_id: &str,
        approve: bool,
    ) -> Result<Result<ClientSummary, Refusal>, PortError> {
        let args = (caller, client_id, approve);
        self.0.call("clients", "decide", &args).await
    }
}

/// Answers [`Clients`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct ClientsServer(pub Arc<dyn Clients>);

#[async_trait]
impl Dispatch for ClientsServer {
    fn port(&self) -> &'static str {
        "clients"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "clients" => {
                let (caller,): (Principal,) = arguments(args)?;
                answer(self.0.clients(&caller).await)
            }
            "register" => {
                let (caller, client): (Principal, NewClient) = arguments(args)?;
                answer(self.0.register(&caller, client).await)
            }
            "decide" => {
                let (caller, id, approve): (Principal, String, bool) = arguments(args)?;
                answer(self.0.decide(&caller, &id, approve).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`LoginSetup`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct LoginSetupServer(pub Arc<dyn LoginSetup>);

#[async_trait]
impl Dispatch for LoginSetupServer {
    fn port(&self) -> &'static str {
        "login_setup"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "sip2" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.sip2(&caller, &isil).await)
            }
            "set_sip2" => {
                let (caller, isil, settings): (Principal, Isil, Option<Sip2Settings>) =
                    arguments(args)?;
                answer(self.0.set_sip2(&caller, &isil, settings).await)
            }
            "test" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.test(&caller, &isil).await)
            }
            "upstream" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.upstream(&caller, &isil).await)
            }
            "set_upstream" => {
                let (caller, isil, settings): (Principal, Isil, Option<UpstreamSettings>) =
                    arguments(args)?;
                answer(self.0.set_upstream(&caller, &isil, settings).await)
            }
            "test_upstream" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.test_upstream(&caller, &isil).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`PatronLogins`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct PatronLoginsServer(pub Arc<dyn PatronLogins>);

#[async_trait]
impl Dispatch for PatronLoginsServer {
    fn port(&self) -> &'static str {
        "patron_logins"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "list" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.list(&caller, &isil).await)
            }
            "issue" => {
                let (caller, isil, login): (Principal, Isil, NewIssuedLogin) = arguments(args)?;
                answer(self.0.issue(&caller, &isil, login).await)
            }
            "change" => {
                let (caller, isil, id, change): (Principal, Isil, Uuid, IssuedLoginChange) =
                    arguments(args)?;
                answer(self.0.change(&caller, &isil, id, change).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}
