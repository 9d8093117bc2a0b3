//! The `Trials` port, answered by the desk: the portal's "start a trial" asks here, with the
//! same rules and scope checks as `POST /api/v1/trials`.

use std::sync::Arc;

use async_trait::async_trait;
use tilgang_kernel::ports::{
    PortError, Refusal, SubscriptionSummary, SubscriptionTerms, TrialSummary, Trials,
};
use tilgang_kernel::{Isil, Principal, ProductId, TrialId};

use crate::storage::Scope;

use crate::desk::{Desk, TrialStep};
use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Currency, Renewal, Terms};
use crate::domain::trial::Trial;
use crate::domain::trial::TrialState;

/// Trials through the desk of this process.
pub struct DeskTrials(pub Arc<Desk>);

/// The port's view of a trial.
pub fn summary(t: &Trial) -> TrialSummary {
    TrialSummary {
        id: t.id,
        isil: t.isil.clone(),
        product: t.product,
        state: t.state.as_str().to_owned(),
        requested_at: t.requested_at,
        ends_at: t.ends_at,
    }
}

#[async_trait]
impl Trials for DeskTrials {
    async fn request(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        answer(self.0.request_trial(caller, isil, product).await)
    }

    async fn cancel(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        let open = match self.open(isil, product, true).await {
            Ok(open) => open,
            Err(e) => return answer(Err(e)),
        };
        answer(self.0.trial_step(caller, open.id, TrialStep::Cancel).await)
    }

    async fn of_library(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError> {
        if !caller.acts_for_library(isil) {
            return refused(SubscriptionsError::Forbidden(
                "only the library's staff see its trials".into(),
            ));
        }
        let scope = Scope {
            isil_keys: Some(vec![isil.key()]),
            vendor: None,
            product: None,
        };
        match crate::storage::trials::list(&self.0.db, &scope, None).await {
            Ok(trials) => Ok(Ok(trials.iter().map(summary).collect())),
            Err(e) => refused(e),
        }
    }

    async fn waiting(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError> {
        let scope = match caller {
            Principal::Vendor { vendor, .. } => Scope {
                isil_keys: None,
                vendor: Some(*vendor),
                product: None,
            },
            Principal::ConsortiumAdmin { .. } => Scope::default(),
            _ => {
                return refused(SubscriptionsError::Forbidden(
                    "only vendors answer trial requests".into(),
                ));
            }
        };
        match crate::storage::trials::list(&self.0.db, &scope, Some(TrialState::Requested)).await {
            Ok(mut trials) => {
                trials.reverse();
                Ok(Ok(trials.iter().map(summary).collect()))
            }
            Err(e) => refused(e),
        }
    }

    async fn decide(
        &self,
        caller: &Principal,
        id: TrialId,
        confirm: bool,
    ) -> Result<Result<TrialSummary, Refusal>, PortError> {
        let step = if confirm {
            TrialStep::Confirm
        } else {
            TrialStep::Decline
        };
        answer(self.0.trial_step(caller, id, step).await)
    }

    async fn convert(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
        terms: SubscriptionTerms,
    ) -> Result<Result<SubscriptionSummary, Refusal>, PortError> {
        let converted = async {
            let open = self.open(isil, product, false).await?;
            let currency = Currency::parse(&terms.currency).ok_or_else(|| {
                SubscriptionsError::invalid("currency", "value_invalid", "NOK, SEK, DKK or EUR")
            })?;
            let renewal = if terms.renews {
                Renewal::Auto
            } else {
                Renewal::End
            };
            let today = crate::domain::time::day_of(self.0.clock.now());
            let terms = Terms::new(today, terms.ends_on, terms.price_minor, currency, renewal)?;
            self.0.convert(caller, open.id, terms).await
        };
        match converted.await {
            Ok(s) => Ok(Ok(SubscriptionSummary {
                id: s.id,
                starts_on: s.starts_on,
                ends_on: s.ends_on,
                price_minor: s.price_minor,
                currency: s.currency.as_str().to_owned(),
            })),
            Err(e) => refused(e),
        }
    }
}

impl DeskTrials {
    /// The library's running trial of `product` (or, with `requested`, one still waiting for
    /// the vendor).
    async fn open(
        &self,
        isil: &Isil,
        product: ProductId,
        requested: bool,
    ) -> Result<Trial, SubscriptionsError> {
        let trials = crate::storage::trials::of(&self.0.db, isil, product).await?;
        trials
            .into_iter()
            .rev()
            .find(|t| {
                t.state == TrialState::Active || requested && t.state == TrialState::Requested
            })
            .ok_or_else(|| SubscriptionsError::NotFound("trial", format!("{isil} {}", product.0)))
    }
}

/// The port's answer to the desk's: the trial, a refusal, or the service's failure.
fn answer(
    result: Result<Trial, SubscriptionsError>,
) -> Result<Result<TrialSummary, Refusal>, PortError> {
    match result {
        Ok(t) => Ok(Ok(summary(&t))),
        Err(e) => refused(e),
    }
}

/// A refusal for the caller, or the service's failure.
pub(crate) fn refused<T>(e: SubscriptionsError) -> Result<Result<T, Refusal>, PortError> {
    match e {
        SubscriptionsError::Storage(_) | SubscriptionsError::Unavailable(_) => {
            Err(PortError::new("subscriptions", e))
        }
        refused => Ok(Err(Refusal {
            code: refused.code().to_owned(),
            field: match &refused {
                SubscriptionsError::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            },
            message: refused.to_string(),
        })),
    }
}
