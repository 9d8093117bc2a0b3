//! The desk: every change to trials and subscriptions, for the API and the lifecycle job alike.
//! Each change checks the caller's scope, applies the domain rule, and writes the row, its audit
//! entry and its webhook events in one transaction; then the entitlement index is rebuilt.

mod agreements;
mod libraries;
mod reminders;

pub use agreements::AgreementRequest;
pub use reminders::{SUBSCRIPTION_NOTICE, TRIAL_NOTICE};

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use tilgang_isil::Isil;
use tilgang_kernel::ports::{Catalogue, LibraryDirectory, LibrarySummary, ProductSummary};
use tilgang_kernel::{Clock, Principal, ProductId, SubscriptionId, TrialId};

use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Subscription, Terms};
use crate::domain::trial::{self, Trial, TrialState};
use crate::domain::webhook::EventType;
use crate::index::EntitlementIndex;
use crate::storage::audit::{self, Subject};
use crate::storage::{outbox, subscriptions, trials};

/// The actor the lifecycle job writes into the audit trail.
pub const SYSTEM: &str = "system";

/// Makes every change.
pub struct Desk {
    /// The service's database.
    pub db: DatabaseConnection,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The register of libraries.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn Catalogue>,
    /// The entitlement index, rebuilt after each change.
    pub index: Arc<EntitlementIndex>,
    /// Sends notices by e-mail, when SMTP is configured.
    pub mailer: Option<Arc<crate::mail::Mailer>>,
}

/// One change to write: what it is about (one audit entry each), the audit action and
/// detail, the events for the vendor, and their data (by default: the first subject's library
/// and product, and `about`).
struct Change {
    subjects: Vec<Subject>,
    action: &'static str,
    detail: Value,
    events: Vec<EventType>,
    data: Option<Value>,
}

impl Desk {
    async fn library(&self, isil: &Isil) -> Result<LibrarySummary, SubscriptionsError> {
        self.directory
            .library(isil)
            .await?
            .ok_or_else(|| SubscriptionsError::LibraryNotFound(isil.clone()))
    }

    async fn product(&self, id: ProductId) -> Result<ProductSummary, SubscriptionsError> {
        self.catalogue
            .product(id)
            .await?
            .ok_or_else(|| SubscriptionsError::ProductNotFound(id.to_string()))
    }

    /// The product named by `text`: its id, or its slug.
    pub async fn product_ref(&self, text: &str) -> Result<ProductId, SubscriptionsError> {
        if let Ok(id) = text.parse::<uuid::Uuid>() {
            return Ok(ProductId(id));
        }
        self.catalogue
            .product_by_slug(text)
            .await?
            .map(|p| p.id)
            .ok_or_else(|| SubscriptionsError::ProductNotFound(text.to_owned()))
    }

    /// What vendors are told about the library and product of a change.
    async fn event_data(
        &self,
        isil: &Isil,
        product: ProductId,
        about: Value,
    ) -> Result<Value, SubscriptionsError> {
        let library = self.library(isil).await?;
        let product = self.product(product).await?;
        let mut data = json!({
            "isil": library.isil,
            "library": {
                "name": library.name,
                "websites": library.websites,
                "ip_ranges": library.ip_ranges,
                "contacts": library.contacts,
            },
            "product": {"id": product.id, "slug": product.slug, "name": product.name("en")},
        });
        if let (Value::Object(data), Value::Object(about)) = (&mut data, about) {
            data.extend(about);
        }
        Ok(data)
    }

    /// Writes a change (`save` stores the row; false means someone else changed it first, and
    /// then nothing is written) with its audit entry and events, then refreshes the index.
    async fn commit<F>(
        &self,
        actor: &str,
        change: Change,
        about: Value,
        save: F,
    ) -> Result<bool, SubscriptionsError>
    where
        F: AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<bool, SubscriptionsError>,
    {
        let now = self.clock.now();
        let first = change
            .subjects
            .first()
            .expect("a change is about something");
        let (vendor, data) = match change.data {
            Some(data) => (first.vendor, data),
            None => (
                first.vendor,
                self.event_data(&first.isil, first.product, about).await?,
            ),
        };
        let tx = tilgang_store::write(&self.db).await?;
        if !save(&tx).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        for subject in &change.subjects {
            audit::record(
                &tx,
                now,
                actor,
                subject,
                change.action,
                change.detail.clone(),
            )
            .await?;
        }
        for kind in change.events {
            outbox::enqueue(&tx, vendor, kind, data.clone(), now).await?;
        }
        tx.commit().await?;
        self.index.changed().await?;
        Ok(true)
    }

