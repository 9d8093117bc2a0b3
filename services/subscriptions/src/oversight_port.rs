//! The `Oversight` port, answered in this process with the same rules and scope checks as the
//! API: the access list, webhook endpoints and deliveries, the audit trail, and consortium
//! agreements.

use std::sync::Arc;

use async_trait::async_trait;
use tilgang_kernel::ports::{
    AgreementDraft, AgreementSummary, AuditEntry, LibraryAccess, NewWebhookEndpoint, Oversight,
    PortError, Refusal, WebhookDelivery, WebhookEndpoint,
};
use tilgang_kernel::{AgreementId, EndpointId, Principal};

use crate::desk::Desk;
use crate::domain::SubscriptionsError;
use crate::domain::agreement::Agreement;
use crate::endpoints::{Endpoints, acting_vendor};
use crate::storage::outbox::{self, DeliveryFilter, Endpoint};
use crate::storage::{Scope, agreements, audit};
use crate::trials_port::refused;

/// Oversight through the desk and endpoints of this process.
pub struct DeskOversight {
    /// Trials, subscriptions and the index.
    pub desk: Arc<Desk>,
    /// Webhook endpoints.
    pub endpoints: Arc<Endpoints>,
}

/// The port's view of an endpoint.
fn view(e: Endpoint) -> WebhookEndpoint {
    WebhookEndpoint {
        id: e.id,
        vendor: e.vendor,
        url: e.url,
        events: e.events.iter().map(|k| k.as_str().to_owned()).collect(),
        created_at: e.created_at,
    }
}

/// The port's view of an agreement, with the shares of the caller's libraries.
fn agreement_view(caller: &Principal, a: Agreement) -> AgreementSummary {
    let shares = a
        .shares()
        .into_iter()
        .filter(|s| caller.acts_for_library(&s.isil))
        .map(|s| (s.isil.as_str().to_owned(), s.price_minor))
        .collect();
    AgreementSummary {
        id: a.id,
        name: a.name,
        product: a.product,
        vendor: a.vendor,
        members: a
            .members
            .iter()
            .map(|m| m.isil.as_str().to_owned())
            .collect(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        price_minor: a.price_minor,
        currency: a.currency.as_str().to_owned(),
        split: a.split.as_str().to_owned(),
        status: a.status.as_str().to_owned(),
        shares,
    }
}

/// The answer, a refusal for the caller, or the service's failure.
fn answer<T>(result: Result<T, SubscriptionsError>) -> Result<Result<T, Refusal>, PortError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(e) => refused(e),
    }
}

#[async_trait]
impl Oversight for DeskOversight {
    async fn access(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<LibraryAccess>, Refusal>, PortError> {
        answer(
            async {
                let vendor = acting_vendor(caller, None)?;
                let now = self.desk.clock.now();
                crate::access::libraries(&self.desk, vendor, None, now).await
            }
            .await,
        )
    }

    async fn endpoints(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<WebhookEndpoint>, Refusal>, PortError> {
        let listed = self.endpoints.list(caller, None).await;
        answer(listed.map(|all| all.into_iter().map(view).collect()))
    }

    async fn add_endpoint(
        &self,
        caller: &Principal,
        url: &str,
        events: Vec<String>,
    ) -> Result<Result<NewWebhookEndpoint, Refusal>, PortError> {
        let added = self.endpoints.add(caller, None, url, &events).await;
        answer(added.map(|a| NewWebhookEndpoint {
            endpoint: view(a.endpoint),
            secret: a.secret,
        }))
    }

    async fn remove_endpoint(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<(), Refusal>, PortError> {
        answer(self.endpoints.remove(caller, id).await)
    }

    async fn send_test(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<WebhookDelivery, Refusal>, PortError> {
        answer(self.endpoints.send_test(caller, id).await)
    }

    async fn deliveries(
        &self,
        caller: &Principal,
        state: Option<String>,
        limit: u64,
    ) -> Result<Result<Vec<WebhookDelivery>, Refusal>, PortError> {
        answer(
            async {
                let vendor = if caller.acts_for_all() {
                    None
                } else {
                    Some(acting_vendor(caller, None)?)
                };
                let filter = DeliveryFilter { vendor, state };
                outbox::deliveries(&self.desk.db, &filter, limit).await
            }
            .await,
        )
    }

    async fn audit(
        &self,
        caller: &Principal,
        limit: u64,
    ) -> Result<Result<Vec<AuditEntry>, Refusal>, PortError> {
        answer(
            async {
                let forbidden = || {
                    SubscriptionsError::Forbidden(
                        "the audit trail is for library and consortium admins".into(),
                    )
                };
                if !matches!(caller, Principal::LibraryAdmin { .. }) && !caller.acts_for_all() {
                    return Err(forbidden());
                }
                let isil_keys = caller.library_keys(None).map_err(|_| forbidden())?;
                let scope = Scope {
                    isil_keys,
                    ..Scope::default()
                };
                audit::list(&self.desk.db, &scope, None, limit).await
            }
            .await,
        )
    }

    async fn agreements(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<AgreementSummary>, Refusal>, PortError> {
        let scope = Scope {
            isil_keys: caller.library_keys(None).unwrap_or(Some(Vec::new())),
            vendor: caller.own_vendor(),
            product: None,
        };
        let listed = agreements::list(&self.desk.db, &scope).await;
        answer(listed.map(|all| all.into_iter().map(|a| agreement_view(caller, a)).collect()))
    }

    async fn make_agreement(
        &self,
        caller: &Principal,
        draft: AgreementDraft,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError> {
        let made = async {
            if !caller.acts_for_all() {
                return Err(SubscriptionsError::Forbidden(
                    "only consortium admins make agreements".into(),
                ));
            }
            let request = self.desk.agreement_request(draft).await?;
            self.desk.create_agreement(caller, request).await
        }
        .await;
        answer(made.map(|a| agreement_view(caller, a)))
    }

    async fn cancel_agreement(
        &self,
        caller: &Principal,
        id: AgreementId,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError> {
        let cancelled = self.desk.cancel_agreement(caller, id).await;
        answer(cancelled.map(|a| agreement_view(caller, a)))
    }
}
