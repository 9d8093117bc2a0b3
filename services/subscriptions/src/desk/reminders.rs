//! Reminders: a library is told a week before a trial ends, and a month before a subscription
//! that does not renew ends, so it can convert or renew in time. The notices are stored for
//! the portal and `GET /api/v1/notices`.

use chrono::Duration;
use tilgang_kernel::ProductId;
use uuid::Uuid;

use super::Desk;
use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Renewal, SubscriptionStatus};
use crate::domain::time::end_of;
use crate::domain::trial::TrialState;
use crate::storage::notices::{self, Notice};
use crate::storage::subscriptions;
use crate::storage::trials::{self, TrialFilter};

/// How long before a trial ends its library is told.
pub const TRIAL_NOTICE: Duration = Duration::days(7);
/// How long before a subscription without renewal ends its library is told.
pub const SUBSCRIPTION_NOTICE: Duration = Duration::days(30);

impl Desk {
    /// Makes the notices that are due; returns how many this call made.
    pub(super) async fn remind(&self) -> Result<usize, SubscriptionsError> {
        let now = self.clock.now();
        let mut due = Vec::new();
        let running = TrialFilter {
            state: Some(TrialState::Active),
            ..TrialFilter::default()
        };
        for t in trials::list(&self.db, &running).await? {
            if let Some(end) = t
                .ends_at
                .filter(|end| *end - TRIAL_NOTICE <= now && now < *end)
            {
                due.push(notice(
                    &t.isil,
                    t.product,
                    "trial",
                    t.id.0,
                    "trial_ending",
                    end,
                    now,
                ));
            }
        }
        for s in subscriptions::every(&self.db).await? {
            let end = end_of(s.ends_on);
            if s.status == SubscriptionStatus::Active
                && s.renewal == Renewal::End
                && end - SUBSCRIPTION_NOTICE <= now
                && now < end
            {
                due.push(notice(
                    &s.isil,
                    s.product,
                    "subscription",
                    s.id.0,
                    "subscription_ending",
                    end,
                    now,
                ));
            }
        }
        let mut made = 0;
        for n in due {
            if notices::remember(&self.db, &n).await? {
                made += 1;
            }
        }
        Ok(made)
    }
}

fn notice(
    isil: &tilgang_isil::Isil,
    product: ProductId,
    subject_kind: &str,
    subject_id: Uuid,
    kind: &str,
    ends_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Notice {
    Notice {
        id: Uuid::now_v7(),
        isil: isil.as_str().to_owned(),
        product,
        subject_kind: subject_kind.into(),
        subject_id,
        kind: kind.into(),
        ends_at,
        created_at: now,
        emailed_at: None,
    }
}
