//! Entitlements: which library may use which product when, derived from trials and
//! subscriptions as intervals of access, so an answer is right at any instant without waiting
//! for a job or a cache refresh.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tilgang_kernel::ProductId;
use tilgang_kernel::ports::{Entitlement, EntitlementBasis};

use super::subscription::Subscription;
use super::trial::Trial;

/// One interval of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    /// What grants it.
    pub basis: EntitlementBasis,
    /// From.
    pub from: DateTime<Utc>,
    /// Until (exclusive); `None` while it renews by itself.
    pub until: Option<DateTime<Utc>>,
}

impl Grant {
    /// Whether it grants access at `at`.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|u| at < u)
    }
}

impl Trial {
    /// The trial as a grant, if it gives access at all.
    pub fn grant(&self) -> Option<Grant> {
        self.access().map(|(from, until)| Grant {
            basis: EntitlementBasis::Trial,
            from,
            until: Some(until),
        })
    }
}

impl Subscription {
    /// The subscription as a grant, if it gives access at all.
    pub fn grant(&self) -> Option<Grant> {
        self.access().map(|(from, until)| Grant {
            basis: EntitlementBasis::Subscription,
            from,
            until,
        })
    }
}

/// The answer at `at` from a library's grants for one product: the covering grant that lasts
/// longest (a subscription over a trial running beside it).
pub fn decide(grants: &[Grant], at: DateTime<Utc>) -> Entitlement {
    grants
        .iter()
        .filter(|g| g.covers(at))
        .max_by_key(|g| (g.until.is_none(), g.until))
        .map_or(Entitlement::DENIED, |g| Entitlement {
            basis: g.basis,
            until: g.until,
        })
}

/// Every grant, by library (ISIL key) and product.
pub type GrantIndex = HashMap<(String, ProductId), Vec<Grant>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    #[test]
    fn the_answer_follows_the_intervals_to_the_second() {
        let trial = Grant {
            basis: EntitlementBasis::Trial,
            from: at("2026-11-22T13:00:00Z"),
            until: Some(at("2027-01-10T23:00:00Z")),
        };
        assert!(!decide(&[trial], at("2026-11-22T12:59:59Z")).granted());
        assert_eq!(
            decide(&[trial], at("2027-01-10T22:59:59Z")).basis,
            EntitlementBasis::Trial
        );
        assert!(!decide(&[trial], at("2027-01-10T23:00:00Z")).granted());
    }

    #[test]
    fn a_renewing_subscription_wins_over_a_trial_beside_it() {
        let trial = Grant {
            basis: EntitlementBasis::Trial,
            from: at("2026-01-01T00:00:00Z"),
            until: Some(at("2026-03-01T00:00:00Z")),
        };
        let subscription = Grant {
            basis: EntitlementBasis::Subscription,
            from: at("2026-02-01T00:00:00Z"),
            until: None,
        };
        let answer = decide(&[trial, subscription], at("2026-02-10T00:00:00Z"));
        assert_eq!(
            (answer.basis, answer.until),
            (EntitlementBasis::Subscription, None)
        );
    }
}
