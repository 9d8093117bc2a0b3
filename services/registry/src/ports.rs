//! The ports the register provides to other services in the same process.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};
use tilgang_isil::Isil;
use tilgang_kernel::ports::{
    Catalogue, ContactSummary, GroupSummary, ImportOutcome, ImportProblem, LibraryDirectory,
    LibraryEditor, LibrarySearch, LibrarySettings, LibrarySummary, Logo, PortError, ProductChanges,
    ProductDraft, ProductSummary, Refusal, StaffDirectory, StaffLogin, TrialOffer, VendorDraft,
    VendorSummary,
};
use tilgang_kernel::{ConsortiumId, ProductId, VendorId};

use crate::domain::consortium::ConsortiumKind;
use crate::domain::error::RegistryError;
use crate::domain::library::{Library, LibraryChanges, LibraryStatus};
use crate::domain::product::Product;
use crate::domain::staff::{LOCK_MINUTES, MOST_FAILURES};
use crate::domain::vendor::Vendor;
use crate::storage::{self, libraries::LibraryFilter};

/// More libraries (or vendors, or products) than any national register holds: "every one"
/// in one page.
const EVERY_ONE: u64 = 100_000;

/// The register answered from its own database.
pub(crate) struct InProcess {
    db: DatabaseConnection,
}

impl InProcess {
    pub(crate) fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }

    /// Every library in `status`, by ISIL.
    async fn with_status(&self, status: LibraryStatus) -> Result<Vec<LibrarySummary>, PortError> {
        let filter = LibraryFilter {
            status: Some(status),
            ..LibraryFilter::default()
        };
        let (found, _) = storage::libraries::list(&self.db, &filter, EVERY_ONE, 0)
            .await
            .map_err(failed)?;
        Ok(found.into_iter().map(library_summary).collect())
    }

    /// A product just written as the port shows it, or why it was refused.
    async fn summarised(
        &self,
        written: Result<Product, RegistryError>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError> {
        let product = match refused_or(written)? {
            Ok(product) => product,
            Err(refusal) => return Ok(Err(refusal)),
        };
        match self.product_where(product.slug.as_str()).await? {
            Some(summary) => Ok(Ok(summary)),
            None => Err(PortError::new("registry", "the product is gone")),
        }
    }

    async fn product_where(&self, key: &str) -> Result<Option<ProductSummary>, PortError> {
        let product = match storage::products::get(&self.db, key).await {
            Ok(product) => product,
            Err(RegistryError::ProductNotFound(_)) => return Ok(None),
            Err(e) => return Err(failed(e)),
        };
        let vendor = storage::vendors::get(&self.db, product.vendor)
            .await
            .map_err(failed)?;
        Ok(Some(product_summary(product, &vendor)))
    }
}

fn failed(e: RegistryError) -> PortError {
    PortError::new("registry", e)
}

fn library_summary(l: Library) -> LibrarySummary {
    LibrarySummary {
        id: l.id,
        name: l.name.get(l.language).to_owned(),
        language: l.language.as_str().to_owned(),
        active: l.status == LibraryStatus::Active,
        websites: l.websites.iter().map(|w| w.as_str().to_owned()).collect(),
        ip_ranges: l.ip_ranges.iter().map(ToString::to_string).collect(),
        contacts: l
            .contacts
            .into_iter()
            .map(|c| ContactSummary {
                name: c.name,
                role: c.role,
                email: c.email,
                phone: c.phone,
            })
            .collect(),
        logo_at: l.logo_at,
        isil: l.isil,
    }
}

fn vendor_summary(v: Vendor) -> VendorSummary {
    let url = |u: Option<crate::domain::common::WebUrl>| u.map(|u| u.as_str().to_owned());
    VendorSummary {
        id: v.id,
        name: v.name,
        organisation_number: v.organisation_number,
        support_url: url(v.support_url),
        privacy_url: url(v.privacy_url),
        dpa_url: url(v.dpa_url),
        accessibility_url: url(v.accessibility_url),
    }
}

