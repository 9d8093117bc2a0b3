//! Consortium agreements: one product for many libraries (a consortium, a region, or a list of
//! ISILs) over one period at one price, split between the libraries equally or by population.
//! The members are those named when the agreement is made: a contract lists its parties, so a
//! library that joins a consortium later is added by a new agreement, not silently.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;
use tilgang_kernel::ports::EntitlementBasis;
use tilgang_kernel::{AgreementId, ProductId, VendorId};

use super::SubscriptionsError;
use super::entitlement::Grant;
use super::subscription::{Currency, SubscriptionStatus, Terms};
use super::time::{end_of, last_day_if_stopped, midnight};

/// How the price is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// The same share for each library.
    Equal,
    /// Shares by the population each library serves.
    Population,
}

impl Split {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::Population => "population",
        }
    }

    /// The split with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Equal, Self::Population]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A library covered by an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Member {
    /// The library.
    #[schema(value_type = String)]
    pub isil: Isil,
    /// The population it serves (for a split by population).
    pub population: Option<u64>,
}

/// A consortium agreement.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Agreement {
    /// Id.
    pub id: AgreementId,
    /// Its name, such as "Nordlys e-books for Viken 2027".
    pub name: String,
    /// The product.
    pub product: ProductId,
    /// The product's vendor.
    pub vendor: VendorId,
    /// The libraries it covers.
    pub members: Vec<Member>,
    /// First day (Europe/Oslo).
    pub starts_on: NaiveDate,
    /// Last day, included.
    pub ends_on: NaiveDate,
    /// Price for the whole period and every member, in minor units.
    pub price_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// How the price is shared.
    pub split: Split,
    /// Scheduled, active, ended or cancelled.
    pub status: SubscriptionStatus,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// One library's share of the price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// The library.
    #[schema(value_type = String)]
    pub isil: Isil,
    /// Its part of the price, in minor units.
    pub price_minor: i64,
}

impl Agreement {
    /// A new agreement on `terms` (renewal is not part of an agreement) for `members`, checked:
    /// at least one member, none twice, and a population for each when split by population.
    pub fn new(
        name: String,
        product: ProductId,
        vendor: VendorId,
        members: Vec<Member>,
        terms: Terms,
        split: Split,
        now: DateTime<Utc>,
    ) -> Result<Self, SubscriptionsError> {
        if name.trim().is_empty() {
            return Err(SubscriptionsError::invalid(
                "name",
                "field_required",
                "name the agreement",
            ));
        }
        if members.is_empty() {
            return Err(SubscriptionsError::unprocessable(
                "agreement_without_members",
                "an agreement covers at least one library",
            ));
        }
        let mut seen = BTreeMap::new();
        for m in &members {
            if seen.insert(m.isil.key(), ()).is_some() {
                return Err(SubscriptionsError::invalid(
                    "isils",
                    "isil_repeated",
                    format!("{} is named twice", m.isil),
                ));
            }
            if split == Split::Population && m.population.is_none_or(|p| p == 0) {
                return Err(SubscriptionsError::invalid(
                    "populations",
                    "population_missing",
                    format!(
                        "a split by population needs a population above 0 for {}",
                        m.isil
                    ),
                ));
            }
        }
        let mut a = Self {
            id: AgreementId::new(),
            name: name.trim().to_owned(),
            product,
            vendor,
            members,
            starts_on: terms.starts_on,
            ends_on: terms.ends_on,
            price_minor: terms.price_minor,
            currency: terms.currency,
            split,
            status: SubscriptionStatus::Scheduled,
            created_at: now,
            updated_at: now,
        };
        a.status = a.status_at(now);
        Ok(a)
    }

    /// The status the calendar gives at `now` (a cancelled one stays cancelled).
    pub fn status_at(&self, now: DateTime<Utc>) -> SubscriptionStatus {
        match self.status {
            SubscriptionStatus::Cancelled => SubscriptionStatus::Cancelled,
            _ if now < midnight(self.starts_on) => SubscriptionStatus::Scheduled,
            _ if now < end_of(self.ends_on) => SubscriptionStatus::Active,
            _ => SubscriptionStatus::Ended,
        }
    }

    /// The access it gives each member, if any.
    pub fn grant(&self) -> Option<Grant> {
        let (from, until) = (midnight(self.starts_on), end_of(self.ends_on));
        (from < until).then_some(Grant {
            basis: EntitlementBasis::Agreement,
            from,
            until: Some(until),
        })
    }

    /// Cancels it: access ends with today (or never begins).
    pub fn cancel(&mut self, now: DateTime<Utc>) -> Result<(), SubscriptionsError> {
        if matches!(
            self.status,
            SubscriptionStatus::Cancelled | SubscriptionStatus::Ended
        ) {
            return Err(SubscriptionsError::conflict(
                "agreement_state",
                format!("the agreement is {} already", self.status.as_str()),
            ));
        }
        self.ends_on = last_day_if_stopped(self.starts_on, self.ends_on, now);
        self.status = SubscriptionStatus::Cancelled;
        self.updated_at = now;
        Ok(())
    }

