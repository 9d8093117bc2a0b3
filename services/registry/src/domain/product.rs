//! Products: what a vendor offers and how patrons reach it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tilgang_kernel::{Principal, ProductId, VendorId};

use super::common::{LocalizedText, WebUrl, string_enum};
use super::error::RegistryError;

string_enum!(
    /// What a product is.
    ProductKind {
        /// E-books.
        Ebook = "ebook",
        /// Audiobooks.
        Audiobook = "audiobook",
        /// Newspapers.
        Newspaper = "newspaper",
        /// Magazines.
        Magazine = "magazine",
        /// Film, music or other streaming.
        Streaming = "streaming",
        /// A reference or research database.
        Database = "database",
        /// Courses and learning.
        Course = "course",
        /// Anything else.
        Other = "other",
    }
);

string_enum!(
    /// How a patron is let into the product.
    IntegrationMethod {
        /// The vendor is an OpenID Connect client of the hub.
        Oidc = "oidc",
        /// The hub redirects with a short-lived signed token.
        SignedLink = "signed_link",
        /// The library's shared credentials are shown to its logged-in patrons.
        SharedCredentials = "shared_credentials",
        /// The vendor admits the library's IP ranges and website referrers.
        IpAndReferrer = "ip_and_referrer",
    }
);

string_enum!(
    /// Where the product's usage statistics come from.
    StatisticsCapability {
        /// Only the hub's own access events.
        HubEvents = "hub_events",
        /// The vendor pushes COUNTER R5.1 reports.
        CounterPush = "counter_push",
        /// The vendor runs a COUNTER API (SUSHI) endpoint the hub harvests.
        Sushi = "sushi",
    }
);

string_enum!(
    /// How the vendor charges for the product, as the catalogue tells libraries deciding
    /// (what a library pays is in its subscription or agreement).
    PriceModel {
        /// A fixed price per year.
        Annual = "annual",
        /// A yearly price set by the library's population.
        Population = "population",
        /// Paid per loan or use.
        PerUse = "per_use",
        /// Free of charge.
        Free = "free",
        /// Asked of the vendor.
        OnRequest = "on_request",
    }
);

string_enum!(
    /// Extra patron data a product may receive beyond the pseudonymous subject and the library.
    ReleasableClaim {
        /// An age band such as `18-25` (never a birth date).
        AgeBand = "age_band",
        /// The library's patron category (adult, child, staff).
        PatronCategory = "patron_category",
        /// The patron's preferred language.
        PreferredLanguage = "preferred_language",
        /// The patron's home municipality code.
        HomeMunicipality = "home_municipality",
    }
);

/// The default trial length, in days.
pub const DEFAULT_TRIAL_DAYS: u16 = 50;
/// The default time before a library may try the same product again, in days.
pub const DEFAULT_TRIAL_WAITING_DAYS: u16 = 365;

/// Whether and how a library may try the product before paying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TrialTerms {
    /// Whether trials are offered.
    pub available: bool,
    /// Trial length in days (1 to 365; default 50).
    pub days: u16,
    /// Whether the vendor confirms each trial before it starts.
    pub needs_vendor_confirmation: bool,
    /// Days before the same library may try the product again (default 365).
    pub waiting_days: u16,
}

impl Default for TrialTerms {
    fn default() -> Self {
        Self {
            available: true,
            days: DEFAULT_TRIAL_DAYS,
            needs_vendor_confirmation: false,
            waiting_days: DEFAULT_TRIAL_WAITING_DAYS,
        }
    }
}

impl TrialTerms {
    /// Checks the limits.
    pub fn validate(self, field: &str) -> Result<Self, RegistryError> {
        if !(1..=365).contains(&self.days) {
            return Err(RegistryError::invalid(
                &format!("{field}.days"),
                "value_out_of_range",
                "a trial lasts 1 to 365 days",
            ));
        }
        if self.waiting_days > 3650 {
            return Err(RegistryError::invalid(
                &format!("{field}.waiting_days"),
                "value_out_of_range",
                "at most 3650 days",
            ));
        }
        Ok(self)
    }
}

/// A link to training material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TrainingLink {
    /// What the material is.
    pub title: String,
    /// Where it is.
    pub url: WebUrl,
}