/// The API's input for a vendor typed on a page: blank optional fields cleared.
fn vendor_input(draft: VendorDraft) -> crate::http::input::VendorInput {
    let optional = |text: String| Some(Some(text.trim().to_owned()).filter(|t| !t.is_empty()));
    crate::http::input::VendorInput {
        name: Some(draft.name),
        organisation_number: optional(draft.organisation_number),
        contacts: None,
        support_url: optional(draft.support_url),
        privacy_url: optional(draft.privacy_url),
        dpa_url: optional(draft.dpa_url),
        accessibility_url: optional(draft.accessibility_url),
    }
}

fn product_summary(p: Product, vendor: &Vendor) -> ProductSummary {
    let url = |u: &Option<crate::domain::common::WebUrl>| u.as_ref().map(|u| u.as_str().to_owned());
    ProductSummary {
        id: p.id,
        vendor: p.vendor,
        vendor_name: vendor.name.clone(),
        names: p
            .name
            .0
            .iter()
            .map(|(lang, text)| (lang.as_str().to_owned(), text.clone()))
            .collect(),
        descriptions: p
            .description
            .map(|d| {
                d.0.iter()
                    .map(|(lang, text)| (lang.as_str().to_owned(), text.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        slug: p.slug,
        integration: p.integration.as_str().to_owned(),
        claims: p.claims.iter().map(|c| c.as_str().to_owned()).collect(),
        kind: p.kind.as_str().to_owned(),
        statistics: p.statistics.as_str().to_owned(),
        price_model: p.price_model.as_str().to_owned(),
        training: p
            .training
            .iter()
            .map(|t| (t.title.clone(), t.url.as_str().to_owned()))
            .collect(),
        privacy_url: url(&vendor.privacy_url),
        dpa_url: url(&vendor.dpa_url),
        accessibility_url: url(&vendor.accessibility_url),
        access_url: p.access_url.map(|u| u.as_str().to_owned()),
        sushi_url: p.sushi_url.map(|u| u.as_str().to_owned()),
        trial: TrialOffer {
            available: p.trial.available,
            days: p.trial.days,
            needs_vendor_confirmation: p.trial.needs_vendor_confirmation,
            waiting_days: p.trial.waiting_days,
        },
    }
}

#[async_trait]
impl LibraryDirectory for InProcess {
    async fn library(&self, isil: &Isil) -> Result<Option<LibrarySummary>, PortError> {
        let found = storage::libraries::find(&self.db, isil)
            .await
            .map_err(failed)?;
        Ok(found.map(library_summary))
    }

    async fn members(&self, group: ConsortiumId) -> Result<Option<Vec<Isil>>, PortError> {
        match storage::consortia::get(&self.db, group).await {
            Ok(c) => Ok(Some(c.members)),
            Err(RegistryError::ConsortiumNotFound(_)) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }

    async fn regions(&self) -> Result<Vec<GroupSummary>, PortError> {
        let all = storage::consortia::list(&self.db).await.map_err(failed)?;
        Ok(all
            .into_iter()
            .filter(|c| c.kind == ConsortiumKind::Region)
            .map(|c| GroupSummary {
                id: c.id,
                name: c.name,
                members: c.members,
            })
            .collect())
    }

    async fn libraries(&self) -> Result<Vec<LibrarySummary>, PortError> {
        self.with_status(LibraryStatus::Active).await
    }

    async fn suspended(&self) -> Result<Vec<LibrarySummary>, PortError> {
        self.with_status(LibraryStatus::Suspended).await
    }

    async fn logo(&self, isil: &Isil) -> Result<Option<Logo>, PortError> {
        let found = async {
            let Some(library) = storage::libraries::find(&self.db, isil).await? else {
                return Ok(None);
            };
            storage::logos::get(&self.db, library.id).await
        };
        let found = found.await.map_err(failed)?;
        Ok(found.map(|(content_type, bytes)| Logo {
            content_type,
            bytes,
        }))
    }
}

#[async_trait]
impl LibrarySearch for InProcess {
    async fn search(&self, text: &str, limit: u64) -> Result<Vec<LibrarySummary>, PortError> {
        let filter = LibraryFilter {
            status: Some(LibraryStatus::Active),
            query: Some(text.to_owned()),
            ..LibraryFilter::default()
        };
        let (found, _) = storage::libraries::list(&self.db, &filter, limit, 0)
            .await
            .map_err(failed)?;
        Ok(found.into_iter().map(library_summary).collect())
    }
}

#[async_trait]
impl Catalogue for InProcess {
    async fn product(&self, id: ProductId) -> Result<Option<ProductSummary>, PortError> {
        self.product_where(&id.0.to_string()).await
    }

    async fn product_by_slug(&self, slug: &str) -> Result<Option<ProductSummary>, PortError> {
        if slug.parse::<uuid::Uuid>().is_ok() {
            return Ok(None);
        }
        self.product_where(slug).await
    }

    async fn products(&self) -> Result<Vec<ProductSummary>, PortError> {
        let (vendors, _) = storage::vendors::list(&self.db, None, EVERY_ONE, 0)
            .await
            .map_err(failed)?;
        let filter = storage::products::ProductFilter::default();
        let (products, _) = storage::products::list(&self.db, &filter, EVERY_ONE, 0)
            .await
            .map_err(failed)?;
        Ok(products
            .into_iter()
            .filter_map(|p| {
                let vendor = vendors.iter().find(|v| v.id == p.vendor)?;
                Some(product_summary(p, vendor))
            })
            .collect())
    }

    async fn vendors(&self) -> Result<Vec<VendorSummary>, PortError> {
        let (vendors, _) = storage::vendors::list(&self.db, None, EVERY_ONE, 0)
            .await
            .map_err(failed)?;
        Ok(vendors.into_iter().map(vendor_summary).collect())
    }
}

#[async_trait]
impl StaffDirectory for InProcess {
    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError> {
        let email = email.trim().to_lowercase();
        let found = storage::staff::by_email(&self.db, &email)
            .await
            .map_err(failed)?;
        let locked = found
            .as_ref()
            .and_then(|c| c.locked_until)
            .filter(|until| *until > at);
        let hash = found.as_ref().map(|c| c.password_hash.clone());
        let right = crate::hashing::verify(hash, password.to_owned()).await;
        let Some(credentials) = found else {
            return Ok(StaffLogin::Invalid);
        };
        if let Some(until) = locked {
            // Only someone who knows the password learns that the account is locked.
            return Ok(if right {
                StaffLogin::Locked { until }
            } else {
                StaffLogin::Invalid
            });
        }
        let id = credentials.staff.id;
        if !right {
            let failures = storage::staff::count_failure(&self.db, id)
                .await
                .map_err(failed)?;
            if failures < MOST_FAILURES {
                return Ok(StaffLogin::Invalid);
            }
            let until = at + chrono::Duration::minutes(LOCK_MINUTES);
            storage::staff::record_login(&self.db, id, 0, Some(until))
                .await
                .map_err(failed)?;
            return Ok(StaffLogin::Locked { until });
        }
        if credentials.failed_logins > 0 {
            storage::staff::record_login(&self.db, id, 0, None)
                .await
                .map_err(failed)?;
        }
        if !credentials.staff.active {
            return Ok(StaffLogin::Invalid);
        }
        Ok(StaffLogin::Valid {
            principal: credentials.staff.principal(),
            name: credentials.staff.name,
            must_change_password: credentials.staff.must_change_password,
            totp: credentials.totp_sealed,
        })
    }

    async fn federated(&self, email: &str) -> Result<StaffLogin, PortError> {
        let email = email.trim().to_lowercase();
        let found = storage::staff::by_email(&self.db, &email)
            .await
            .map_err(failed)?;
        Ok(match found {
            Some(credentials) if credentials.staff.active => StaffLogin::Valid {
                principal: credentials.staff.principal(),
                name: credentials.staff.name,
                must_change_password: false,
                totp: None,
            },
            _ => StaffLogin::Invalid,
        })
    }

    async fn totp(&self, subject: &str) -> Result<Option<String>, PortError> {
        let Some(id) = staff_id(subject) else {
            return Ok(None);
        };
        storage::staff::totp(&self.db, id).await.map_err(failed)
    }

    async fn set_totp(
        &self,
        subject: &str,
        sealed: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<bool, PortError> {
        let Some(id) = staff_id(subject) else {
            return Ok(false);
        };
        storage::staff::set_totp(&self.db, id, sealed, at)
            .await
            .map_err(failed)
    }

    async fn claim_totp_step(&self, subject: &str, step: i64) -> Result<bool, PortError> {
        let Some(id) = staff_id(subject) else {
            return Ok(false);
        };
        storage::staff::claim_totp_step(&self.db, id, step)
            .await
            .map_err(failed)
    }

    async fn current(
        &self,
        subject: &str,
    ) -> Result<Option<(tilgang_kernel::Principal, String)>, PortError> {
        let Some(id) = staff_id(subject) else {
            return Ok(None);
        };
        match storage::staff::get(&self.db, id).await {
            Ok(staff) if staff.active => Ok(Some((staff.principal(), staff.name))),
            Ok(_) | Err(RegistryError::StaffNotFound(_)) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }

    async fn change_password(
        &self,
        email: &str,
        current: &str,
        new: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError> {
        if new.chars().count() < tilgang_kernel::ports::MIN_PASSWORD_CHARS {
            return Err(PortError::new("registry", "the new password is too short"));
        }
        let login = self.authenticate(email, current, at).await?;
        let StaffLogin::Valid {
            principal,
            name,
            totp,
            ..
        } = login
        else {
            return Ok(login);
        };
        let found = storage::staff::by_email(&self.db, &email.trim().to_lowercase())
            .await
            .map_err(failed)?
            .ok_or_else(|| PortError::new("registry", "the account is gone"))?;
        let hash = crate::hashing::hash(new.to_owned()).await;
        storage::staff::set_password(&self.db, found.staff.id, hash, false, at)
            .await
            .map_err(failed)?;
        Ok(StaffLogin::Valid {
            principal,
            name,
            must_change_password: false,
            totp,
        })
    }
}

/// The account id in a staff principal's subject (`staff:{id}`).
fn staff_id(subject: &str) -> Option<uuid::Uuid> {
    subject.strip_prefix("staff:")?.parse().ok()
}

#[async_trait]
impl LibraryEditor for InProcess {
    async fn change_settings(
        &self,
        caller: &tilgang_kernel::Principal,
        isil: &Isil,
        settings: LibrarySettings,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let contacts = settings
            .contacts
            .into_iter()
            .map(|c| crate::domain::common::Contact {
                name: c.name,
                role: c.role,
                email: c.email,
                phone: c.phone,
            })
            .collect();
        let body = crate::http::input::UpdateLibrary {
            websites: Some(settings.websites),
            ip_ranges: Some(settings.ip_ranges),
            contacts: Some(contacts),
            language: Some(settings.language),
            ..Default::default()
        };
        let changed = crate::http::libraries::change(&self.db, caller, isil, body, at).await;
        refused_or(changed.map(library_summary))
    }

    async fn change_product(
        &self,
        caller: &tilgang_kernel::Principal,
        slug: &str,
        changes: ProductChanges,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError> {
        let input = crate::http::input::ProductInput {
            description: Some(Some(changes.descriptions).filter(|d| !d.is_empty())),
            trial: Some(crate::http::input::TrialInput {
                available: Some(changes.trial.available),
                days: Some(changes.trial.days),
                needs_vendor_confirmation: Some(changes.trial.needs_vendor_confirmation),
                waiting_days: Some(changes.trial.waiting_days),
            }),
            price_model: Some(changes.price_model),
            claims: Some(changes.claims),
            ..Default::default()
        };
        let changed = crate::http::products::change(&self.db, caller, slug, input, at).await;
        self.summarised(changed).await
    }

    async fn set_logo(
        &self,
        caller: &tilgang_kernel::Principal,
        isil: &Isil,
        logo: Option<Vec<u8>>,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let changed = async {
            LibraryChanges::default().authorize(caller, isil)?;
            let image = logo
                .map(|bytes| crate::domain::logo::image_type(&bytes).map(|kind| (kind, bytes)))
                .transpose()?;
            let mut library = storage::libraries::get(&self.db, isil).await?;
            let txn = self.db.begin().await?;
            library.logo_at = match image {
                Some((content_type, bytes)) => {
                    storage::logos::put(&txn, library.id, content_type, bytes, at).await?;
                    Some(at)
                }
                None => {
                    storage::logos::remove(&txn, library.id).await?;
                    None
                }
            };
            library.updated_at = at;
            storage::libraries::set_logo_at(&txn, library.id, library.logo_at, at).await?;
            txn.commit().await?;
            Ok::<_, RegistryError>(library)
        };
        refused_or(changed.await.map(library_summary))
    }

    async fn set_active(
        &self,
        caller: &tilgang_kernel::Principal,
        isil: &Isil,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let status = if active { "active" } else { "suspended" };
        let body = crate::http::input::UpdateLibrary {
            status: Some(status.to_owned()),
            ..Default::default()
        };
        let changed = async {
            crate::domain::library::authorize_register(caller)?;
            crate::http::libraries::change(&self.db, caller, isil, body, at).await
        }
        .await;
        refused_or(changed.map(library_summary))
    }

    async fn import(
        &self,
        caller: &tilgang_kernel::Principal,
        format: &str,
        text: String,
        at: DateTime<Utc>,
    ) -> Result<Result<ImportOutcome, Refusal>, PortError> {
        let problem = |p: crate::domain::error::RecordProblem| ImportProblem {
            record: p.record,
            isil: p.isil,
            code: p.code,
            reason: p.reason,
        };
        let imported = async {
            crate::domain::library::authorize_register(caller)?;
            crate::import::run(&self.db, format, text.as_bytes(), at).await
        }
        .await;
        match imported {
            Ok(report) => Ok(Ok(ImportOutcome::Imported {
                created: report.created,
                updated: report.updated,
                unchanged: report.unchanged,
                skipped: report.skipped.into_iter().map(problem).collect(),
            })),
            Err(RegistryError::ImportInvalid(problems)) => Ok(Ok(ImportOutcome::Refused(
                problems.into_iter().map(problem).collect(),
            ))),
            Err(e) => refused_or(Err(e)),
        }
    }

    async fn save_vendor(
        &self,
        caller: &tilgang_kernel::Principal,
        id: Option<VendorId>,
        draft: VendorDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<VendorSummary, Refusal>, PortError> {
        let input = vendor_input(draft);
        let saved = match id {
            None => crate::http::vendors::register(&self.db, caller, input, at).await,
            Some(id) => crate::http::vendors::change(&self.db, caller, id, input, at).await,
        };
        refused_or(saved.map(vendor_summary))
    }

    async fn add_product(
        &self,
        caller: &tilgang_kernel::Principal,
        draft: ProductDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError> {
        let filled = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let input = crate::http::input::ProductInput {
            vendor: Some(draft.vendor),
            slug: Some(draft.slug.trim().to_owned()),
            name: Some(
                draft
                    .names
                    .into_iter()
                    .filter_map(|(lang, text)| Some((lang, filled(text)?)))
                    .collect(),
            ),
            kind: Some(draft.kind),
            integration: Some(draft.integration),
            statistics: Some(draft.statistics),
            access_url: filled(draft.access_url).map(Some),
            ..Default::default()
        };
        let added = crate::http::products::register(&self.db, caller, input, at).await;
        self.summarised(added).await
    }
}

/// The answer, a refusal for the caller, or the register's failure.
fn refused_or<T>(result: Result<T, RegistryError>) -> Result<Result<T, Refusal>, PortError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(RegistryError::Storage(e)) => Err(PortError::new("registry", e)),
        Err(refused) => Ok(Err(Refusal {
            code: refused.code().to_owned(),
            message: refused.to_string(),
            field: refused.field().map(str::to_owned),
        })),
    }
}
