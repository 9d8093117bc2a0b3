//! The `Trials` port, answered by the desk: the portal's "start a trial" asks here, with the
//! same rules and scope checks as `POST /api/v1/trials`.

use std::sync::Arc;

use async_trait::async_trait;
use tilgang_kernel::ports::{PortError, Refusal, TrialSummary, Trials};
use tilgang_kernel::{Isil, Principal, ProductId};

use crate::desk::{Desk, TrialStep};
use crate::domain::SubscriptionsError;
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
        let trials = match crate::storage::trials::of(&self.0.db, isil, product).await {
            Ok(trials) => trials,
            Err(e) => return answer(Err(e)),
        };
        let open = trials
            .into_iter()
            .rev()
            .find(|t| matches!(t.state, TrialState::Active | TrialState::Requested));
        let Some(open) = open else {
            return answer(Err(SubscriptionsError::NotFound(
                "trial",
                format!("{isil} {}", product.0),
            )));
        };
        answer(self.0.trial_step(caller, open.id, TrialStep::Cancel).await)
    }
}

/// The port's answer to the desk's: the trial, a refusal, or the service's failure.
fn answer(
    result: Result<Trial, SubscriptionsError>,
) -> Result<Result<TrialSummary, Refusal>, PortError> {
    match result {
        Ok(t) => Ok(Ok(summary(&t))),
        Err(e @ (SubscriptionsError::Storage(_) | SubscriptionsError::Unavailable(_))) => {
            Err(PortError::new("subscriptions", e))
        }
        Err(refused) => Ok(Err(Refusal {
            code: refused.code().to_owned(),
            message: refused.to_string(),
            field: None,
        })),
    }
}
