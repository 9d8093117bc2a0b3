//! `library.updated`: when a library with access changes its name, websites, IP ranges or
//! contacts in the register, each vendor whose products it has is told, so IP and referrer
//! access follows. The lifecycle job compares a fingerprint of what vendors were last told
//! with the register; the first sight of a library only records it (its start event carried
//! the same data).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use sha2::{Digest, Sha256};
use tilgang_isil::Isil;
use tilgang_kernel::ports::LibrarySummary;
use tilgang_kernel::{ProductId, VendorId};

use super::Desk;
use crate::domain::SubscriptionsError;
use crate::domain::trial::TrialState;
use crate::domain::webhook::EventType;
use crate::storage::{Scope, trials};
use crate::storage::{agreements, fingerprints, outbox, subscriptions};

/// Each library with access now, and the products (with their vendors) it has.
type Access = BTreeMap<Isil, BTreeSet<(VendorId, ProductId)>>;

impl Desk {
    /// Tells vendors about libraries with access that changed; returns how many changed.
    pub(super) async fn watch_libraries(&self) -> Result<usize, SubscriptionsError> {
        let mut told = 0;
        for (isil, products) in self.access_now().await? {
            let Some(library) = self.directory.library(&isil).await? else {
                continue;
            };
            let now_is = fingerprint(&library);
            let key = isil.key();
            let was = fingerprints::get(&self.db, &key).await?;
            if was.as_deref() == Some(now_is.as_str()) {
                continue;
            }
            let now = self.clock.now();
            let tx = tilgang_store::write(&self.db).await?;
            if !fingerprints::replace(&tx, &key, was.as_deref(), &now_is, now).await? {
                tx.rollback().await?;
                continue;
            }
            if was.is_some() {
                let mut by_vendor: BTreeMap<VendorId, Vec<serde_json::Value>> = BTreeMap::new();
                for (vendor, product) in &products {
                    let p = self.product(*product).await?;
                    by_vendor
                        .entry(*vendor)
                        .or_default()
                        .push(json!({"id": p.id, "slug": p.slug, "name": p.name("en")}));
                }
                for (vendor, products) in by_vendor {
                    let data = json!({
                        "isil": library.isil,
                        "library": {
                            "name": library.name, "websites": library.websites,
                            "ip_ranges": library.ip_ranges, "contacts": library.contacts,
                        },
                        "products": products,
                    });
                    outbox::enqueue(&tx, vendor, EventType::LibraryUpdated, data, now).await?;
                }
                told += 1;
            }
            tx.commit().await?;
        }
        Ok(told)
    }

    async fn access_now(&self) -> Result<Access, SubscriptionsError> {
        let now = self.clock.now();
        let mut access = Access::new();
        for t in trials::list(&self.db, &Scope::default(), Some(TrialState::Active)).await? {
            if t.grant().is_some_and(|g| g.covers(now)) {
                access
                    .entry(t.isil)
                    .or_default()
                    .insert((t.vendor, t.product));
            }
        }
        for s in subscriptions::every(&self.db).await? {
            if s.grant().is_some_and(|g| g.covers(now)) {
                access
                    .entry(s.isil)
                    .or_default()
                    .insert((s.vendor, s.product));
            }
        }
        for a in agreements::every(&self.db).await? {
            if a.grant().is_some_and(|g| g.covers(now)) {
                for m in a.members {
                    access
                        .entry(m.isil)
                        .or_default()
                        .insert((a.vendor, a.product));
                }
            }
        }
        Ok(access)
    }
}

/// What vendors are told about a library, hashed.
fn fingerprint(l: &LibrarySummary) -> String {
    let told = json!([l.name, l.websites, l.ip_ranges, l.contacts]).to_string();
    format!("{:x}", Sha256::digest(told.as_bytes()))
}
