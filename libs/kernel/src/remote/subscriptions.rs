//! `subscriptions`' ports over HTTP: entitlements, prices and trials.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use tilgang_isil::Isil;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ids::{ProductId, TrialId};
use crate::ports::{
    Entitlement, Entitlements, PortError, PricedPeriod, Prices, Refusal, SubscriptionSummary,
    SubscriptionTerms, TrialSummary, Trials,
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
