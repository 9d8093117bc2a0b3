//! Vendors' webhook endpoints: who may add, see and remove them, which URLs are accepted, and
//! the signing secrets, stored sealed and shown once.

use std::sync::Arc;

use tilgang_kernel::secrets::Sealer;
use tilgang_kernel::{Clock, EndpointId, Principal, VendorId, VendorRefusal};

use crate::domain::SubscriptionsError;
use crate::domain::webhook::{EventType, new_secret};
use crate::storage::outbox::{self, Delivery, Endpoint};

/// Most endpoints one vendor may have.
pub const MOST_PER_VENDOR: usize = 10;

/// Webhook endpoints.
pub struct Endpoints {
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    sealer: Sealer,
    allow_http: bool,
}

/// A new endpoint and its secret (shown this once).
pub struct Added {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The signing secret (`whsec_…`).
    pub secret: String,
}

impl Endpoints {
    /// Endpoints over `db`, their secrets sealed by `sealer`; `allow_http` admits `http://`
    /// URLs (development mode: the hub itself is not served over HTTPS).
    pub fn new(
        db: &sea_orm::DatabaseConnection,
        clock: Arc<dyn Clock>,
        sealer: Sealer,
        allow_http: bool,
    ) -> Self {
        Self {
            db: db.clone(),
            clock,
            sealer,
            allow_http,
        }
    }

    /// Adds an endpoint for `vendor` (a vendor's own; consortium admins name one).
    pub async fn add(
        &self,
        caller: &Principal,
        vendor: Option<VendorId>,
        url: &str,
        events: &[String],
    ) -> Result<Added, SubscriptionsError> {
        let vendor = acting_vendor(caller, vendor)?;
        let url = self.check_url(url)?;
        if events.is_empty() {
            return Err(SubscriptionsError::invalid(
                "events",
                "field_required",
                "choose at least one event",
            ));
        }
        let mut kinds = Vec::new();
        for name in events {
            let kind = EventType::parse(name)?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if outbox::endpoints(&self.db, Some(vendor)).await?.len() >= MOST_PER_VENDOR {
            return Err(SubscriptionsError::conflict(
                "too_many_endpoints",
                format!("a vendor has at most {MOST_PER_VENDOR} webhook endpoints"),
            ));
        }
        let id = EndpointId::new();
        let secret = new_secret();
        let endpoint = Endpoint {
            id,
            vendor,
            url,
            events: kinds,
            secret_sealed: self.sealer.seal(secret.as_bytes(), &context(id)),
            created_at: self.clock.now(),
        };
        outbox::add_endpoint(&self.db, &endpoint).await?;
        Ok(Added { endpoint, secret })
    }

    fn check_url(&self, text: &str) -> Result<String, SubscriptionsError> {
        let invalid = |reason: &str| SubscriptionsError::invalid("url", "url_invalid", reason);
        let url = url::Url::parse(text).map_err(|e| invalid(&format!("not a URL: {e}")))?;
        if url.host_str().is_none() || !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "a webhook URL has a host and no user name or password",
            ));
        }
        match url.scheme() {
            "https" => Ok(url.to_string()),
            "http" if self.allow_http => Ok(url.to_string()),
            _ => Err(SubscriptionsError::unprocessable(
                "url_not_https",
                "webhook URLs must use https",
            )),
        }
    }

    /// The endpoints the caller may see: a vendor's own, or every vendor's (or one's) for
    /// consortium admins.
    pub async fn list(
        &self,
        caller: &Principal,
        vendor: Option<VendorId>,
    ) -> Result<Vec<Endpoint>, SubscriptionsError> {
        let vendor = match caller {
            Principal::Vendor { .. } => Some(acting_vendor(caller, vendor)?),
            _ if caller.acts_for_all() => vendor,
            _ => return Err(not_for_libraries()),
        };
        outbox::endpoints(&self.db, vendor).await
    }

    /// Removes an endpoint (its vendor, or consortium admins).
    pub async fn remove(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<(), SubscriptionsError> {
        self.owned(caller, id).await?;
        outbox::remove_endpoint(&self.db, id, self.clock.now()).await
    }

    /// Queues a `webhook.test` event for the endpoint `id` alone (its vendor, or consortium
    /// admins): the delivery, sent by the dispatcher and kept in the log. It is tried once, and
    /// a second is refused while the first is on its way, so a test cannot be used to hammer
    /// an address.
    pub async fn send_test(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Delivery, SubscriptionsError> {
        let endpoint = self.owned(caller, id).await?;
        let pending = outbox::DeliveryFilter {
            vendor: Some(endpoint.vendor),
            state: Some(outbox::PENDING.into()),
        };
        let waiting = outbox::deliveries(&self.db, &pending, 10_000).await?;
        if waiting
            .iter()
            .any(|d| d.endpoint == id && d.event_type == EventType::Test.as_str())
        {
            return Err(SubscriptionsError::conflict(
                "test_pending",
                "a test event for this endpoint is still on its way",
            ));
        }
        let data = serde_json::json!({
            "endpoint": endpoint.id,
            "url": endpoint.url,
            "message": "A test event: your endpoint receives and verifies Tilgang's webhooks.",
        });
        let now = self.clock.now();
        outbox::enqueue_to(&self.db, id, endpoint.vendor, EventType::Test, data, now).await
    }

    /// The endpoint `id` if the caller acts for its vendor; else not found, as if there were
    /// none.
    async fn owned(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Endpoint, SubscriptionsError> {
        let endpoint = outbox::endpoint(&self.db, id).await?;
        if !caller.acts_for_vendor(endpoint.vendor) {
            return Err(SubscriptionsError::NotFound(
                "webhook endpoint",
                id.to_string(),
            ));
        }
        Ok(endpoint)
    }

    /// The endpoint's signing secret, for the dispatcher.
    pub fn secret(&self, endpoint: &Endpoint) -> Result<String, SubscriptionsError> {
        self.sealer
            .open_text(&endpoint.secret_sealed, &context(endpoint.id))
            .map_err(|_| SubscriptionsError::Storage("an endpoint secret does not open".into()))
    }
}

/// The vendor a caller acts for: a vendor's own (naming another is refused), or the one a
/// consortium admin names.
pub fn acting_vendor(
    caller: &Principal,
    asked: Option<VendorId>,
) -> Result<VendorId, SubscriptionsError> {
    caller
        .vendor_acted_for(asked)
        .map_err(|refusal| match refusal {
            VendorRefusal::Unnamed => {
                SubscriptionsError::invalid("vendor", "field_required", "name the vendor")
            }
            VendorRefusal::NotYours if caller.own_vendor().is_some() => {
                SubscriptionsError::Forbidden("a vendor acts for itself only".into())
            }
            VendorRefusal::NotYours => not_for_libraries(),
        })
}

fn not_for_libraries() -> SubscriptionsError {
    SubscriptionsError::Forbidden("webhooks are for vendors and consortium admins".into())
}

fn context(id: EndpointId) -> String {
    format!("webhook endpoint {id}")
}
