//! Delivers the outbox: every due delivery is claimed by one process (a conditional update, so
//! replicas never send the same attempt twice), POSTed with Standard Webhooks headers, and
//! then marked delivered, scheduled again after a growing wait, or, after more than 24 hours
//! of failures, marked failed for the vendor and the consortium to see.
//!
//! Within a round an endpoint gets its deliveries in the order the events happened; a retry
//! can overtake, so receivers order by the payload's `timestamp` where it matters.

use std::sync::Arc;
use std::time::Duration;

use chrono::Duration as Span;
use futures_util::StreamExt;
use tilgang_kernel::Clock;

use crate::domain::SubscriptionsError;
use crate::domain::webhook::EventType;
use crate::domain::webhook::{retry_after, signature};
use crate::endpoints::Endpoints;
use crate::storage::outbox::{self, DELIVERED, Delivery, FAILED};

/// Deliveries claimed per round.
const BATCH: u64 = 100;
/// Endpoints served at once.
const IN_FLIGHT: usize = 8;
/// How long a claim lasts: a process that dies mid-attempt leaves the delivery to others
/// after this.
const LEASE: Span = Span::seconds(60);
/// How long an endpoint may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends due deliveries.
pub struct Dispatcher {
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    endpoints: Arc<Endpoints>,
    http: reqwest::Client,
}

impl Dispatcher {
    /// A dispatcher over `db`, reading secrets through `endpoints`.
    pub fn new(
        db: &sea_orm::DatabaseConnection,
        clock: Arc<dyn Clock>,
        endpoints: Arc<Endpoints>,
    ) -> Self {
        let http = tilgang_web::tls::client()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("Tilgang-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the webhook HTTP client builds");
        Self {
            db: db.clone(),
            clock,
            endpoints,
            http,
        }
    }

    /// Claims and sends what is due now; returns how many attempts were made.
    pub async fn run_once(&self) -> Result<usize, SubscriptionsError> {
        let now = self.clock.now();
        let mut claimed = Vec::new();
        for d in outbox::due(&self.db, now, BATCH).await? {
            if outbox::claim(&self.db, &d, now + LEASE).await? {
                claimed.push(d);
            }
        }
        let attempts = claimed.len();
        // One endpoint's deliveries go one after another, oldest first, so a vendor hears of
        // a trial's request before its start; different endpoints are served side by side.
        let mut by_endpoint: Vec<Vec<Delivery>> = Vec::new();
        for d in claimed {
            match by_endpoint.iter_mut().find(|g| g[0].endpoint == d.endpoint) {
                Some(group) => group.push(d),
                None => by_endpoint.push(vec![d]),
            }
        }
        let results: Vec<_> = futures_util::stream::iter(by_endpoint)
            .map(|group| async move {
                for d in group {
                    self.attempt(d).await?;
                }
                Ok::<(), SubscriptionsError>(())
            })
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(attempts)
    }

    async fn attempt(&self, mut d: Delivery) -> Result<(), SubscriptionsError> {
        let outcome = self.send(&d).await;
        let now = self.clock.now();
        d.attempts += 1;
        match outcome {
            Ok(status) if (200..300).contains(&status) => {
                d.state = DELIVERED.into();
                d.last_status = Some(i32::from(status));
                d.last_error = None;
                d.delivered_at = Some(now);
            }
            failure => {
                (d.last_status, d.last_error) = match failure {
                    Ok(status) => (Some(i32::from(status)), Some(format!("answered {status}"))),
                    Err(reason) => (None, Some(reason)),
                };
                // A test event is tried once: the vendor is watching the log for its answer.
                let test = d.event_type == EventType::Test.as_str();
                match retry_after(u32::try_from(d.attempts).unwrap_or(u32::MAX)) {
                    Some(wait) if !test => d.next_attempt_at = now + wait,
                    _ => d.state = FAILED.into(),
                }
                tracing::info!(delivery = %d.id, attempts = d.attempts, state = %d.state, "a webhook delivery failed");
            }
        }
        outbox::record_attempt(&self.db, &d).await
    }

    /// One POST; the status, or why there was none.
    async fn send(&self, d: &Delivery) -> Result<u16, String> {
        let endpoint = match outbox::endpoint(&self.db, d.endpoint).await {
            Ok(e) => e,
            Err(SubscriptionsError::NotFound(..)) => return Err("the endpoint was removed".into()),
            Err(e) => return Err(e.to_string()),
        };
        let secret = self
            .endpoints
            .secret(&endpoint)
            .map_err(|e| e.to_string())?;
        let id = format!("msg_{}", d.id.simple());
        let timestamp = self.clock.now().timestamp();
        let response = self
            .http
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signature(&secret, &id, timestamp, &d.payload),
            )
            .body(d.payload.clone())
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        Ok(response.status().as_u16())
    }
}
