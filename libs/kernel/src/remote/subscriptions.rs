//! `subscriptions`' ports over HTTP: entitlements, prices, trials and oversight.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use tilgang_isil::Isil;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ids::{AgreementId, EndpointId, ProductId, TrialId};
use crate::ports::{
    AgreementDraft, AgreementSummary, AuditEntry, Entitlement, Entitlements, LibraryAccess,
    NewWebhookEndpoint, Oversight, PortError, PricedPeriod, Prices, Refusal, SubscriptionSummary,
    SubscriptionTerms, TrialSummary, Trials, WebhookDelivery, WebhookEndpoint,
};
use crate::principal::Principal;

/// `subscriptions` in another process.
#[derive(Clone)]
pub struct SubscriptionsClient(pub Peer);

#[async_trait]
impl Entitlements for SubscriptionsClient {
    async fn check(
        &self,
        isil: &Isil,
        product: ProductId,
        at: DateTime<Utc>,
    ) -> Result<Entitlement, PortError> {
        self.0
            .call("entitlements", "check", &(isil, product, at))
            .await
    }
    async fn granted(
        &self,
        isil: &Isil,
        at: DateTime<Utc>,
    ) -> Result<Vec<(ProductId, Entitlement)>, PortError> {
        self.0.call("entitlements", "granted", &(isil, at)).await
    }
}

