//! Harvesting vendors' COUNTER APIs: what an answer means and when to ask again.
//!
//! - A report is stored (through the same checks as a pushed one): `harvested`.
//! - Exception 3030 (no usage) or 3032 (no longer available): `no_usage`; the month is done.
//! - HTTP 202 or exception 1011 (queued): `queued`; asked again after `Retry-After`, or an hour.
//! - Exception 3031 (not ready): `not_ready`; asked again the next day.
//! - HTTP 429 or exception 1020 (too many requests): `throttled`; asked again after
//!   `Retry-After`, or with backoff.
//! - HTTP 401/403 (2000, 2010, 2011, 2020): `refused`; not asked again until the account is
//!   changed.
//! - Anything else (a server error, no answer, a report that fails the checks): `error`;
//!   asked again with backoff (15 minutes, doubling, at most a day), and given up after
//!   [`MOST_ATTEMPTS`] attempts in all. A vendor that says "queued", "not ready" or "slow down"
//!   is asked again for as long as it says so: COUNTER gives vendors until the 28th of the next
//!   month, and a vendor that answers is not failing.

use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Attempts before a month is given up (`failed`).
pub const MOST_ATTEMPTS: i32 = 12;

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The report was stored.
    Harvested,
    /// The vendor has no usage for the month.
    NoUsage,
    /// The vendor is preparing the report.
    Queued,
    /// The month's usage is not ready yet.
    NotReady,
    /// The vendor asked the hub to slow down.
    Throttled,
    /// The vendor refused the credentials.
    Refused,
    /// Something else went wrong.
    Error,
}

impl Outcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Harvested => "harvested",
            Self::NoUsage => "no_usage",
            Self::Queued => "queued",
            Self::NotReady => "not_ready",
            Self::Throttled => "throttled",
            Self::Refused => "refused",
            Self::Error => "error",
        }
    }

    /// The outcome with this stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Harvested,
            Self::NoUsage,
            Self::Queued,
            Self::NotReady,
            Self::Throttled,
            Self::Refused,
            Self::Error,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }

    /// Whether the month is done (no further attempt).
    pub fn settles(self) -> bool {
        matches!(self, Self::Harvested | Self::NoUsage)
    }

    /// How long to wait before attempt `attempts + 1`, given the server's `Retry-After`
    /// (seconds); `None`: do not ask again.
    pub fn wait(self, attempts: i32, retry_after: Option<u64>) -> Option<Duration> {
        let asked =
            retry_after.map(|s| Duration::seconds(i64::try_from(s.min(86_400)).unwrap_or(86_400)));
        match self {
            Self::Harvested | Self::NoUsage | Self::Refused => None,
            Self::Error if attempts >= MOST_ATTEMPTS => None,
            Self::Queued => Some(asked.unwrap_or(Duration::hours(1))),
            Self::NotReady => Some(Duration::days(1)),
            Self::Throttled => Some(asked.unwrap_or_else(|| backoff(attempts))),
            Self::Error => Some(backoff(attempts)),
        }
    }
}

/// 15 minutes after the first attempt, doubling, at most a day.
fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 10)).unwrap_or(0);
    (Duration::minutes(15) * 2i32.pow(doublings)).min(Duration::days(1))
}

/// What an answer that is not a stored report says: its outcome and COUNTER exception code.
pub fn classify(status: u16, exceptions: &[u16]) -> Option<Outcome> {
    let has = |code: u16| exceptions.contains(&code);
    Some(match status {
        202 => Outcome::Queued,
        429 => Outcome::Throttled,
        401 | 403 => Outcome::Refused,
        200 if has(3030) || has(3032) => Outcome::NoUsage,
        200 if has(3031) => Outcome::NotReady,
        200 if has(1011) => Outcome::Queued,
        200 if has(1020) => Outcome::Throttled,
        200 => return None,
        _ => Outcome::Error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_a_stopping_exception_is_for_storing() {
        assert_eq!(classify(200, &[]), None);
        assert_eq!(classify(200, &[3040]), None);
    }

    #[test]
    fn each_exception_has_its_outcome() {
        assert_eq!(classify(200, &[3030]), Some(Outcome::NoUsage));
        assert_eq!(classify(200, &[3031]), Some(Outcome::NotReady));
        assert_eq!(classify(202, &[1011]), Some(Outcome::Queued));
        assert_eq!(classify(429, &[1020]), Some(Outcome::Throttled));
        assert_eq!(classify(401, &[2020]), Some(Outcome::Refused));
        assert_eq!(classify(503, &[1000]), Some(Outcome::Error));
    }

    #[test]
    fn waits_follow_the_server_then_back_off_and_give_up() {
        assert_eq!(Outcome::Queued.wait(1, None), Some(Duration::hours(1)));
        assert_eq!(
            Outcome::Throttled.wait(1, Some(30)),
            Some(Duration::seconds(30))
        );
        assert_eq!(Outcome::Error.wait(1, None), Some(Duration::minutes(15)));
        assert_eq!(Outcome::Error.wait(3, None), Some(Duration::minutes(60)));
        assert_eq!(Outcome::Error.wait(11, None), Some(Duration::days(1)));
        assert_eq!(Outcome::Error.wait(MOST_ATTEMPTS, None), None);
        assert_eq!(Outcome::Refused.wait(1, None), None);
        assert_eq!(Outcome::NotReady.wait(2, Some(5)), Some(Duration::days(1)));
        assert_eq!(
            Outcome::NotReady.wait(MOST_ATTEMPTS + 20, None),
            Some(Duration::days(1)),
            "a vendor that says not ready is asked again the next day, however long it takes"
        );
    }
}
