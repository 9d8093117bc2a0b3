//! Ports: what one service asks of another, as traits over plain data.
//!
//! The owning service implements each port in-process; when services run in separate processes
//! the binary wires an HTTP client instead. Callers cannot tell the difference.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tilgang_isil::Isil;

use chrono::{DateTime, Utc};

use crate::ids::{ConsortiumId, LibraryId, ProductId, VendorId};

mod agreements;
mod clients;
mod import;
mod national;
mod oversight;
mod upload;
mod vendors;

pub use agreements::{AgreementDraft, AgreementSummary};
pub use clients::{ClientSummary, Clients, NewClient, RegisteredClient};
pub use import::{ImportOutcome, ImportProblem};
pub use national::{GroupUsage, NationalUsage};
pub use oversight::{
    AuditEntry, LibraryAccess, NewWebhookEndpoint, Oversight, WebhookDelivery, WebhookEndpoint,
};
pub use upload::{ReceivedReport, ReportProblem, UploadOutcome};
pub use vendors::{ProductDraft, VendorDraft, VendorSummary};

/// Why a port call failed (the other service is down, or answered nonsense).
#[derive(Debug, thiserror::Error)]
#[error("{service} is unavailable: {reason}")]
pub struct PortError {
    /// The service that was asked.
    pub service: &'static str,
    /// What went wrong, free of secrets.
    pub reason: String,
}

/// What other services need to know about a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibrarySummary {
    /// Internal id.
    pub id: LibraryId,
    /// The ISIL as registered.
    pub isil: Isil,
    /// Name in the library's default language.
    pub name: String,
    /// The library's default language (BCP 47, such as `nb`).
    pub language: String,
    /// Whether the library is active (suspended libraries get no access).
    pub active: bool,
    /// The library's website URLs.
    pub websites: Vec<String>,
    /// The library's IP ranges, as normalised CIDR.
    pub ip_ranges: Vec<String>,
    /// Whom to contact at the library.
    pub contacts: Vec<ContactSummary>,
    /// When its logo was last set (none: it has no logo); pages link the logo with it, so a
    /// new one is fetched at once and an unchanged one kept in the browser's cache.
    pub logo_at: Option<DateTime<Utc>>,
}

/// A library's logo: a PNG, JPEG or WebP image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    /// `image/png`, `image/jpeg` or `image/webp`, read from the image itself.
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
}

/// A contact at a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactSummary {
    /// Who or what this contact is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What to contact them about (`general`, `technical`, `billing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// What a library's own staff keep up to date in the register.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LibrarySettings {
    /// Website URLs.
    pub websites: Vec<String>,
    /// IP ranges (CIDR) or single addresses.
    pub ip_ranges: Vec<String>,
    /// Contacts.
    pub contacts: Vec<ContactSummary>,
    /// Default language (BCP 47, such as `nb`).
    pub language: String,
}

/// What a vendor's staff change in a product from the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChanges {
    /// The description per language (BCP 47 tag → text); the languages left out are removed.
    pub descriptions: std::collections::BTreeMap<String, String>,
    /// The trial terms.
    pub trial: TrialOffer,
    /// How the vendor charges (as `ProductSummary::price_model`).
    pub price_model: String,
    /// The extra claims the product receives (its release policy).
    pub claims: Vec<String>,
}

