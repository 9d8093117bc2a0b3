//! Reminders: a library is told a week before a trial ends, and a month before a subscription
//! that does not renew ends, so it can convert or renew in time. The notices are stored for
//! the portal and `GET /api/v1/notices`, and e-mailed to the library's contacts when SMTP is
//! configured (in English, with the date in Europe/Oslo; a notice not sent within two days,
//! because the library has no e-mail contact or the server refused, is left to the portal).

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
use crate::storage::{Scope, trials};

/// How long before a trial ends its library is told.
pub const TRIAL_NOTICE: Duration = Duration::days(7);
/// How long before a subscription without renewal ends its library is told.
pub const SUBSCRIPTION_NOTICE: Duration = Duration::days(30);

impl Desk {
    /// Makes the notices that are due; returns how many this call made.
    pub(super) async fn remind(&self) -> Result<usize, SubscriptionsError> {
        let now = self.clock.now();
        let mut due = Vec::new();
        for t in trials::list(&self.db, &Scope::default(), Some(TrialState::Active)).await? {
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

/// How long an unsent notice is still worth e-mailing.
const MAIL_WITHIN: Duration = Duration::days(2);

impl Desk {
    /// E-mails the notices not sent yet; each is claimed first, so one replica sends it.
    pub(super) async fn mail_notices(&self) -> Result<usize, SubscriptionsError> {
        let Some(mailer) = &self.mailer else {
            return Ok(0);
        };
        let now = self.clock.now();
        let mut sent = 0;
        for n in notices::unsent(&self.db, now - MAIL_WITHIN).await? {
            let Ok(isil) = tilgang_isil::Isil::parse(&n.isil) else {
                continue;
            };
            let library = self.library(&isil).await?;
            let to: Vec<String> = library
                .contacts
                .iter()
                .filter_map(|c| c.email.clone())
                .collect();
            if to.is_empty() || !notices::claim_mail(&self.db, n.id, now).await? {
                continue;
            }
            let product = self.product(n.product).await?;
            let what = if n.kind == "trial_ending" {
                "trial"
            } else {
                "subscription"
            };
            let day = crate::domain::time::day_of(n.ends_at - Duration::seconds(1));
            let subject = format!(
                "{}: the {what} of {} ends on {day}",
                library.name,
                product.name("en")
            );
            let body = format!(
                "Hello,\n\nthe {what} of {} ({}) at {} ({}) ends at the end of {day} (Europe/Oslo).\n\n\
                 To keep access, convert the trial or renew the subscription in the Tilgang portal.\n\n\
                 -- Tilgang\n",
                product.name("en"),
                product.vendor_name,
                library.name,
                library.isil,
            );
            match mailer.send(&to, &subject, body).await {
                Ok(_) => sent += 1,
                Err(e) => {
                    tracing::warn!(notice = %n.id, error = %e, "a notice could not be e-mailed");
                    notices::unclaim(&self.db, n.id).await?;
                }
            }
        }
        Ok(sent)
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
