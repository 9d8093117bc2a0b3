//! What staff pages ask `subscriptions` besides trials: the libraries with access to a
//! vendor's products, the vendor's webhook endpoints and their delivery log, the audit trail,
//! and consortium agreements. The API answers with the same types.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AgreementDraft, AgreementSummary, PortError, Refusal};
use crate::ids::{AgreementId, EndpointId, ProductId, VendorId};
use crate::principal::Principal;

/// One library's access to one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LibraryAccess {
    /// The library's ISIL.
    pub isil: String,
    /// Its name.
    pub name: String,
    /// Its website URLs (for referrer checks).
    pub websites: Vec<String>,
    /// Its IP ranges, as CIDR.
    pub ip_ranges: Vec<String>,
    /// The product.
    pub product: ProductId,
    /// The product's slug.
    pub product_slug: String,
    /// Whether the library may use the product now.
    pub access: bool,
    /// What grants it: `trial`, `subscription` or `agreement` (`none` without access).
    pub basis: String,
    /// When the access ends, if it does.
    pub until: Option<DateTime<Utc>>,
}

/// A vendor's webhook endpoint, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// Id.
    pub id: EndpointId,
    /// The vendor.
    pub vendor: VendorId,
    /// Where events are POSTed.
    pub url: String,
    /// The events it wants, such as `trial.started`.
    pub events: Vec<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A new endpoint and the secret that signs its deliveries, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhookEndpoint {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The signing secret (`whsec_…`).
    pub secret: String,
}

impl std::fmt::Debug for NewWebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWebhookEndpoint")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// One queued or finished delivery of an event to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookDelivery {
    /// The message id (`webhook-id`), the same on every attempt.
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    /// The endpoint.
    pub endpoint: EndpointId,
    /// The vendor.
    pub vendor: VendorId,
    /// The event type.
    pub event_type: String,
    /// The body sent.
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i32,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it is tried next (while pending).
    pub next_attempt_at: DateTime<Utc>,
    /// The HTTP status of the last attempt, if one answered.
    pub last_status: Option<i32>,
    /// What went wrong on the last attempt.
    pub last_error: Option<String>,
    /// When the endpoint accepted it.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a staff or vendor subject, or `system` for the lifecycle job.
    pub actor: String,
    /// The library.
    pub isil: String,
    /// The product's vendor.
    pub vendor: VendorId,
    /// The product.
    pub product: ProductId,
    /// `trial` or `subscription`.
    pub subject_kind: String,
    /// The trial's or subscription's id.
    #[schema(value_type = String, format = Uuid)]
    pub subject_id: uuid::Uuid,
    /// What happened, such as `trial.requested` or `subscription.cancelled`.
    pub action: String,
    /// What changed.
    pub detail: serde_json::Value,
}

/// Access lists, webhooks and the audit trail for staff pages, with the API's scope checks
/// (`caller` is the staff member the calling service authenticated). Provided by
/// `subscriptions`.
#[async_trait]
pub trait Oversight: Send + Sync + 'static {
    /// Every library with access to the vendor's products now (`caller` a vendor).
    async fn access(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<LibraryAccess>, Refusal>, PortError>;

    /// The vendor's webhook endpoints, oldest first (a consortium admin: every vendor's).
    async fn endpoints(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<WebhookEndpoint>, Refusal>, PortError>;

    /// Adds an endpoint for the vendor: it, with its secret, or why not.
    async fn add_endpoint(
        &self,
        caller: &Principal,
        url: &str,
        events: Vec<String>,
    ) -> Result<Result<NewWebhookEndpoint, Refusal>, PortError>;

    /// Removes the endpoint `id` (another vendor's is `not_found`).
    async fn remove_endpoint(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<(), Refusal>, PortError>;

    /// Queues a `webhook.test` event for the endpoint `id` alone: the delivery, which the
    /// dispatcher sends like any other.
    async fn send_test(
        &self,
        caller: &Principal,
        id: EndpointId,
    ) -> Result<Result<WebhookDelivery, Refusal>, PortError>;

    /// The newest deliveries (at most `limit`, only those in `state` when given): the vendor's,
    /// or every vendor's for a consortium admin.
    async fn deliveries(
        &self,
        caller: &Principal,
        state: Option<String>,
        limit: u64,
    ) -> Result<Result<Vec<WebhookDelivery>, Refusal>, PortError>;

    /// The newest entries of the audit trail (at most `limit`): a library admin's libraries',
    /// or everything for a consortium admin; vendors are refused.
    async fn audit(
        &self,
        caller: &Principal,
        limit: u64,
    ) -> Result<Result<Vec<AuditEntry>, Refusal>, PortError>;

    /// The agreements the caller may see, newest first: every one for a consortium admin,
    /// those covering a library admin's libraries, those of a vendor's products.
    async fn agreements(
        &self,
        caller: &Principal,
    ) -> Result<Result<Vec<AgreementSummary>, Refusal>, PortError>;

    /// A consortium admin makes an agreement: it, or why not (nothing is made then).
    async fn make_agreement(
        &self,
        caller: &Principal,
        draft: AgreementDraft,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError>;

    /// A consortium admin cancels the agreement `id`: access ends with today, or never begins.
    async fn cancel_agreement(
        &self,
        caller: &Principal,
        id: AgreementId,
    ) -> Result<Result<AgreementSummary, Refusal>, PortError>;
}
