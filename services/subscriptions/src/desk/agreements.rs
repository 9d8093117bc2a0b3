//! The desk's consortium agreements: made and cancelled by consortium admins, seen by the
//! libraries they cover and by the product's vendor, started and ended by the calendar.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tilgang_isil::Isil;
use tilgang_kernel::ports::AgreementDraft;
use tilgang_kernel::{AgreementId, ConsortiumId, Principal, ProductId};

use super::{Change, Desk, SYSTEM};
use crate::domain::SubscriptionsError;
use crate::domain::agreement::{Agreement, Member, Split};
use crate::domain::subscription::{Currency, Renewal, SubscriptionStatus, Terms};
use crate::domain::webhook::EventType;
use crate::storage::agreements;
use crate::storage::audit::Subject;

/// What a consortium admin asks for.
pub struct AgreementRequest {
    /// Its name.
    pub name: String,
    /// The product.
    pub product: ProductId,
    /// Every member of this consortium or region…
    pub consortium: Option<ConsortiumId>,
    /// …and these libraries.
    pub isils: Vec<Isil>,
    /// The population of each library, by ISIL (for a split by population).
    pub populations: BTreeMap<Isil, u64>,
    /// Period and price.
    pub terms: Terms,
    /// How the price is shared.
    pub split: Split,
}

impl Desk {
    /// The request a draft (from the API or the portal) asks for, checked: ISILs, the product,
    /// the currency, the split and the terms.
    pub async fn agreement_request(
        &self,
        draft: AgreementDraft,
    ) -> Result<AgreementRequest, SubscriptionsError> {
        let isil = |field: &str, text: &str| {
            Isil::parse(text.trim()).map_err(|e| {
                SubscriptionsError::invalid(field, "isil_invalid", format!("{field}: {e}"))
            })
        };
        let isils = draft
            .isils
            .iter()
            .map(|text| isil("isils", text))
            .collect::<Result<Vec<_>, _>>()?;
        let populations = draft
            .populations
            .iter()
            .map(|(text, n)| Ok((isil("populations", text)?, *n)))
            .collect::<Result<BTreeMap<_, _>, SubscriptionsError>>()?;
        let currency = Currency::parse(&draft.currency).ok_or_else(|| {
            SubscriptionsError::invalid("currency", "value_invalid", "NOK, SEK, DKK or EUR")
        })?;
        let split = Split::parse(&draft.split).ok_or_else(|| {
            SubscriptionsError::invalid("split", "value_invalid", "equal or population")
        })?;
        let terms = Terms::new(
            draft.starts_on,
            draft.ends_on,
            draft.price_minor,
            currency,
            Renewal::End,
        )?;
        Ok(AgreementRequest {
            name: draft.name,
            product: self.product_ref(&draft.product).await?,
            consortium: draft.group,
            isils,
            populations,
            terms,
            split,
        })
    }

    /// Makes an agreement (consortium admins). Every library must be registered.
    pub async fn create_agreement(
        &self,
        caller: &Principal,
        request: AgreementRequest,
    ) -> Result<Agreement, SubscriptionsError> {
        if !caller.acts_for_all() {
            return Err(SubscriptionsError::Forbidden(
                "only consortium admins make agreements".into(),
            ));
        }
        let offer = self.product(request.product).await?;
        let mut isils = request.isils;
        if let Some(group) = request.consortium {
            let members = self.directory.members(group).await?.ok_or_else(|| {
                SubscriptionsError::NotFound("consortium or region", group.to_string())
            })?;
            isils.extend(members);
        }
        let mut members = Vec::new();
        for isil in isils {
            let library = self.library(&isil).await?;
            if members.iter().any(|m: &Member| m.isil == library.isil) {
                continue;
            }
            members.push(Member {
                population: request.populations.get(&library.isil).copied(),
                isil: library.isil,
            });
        }
        if let Some(stray) = request
            .populations
            .keys()
            .find(|isil| !members.iter().any(|m| &m.isil == *isil))
        {
            return Err(SubscriptionsError::invalid(
                "populations",
                "population_not_member",
                format!("{stray} has a population but is not a member"),
            ));
        }
        let a = Agreement::new(
            request.name,
            offer.id,
            offer.vendor,
            members,
            request.terms,
            request.split,
            self.clock.now(),
        )?;
        let change = self.agreement_change(&a, "agreement.created").await?;
        self.commit(caller.subject(), change, Value::Null, async |tx| {
            agreements::insert(tx, &a).await.map(|()| true)
        })
        .await?;
        Ok(a)
    }

