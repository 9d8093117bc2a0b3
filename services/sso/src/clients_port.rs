//! The [`Clients`] port: the portal's pages for vendors' OpenID Connect clients come here, to
//! the same rules as `/api/v1/sso/clients` (a vendor's client waits for a consortium admin's
//! approval; only consortium admins approve or suspend).

use actix_web::web;
use async_trait::async_trait;
use tilgang_kernel::Principal;
use tilgang_kernel::ports::{
    ClientSummary, Clients, NewClient, PortError, Refusal, RegisteredClient,
};

use crate::domain::client::{ClientStatus, OAuthClient};
use crate::http::State;
use crate::http::api_clients::{ClientInput, listed, register, set_status};
use crate::issued::answer;

/// The [`Clients`] port, answered from the provider's database.
pub struct InProcess(pub(crate) web::Data<State>);

fn summary(c: OAuthClient) -> ClientSummary {
    ClientSummary {
        client_id: c.client_id,
        vendor: c.vendor,
        product: c.product,
        name: c.name,
        redirect_uris: c.redirect_uris,
        initiate_login_uri: c.initiate_login_uri,
        status: c.status.as_str().to_owned(),
        created_at: c.created_at,
    }
}

#[async_trait]
impl Clients for InProcess {
    async fn clients(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<ClientSummary>, Refusal>, PortError> {
        let found = listed(&self.0, caller).await;
        answer(found.map(|all| all.into_iter().map(summary).collect()))
    }

    async fn register(
        &self,
        caller: &Principal,
        client: NewClient,
    ) -> Result<Result<RegisteredClient, Refusal>, PortError> {
        let input = ClientInput {
            vendor: None,
            name: Some(client.name),
            product: client.product,
            redirect_uris: Some(client.redirect_uris),
            post_logout_redirect_uris: None,
            initiate_login_uri: client.initiate_login_uri,
            id_token_alg: None,
            scopes: None,
        };
        let made = register(&self.0, caller, input).await;
        answer(made.map(|m| RegisteredClient {
            client: summary(m.client),
            secret: m.client_secret,
        }))
    }

    async fn decide(
        &self,
        caller: &Principal,
        client_id: &str,
        approve: bool,
    ) -> Result<Result<ClientSummary, Refusal>, PortError> {
        let status = if approve {
            ClientStatus::Approved
        } else {
            ClientStatus::Suspended
        };
        answer(
            set_status(&self.0, caller, client_id, status)
                .await
                .map(summary),
        )
    }
}