#[async_trait]
impl Prices for SubscriptionsClient {
    async fn periods(
        &self,
        isil_keys: Option<Vec<String>>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PricedPeriod>, PortError> {
        self.0
            .call("prices", "periods", &(isil_keys, from, to))
            .await
    }
}

#[async_trait]
impl Trials for SubscriptionsClient {
    async fn request(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        self.0
            .call("trials", "request", &(caller, isil, product))
            .await
    }
    async fn cancel(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        self.0
            .call("trials", "cancel", &(caller, isil, product))
            .await
    }
    async fn of_library(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError> {
        self.0.call("trials", "of_library", &(caller, isil)).await
    }
    async fn waiting(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError> {
        self.0.call("trials", "waiting", &(caller,)).await
    }
    async fn decide(
        &self,
        caller: &Principal,
        id: TrialId,
        confirm: bool,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        self.0
            .call("trials", "decide", &(caller, id, confirm))
            .await
    }
    async fn convert(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
        terms: SubscriptionTerms,
    ) -> Result<Result<SubscriptionSummary, Refusal>, PortError> {
        let args = (caller, isil, product, terms);
        self.0.call("trials", "convert", &args).await
    }
}

#[async_trait]
impl Oversight for SubscriptionsClient {
    async fn access(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<LibraryAccess>, Refusal>, PortError> {
        self.0.call("oversight", "access", &(caller,)).await
    }
    async fn endpoints(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<WebhookEndpoint>, Refusal>, PortError> {
        self.0.call("oversight", "endpoints", &(caller,)).await
    }
    async fn add_endpoint(
        &self,
        caller: &Principal,
        url: &str,
        events: Vec<String>,
    ) -> Result<Result<NewWebhookEndpoint, Refusal>, PortError> {
        let args = (caller, url, events);
        self.0.call("oversight", "add_endpoint", &args).await
    }
    async fn remove_endpoint(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<(), Refusal>, PortError> {
        self.0
            .call("oversight", "remove_endpoint", &(caller, id))
            .await
    }
    async fn send_test(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<WebhookDelivery, Refusal>, PortError> {
        self.0.call("oversight", "send_test", &(caller, id)).await
    }
    async fn deliveries(
        &self,
        caller: &Principal,
        state: Option<String>,
        limit: u64,
    ) -> Result<Result<Vec<WebhookDelivery>, Refusal>, PortError> {
        let args = (caller, state, limit);
        self.0.call("oversight", "deliveries", &args).await
    }
    async fn audit(
        &self,
        caller: &Principal,
        limit: u64,
    ) -> Result<Result<Vec<AuditEntry>, Refusal>, PortError> {
        self.0.call("oversight", "audit", &(caller, limit)).await
    }
    async fn agreements(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<AgreementSummary>, Refusal>, PortError> {
        self.0.call("oversight", "agreements", &(caller,)).await
    }
    async fn make_agreement(
        &self,
        caller: &Principal,
        draft: AgreementDraft,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError> {
        let args = (caller, draft);
        self.0.call("oversight", "make_agreement", &args).await
    }
    async fn cancel_agreement(
        &self,
        caller: &Principal,
        id: AgreementId,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError> {
        let args = (caller, id);
        self.0.call("oversight", "cancel_agreement", &args).await
    }
}

/// Answers [`Entitlements`] calls.
pub struct EntitlementsServer(pub Arc<dyn Entitlements>);

#[async_trait]
impl Dispatch for EntitlementsServer {
    fn port(&self) -> &'static str {
        "entitlements"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "check" => {
                let (isil, product, at): (Isil, ProductId, DateTime<Utc>) = arguments(args)?;
                answer(self.0.check(&isil, product, at).await)
            }
            "granted" => {
                let (isil, at): (Isil, DateTime<Utc>) = arguments(args)?;
                answer(self.0.granted(&isil, at).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`Prices`] calls.
pub struct PricesServer(pub Arc<dyn Prices>);

#[async_trait]
impl Dispatch for PricesServer {
    fn port(&self) -> &'static str {
        "prices"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "periods" => {
                let (keys, from, to): (Option<Vec<String>>, NaiveDate, NaiveDate) =
                    arguments(args)?;
                answer(self.0.periods(keys, from, to).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`Trials`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct TrialsServer(pub Arc<dyn Trials>);

#[async_trait]
impl Dispatch for TrialsServer {
    fn port(&self) -> &'static str {
        "trials"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        type Step = (Principal, Isil, ProductId);
        match method {
            "request" => {
                let (caller, isil, product): Step = arguments(args)?;
                answer(self.0.request(&caller, &isil, product).await)
            }
            "cancel" => {
                let (caller, isil, product): Step = arguments(args)?;
                answer(self.0.cancel(&caller, &isil, product).await)
            }
            "of_library" => {
                let (caller, isil): (Principal, Isil) = arguments(args)?;
                answer(self.0.of_library(&caller, &isil).await)
            }
            "waiting" => {
                let (caller,): (Principal,) = arguments(args)?;
                answer(self.0.waiting(&caller).await)
            }
            "decide" => {
                let (caller, id, confirm): (Principal, TrialId, bool) = arguments(args)?;
                answer(self.0.decide(&caller, id, confirm).await)
            }
            "convert" => {
                let (caller, isil, product, terms): (
                    Principal,
                    Isil,
                    ProductId,
                    SubscriptionTerms,
                ) = arguments(args)?;
                answer(self.0.convert(&caller, &isil, product, terms).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`Oversight`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct OversightServer(pub Arc<dyn Oversight>);

#[async_trait]
impl Dispatch for OversightServer {
    fn port(&self) -> &'static str {
        "oversight"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        type Endpoint = (Principal, EndpointId);
        match method {
            "access" => {
                let (caller,): (Principal,) = arguments(args)?;
                answer(self.0.access(&caller).await)
            }
            "endpoints" => {
                let (caller,): (Principal,) = arguments(args)?;
                answer(self.0.endpoints(&caller).await)
            }
            "add_endpoint" => {
                let (caller, url, events): (Principal, String, Vec<String>) = arguments(args)?;
                answer(self.0.add_endpoint(&caller, &url, events).await)
            }
            "remove_endpoint" => {
                let (caller, id): Endpoint = arguments(args)?;
                answer(self.0.remove_endpoint(&caller, id).await)
            }
            "send_test" => {
                let (caller, id): Endpoint = arguments(args)?;
                answer(self.0.send_test(&caller, id).await)
            }
            "deliveries" => {
                let (caller, state, limit): (Principal, Option<String>, u64) = arguments(args)?;
                answer(self.0.deliveries(&caller, state, limit).await)
            }
            "audit" => {
                let (caller, limit): (Principal, u64) = arguments(args)?;
                answer(self.0.audit(&caller, limit).await)
            }
            "agreements" => {
                let (caller,): (Principal,) = arguments(args)?;
                answer(self.0.agreements(&caller).await)
            }
            "make_agreement" => {
                let (caller, draft): (Principal, AgreementDraft) = arguments(args)?;
                answer(self.0.make_agreement(&caller, draft).await)
            }
            "cancel_agreement" => {
                let (caller, id): (Principal, AgreementId) = arguments(args)?;
                answer(self.0.cancel_agreement(&caller, id).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}