/// Changes to the register on behalf of staff, with the API's rules. Provided by `registry`.
#[async_trait]
pub trait LibraryEditor: Send + Sync + 'static {
    /// `caller` replaces the settings of the library `isil` at `at`: the library as it is
    /// now, or why not (nothing is changed then).
    async fn change_settings(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        settings: LibrarySettings,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError>;

    /// `caller` (the library's admin or a consortium admin) sets the logo of the library
    /// `isil` to the image `logo` (none: removes it): the library as it is now, or why not
    /// (`logo_invalid` for anything but PNG, JPEG or WebP, `logo_too_large` above 256 KiB).
    async fn set_logo(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        logo: Option<Vec<u8>>,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError>;

    /// A vendor's staff (or a consortium admin) change the product `slug`'s descriptions,
    /// trial terms and release policy: the product as it is now, or why not (another vendor's
    /// product is `forbidden`).
    async fn change_product(
        &self,
        caller: &crate::Principal,
        slug: &str,
        changes: ProductChanges,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError>;

    /// A consortium admin suspends the library `isil` (`active` false: its patrons lose
    /// access) or makes it active again.
    async fn set_active(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        active: bool,
        at: DateTime<Utc>,
    ) -> Result<Result<LibrarySummary, Refusal>, PortError>;

    /// A consortium admin imports the register file `text` in `format` (`basebibliotek` or
    /// `csv`): what became of it, or why the caller may not.
    async fn import(
        &self,
        caller: &crate::Principal,
        format: &str,
        text: String,
        at: DateTime<Utc>,
    ) -> Result<Result<ImportOutcome, Refusal>, PortError>;

    /// A consortium admin registers a vendor (`id` none) or changes the vendor `id`'s details
    /// (as may the vendor's own staff): the vendor as it is now, or why not.
    async fn save_vendor(
        &self,
        caller: &crate::Principal,
        id: Option<VendorId>,
        draft: VendorDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<VendorSummary, Refusal>, PortError>;

    /// A consortium admin registers a product for a vendor: the product, or why not (a slug
    /// taken is `product_slug_taken`).
    async fn add_product(
        &self,
        caller: &crate::Principal,
        draft: ProductDraft,
        at: DateTime<Utc>,
    ) -> Result<Result<ProductSummary, Refusal>, PortError>;
}

/// The register of libraries, as seen by other services. Provided by `registry`.
#[async_trait]
pub trait LibraryDirectory: Send + Sync + 'static {
    /// The library with this ISIL (any letter case), if registered.
    async fn library(&self, isil: &Isil) -> Result<Option<LibrarySummary>, PortError>;

    /// The member libraries of a consortium or region, if it exists.
    async fn members(&self, group: ConsortiumId) -> Result<Option<Vec<Isil>>, PortError>;

    /// Every region with its member libraries.
    async fn regions(&self) -> Result<Vec<GroupSummary>, PortError>;

    /// Every active library, by ISIL.
    async fn libraries(&self) -> Result<Vec<LibrarySummary>, PortError>;

    /// Every suspended library, by ISIL.
    async fn suspended(&self) -> Result<Vec<LibrarySummary>, PortError>;

    /// The logo of the library `isil`, if it is registered and has one.
    async fn logo(&self, isil: &Isil) -> Result<Option<Logo>, PortError>;
}

/// A named group of libraries: a region or a consortium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Internal id.
    pub id: ConsortiumId,
    /// Its name.
    pub name: String,
    /// Its member libraries.
    pub members: Vec<Isil>,
}

impl PortError {
    /// A failure of `service`, described without secrets.
    pub fn new(service: &'static str, reason: impl std::fmt::Display) -> Self {
        Self {
            service,
            reason: reason.to_string(),
        }
    }
}

/// Finds libraries for a patron choosing theirs. Provided by `registry`.
#[async_trait]
pub trait LibrarySearch: Send + Sync + 'static {
    /// Active libraries whose name, municipality or ISIL contains `text` (any case), at most
    /// `limit`, best matches first.
    async fn search(&self, text: &str, limit: u64) -> Result<Vec<LibrarySummary>, PortError>;
}

