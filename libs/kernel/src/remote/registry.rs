//! `registry`'s ports over HTTP: the library register, library search, the product catalogue
//! and staff accounts.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tilgang_isil::Isil;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ids::{ConsortiumId, ProductId, VendorId};
use crate::ports::{
    Catalogue, GroupSummary, ImportOutcome, LibraryDirectory, LibraryEditor, LibrarySearch,
    LibrarySettings, LibrarySummary, Logo, PortError, ProductChanges, ProductDraft, ProductSummary,
    Refusal, StaffDirectory, StaffLogin, VendorDraft, VendorSummary,
};
use crate::principal::Principal;

/// `registry` in another process.
#[derive(Clone)]
pub struct RegistryClient(pub Peer);

#[async_trait]
impl LibraryDirectory for RegistryClient {
    async fn library(&self, isil: &Isil) -> Result<Option<LibrarySummary>, PortError> {
        self.0.call("directory", "library", &(isil,)).await
    }
    async fn members(&self, group: ConsortiumId) -> Result<Option<Vec<Isil>>, PortError> {
        self.0.call("directory", "members", &(group,)).await
    }
    async fn regions(&self) -> Result<Vec<GroupSummary>, PortError> {
        self.0.call("directory", "regions", &()).await
    }
    async fn libraries(&self) -> Result<Vec<LibrarySummary>, PortError> {
        self.0.call("directory", "libraries", &()).await
    }
    async fn suspended(&self) -> Result<Vec<LibrarySummary>, PortError> {
        self.0.call("directory", "suspended", &()).await
    }
    async fn logo(&self, isil: &Isil) -> Result<Option<Logo>, PortError> {
        self.0.call("directory", "logo", &(isil,)).await
    }
}

#[async_trait]
impl LibrarySearch for RegistryClient {
    async fn search(&self, text: &str, limit: u64) -> Result<Vec<LibrarySummary>, PortError> {
        self.0.call("search", "search", &(text, limit)).await
    }
}

#[async_trait]
impl Catalogue for RegistryClient {
    async fn product(&self, id: ProductId) -> Result<Option<ProductSummary>, PortError> {
        self.0.call("catalogue", "product", &(id,)).await
    }
    async fn product_by_slug(&self, slug: &str) -> Result<Option<ProductSummary>, PortError> {
        self.0.call("catalogue", "product_by_slug", &(slug,)).await
    }
    async fn products(&self) -> Result<Vec<ProductSummary>, PortError> {
        self.0.call("catalogue", "products", &()).await
    }
    async fn vendors(&self) -> Result<Vec<VendorSummary>, PortError> {
        self.0.call("catalogue", "vendors", &()).await
    }
}

