//! Subscriptions: a library pays for a product from a first day to a last day (both included,
//! days in Europe/Oslo), at a price in minor units of its currency, and either renews or ends.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;
use tilgang_kernel::{ProductId, SubscriptionId, TrialId, VendorId};

use super::SubscriptionsError;
use super::time::{end_of, last_day_if_stopped, midnight};

/// The currencies of the consortium's countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Currency {
    /// Norwegian krone.
    NOK,
    /// Swedish krona.
    SEK,
    /// Danish krone.
    DKK,
    /// Euro.
    EUR,
}

impl Currency {
    /// The ISO 4217 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NOK => "NOK",
            Self::SEK => "SEK",
            Self::DKK => "DKK",
            Self::EUR => "EUR",
        }
    }

    /// The currency with this code.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::NOK, Self::SEK, Self::DKK, Self::EUR]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// What happens at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Renewal {
    /// A new period of the same length follows.
    Auto,
    /// Access ends with the last day.
    End,
}

impl Renewal {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::End => "end",
        }
    }

    /// The renewal with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Auto, Self::End]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Where a subscription is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Its first day has not come.
    Scheduled,
    /// Running.
    Active,
    /// Its last day has passed.
    Ended,
    /// Stopped by the library or the consortium.
    Cancelled,
}

impl SubscriptionStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Active => "active",
            Self::Ended => "ended",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Scheduled, Self::Active, Self::Ended, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A library's subscription to a product.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Subscription {
    /// Id.
    pub id: SubscriptionId,
    /// The library.
    #[schema(value_type = String, example = "NO-2030000")]
    pub isil: Isil,
    /// The product.
    pub product: ProductId,
    /// The product's vendor.
    pub vendor: VendorId,
    /// First day (Europe/Oslo).
    pub starts_on: NaiveDate,
    /// Last day, included (Europe/Oslo).
    pub ends_on: NaiveDate,
    /// Price for the period, in minor units (øre, cent).
    pub price_minor: i64,
    /// Currency of the price.
    pub currency: Currency,
    /// What happens after the last day.
    pub renewal: Renewal,
    /// Status.
    pub status: SubscriptionStatus,
    /// The trial it continues, if it was converted from one.
    pub from_trial: Option<TrialId>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The terms of a new subscription, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Price in minor units.
    pub price_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Renewal.
    pub renewal: Renewal,
}

impl Terms {
    /// Checks the terms: the last day not before the first, a price of zero or more, and at
    /// most ten years (a typing error, not a contract).
    pub fn new(
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        price_minor: i64,
        currency: Currency,
        renewal: Renewal,
    ) -> Result<Self, SubscriptionsError> {
        if ends_on < starts_on {
            return Err(SubscriptionsError::unprocessable(
                "period_invalid",
                format!("the last day ({ends_on}) is before the first ({starts_on})"),
            ));
        }
        // A start near the end of the calendar has no ten-year limit to pass.
        if starts_on
            .checked_add_days(Days::new(3653))
            .is_none_or(|limit| ends_on > limit)
        {
            return Err(SubscriptionsError::unprocessable(
                "period_invalid",
                "a subscription period is at most ten years",
            ));
        }
        if price_minor < 0 {
            return Err(SubscriptionsError::invalid(
                "price_minor",
                "value_out_of_range",
                "a price is zero or more",
            ));
        }
        Ok(Self {
            starts_on,
            ends_on,
            price_minor,
            currency,
            renewal,
        })
    }
}

impl Subscription {
    /// A new subscription on `terms`, its status as of `now`.
    pub fn new(
        isil: Isil,
        product: ProductId,
        vendor: VendorId,
        terms: Terms,
        from_trial: Option<TrialId>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut s = Self {
            id: SubscriptionId::new(),
            isil,
            product,
            vendor,
            starts_on: terms.starts_on,
            ends_on: terms.ends_on,
            price_minor: terms.price_minor,
            currency: terms.currency,
            renewal: terms.renewal,
            status: SubscriptionStatus::Scheduled,
            from_trial,
            created_at: now,
            updated_at: now,
        };
        s.status = s.status_at(now);
        s
    }

    /// The status the calendar gives at `now` (a cancelled one stays cancelled).
    pub fn status_at(&self, now: DateTime<Utc>) -> SubscriptionStatus {
        if self.status == SubscriptionStatus::Cancelled {
            SubscriptionStatus::Cancelled
        } else if now < midnight(self.starts_on) {
            SubscriptionStatus::Scheduled
        } else if self.renewal == Renewal::End && now >= end_of(self.ends_on) {
            SubscriptionStatus::Ended
        } else {
            SubscriptionStatus::Active
        }
    }

    /// The interval of access: from the first midnight to the end of the last day, open-ended
    /// while it renews by itself.
    pub fn access(&self) -> Option<(DateTime<Utc>, Option<DateTime<Utc>>)> {
        let from = midnight(self.starts_on);
        match (self.status, self.renewal) {
            (SubscriptionStatus::Cancelled, _) | (_, Renewal::End) => {
                let until = end_of(self.ends_on);
                (from < until).then_some((from, Some(until)))
            }
            (_, Renewal::Auto) => Some((from, None)),
        }
    }