/// What other services need to know about a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductSummary {
    /// Id.
    pub id: ProductId,
    /// The vendor offering it.
    pub vendor: VendorId,
    /// The vendor's trading name.
    pub vendor_name: String,
    /// Short name used in `/go/{isil}/{slug}`.
    pub slug: String,
    /// Name per language (BCP 47 tag → text); never empty.
    pub names: std::collections::BTreeMap<String, String>,
    /// Description per language (BCP 47 tag → text); may be empty.
    pub descriptions: std::collections::BTreeMap<String, String>,
    /// How patrons get in: `oidc`, `signed_link`, `shared_credentials` or `ip_and_referrer`.
    pub integration: String,
    /// The extra claims the product may receive (its release policy), such as `age_band`.
    pub claims: Vec<String>,
    /// What it is: `ebook`, `audiobook`, `newspaper`, `magazine`, `streaming`, `database`,
    /// `course` or `other`.
    pub kind: String,
    /// Where its usage statistics come from: `hub_events`, `counter_push` or `sushi`.
    pub statistics: String,
    /// How the vendor charges: `annual`, `population`, `per_use`, `free` or `on_request`.
    pub price_model: String,
    /// Training material: (title, URL).
    pub training: Vec<(String, String)>,
    /// The vendor's privacy statement.
    pub privacy_url: Option<String>,
    /// The vendor's data processing agreement.
    pub dpa_url: Option<String>,
    /// The vendor's accessibility statement.
    pub accessibility_url: Option<String>,
    /// Where patrons enter the product: the target of signed links, or the start page.
    pub access_url: Option<String>,
    /// Where the vendor's COUNTER API for it is, if the vendor runs one.
    pub sushi_url: Option<String>,
    /// Whether and how libraries may try it.
    pub trial: TrialOffer,
}

/// A product's trial terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialOffer {
    /// Whether trials are offered.
    pub available: bool,
    /// Trial length in days.
    pub days: u16,
    /// Whether the vendor confirms each trial before it starts.
    pub needs_vendor_confirmation: bool,
    /// Days before the same library may try the product again.
    pub waiting_days: u16,
}

impl ProductSummary {
    /// The name in `lang`, else (for nynorsk) bokmål, else English, else any.
    pub fn name(&self, lang: &str) -> &str {
        in_language(&self.names, lang).unwrap_or(self.slug.as_str())
    }

    /// The description in `lang`, else (for nynorsk) bokmål, else English, else any; empty if
    /// there is none.
    pub fn description(&self, lang: &str) -> &str {
        in_language(&self.descriptions, lang).unwrap_or("")
    }
}

fn in_language<'a>(
    texts: &'a std::collections::BTreeMap<String, String>,
    lang: &str,
) -> Option<&'a str> {
    texts
        .get(lang)
        .or_else(|| texts.get("nb").filter(|_| lang == "nn"))
        .or_else(|| texts.get("en"))
        .or_else(|| texts.values().next())
        .map(String::as_str)
}

/// The catalogue of products, as seen by other services. Provided by `registry`.
#[async_trait]
pub trait Catalogue: Send + Sync + 'static {
    /// The product with this id.
    async fn product(&self, id: ProductId) -> Result<Option<ProductSummary>, PortError>;
    /// The product with this slug.
    async fn product_by_slug(&self, slug: &str) -> Result<Option<ProductSummary>, PortError>;

    /// Every product, by slug.
    async fn products(&self) -> Result<Vec<ProductSummary>, PortError>;

    /// Every vendor, by name.
    async fn vendors(&self) -> Result<Vec<VendorSummary>, PortError>;
}

/// Why a library may (or may not) use a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementBasis {
    /// A running trial.
    Trial,
    /// A subscription.
    Subscription,
    /// A consortium agreement covering the library.
    Agreement,
    /// Nothing grants access.
    None,
}

/// The answer to "may library X use product Y at time T".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    /// What grants access (`None` when nothing does).
    pub basis: EntitlementBasis,
    /// When the access ends, if it does.
    pub until: Option<DateTime<Utc>>,
}

impl Entitlement {
    /// No access.
    pub const DENIED: Self = Self {
        basis: EntitlementBasis::None,
        until: None,
    };

    /// Whether the library has access.
    pub fn granted(&self) -> bool {
        self.basis != EntitlementBasis::None
    }
}

/// Which library may use which product when. Provided by `subscriptions`.
#[async_trait]
pub trait Entitlements: Send + Sync + 'static {
    /// Whether the library `isil` may use `product` at `at`.
    async fn check(
        &self,
        isil: &Isil,
        product: ProductId,
        at: DateTime<Utc>,
    ) -> Result<Entitlement, PortError>;

    /// Every product the library `isil` may use at `at`, with what grants it.
    async fn granted(
        &self,
        isil: &Isil,
        at: DateTime<Utc>,
    ) -> Result<Vec<(ProductId, Entitlement)>, PortError>;
}

