//! Webhooks to vendors: the events, their payloads, the Standard Webhooks signature, and the
//! retry schedule.
//!
//! Signature (<https://www.standardwebhooks.com>): the secret is `whsec_` and base64 of 32
//! random bytes; each delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::SubscriptionsError;

/// What a vendor can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum EventType {
    /// A library asked for a trial (the vendor may have to confirm it).
    #[serde(rename = "trial.requested")]
    TrialRequested,
    /// A trial began: switch access on.
    #[serde(rename = "trial.started")]
    TrialStarted,
    /// A trial ended (ran out, cancelled or declined): switch access off.
    #[serde(rename = "trial.ended")]
    TrialEnded,
    /// A trial became a subscription: access continues.
    #[serde(rename = "trial.converted")]
    TrialConverted,
    /// A subscription began (or was created already running): switch access on.
    #[serde(rename = "subscription.started")]
    SubscriptionStarted,
    /// A subscription ended or was cancelled: switch access off.
    #[serde(rename = "subscription.ended")]
    SubscriptionEnded,
    /// A consortium agreement covering libraries was made or changed.
    #[serde(rename = "agreement.changed")]
    AgreementChanged,
    /// A library with access changed its IP ranges or website.
    #[serde(rename = "library.updated")]
    LibraryUpdated,
    /// A test the vendor sent itself from the portal or the API; sent to one endpoint, whatever
    /// it asked for, and never to be subscribed to.
    #[serde(rename = "webhook.test")]
    Test,
}

impl EventType {
    /// Every event type an endpoint can ask for.
    pub const ALL: [EventType; 8] = [
        Self::TrialRequested,
        Self::TrialStarted,
        Self::TrialEnded,
        Self::TrialConverted,
        Self::SubscriptionStarted,
        Self::SubscriptionEnded,
        Self::AgreementChanged,
        Self::LibraryUpdated,
    ];

    /// The name on the wire, such as `trial.started`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TrialRequested => "trial.requested",
            Self::TrialStarted => "trial.started",
            Self::TrialEnded => "trial.ended",
            Self::TrialConverted => "trial.converted",
            Self::SubscriptionStarted => "subscription.started",
            Self::SubscriptionEnded => "subscription.ended",
            Self::AgreementChanged => "agreement.changed",
            Self::LibraryUpdated => "library.updated",
            Self::Test => "webhook.test",
        }
    }

    /// The event type with this name, of those an endpoint can ask for.
    pub fn parse(text: &str) -> Result<Self, SubscriptionsError> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|e| e.as_str()).collect();
                SubscriptionsError::invalid(
                    "events",
                    "event_unknown",
                    format!("unknown event {text:?}; known: {}", names.join(", ")),
                )
            })
    }
}

/// A new endpoint secret: `whsec_` and base64 of 32 random bytes.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The `webhook-signature` header of `body` sent as message `id` at `timestamp`.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("endpoint secrets are made by new_secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Waits between attempts: quick at first, then hours, adding up to more than 24 hours before
/// a delivery is given up.
const BACKOFF_SECONDS: [i64; 11] = [
    5, 30, 120, 600, 1800, 3600, 7200, 14_400, 21_600, 21_600, 21_600,
];

/// When to try again after `attempts` failed attempts, or `None` to give up.
pub fn retry_after(attempts: u32) -> Option<Duration> {
    let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
    BACKOFF_SECONDS.get(index).map(|s| Duration::seconds(*s))
}

/// The payload of one event: `type`, `timestamp` and `data`, as Standard Webhooks suggests.
pub fn payload(kind: EventType, at: DateTime<Utc>, data: serde_json::Value) -> String {
    serde_json::json!({
        "type": kind.as_str(),
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example in the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let sig = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn retries_go_on_for_more_than_a_day_then_stop() {
        let total: i64 = (1..=11)
            .map(|n| retry_after(n).unwrap().num_seconds())
            .sum();
        assert!(total > 24 * 3600, "{total} seconds");
        assert_eq!(retry_after(12), None);
    }

    #[test]
    fn event_names_round_trip_and_unknown_ones_are_refused() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()).unwrap(), e);
        }
        assert_eq!(
            EventType::parse("trial.exploded").unwrap_err().code(),
            "event_unknown"
        );
    }
}