#[async_trait]
impl StaffDirectory for RegistryClient {
    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError> {
        self.0
            .call("staff", "authenticate", &(email, password, at))
            .await
    }
    async fn change_password(
        &self,
        email: &str,
        current: &str,
        new: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError> {
        let args = (email, current, new, at);
        self.0.call("staff", "change_password", &args).await
    }
    async fn federated(&self, email: &str) -> Result<StaffLogin, PortError> {
        self.0.call("staff", "federated", &(email,)).await
    }
    async fn current(&self, subject: &str) -> Result<Option<(Principal, String)>, PortError> {
        self.0.call("staff", "current", &(subject,)).await
    }
    async fn totp(&self, subject: &str) -> Result<Option<String>, PortError> {
        self.0.call("staff", "totp", &(subject,)).await
    }
    async fn set_totp(
        &self,
        subject: &str,
        sealed: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<bool, PortError> {
        let args = (subject, sealed, at);
        self.0.call("staff", "set_totp", &args).await
    }
    async fn claim_totp_step(&self, subject: &str, step: i64) -> Result<bool, PortError> {
        let args = (subject, step);
        self.0.call("staff", "claim_totp_step", &args).await
    }
}

#[async_trait]
impl LibraryEditor for RegistryClient {
    async fn change_settings(
        &self,
        caller: &Principal,
        isil: &Isil,
        settings: LibrarySettings,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let args = (caller, isil, settings, at);
        self.0.call("editor", "change_settings", &args).await
    }
    async fn change_product(
        &self,
        caller: &Principal,
        slug: &str,
        changes: ProductChanges,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError> {
        let args = (caller, slug, changes, at);
        self.0.call("editor", "change_product", &args).await
    }
    async fn set_active(
        &self,
        caller: &Principal,
        isil: &Isil,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let args = (caller, isil, active, at);
        self.0.call("editor", "set_active", &args).await
    }
    async fn set_logo(
        &self,
        caller: &Principal,
        isil: &Isil,
        logo: Option<Vec<u8>>,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError> {
        let args = (caller, isil, logo, at);
        self.0.call("editor", "set_logo", &args).await
    }
    async fn import(
        &self,
        caller: &Principal,
        format: &str,
        text: String,
        at: DateTime<Utc>,
    ) -> Result<Result<ImportOutcome, Refusal>, PortError> {
        let args = (caller, format, text, at);
        let within = super::FILE_CALL_TIMEOUT;
        self.0.call_within(within, "editor", "import", &args).await
    }
    async fn save_vendor(
        &self,
        caller: &Principal,
        id: Option<VendorId>,
        draft: VendorDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<VendorSummary, Refusal>, PortError> {
        let args = (caller, id, draft, at);
        self.0.call("editor", "save_vendor", &args).await
    }
    async fn add_product(
        &self,
        caller: &Principal,
        draft: ProductDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError> {
        let args = (caller, draft, at);
        self.0.call("editor", "add_product", &args).await
    }
}

/// Answers [`LibraryDirectory`] calls.
pub struct DirectoryServer(pub Arc<dyn LibraryDirectory>);

#[async_trait]
impl Dispatch for DirectoryServer {
    fn port(&self) -> &'static str {
        "directory"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "library" => {
                let (isil,): (Isil,) = arguments(args)?;
                answer(self.0.library(&isil).await)
            }
            "members" => {
                let (group,): (ConsortiumId,) = arguments(args)?;
                answer(self.0.members(group).await)
            }
            "regions" => answer(self.0.regions().await),
            "libraries" => answer(self.0.libraries().await),
            "suspended" => answer(self.0.suspended().await),
            "logo" => {
                let (isil,): (Isil,) = arguments(args)?;
                answer(self.0.logo(&isil).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`LibrarySearch`] calls.
pub struct SearchServer(pub Arc<dyn LibrarySearch>);

#[async_trait]
impl Dispatch for SearchServer {
    fn port(&self) -> &'static str {
        "search"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "search" => {
                let (text, limit): (String, u64) = arguments(args)?;
                answer(self.0.search(&text, limit).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`Catalogue`] calls.
pub struct CatalogueServer(pub Arc<dyn Catalogue>);

#[async_trait]
impl Dispatch for CatalogueServer {
    fn port(&self) -> &'static str {
        "catalogue"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "product" => {
                let (id,): (ProductId,) = arguments(args)?;
                answer(self.0.product(id).await)
            }
            "product_by_slug" => {
                let (slug,): (String,) = arguments(args)?;
                answer(self.0.product_by_slug(&slug).await)
            }
            "products" => answer(self.0.products().await),
            "vendors" => answer(self.0.vendors().await),
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`StaffDirectory`] calls.
pub struct StaffServer(pub Arc<dyn StaffDirectory>);

#[async_trait]
impl Dispatch for StaffServer {
    fn port(&self) -> &'static str {
        "staff"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "authenticate" => {
                let (email, password, at): (String, String, DateTime<Utc>) = arguments(args)?;
                answer(self.0.authenticate(&email, &password, at).await)
            }
            "change_password" => {
                let (email, current, new, at): (String, String, String, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.change_password(&email, &current, &new, at).await)
            }
            "federated" => {
                let (email,): (String,) = arguments(args)?;
                answer(self.0.federated(&email).await)
            }
            "current" => {
                let (subject,): (String,) = arguments(args)?;
                answer(self.0.current(&subject).await)
            }
            "totp" => {
                let (subject,): (String,) = arguments(args)?;
                answer(self.0.totp(&subject).await)
            }
            "set_totp" => {
                let (subject, sealed, at): (String, Option<String>, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.set_totp(&subject, sealed, at).await)
            }
            "claim_totp_step" => {
                let (subject, step): (String, i64) = arguments(args)?;
                answer(self.0.claim_totp_step(&subject, step).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}

/// Answers [`LibraryEditor`] calls. The caller named in the arguments is the staff member the
/// calling service (the portal) has authenticated.
pub struct EditorServer(pub Arc<dyn LibraryEditor>);

#[async_trait]
impl Dispatch for EditorServer {
    fn port(&self) -> &'static str {
        "editor"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "change_settings" => {
                let (caller, isil, settings, at): (
                    Principal,
                    Isil,
                    LibrarySettings,
                    DateTime<Utc>,
                ) = arguments(args)?;
                answer(self.0.change_settings(&caller, &isil, settings, at).await)
            }
            "change_product" => {
                let (caller, slug, changes, at): (
                    Principal,
                    String,
                    ProductChanges,
                    DateTime<Utc>,
                ) = arguments(args)?;
                answer(self.0.change_product(&caller, &slug, changes, at).await)
            }
            "set_active" => {
                let (caller, isil, active, at): (Principal, Isil, bool, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.set_active(&caller, &isil, active, at).await)
            }
            "set_logo" => {
                let (caller, isil, logo, at): (Principal, Isil, Option<Vec<u8>>, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.set_logo(&caller, &isil, logo, at).await)
            }
            "import" => {
                let (caller, format, text, at): (Principal, String, String, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.import(&caller, &format, text, at).await)
            }
            "save_vendor" => {
                let (caller, id, draft, at): (
                    Principal,
                    Option<VendorId>,
                    VendorDraft,
                    DateTime<Utc>,
                ) = arguments(args)?;
                answer(self.0.save_vendor(&caller, id, draft, at).await)
            }
            "add_product" => {
                let (caller, draft, at): (Principal, ProductDraft, DateTime<Utc>) =
                    arguments(args)?;
                answer(self.0.add_product(&caller, draft, at).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}
