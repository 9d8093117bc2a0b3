//! Trials: a library tries a product for the product's trial length.
//!
//! ```text
//! requested ──confirm──▶ active ──day N ends──▶ ended
//!     │                    ├──convert──▶ converted (a subscription continues it)
//!     ├──decline──▶ declined
//!     └──cancel──▶ cancelled ◀──cancel──┘
//! ```
//!
//! A trial grants access from the moment it becomes active to the midnight (Europe/Oslo) that
//! ends its last day; cancelling or converting ends that interval at once. The interval is the
//! truth: access ends on time even if the background job that marks the trial ended is late.

use chrono::{DateTime, Days, Utc};
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;
use tilgang_kernel::ports::TrialOffer;
use tilgang_kernel::{ProductId, TrialId, VendorId};

use super::SubscriptionsError;
use super::time::{day_of, midnight};

/// Where a trial is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrialState {
    /// Asked for; waits for the vendor.
    Requested,
    /// Running: the library has access.
    Active,
    /// Ran its length.
    Ended,
    /// The vendor said no.
    Declined,
    /// Continued as a subscription.
    Converted,
    /// Stopped early by the library or the consortium.
    Cancelled,
}

impl TrialState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Active => "active",
            Self::Ended => "ended",
            Self::Declined => "declined",
            Self::Converted => "converted",
            Self::Cancelled => "cancelled",
        }
    }

    /// The state with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Requested,
            Self::Active,
            Self::Ended,
            Self::Declined,
            Self::Converted,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A library's trial of a product.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Trial {
    /// Id.
    pub id: TrialId,
    /// The library.
    #[schema(value_type = String, example = "NO-2030000")]
    pub isil: Isil,
    /// The product.
    pub product: ProductId,
    /// The product's vendor.
    pub vendor: VendorId,
    /// State.
    pub state: TrialState,
    /// Length in days (the product's trial length when requested).
    pub days: u16,
    /// When it was requested, and by whom.
    pub requested_at: DateTime<Utc>,
    /// Who requested it (a staff subject).
    pub requested_by: String,
    /// When access began.
    pub starts_at: Option<DateTime<Utc>>,
    /// When access ends (or ended): the midnight after the last day, or the moment it was
    /// cancelled or converted.
    pub ends_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Trial {
    /// A new trial of `product` for `isil`, requested at `now` by `by`.
    pub fn request(
        isil: Isil,
        product: ProductId,
        vendor: VendorId,
        offer: &TrialOffer,
        by: &str,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: TrialId::new(),
            isil,
            product,
            vendor,
            state: TrialState::Requested,
            days: offer.days,
            requested_at: now,
            requested_by: by.to_owned(),
            starts_at: None,
            ends_at: None,
            updated_at: now,
        }
    }

    /// Starts access at `now`; it ends at the midnight after day `days` (today is day 1).
    pub fn start(&mut self, now: DateTime<Utc>) -> Result<(), SubscriptionsError> {
        self.must_be(TrialState::Requested, "start")?;
        self.state = TrialState::Active;
        self.starts_at = Some(now);
        self.ends_at = Some(midnight(day_of(now) + Days::new(u64::from(self.days))));
        self.updated_at = now;
        Ok(())
    }

    /// The vendor says no.
    pub fn decline(&mut self, now: DateTime<Utc>) -> Result<(), SubscriptionsError> {
        self.must_be(TrialState::Requested, "decline")?;
        self.state = TrialState::Declined;
        self.updated_at = now;
        Ok(())
    }

    /// Stops a requested or active trial now.
    pub fn cancel(&mut self, now: DateTime<Utc>) -> Result<(), SubscriptionsError> {
        match self.state {
            TrialState::Requested => {}
            TrialState::Active => self.ends_at = self.ends_at.map(|end| end.min(now)),
            _ => return Err(self.wrong_state("cancel")),
        }
        self.state = TrialState::Cancelled;
        self.updated_at = now;
        Ok(())
    }

    /// Hands an active trial over to a subscription that starts at `handover`.
    pub fn convert(
        &mut self,
        handover: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), SubscriptionsError> {
        self.must_be(TrialState::Active, "convert")?;
        self.state = TrialState::Converted;
        self.ends_at = self.ends_at.map(|end| end.min(handover.max(now)));
        self.updated_at = now;
        Ok(())
    }

    /// Marks an active trial whose time is up as ended; false when it is not yet due.
    pub fn end_if_due(&mut self, now: DateTime<Utc>) -> bool {
        let due = self.state == TrialState::Active && self.ends_at.is_some_and(|end| end <= now);
        if due {
            self.state = TrialState::Ended;
            self.updated_at = now;
        }
        due
    }

    /// The interval of access this trial gives, if any.
    pub fn access(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match self.state {
            TrialState::Requested | TrialState::Declined => None,
            _ => self.starts_at.zip(self.ends_at).filter(|(s, e)| s < e),
        }
    }

    /// Whether the trial is still under way or waiting (only one such trial per product).
    pub fn open(&self) -> bool {
        matches!(self.state, TrialState::Requested | TrialState::Active)
    }

    fn must_be(&self, state: TrialState, action: &str) -> Result<(), SubscriptionsError> {
        if self.state == state {
            Ok(())
        } else {
            Err(self.wrong_state(action))
        }
    }

    fn wrong_state(&self, action: &str) -> SubscriptionsError {
        SubscriptionsError::conflict(
            "trial_state",
            format!("a trial that is {} cannot {action}", self.state.as_str()),
        )
    }
}