/// A vendor's product.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Product {
    /// Id.
    pub id: ProductId,
    /// The vendor offering it.
    pub vendor: VendorId,
    /// Short name used in links (`/go/{isil}/{slug}`).
    pub slug: String,
    /// Name per language.
    pub name: LocalizedText,
    /// Description per language.
    pub description: Option<LocalizedText>,
    /// Kind of content.
    pub kind: ProductKind,
    /// How patrons get in.
    pub integration: IntegrationMethod,
    /// Trial terms.
    pub trial: TrialTerms,
    /// Where statistics come from.
    pub statistics: StatisticsCapability,
    /// How the vendor charges for it.
    pub price_model: PriceModel,
    /// The vendor's COUNTER API base URL, for `sushi` statistics.
    pub sushi_url: Option<WebUrl>,
    /// The patron's "my pages" at the vendor.
    pub my_pages_url: Option<WebUrl>,
    /// Where patrons enter the product: the target of signed links, or the start page of
    /// shared-credential and IP/referrer products (`/go` sends patrons there).
    pub access_url: Option<WebUrl>,
    /// Training material for library staff.
    pub training: Vec<TrainingLink>,
    /// The extra claims the product receives (its release policy).
    pub claims: Vec<ReleasableClaim>,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// The fields of a product that callers set; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductFields {
    /// Slug.
    pub slug: Option<String>,
    /// Names.
    pub name: Option<LocalizedText>,
    /// Descriptions.
    pub description: Option<Option<LocalizedText>>,
    /// Kind.
    pub kind: Option<ProductKind>,
    /// Integration method.
    pub integration: Option<IntegrationMethod>,
    /// Trial terms.
    pub trial: Option<TrialTerms>,
    /// Statistics capability.
    pub statistics: Option<StatisticsCapability>,
    /// Price model.
    pub price_model: Option<PriceModel>,
    /// SUSHI URL.
    pub sushi_url: Option<Option<WebUrl>>,
    /// My pages URL.
    pub my_pages_url: Option<Option<WebUrl>>,
    /// Entry URL.
    pub access_url: Option<Option<WebUrl>>,
    /// Training links.
    pub training: Option<Vec<TrainingLink>>,
    /// Release policy.
    pub claims: Option<Vec<ReleasableClaim>>,
}

impl ProductFields {
    /// Applies the fields to `product`.
    pub fn apply(self, product: &mut Product) {
        let Self {
            slug,
            name,
            description,
            kind,
            integration,
            trial,
            statistics,
            price_model,
            sushi_url,
            my_pages_url,
            access_url,
            training,
            claims,
        } = self;
        if let Some(v) = slug {
            product.slug = v;
        }
        if let Some(v) = name {
            product.name = v;
        }
        if let Some(v) = description {
            product.description = v;
        }
        if let Some(v) = kind {
            product.kind = v;
        }
        if let Some(v) = integration {
            product.integration = v;
        }
        if let Some(v) = trial {
            product.trial = v;
        }
        if let Some(v) = statistics {
            product.statistics = v;
        }
        if let Some(v) = price_model {
            product.price_model = v;
        }
        if let Some(v) = sushi_url {
            product.sushi_url = v;
        }
        if let Some(v) = my_pages_url {
            product.my_pages_url = v;
        }
        if let Some(v) = access_url {
            product.access_url = v;
        }
        if let Some(v) = training {
            product.training = v;
        }
        if let Some(v) = claims {
            product.claims = v;
        }
    }
}

/// Checks that a product fetching statistics over SUSHI names its endpoint.
pub fn check_statistics(product: &Product) -> Result<(), RegistryError> {
    if product.statistics == StatisticsCapability::Sushi && product.sushi_url.is_none() {
        return Err(RegistryError::invalid(
            "sushi_url",
            "value_missing",
            "a product with sushi statistics needs sushi_url",
        ));
    }
    Ok(())
}

/// Checks a slug: 2 to 40 lower-case letters, digits and hyphens, starting with a letter.
pub fn parse_slug(field: &str, text: &str) -> Result<String, RegistryError> {
    let ok = (2..=40).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(text.to_owned())
    } else {
        Err(RegistryError::invalid(
            field,
            "slug_invalid",
            "2 to 40 characters of a-z, 0-9 and '-', starting with a letter",
        ))
    }
}

/// A vendor manages its own products; consortium admins any product.
pub fn authorize_write(principal: &Principal, vendor: VendorId) -> Result<(), RegistryError> {
    if principal.acts_for_vendor(vendor) {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(
            "you may manage only your own vendor's products".into(),
        ))
    }
}