    /// Whether this and `other` (same library and product) give access at the same time.
    pub fn overlaps(&self, other: &Subscription) -> bool {
        match (self.access(), other.access()) {
            (Some((a_from, a_until)), Some((b_from, b_until))) => {
                a_until.is_none_or(|u| b_from < u) && b_until.is_none_or(|u| a_from < u)
            }
            _ => false,
        }
    }

    /// Moves an auto-renewing subscription whose period is over into its next period (same
    /// length); true when it did.
    pub fn renew_if_due(&mut self, now: DateTime<Utc>) -> bool {
        let due = self.renewal == Renewal::Auto
            && self.status != SubscriptionStatus::Cancelled
            && now >= end_of(self.ends_on);
        if due {
            let length = (self.ends_on - self.starts_on).num_days() as u64 + 1;
            while now >= end_of(self.ends_on) {
                self.starts_on = self.ends_on + Days::new(1);
                self.ends_on = self.starts_on + Days::new(length - 1);
            }
            self.updated_at = now;
        }
        due
    }

    /// Stops the subscription: access ends with today (Europe/Oslo), or never begins.
    pub fn cancel(&mut self, now: DateTime<Utc>) -> Result<(), SubscriptionsError> {
        if matches!(
            self.status,
            SubscriptionStatus::Cancelled | SubscriptionStatus::Ended
        ) {
            return Err(SubscriptionsError::conflict(
                "subscription_state",
                format!("the subscription is already {}", self.status.as_str()),
            ));
        }
        self.ends_on = last_day_if_stopped(self.starts_on, self.ends_on, now);
        self.status = SubscriptionStatus::Cancelled;
        self.renewal = Renewal::End;
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    fn subscription(from: &str, to: &str, renewal: Renewal) -> Subscription {
        let terms = Terms::new(day(from), day(to), 100_000, Currency::NOK, renewal).unwrap();
        let isil = Isil::parse("NO-2030000").unwrap();
        Subscription::new(
            isil,
            ProductId::new(),
            VendorId::new(),
            terms,
            None,
            at("2026-01-01T00:00:00Z"),
        )
    }

    #[test]
    fn access_runs_from_the_first_oslo_midnight_to_the_end_of_the_last_day() {
        let s = subscription("2026-02-01", "2026-12-31", Renewal::End);
        assert_eq!(
            s.access(),
            Some((at("2026-01-31T23:00:00Z"), Some(at("2026-12-31T23:00:00Z"))))
        );
        assert_eq!(
            s.status_at(at("2026-12-31T22:59:59Z")),
            SubscriptionStatus::Active
        );
        assert_eq!(
            s.status_at(at("2026-12-31T23:00:00Z")),
            SubscriptionStatus::Ended
        );
    }

    #[test]
    fn the_last_day_before_the_first_is_refused() {
        let e = Terms::new(
            day("2026-02-01"),
            day("2026-01-31"),
            0,
            Currency::EUR,
            Renewal::End,
        );
        assert_eq!(e.unwrap_err().code(), "period_invalid");
    }

    #[test]
    fn periods_that_share_a_day_overlap_and_adjacent_ones_do_not() {
        let a = subscription("2026-01-01", "2026-06-30", Renewal::End);
        assert!(a.overlaps(&subscription("2026-06-30", "2026-12-31", Renewal::End)));
        assert!(!a.overlaps(&subscription("2026-07-01", "2026-12-31", Renewal::End)));
        let renewing = subscription("2025-01-01", "2025-12-31", Renewal::Auto);
        assert!(renewing.overlaps(&subscription("2027-01-01", "2027-12-31", Renewal::End)));
    }

    #[test]
    fn an_auto_renewing_subscription_moves_into_its_next_period() {
        let mut s = subscription("2026-01-01", "2026-12-31", Renewal::Auto);
        assert!(!s.renew_if_due(at("2026-12-31T22:00:00Z")));
        assert!(s.renew_if_due(at("2026-12-31T23:00:00Z")));
        assert_eq!(
            (s.starts_on, s.ends_on),
            (day("2027-01-01"), day("2027-12-31"))
        );
    }

    #[test]
    fn cancelling_ends_access_with_today_or_before_it_began() {
        let mut s = subscription("2026-01-01", "2026-12-31", Renewal::Auto);
        s.cancel(at("2026-03-10T12:00:00Z")).unwrap();
        assert_eq!(s.access().unwrap().1, Some(at("2026-03-10T23:00:00Z")));
        let mut future = subscription("2027-01-01", "2027-12-31", Renewal::End);
        future.cancel(at("2026-03-10T12:00:00Z")).unwrap();
        assert_eq!(future.access(), None);
        assert_eq!(
            future
                .cancel(at("2026-03-11T00:00:00Z"))
                .unwrap_err()
                .code(),
            "subscription_state"
        );
    }
}