    /// Whether it covers the library `isil`.
    pub fn covers(&self, isil: &Isil) -> bool {
        self.members.iter().any(|m| &m.isil == isil)
    }

    /// Each member's share of the price, in minor units, adding up to the price exactly: the
    /// exact shares rounded down, and the minor units left over given one each to the
    /// members with the largest remainders (ties: by ISIL).
    pub fn shares(&self) -> Vec<Share> {
        let weights: Vec<u128> = self
            .members
            .iter()
            .map(|m| match self.split {
                Split::Equal => 1,
                Split::Population => u128::from(m.population.unwrap_or(0)),
            })
            .collect();
        let total: u128 = weights.iter().sum::<u128>().max(1);
        let price = u128::try_from(self.price_minor).unwrap_or(0);
        let mut shares: Vec<(usize, u128, u128)> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| (i, price * w / total, price * w % total))
            .collect();
        let mut left = price - shares.iter().map(|s| s.1).sum::<u128>();
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|a, b| {
            shares[*b]
                .2
                .cmp(&shares[*a].2)
                .then_with(|| self.members[*a].isil.cmp(&self.members[*b].isil))
        });
        for i in order {
            if left == 0 {
                break;
            }
            shares[i].1 += 1;
            left -= 1;
        }
        shares
            .into_iter()
            .map(|(i, minor, _)| Share {
                isil: self.members[i].isil.clone(),
                price_minor: i64::try_from(minor).unwrap_or(i64::MAX),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::subscription::Renewal;

    fn agreement(split: Split, price: i64, members: &[(&str, Option<u64>)]) -> Agreement {
        let terms = Terms::new(
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
            price,
            Currency::NOK,
            Renewal::End,
        )
        .unwrap();
        let members = members
            .iter()
            .map(|(isil, population)| Member {
                isil: Isil::parse(isil).unwrap(),
                population: *population,
            })
            .collect();
        Agreement::new(
            "Viken 2027".into(),
            ProductId::new(),
            VendorId::new(),
            members,
            terms,
            split,
            "2026-11-22T12:00:00Z".parse().unwrap(),
        )
        .unwrap()
    }

    fn minor(shares: &[Share]) -> Vec<i64> {
        shares.iter().map(|s| s.price_minor).collect()
    }

    #[test]
    fn an_equal_split_gives_the_odd_minor_units_to_the_first_libraries_by_isil() {
        let a = agreement(
            Split::Equal,
            100,
            &[("NO-3", None), ("NO-1", None), ("NO-2", None)],
        );
        assert_eq!(minor(&a.shares()), [33, 34, 33]);
    }

    #[test]
    fn a_split_by_population_is_proportional_and_adds_up_to_the_price() {
        let a = agreement(
            Split::Population,
            1_000_000,
            &[
                ("NO-1", Some(700_000)),
                ("NO-2", Some(20_000)),
                ("NO-3", Some(2_500)),
            ],
        );
        let shares = minor(&a.shares());
        assert_eq!(shares, [968_858, 27_682, 3_460]);
        assert_eq!(shares.iter().sum::<i64>(), 1_000_000);
    }

    #[test]
    fn a_split_by_population_needs_every_population_and_no_library_twice() {
        let terms = || {
            Terms::new(
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
                1,
                Currency::EUR,
                Renewal::End,
            )
            .unwrap()
        };
        let member = |isil: &str, population| Member {
            isil: Isil::parse(isil).unwrap(),
            population,
        };
        let make = |members, split| {
            Agreement::new(
                "x".into(),
                ProductId::new(),
                VendorId::new(),
                members,
                terms(),
                split,
                Utc::now(),
            )
            .unwrap_err()
            .code()
        };
        assert_eq!(
            make(
                vec![member("FI-Tam", Some(5)), member("FI-Om", None)],
                Split::Population
            ),
            "population_missing"
        );
        assert_eq!(
            make(
                vec![member("FI-Tam", None), member("fi-tam", None)],
                Split::Equal
            ),
            "isil_repeated"
        );
        assert_eq!(make(Vec::new(), Split::Equal), "agreement_without_members");
    }

    #[test]
    fn a_scheduled_agreement_grants_from_its_first_day_and_a_cancelled_one_not_before_it() {
        let mut a = agreement(Split::Equal, 100, &[("NO-1", None)]);
        assert_eq!(a.status, SubscriptionStatus::Scheduled);
        let grant = a.grant().unwrap();
        assert_eq!(grant.from, midnight(a.starts_on));
        a.cancel("2026-12-01T12:00:00Z".parse().unwrap()).unwrap();
        assert_eq!(
            a.grant(),
            None,
            "cancelled before it began, it never grants"
        );
    }
}