    /// The agreement, if the caller may see it (consortium admins, the vendor, the admins of a
    /// library it covers).
    pub async fn visible_agreement(
        &self,
        caller: &Principal,
        id: AgreementId,
    ) -> Result<Agreement, SubscriptionsError> {
        let a = agreements::get(&self.db, id).await?;
        if caller.acts_for_vendor(a.vendor)
            || a.members.iter().any(|m| caller.acts_for_library(&m.isil))
        {
            Ok(a)
        } else {
            Err(SubscriptionsError::NotFound("agreement", id.to_string()))
        }
    }

    /// Cancels an agreement (consortium admins): access ends with today, or never begins.
    pub async fn cancel_agreement(
        &self,
        caller: &Principal,
        id: AgreementId,
    ) -> Result<Agreement, SubscriptionsError> {
        let mut a = self.visible_agreement(caller, id).await?;
        if !caller.acts_for_all() {
            return Err(SubscriptionsError::Forbidden(
                "only consortium admins cancel agreements".into(),
            ));
        }
        let since = a.updated_at;
        a.cancel(self.clock.now())?;
        if !self
            .save_agreement(caller.subject(), &a, since, "agreement.cancelled")
            .await?
        {
            return Err(SubscriptionsError::conflict(
                "agreement_changed",
                "the agreement changed meanwhile; reload and try again",
            ));
        }
        Ok(a)
    }

    /// Starts and ends agreements whose day has come; returns how many changed.
    pub(super) async fn agreements_lifecycle(&self) -> Result<usize, SubscriptionsError> {
        let now = self.clock.now();
        let mut changed = 0;
        for mut a in agreements::every(&self.db).await? {
            let was = a.status;
            a.status = a.status_at(now);
            if a.status == was {
                continue;
            }
            let since = a.updated_at;
            a.updated_at = now;
            let action = match a.status {
                SubscriptionStatus::Active => "agreement.started",
                _ => "agreement.ended",
            };
            if self.save_agreement(SYSTEM, &a, since, action).await? {
                changed += 1;
            }
        }
        Ok(changed)
    }

    async fn save_agreement(
        &self,
        actor: &str,
        a: &Agreement,
        since: chrono::DateTime<chrono::Utc>,
        action: &'static str,
    ) -> Result<bool, SubscriptionsError> {
        let change = self.agreement_change(a, action).await?;
        self.commit(actor, change, Value::Null, async |tx| {
            agreements::update_from(tx, a, since).await
        })
        .await
    }

    /// The audit entries (one per library) and the `agreement.changed` event of a change.
    async fn agreement_change(
        &self,
        a: &Agreement,
        action: &'static str,
    ) -> Result<Change, SubscriptionsError> {
        let product = self.product(a.product).await?;
        let mut libraries = Vec::new();
        for m in &a.members {
            let l = self.library(&m.isil).await?;
            libraries.push(json!({
                "isil": l.isil, "name": l.name, "websites": l.websites,
                "ip_ranges": l.ip_ranges, "contacts": l.contacts,
            }));
        }
        let data = json!({
            "agreement": {
                "id": a.id, "name": a.name, "status": a.status,
                "starts_on": a.starts_on, "ends_on": a.ends_on,
            },
            "product": {"id": product.id, "slug": product.slug, "name": product.name("en")},
            "libraries": libraries,
        });
        Ok(Change {
            subjects: a
                .members
                .iter()
                .map(|m| Subject {
                    isil: m.isil.clone(),
                    vendor: a.vendor,
                    product: a.product,
                    kind: "agreement",
                    id: a.id.0,
                })
                .collect(),
            action,
            detail: json!({"name": a.name, "status": a.status, "starts_on": a.starts_on, "ends_on": a.ends_on, "price_minor": a.price_minor, "currency": a.currency, "members": a.members.len()}),
            events: vec![EventType::AgreementChanged],
            data: Some(data),
        })
    }
}