/// What happened at an access point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessOutcome {
    /// A patron logged in.
    Login,
    /// A patron was let into a product.
    Granted,
    /// A patron was turned away.
    Denied,
}

/// Why a patron was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenialReason {
    /// The library has no access to the product.
    NotEntitled,
    /// The library system says the patron is blocked.
    Blocked,
    /// The card or PIN was wrong.
    WrongPin,
    /// Too many failed attempts.
    Throttled,
}

/// One access event: no card number, PIN or name, only a pseudonym for counting unique users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    /// Unique id; a repeated id is the same event.
    pub id: uuid::Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The patron's library.
    pub isil: Isil,
    /// The vendor, when a product was asked for.
    pub vendor: Option<VendorId>,
    /// The product, when one was asked for.
    pub product: Option<ProductId>,
    /// What happened.
    pub outcome: AccessOutcome,
    /// Why it was denied.
    pub reason: Option<DenialReason>,
    /// An opaque per-patron value (keyed hash) that lets the consumer count unique users.
    pub pseudonym: String,
}

/// Where access events go. Provided by `usage`.
#[async_trait]
pub trait UsageSink: Send + Sync + 'static {
    /// Records `events`; events already recorded (same id) are ignored.
    async fn record(&self, events: Vec<AccessEvent>) -> Result<(), PortError>;
}

/// A period a library had a product: paid (a subscription, or its share of a consortium
/// agreement) or a trial (price 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedPeriod {
    /// The library.
    pub isil: Isil,
    /// The product.
    pub product: ProductId,
    /// The vendor.
    pub vendor: VendorId,
    /// `Trial`, `Subscription` or `Agreement`.
    pub basis: EntitlementBasis,
    /// First day (Europe/Oslo).
    pub starts_on: chrono::NaiveDate,
    /// Last day, included.
    pub ends_on: chrono::NaiveDate,
    /// The library's price for the whole period, in minor units (0 for a trial).
    pub price_minor: i64,
    /// ISO 4217 code (none for a trial).
    pub currency: Option<String>,
}

/// What libraries paid for products, and their trials. Provided by `subscriptions`.
#[async_trait]
pub trait Prices: Send + Sync + 'static {
    /// The periods of the libraries with these ISIL keys (lower case; all libraries when
    /// `None`) that overlap `from` to `to` (days, included).
    async fn periods(
        &self,
        isil_keys: Option<Vec<String>>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<PricedPeriod>, PortError>;
}

/// How a staff member's login attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffLogin {
    /// The password is right and the account active.
    Valid {
        /// Who they are.
        principal: crate::Principal,
        /// Their name.
        name: String,
        /// Whether they must set a new password before anything else.
        must_change_password: bool,
        /// Their two-step login secret, sealed (see [`crate::totp`]), when they have one: the
        /// login then asks for a code too.
        #[serde(default)]
        totp: Option<String>,
    },
    /// No such active account, or the password is wrong (which, is not said).
    Invalid,
    /// Too many wrong passwords; try again after `until`.
    Locked {
        /// When the lock ends.
        until: DateTime<Utc>,
    },
}

/// Staff accounts, as the login asks them. Provided by `registry`.
#[async_trait]
pub trait StaffDirectory: Send + Sync + 'static {
    /// Checks `password` for the account that logs in with `email` at `at`; a wrong one
    /// counts towards the lock.
    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError>;

    /// The active account that logs in with `email`, for a login the consortium's own
    /// identity provider has vouched for (no password; the provider does its own second step,
    /// so `totp` is none and `must_change_password` false). Unknown or inactive: `Invalid`.
    async fn federated(&self, email: &str) -> Result<StaffLogin, PortError>;

    /// Checks `current` as [`authenticate`](Self::authenticate) does and, when it is right,
    /// replaces it with `new` (at least [`MIN_PASSWORD_CHARS`] characters; the caller checks
    /// that first), which need not be changed again.
    async fn change_password(
        &self,
        email: &str,
        current: &str,
        new: &str,
        at: DateTime<Utc>,
    ) -> Result<StaffLogin, PortError>;

    /// The account with this principal subject as it is now (its principal and name), if it
    /// exists and is active: a login that rides on an earlier one asks, so a deactivated
    /// account or a changed scope takes effect at once.
    async fn current(&self, subject: &str)
    -> Result<Option<(crate::Principal, String)>, PortError>;

    /// The two-step login secret (sealed) of the account `subject`, if it has one.
    async fn totp(&self, subject: &str) -> Result<Option<String>, PortError>;

    /// Sets (`Some`) or removes the account's two-step login secret, sealed: whether the
    /// account exists.
    async fn set_totp(
        &self,
        subject: &str,
        sealed: Option<String>,
        at: DateTime<Utc>,
    ) -> Result<bool, PortError>;

    /// Uses the code step `step` of the account: `false` when it, or a later one, was used
    /// already (a code is good once).
    async fn claim_totp_step(&self, subject: &str, step: i64) -> Result<bool, PortError>;
}

