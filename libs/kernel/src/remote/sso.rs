//! `sso`'s ports over HTTP: the logins libraries issue to patrons.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;
use tilgang_isil::Isil;
use uuid::Uuid;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ports::{
    IssuedLogin, IssuedLoginChange, NewIssuedLogin, PatronLogins, PortError, Refusal,
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