    /// A library admin (or consortium admin) asks for a trial; it starts at once unless the
    /// vendor confirms trials of this product.
    pub async fn request_trial(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Trial, SubscriptionsError> {
        if !caller.acts_for_library(isil) || matches!(caller, Principal::Vendor { .. }) {
            return Err(SubscriptionsError::Forbidden(format!(
                "only the library's admins and consortium admins may ask for a trial for {isil}"
            )));
        }
        let library = self.library(isil).await?;
        let offer = self.product(product).await?;
        let now = self.clock.now();
        let earlier = trials::of(&self.db, isil, product).await?;
        let paid = self.index.answer(isil, product, now);
        let paid = paid.granted() && paid.basis != tilgang_kernel::ports::EntitlementBasis::Trial;
        trial::may_request(&offer.trial, &earlier, paid, now)?;
        let mut t = Trial::request(
            library.isil.clone(),
            product,
            offer.vendor,
            &offer.trial,
            caller.subject(),
            now,
        );
        let mut events = vec![EventType::TrialRequested];
        if !offer.trial.needs_vendor_confirmation {
            t.start(now)?;
            events.push(EventType::TrialStarted);
        }
        let change = Change {
            subjects: vec![trial_subject(&t)],
            data: None,
            action: if t.state == TrialState::Active {
                "trial.started"
            } else {
                "trial.requested"
            },
            detail: json!({"state": t.state, "days": t.days, "ends_at": t.ends_at}),
            events,
        };
        self.commit(caller.subject(), change, trial_about(&t), async |tx| {
            trials::insert(tx, &t).await.map(|()| true)
        })
        .await?;
        Ok(t)
    }

    /// Changes a trial by `step` if the caller may: the library's admins and consortium admins
    /// may cancel; the product's vendor and consortium admins may confirm or decline. Anyone
    /// else is refused (403), such as a vendor confirming another vendor's trial.
    pub async fn trial_step(
        &self,
        caller: &Principal,
        id: TrialId,
        step: TrialStep,
    ) -> Result<Trial, SubscriptionsError> {
        let mut t = trials::get(&self.db, id).await?;
        let allowed = match step {
            TrialStep::Confirm | TrialStep::Decline => caller.acts_for_vendor(t.vendor),
            TrialStep::Cancel => {
                caller.acts_for_library(&t.isil) && !matches!(caller, Principal::Vendor { .. })
            }
        };
        if !allowed {
            return Err(SubscriptionsError::Forbidden(format!(
                "you may not {} this trial",
                step.as_str()
            )));
        }
        let was = t.state;
        let now = self.clock.now();
        let (action, events) = match step {
            TrialStep::Confirm => (
                t.start(now).map(|()| "trial.started")?,
                vec![EventType::TrialStarted],
            ),
            TrialStep::Decline => (
                t.decline(now).map(|()| "trial.declined")?,
                vec![EventType::TrialEnded],
            ),
            TrialStep::Cancel => (
                t.cancel(now).map(|()| "trial.cancelled")?,
                vec![EventType::TrialEnded],
            ),
        };
        self.save_trial(caller.subject(), &t, was, action, events)
            .await?;
        Ok(t)
    }

    async fn save_trial(
        &self,
        actor: &str,
        t: &Trial,
        was: TrialState,
        action: &'static str,
        events: Vec<EventType>,
    ) -> Result<bool, SubscriptionsError> {
        let change = Change {
            subjects: vec![trial_subject(t)],
            data: None,
            action,
            detail: json!({"from": was, "to": t.state, "ends_at": t.ends_at}),
            events,
        };
        let saved = self
            .commit(actor, change, trial_about(t), async |tx| {
                trials::update_from(tx, t, was).await
            })
            .await?;
        if !saved && actor != SYSTEM {
            return Err(SubscriptionsError::changed_meanwhile("trial"));
        }
        Ok(saved)
    }

    /// The trial, if the caller may see it (its library's admins, its vendor, consortium admins);
    /// to others it does not exist.
    pub async fn visible_trial(
        &self,
        caller: &Principal,
        id: TrialId,
    ) -> Result<Trial, SubscriptionsError> {
        let t = trials::get(&self.db, id).await?;
        if caller.acts_for_library(&t.isil) || caller.acts_for_vendor(t.vendor) {
            Ok(t)
        } else {
            Err(SubscriptionsError::NotFound("trial", id.to_string()))
        }
    }

    /// Converts an active trial to a subscription that starts today (so access continues
    /// without a gap) on `terms` (its first day is set to today).
    pub async fn convert(
        &self,
        caller: &Principal,
        id: TrialId,
        terms: Terms,
    ) -> Result<Subscription, SubscriptionsError> {
        let mut t = self.visible_trial(caller, id).await?;
        if !caller.acts_for_library(&t.isil) || matches!(caller, Principal::Vendor { .. }) {
            return Err(SubscriptionsError::Forbidden(
                "only the library's admins and consortium admins may convert a trial".into(),
            ));
        }
        let now = self.clock.now();
        let s = Subscription::new(t.isil.clone(), t.product, t.vendor, terms, Some(t.id), now);
        let was = t.state;
        t.convert(crate::domain::time::midnight(s.starts_on), now)?;
        self.no_overlap(&s).await?;
        let change = Change {
            subjects: vec![trial_subject(&t)],
            data: None,
            action: "trial.converted",
            detail: json!({"subscription": s.id, "starts_on": s.starts_on, "ends_on": s.ends_on, "price_minor": s.price_minor, "currency": s.currency}),
            events: vec![EventType::TrialConverted],
        };
        let about = json!({"trial": trial_about(&t)["trial"], "subscription": subscription_about(&s)["subscription"]});
        let saved = self
            .commit(caller.subject(), change, about, async |tx| {
                if !trials::update_from(tx, &t, was).await? {
                    return Ok(false);
                }
                subscriptions::insert(tx, &s).await.map(|()| true)
            })
            .await?;
        if !saved {
            return Err(SubscriptionsError::changed_meanwhile("trial"));
        }
        Ok(s)
    }

    async fn no_overlap(&self, s: &Subscription) -> Result<(), SubscriptionsError> {
        let existing = subscriptions::of(&self.db, &s.isil, s.product).await?;
        if let Some(other) = existing.iter().find(|o| o.overlaps(s)) {
            return Err(SubscriptionsError::conflict(
                "subscription_overlaps",
                format!(
                    "the library already subscribes to this product from {} to {} (subscription {})",
                    other.starts_on, other.ends_on, other.id
                ),
            ));
        }
        Ok(())
    }

    /// A consortium admin records a subscription.
    pub async fn subscribe(
        &self,
        caller: &Principal,
        isil: &Isil,
        product: ProductId,
        terms: Terms,
    ) -> Result<Subscription, SubscriptionsError> {
        if !caller.acts_for_all() {
            return Err(SubscriptionsError::Forbidden(
                "only consortium admins record subscriptions".into(),
            ));
        }
        let library = self.library(isil).await?;
        let offer = self.product(product).await?;
        let s = Subscription::new(
            library.isil.clone(),
            product,
            offer.vendor,
            terms,
            None,
            self.clock.now(),
        );
        self.no_overlap(&s).await?;
        let started = s.status == crate::domain::subscription::SubscriptionStatus::Active;
        let change = Change {
            subjects: vec![subscription_subject(&s)],
            data: None,
            action: "subscription.created",
            detail: json!({"starts_on": s.starts_on, "ends_on": s.ends_on, "price_minor": s.price_minor, "currency": s.currency, "renewal": s.renewal}),
            events: if started {
                vec![EventType::SubscriptionStarted]
            } else {
                Vec::new()
            },
        };
        self.commit(
            caller.subject(),
            change,
            subscription_about(&s),
            async |tx| subscriptions::insert(tx, &s).await.map(|()| true),
        )
        .await?;
        Ok(s)
    }

    /// Ends trials, starts, ends and renews subscriptions and agreements whose time has come,
    /// makes the reminders that are due and tells vendors of changed libraries; safe to run
    /// on every replica at once (each item is changed by whoever gets there first) and after
    /// any downtime (it looks at everything due, not at what changed since the last run).
    /// Returns how many trials, subscriptions and agreements it changed (notices not counted).
    pub async fn run_lifecycle(&self) -> Result<usize, SubscriptionsError> {
        let now = self.clock.now();
        let mut changed = 0;
        for mut t in trials::due(&self.db, now).await? {
            if t.end_if_due(now)
                && self
                    .save_trial(
                        SYSTEM,
                        &t,
                        TrialState::Active,
                        "trial.ended",
                        vec![EventType::TrialEnded],
                    )
                    .await?
            {
                changed += 1;
            }
        }
        changed += self.agreements_lifecycle().await?;
        self.remind().await?;
        self.mail_notices().await?;
        self.watch_libraries().await?;
        for mut s in subscriptions::every(&self.db).await? {
            let was = s.clone();
            let renewed = s.renew_if_due(now);
            s.status = s.status_at(now);
            if s.status == was.status && !renewed {
                continue;
            }
            s.updated_at = now;
            use crate::domain::subscription::SubscriptionStatus as St;
            let (action, events) = match (was.status, s.status) {
                (_, St::Active) if renewed => ("subscription.renewed", Vec::new()),
                (St::Scheduled, St::Active) => {
                    ("subscription.started", vec![EventType::SubscriptionStarted])
                }
                (_, St::Ended) => ("subscription.ended", vec![EventType::SubscriptionEnded]),
                _ => ("subscription.updated", Vec::new()),
            };
            let change = Change {
                subjects: vec![subscription_subject(&s)],
                data: None,
                action,
                detail: json!({"from": was.status, "to": s.status, "starts_on": s.starts_on, "ends_on": s.ends_on}),
                events,
            };
            let since = was.updated_at;
            if self
                .commit(SYSTEM, change, subscription_about(&s), async |tx| {
                    subscriptions::update_from(tx, &s, since).await
                })
                .await?
            {
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// A subscription, if the caller may see it.
    pub async fn visible_subscription(
        &self,
        caller: &Principal,
        id: SubscriptionId,
    ) -> Result<Subscription, SubscriptionsError> {
        let s = subscriptions::get(&self.db, id).await?;
        if caller.acts_for_library(&s.isil) || caller.acts_for_vendor(s.vendor) {
            Ok(s)
        } else {
            Err(SubscriptionsError::NotFound("subscription", id.to_string()))
        }
    }

    /// Cancels a subscription (consortium admins): access ends with today.
    pub async fn cancel_subscription(
        &self,
        caller: &Principal,
        id: SubscriptionId,
    ) -> Result<Subscription, SubscriptionsError> {
        let mut s = self.visible_subscription(caller, id).await?;
        if !caller.acts_for_all() {
            return Err(SubscriptionsError::Forbidden(
                "only consortium admins cancel subscriptions".into(),
            ));
        }
        let since = s.updated_at;
        s.cancel(self.clock.now())?;
        let change = Change {
            subjects: vec![subscription_subject(&s)],
            data: None,
            action: "subscription.cancelled",
            detail: json!({"ends_on": s.ends_on}),
            events: vec![EventType::SubscriptionEnded],
        };
        if !self
            .commit(
                caller.subject(),
                change,
                subscription_about(&s),
                async |tx| subscriptions::update_from(tx, &s, since).await,
            )
            .await?
        {
            return Err(SubscriptionsError::changed_meanwhile("subscription"));
        }
        Ok(s)
    }
}

/// What may happen to a trial after it was requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialStep {
    /// The vendor confirms: it starts.
    Confirm,
    /// The vendor declines.
    Decline,
    /// The library (or consortium) stops it.
    Cancel,
}

impl TrialStep {
    fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Decline => "decline",
            Self::Cancel => "cancel",
        }
    }
}

fn trial_subject(t: &Trial) -> Subject {
    Subject {
        isil: t.isil.clone(),
        vendor: t.vendor,
        product: t.product,
        kind: "trial",
        id: t.id.0,
    }
}

fn subscription_subject(s: &Subscription) -> Subject {
    Subject {
        isil: s.isil.clone(),
        vendor: s.vendor,
        product: s.product,
        kind: "subscription",
        id: s.id.0,
    }
}

fn trial_about(t: &Trial) -> Value {
    json!({"trial": {"id": t.id, "state": t.state, "days": t.days, "starts_at": t.starts_at, "ends_at": t.ends_at}})
}

fn subscription_about(s: &Subscription) -> Value {
    json!({"subscription": {"id": s.id, "status": s.status, "starts_on": s.starts_on, "ends_on": s.ends_on, "renewal": s.renewal}})
}