/// The shortest password a staff member may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A trial as other services see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialSummary {
    /// Its id.
    pub id: crate::ids::TrialId,
    /// The library.
    pub isil: Isil,
    /// The product.
    pub product: ProductId,
    /// `requested` (waiting for the vendor), `active`, `ended`, `declined`, `converted` or
    /// `cancelled`.
    pub state: String,
    /// When the library asked for it.
    pub requested_at: DateTime<Utc>,
    /// When access ends (or ended).
    pub ends_at: Option<DateTime<Utc>>,
}

/// Why the service refused a request: its stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The error code, such as `trial_exists`.
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
    /// The input field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What a library agrees to pay for a product it tried, from today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionTerms {
    /// The last day (included).
    pub ends_on: chrono::NaiveDate,
    /// The price for the whole period in minor units (øre, cent).
    pub price_minor: i64,
    /// `NOK`, `SEK`, `DKK` or `EUR`.
    pub currency: String,
    /// Whether a new period of the same length follows by itself.
    pub renews: bool,
}

/// A subscription as other services see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionSummary {
    /// Its id.
    pub id: crate::ids::SubscriptionId,
    /// Its first day.
    pub starts_on: chrono::NaiveDate,
    /// Its last day.
    pub ends_on: chrono::NaiveDate,
    /// The price for the period in minor units.
    pub price_minor: i64,
    /// The currency.
    pub currency: String,
}

/// Trials, as the portal asks for them. Provided by `subscriptions`.
#[async_trait]
pub trait Trials: Send + Sync + 'static {
    /// `caller` asks for a trial of `product` for the library `isil`: the trial, or why not.
    async fn request(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError>;

    /// `caller` stops the library's running (or still requested) trial of `product` now: the
    /// trial, or why not (such as `not_found` when there is none).
    async fn cancel(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        product: ProductId,
    ) -> Result<Result<TrialSummary, Refusal>, PortError>;

    /// Every trial of the library `isil`, newest first (`caller` acts for the library; vendors
    /// are refused).
    async fn of_library(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError>;

    /// The requested trials of the vendor's products that wait for its answer, oldest first
    /// (`caller` a vendor; a consortium admin sees every vendor's).
    async fn waiting(
        &self,
        caller: &crate::Principal,
    ) -> Result<Result<Vec<TrialSummary>, Refusal>, PortError>;

    /// The vendor confirms (`confirm`) or declines the requested trial `id`: the trial, or why
    /// not (another vendor's trial is `not_found` to it).
    async fn decide(
        &self,
        caller: &crate::Principal,
        id: crate::ids::TrialId,
        confirm: bool,
    ) -> Result<Result<TrialSummary, Refusal>, PortError>;

    /// `caller` turns the library's running trial of `product` into a subscription from
    /// today on `terms`: the subscription, or why not.
    async fn convert(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        product: ProductId,
        terms: SubscriptionTerms,
    ) -> Result<Result<SubscriptionSummary, Refusal>, PortError>;
}

/// One month of a library's use of one product, as the hub counted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// The product.
    pub product: ProductId,
    /// Patrons let in.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
    /// Distinct patrons let in.
    pub unique_users: i64,
}