/// Whether `isil` may start a trial of a product on these terms, given its earlier trials of
/// that product and whether it already has access on other grounds.
pub fn may_request(
    offer: &TrialOffer,
    earlier: &[Trial],
    has_paid_access: bool,
    now: DateTime<Utc>,
) -> Result<(), SubscriptionsError> {
    if !offer.available {
        return Err(SubscriptionsError::unprocessable(
            "trial_not_offered",
            "the vendor offers no trials of this product",
        ));
    }
    if has_paid_access {
        return Err(SubscriptionsError::conflict(
            "already_subscribed",
            "the library already has access to this product by subscription or agreement",
        ));
    }
    if earlier.iter().any(Trial::open) {
        return Err(SubscriptionsError::conflict(
            "trial_exists",
            "the library already has a requested or running trial of this product",
        ));
    }
    let wait = chrono::Duration::days(i64::from(offer.waiting_days));
    if let Some(last) = earlier
        .iter()
        .filter_map(|t| t.access().map(|(_, end)| end))
        .max()
        .filter(|end| *end + wait > now)
    {
        return Err(SubscriptionsError::conflict(
            "trial_waiting_period",
            format!(
                "the library tried this product until {}; another trial is possible from {}",
                day_of(last),
                day_of(last + wait)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> TrialOffer {
        TrialOffer {
            available: true,
            days: 50,
            needs_vendor_confirmation: false,
            waiting_days: 365,
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    fn trial() -> Trial {
        let isil = Isil::parse("NO-2030000").unwrap();
        Trial::request(
            isil,
            ProductId::new(),
            VendorId::new(),
            &offer(),
            "admin",
            at("2026-11-22T13:00:00Z"),
        )
    }

    #[test]
    fn a_trial_started_today_ends_at_oslo_midnight_after_day_fifty() {
        let mut t = trial();
        t.start(at("2026-11-22T13:00:00Z")).unwrap();
        // Day 1 is 22 November, day 50 is 10 January; it ends when 11 January begins in Oslo.
        assert_eq!(t.ends_at, Some(at("2027-01-10T23:00:00Z")));
        assert!(!t.clone().end_if_due(at("2027-01-10T22:59:59Z")));
        assert!(t.end_if_due(at("2027-01-10T23:00:00Z")));
        assert_eq!(t.state, TrialState::Ended);
    }

    #[test]
    fn cancelling_an_active_trial_ends_access_at_once() {
        let mut t = trial();
        t.start(at("2026-11-22T13:00:00Z")).unwrap();
        t.cancel(at("2026-11-30T08:00:00Z")).unwrap();
        assert_eq!(
            t.access(),
            Some((at("2026-11-22T13:00:00Z"), at("2026-11-30T08:00:00Z")))
        );
    }

    #[test]
    fn only_an_active_trial_converts_and_a_declined_one_gives_no_access() {
        let mut t = trial();
        assert_eq!(
            t.convert(at("2026-11-23T00:00:00Z"), at("2026-11-23T00:00:00Z"))
                .unwrap_err()
                .code(),
            "trial_state"
        );
        t.decline(at("2026-11-23T00:00:00Z")).unwrap();
        assert_eq!(t.access(), None);
    }

    #[test]
    fn a_second_trial_waits_for_the_waiting_period() {
        let mut first = trial();
        first.start(at("2025-01-01T12:00:00Z")).unwrap();
        first.end_if_due(at("2025-03-01T00:00:00Z"));
        let soon = may_request(
            &offer(),
            std::slice::from_ref(&first),
            false,
            at("2025-06-01T00:00:00Z"),
        );
        assert_eq!(soon.unwrap_err().code(), "trial_waiting_period");
        assert!(may_request(&offer(), &[first], false, at("2026-03-01T00:00:00Z")).is_ok());
    }

    #[test]
    fn no_trial_without_an_offer_or_with_paid_access() {
        let none = TrialOffer {
            available: false,
            ..offer()
        };
        assert_eq!(
            may_request(&none, &[], false, at("2026-01-01T00:00:00Z"))
                .unwrap_err()
                .code(),
            "trial_not_offered"
        );
        assert_eq!(
            may_request(&offer(), &[], true, at("2026-01-01T00:00:00Z"))
                .unwrap_err()
                .code(),
            "already_subscribed"
        );
    }
}