/// Paid access to one product in one currency, and its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaidUse {
    /// ISO 4217 code.
    pub currency: String,
    /// Days of paid access in the period.
    pub days: i64,
    /// The price of those days, in minor units: each subscription's or agreement share's price
    /// spread evenly over its days.
    pub cost_minor: i64,
    /// Patrons the hub let in on those days.
    pub sessions: i64,
    /// `cost_minor / sessions`, rounded (none without sessions).
    pub cost_per_session_minor: Option<i64>,
    /// The vendor's `Unique_Item_Requests` in the months of those days (none when the vendor
    /// sent no COUNTER report for them).
    pub unique_item_requests: Option<i64>,
    /// `cost_minor / unique_item_requests`, rounded (none without requests).
    pub cost_per_unique_item_request_minor: Option<i64>,
}

/// What a library paid for one product over a period, in one currency, against its use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCost {
    /// The product.
    pub product: ProductId,
    /// What was paid and used.
    pub paid: PaidUse,
}

/// A library's usage as the portal shows it, and the COUNTER reports vendors upload there.
/// Provided by `usage`.
#[async_trait]
pub trait UsageReports: Send + Sync + 'static {
    /// Checks the COUNTER R5.1 report `text` that `caller` (a vendor's staff) uploads for its
    /// `product` (id or slug) with the API's rules, and stores it if it passes: what became of
    /// it, or why the caller may not (another vendor's product is `forbidden`).
    async fn upload(
        &self,
        caller: &crate::Principal,
        product: &str,
        text: String,
    ) -> Result<Result<UploadOutcome, Refusal>, PortError>;

    /// What the library `isil` paid for each product from `from` to `to` against its use (as
    /// `GET /api/v1/usage/cost`), by product.
    async fn costs(
        &self,
        isil: &Isil,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<ProductCost>, PortError>;

    /// The hub's counts from `from` to `to` (whole months) per country, region and product,
    /// for a consortium admin (others are `forbidden`).
    async fn national(
        &self,
        caller: &crate::Principal,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Result<NationalUsage, Refusal>, PortError>;

    /// The newest reports the caller's vendor sent (at most `limit`), replaced ones included.
    async fn received(
        &self,
        caller: &crate::Principal,
        limit: u64,
    ) -> Result<Result<Vec<ReceivedReport>, Refusal>, PortError>;

    /// The months from `from` to `to` (whole months) of the library `isil`, per product, as
    /// far as they are rolled up (the roll-up runs every half minute).
    async fn months(
        &self,
        isil: &Isil,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<UsageMonth>, PortError>;
}

/// A login a library issued to a patron who cannot use e-ID, as staff see it: never the card
/// number or PIN, only the card number's last characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLogin {
    /// Its id.
    pub id: uuid::Uuid,
    /// The last characters of the card number or username (`…123`).
    pub hint: String,
    /// Patron category.
    pub category: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Whether it is switched off.
    pub disabled: bool,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// A login to issue. Its `Debug` shows neither the card number nor the PIN.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewIssuedLogin {
    /// Card number or username (3 to 64 characters).
    pub username: String,
    /// The PIN (4 to 64 characters, not all the same).
    pub pin: String,
    /// Patron category.
    pub category: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
}

impl std::fmt::Debug for NewIssuedLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewIssuedLogin { .. }")
    }
}

/// A change to an issued login: a new PIN, a category or year of birth, or switching it off
/// or on. Its `Debug` hides the PIN.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLoginChange {
    /// A new PIN.
    pub pin: Option<String>,
    /// Patron category.
    pub category: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Switch the login off (`true`) or on (`false`).
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for IssuedLoginChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedLoginChange")
            .field("pin", &self.pin.as_ref().map(|_| "…"))
            .field("category", &self.category)
            .field("birth_year", &self.birth_year)
            .field("disabled", &self.disabled)
            .finish()
    }
}

/// The logins libraries issue to patrons, as their staff manage them. Provided by `sso`.
#[async_trait]
pub trait PatronLogins: Send + Sync + 'static {
    /// The logins the library `isil` has issued, newest first.
    async fn list(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<IssuedLogin>, Refusal>, PortError>;

    /// `caller` issues a login at the library `isil`: the login, or why not.
    async fn issue(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        login: NewIssuedLogin,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError>;

    /// `caller` changes the library's login `id`: the login as it is now, or why not.
    async fn change(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        id: uuid::Uuid,
        change: IssuedLoginChange,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError>;
}

/// A library's SIP2 connection to its library system, as its staff set it. The password is
/// write-only: `None` keeps the stored one. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sip2Settings {
    /// `host:port`.
    pub address: String,
    /// Institution id (AO).
    pub institution_id: String,
    /// SIP2 login user (CN).
    pub login_user: Option<String>,
    /// SIP2 login password (CO); `None` keeps the stored one.
    pub login_password: Option<String>,
    /// Location code (CP).
    pub location_code: Option<String>,
    /// Whether to use TLS.
    pub tls: bool,
    /// Seconds to wait (1 to 30).
    pub timeout_seconds: u64,
}

impl std::fmt::Debug for Sip2Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sip2Settings")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// A library's SIP2 connection as staff see it: never the password, only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sip2View {
    /// `host:port`.
    pub address: String,
    /// Institution id (AO).
    pub institution_id: String,
    /// SIP2 login user (CN).
    pub login_user: Option<String>,
    /// Whether a SIP2 login password is stored.
    pub password_set: bool,
    /// Location code (CP).
    pub location_code: Option<String>,
    /// Whether to use TLS.
    pub tls: bool,
    /// Seconds to wait.
    pub timeout_seconds: u64,
}

/// A library's upstream OpenID Connect provider (its patrons' e-ID), as its staff set it. The
/// client secret is write-only: `None` keeps the stored one. Its `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamSettings {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The name on the login button, such as "BankID".
    pub display_name: String,
    /// The hub's client id at the provider.
    pub client_id: String,
    /// The hub's client secret at the provider; `None` keeps the stored one.
    pub client_secret: Option<String>,
    /// Scopes to ask for besides `openid`.
    pub scopes: Vec<String>,
    /// The ID token claim that identifies a patron stably (`None`: `sub`).
    pub patron_claim: Option<String>,
    /// The ID token claim with the patron's home library ISIL, for a shared provider.
    pub library_claim: Option<String>,
}

impl std::fmt::Debug for UpstreamSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamSettings")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// A library's upstream provider as staff see it: never the client secret, only whether one
/// is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamView {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The name on the login button.
    pub display_name: String,
    /// The hub's client id at the provider.
    pub client_id: String,
    /// Whether a client secret is stored.
    pub secret_set: bool,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The claim that identifies a patron.
    pub patron_claim: String,
    /// The claim with the patron's home library, if any.
    pub library_claim: Option<String>,
}

/// How a test of a library's login setup went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionTest {
    /// Whether everything set up answered and accepted the hub.
    pub ok: bool,
    /// A stable code of what failed first, such as `sip2_login_refused`.
    pub code: Option<String>,
    /// What failed, in plain English.
    pub message: Option<String>,
}

/// How a library's patrons log in, as its staff set it up. Provided by `sso`.
#[async_trait]
pub trait LoginSetup: Send + Sync + 'static {
    /// The library's SIP2 connection, if it has one.
    async fn sip2(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError>;

    /// Replaces the library's SIP2 connection (`None` removes it; the rest of the setup stays).
    async fn set_sip2(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        settings: Option<Sip2Settings>,
    ) -> Result<Result<Option<Sip2View>, Refusal>, PortError>;

    /// Logs in to the library system with the saved SIP2 connection and says what failed.
    async fn test(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError>;

    /// The library's upstream provider (e-ID), if it has one.
    async fn upstream(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError>;

    /// Replaces the library's upstream provider (`None` removes it; the SIP2 connection stays).
    async fn set_upstream(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
        settings: Option<UpstreamSettings>,
    ) -> Result<Result<Option<UpstreamView>, Refusal>, PortError>;

    /// Fetches the upstream provider's discovery document and keys, and says what failed.
    async fn test_upstream(
        &self,
        caller: &crate::Principal,
        isil: &Isil,
    ) -> Result<Result<ConnectionTest, Refusal>, PortError>;
}
