//! Request bodies: plain JSON that becomes domain values through `TryFrom`, so every rejection
//! names its field and rule. Unknown fields are refused.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use tilgang_kernel::VendorId;

use crate::domain::RegistryError;
use crate::domain::common::{
    Contact, Lang, LocalizedText, parse_contacts, parse_ip_ranges, parse_isil, parse_optional_url,
    parse_text, parse_urls,
};
use crate::domain::consortium::ConsortiumKind;
use crate::domain::library::{
    LibraryChanges, LibraryKind, LibraryStatus, NewLibrary, country_of, parse_country,
    parse_municipality,
};
use crate::domain::product::{
    IntegrationMethod, PriceModel, ProductFields, ProductKind, ReleasableClaim,
    StatisticsCapability, TrainingLink, TrialTerms, parse_slug,
};
use crate::domain::vendor::VendorFields;

/// Reads a field that may be absent (leave as is), `null` (clear) or a value (set).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A library to register.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLibrary {
    /// ISIL (any letter case).
    #[schema(example = "NO-2030000")]
    pub isil: String,
    /// Name per language (`en`, `nb`, `nn`, `sv`, `da`, `fi`, `se`).
    pub name: BTreeMap<String, String>,
    /// `public`, `school`, `research`, `national` or `other` (default `public`).
    pub kind: Option<String>,
    /// ISIL of the main library, for a branch.
    pub parent: Option<String>,
    /// Municipality code.
    pub municipality: Option<String>,
    /// ISO 3166-1 alpha-2 country code (default: the ISIL's prefix).
    pub country: Option<String>,
    /// Website URLs.
    #[serde(default)]
    pub websites: Vec<String>,
    /// IPv4 and IPv6 ranges (CIDR) or single addresses.
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    /// Contacts.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Default language (default: the country's).
    pub language: Option<String>,
}

impl TryFrom<CreateLibrary> for NewLibrary {
    type Error = RegistryError;
    fn try_from(r: CreateLibrary) -> Result<Self, RegistryError> {
        let isil = parse_isil("isil", &r.isil)?;
        let country = country_of(&isil, r.country.as_deref())?;
        Ok(NewLibrary {
            name: LocalizedText::parse("name", r.name, 300)?,
            kind: r
                .kind
                .map(|k| LibraryKind::parse("kind", &k))
                .transpose()?
                .unwrap_or(LibraryKind::Public),
            parent: r.parent.map(|p| parse_isil("parent", &p)).transpose()?,
            municipality: r
                .municipality
                .map(|m| parse_municipality("municipality", &m))
                .transpose()?,
            websites: parse_urls("websites", &r.websites)?,
            ip_ranges: parse_ip_ranges("ip_ranges", &r.ip_ranges)?,
            contacts: parse_contacts("contacts", r.contacts)?,
            language: r
                .language
                .map(|l| Lang::parse("language", &l))
                .transpose()?
                .unwrap_or(Lang::of_country(&country)),
            country,
            isil,
        })
    }
}

/// Changes to a library. Library admins may send only `websites`, `ip_ranges`, `contacts` and
/// `language`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLibrary {
    /// Name per language (replaces all names).
    pub name: Option<BTreeMap<String, String>>,
    /// Kind.
    pub kind: Option<String>,
    /// ISIL of the main library; `null` makes it a main library.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    /// Municipality code; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub municipality: Option<Option<String>>,
    /// Country code.
    pub country: Option<String>,
    /// Website URLs (replaces the list).
    pub websites: Option<Vec<String>>,
    /// IP ranges (replaces the list).
    pub ip_ranges: Option<Vec<String>>,
    /// Contacts (replaces the list).
    pub contacts: Option<Vec<Contact>>,
    /// Default language.
    pub language: Option<String>,
    /// `active` or `suspended`.
    pub status: Option<String>,
}

impl TryFrom<UpdateLibrary> for LibraryChanges {
    type Error = RegistryError;
    fn try_from(r: UpdateLibrary) -> Result<Self, RegistryError> {
        Ok(LibraryChanges {
            name: r
                .name
                .map(|n| LocalizedText::parse("name", n, 300))
                .transpose()?,
            kind: r.kind.map(|k| LibraryKind::parse("kind", &k)).transpose()?,
            parent: r
                .parent
                .map(|p| p.map(|p| parse_isil("parent", &p)).transpose())
                .transpose()?,
            municipality: r
                .municipality
                .map(|m| {
                    m.map(|m| parse_municipality("municipality", &m))
                        .transpose()
                })
                .transpose()?,
            country: r
                .country
                .map(|c| parse_country("country", &c))
                .transpose()?,
            websites: r.websites.map(|w| parse_urls("websites", &w)).transpose()?,
            ip_ranges: r
                .ip_ranges
                .map(|i| parse_ip_ranges("ip_ranges", &i))
                .transpose()?,
            contacts: r
                .contacts
                .map(|c| parse_contacts("contacts", c))
                .transpose()?,
            language: r
                .language
                .map(|l| Lang::parse("language", &l))
                .transpose()?,
            status: r
                .status
                .map(|s| LibraryStatus::parse("status", &s))
                .transpose()?,
        })
    }
}

/// A vendor's details; on creation `name` is required.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorInput {
    /// Trading name.
    pub name: Option<String>,
    /// Organisation number; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub organisation_number: Option<Option<String>>,
    /// Contacts (replaces the list).
    pub contacts: Option<Vec<Contact>>,
    /// Support page; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub support_url: Option<Option<String>>,
    /// Privacy statement; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub privacy_url: Option<Option<String>>,
    /// Data processing agreement; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub dpa_url: Option<Option<String>>,
    /// Accessibility statement; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub accessibility_url: Option<Option<String>>,
}

fn url_field(
    field: &str,
    value: Option<Option<String>>,
) -> Result<Option<Option<crate::domain::common::WebUrl>>, RegistryError> {
    value
        .map(|v| parse_optional_url(field, v.as_deref()))
        .transpose()
}

impl TryFrom<VendorInput> for VendorFields {
    type Error = RegistryError;
    fn try_from(r: VendorInput) -> Result<Self, RegistryError> {
        Ok(VendorFields {
            name: r.name.map(|n| parse_text("name", &n, 200)).transpose()?,
            organisation_number: r
                .organisation_number
                .map(|o| {
                    o.filter(|o| !o.trim().is_empty())
                        .map(|o| parse_text("organisation_number", &o, 40))
                        .transpose()
                })
                .transpose()?,
            contacts: r
                .contacts
                .map(|c| parse_contacts("contacts", c))
                .transpose()?,
            support_url: url_field("support_url", r.support_url)?,
            privacy_url: url_field("privacy_url", r.privacy_url)?,
            dpa_url: url_field("dpa_url", r.dpa_url)?,
            accessibility_url: url_field("accessibility_url", r.accessibility_url)?,
        })
    }
}

/// Trial terms; fields left out keep their current (or default) value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialInput {
    /// Whether trials are offered.
    pub available: Option<bool>,
    /// Trial length in days (1 to 365).
    pub days: Option<u16>,
    /// Whether the vendor confirms each trial.
    pub needs_vendor_confirmation: Option<bool>,
    /// Days before the same library may try again.
    pub waiting_days: Option<u16>,
}

impl TrialInput {
    /// These terms laid over `base`.
    pub fn over(self, base: TrialTerms) -> Result<TrialTerms, RegistryError> {
        TrialTerms {
            available: self.available.unwrap_or(base.available),
            days: self.days.unwrap_or(base.days),
            needs_vendor_confirmation: self
                .needs_vendor_confirmation
                .unwrap_or(base.needs_vendor_confirmation),
            waiting_days: self.waiting_days.unwrap_or(base.waiting_days),
        }
        .validate("trial")
    }
}

/// A training link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    /// What the material is.
    pub title: String,
    /// Where it is.
    pub url: String,
}

/// A product's details; on creation `slug`, `name`, `kind` and `integration` are required, and
/// consortium admins also give `vendor`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The vendor (consortium admins only, on creation).
    pub vendor: Option<VendorId>,
    /// Short name for links: 2 to 40 of a-z, 0-9 and '-'.
    pub slug: Option<String>,
    /// Name per language.
    pub name: Option<BTreeMap<String, String>>,
    /// Description per language; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub description: Option<Option<BTreeMap<String, String>>>,
    /// `ebook`, `audiobook`, `newspaper`, `magazine`, `streaming`, `database`, `course`, `other`.
    pub kind: Option<String>,
    /// `oidc`, `signed_link`, `shared_credentials` or `ip_and_referrer`.
    pub integration: Option<String>,
    /// Trial terms (default: 50 days, no confirmation, 365 days' wait).
    pub trial: Option<TrialInput>,
    /// `hub_events`, `counter_push` or `sushi`.
    pub statistics: Option<String>,
    /// How the vendor charges: `annual`, `population`, `per_use`, `free` or `on_request`
    /// (the default).
    pub price_model: Option<String>,
    /// The vendor's COUNTER API base URL; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub sushi_url: Option<Option<String>>,
    /// The patron's "my pages" at the vendor; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub my_pages_url: Option<Option<String>>,
    /// Where patrons enter the product (signed-link target, or start page); `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub access_url: Option<Option<String>>,
    /// Training material (replaces the list).
    pub training: Option<Vec<TrainingInput>>,
    /// Extra claims the product receives: `age_band`, `patron_category`, `preferred_language`,
    /// `home_municipality`.
    pub claims: Option<Vec<String>>,
}

impl ProductInput {
    /// The fields, with trial terms laid over `trial_base`.
    pub fn fields(self, trial_base: TrialTerms) -> Result<ProductFields, RegistryError> {
        let mut claims = self
            .claims
            .map(|c| {
                c.iter()
                    .enumerate()
                    .map(|(i, c)| ReleasableClaim::parse(&format!("claims[{i}]"), c))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        if let Some(claims) = claims.as_mut() {
            claims.sort();
            claims.dedup();
        }
        Ok(ProductFields {
            slug: self.slug.map(|s| parse_slug("slug", &s)).transpose()?,
            name: self
                .name
                .map(|n| LocalizedText::parse("name", n, 200))
                .transpose()?,
            description: self
                .description
                .map(|d| {
                    d.map(|d| LocalizedText::parse("description", d, 2000))
                        .transpose()
                })
                .transpose()?,
            kind: self
                .kind
                .map(|k| ProductKind::parse("kind", &k))
                .transpose()?,
            integration: self
                .integration
                .map(|i| IntegrationMethod::parse("integration", &i))
                .transpose()?,
            trial: self.trial.map(|t| t.over(trial_base)).transpose()?,
            statistics: self
                .statistics
                .map(|s| StatisticsCapability::parse("statistics", &s))
                .transpose()?,
            price_model: self
                .price_model
                .map(|m| PriceModel::parse("price_model", &m))
                .transpose()?,
            sushi_url: url_field("sushi_url", self.sushi_url)?,
            my_pages_url: url_field("my_pages_url", self.my_pages_url)?,
            access_url: url_field("access_url", self.access_url)?,
            training: self
                .training
                .map(|t| {
                    t.into_iter()
                        .enumerate()
                        .map(|(i, t)| {
                            Ok(TrainingLink {
                                title: parse_text(&format!("training[{i}].title"), &t.title, 200)?,
                                url: crate::domain::common::WebUrl::parse(
                                    &format!("training[{i}].url"),
                                    &t.url,
                                )?,
                            })
                        })
                        .collect::<Result<Vec<_>, RegistryError>>()
                })
                .transpose()?,
            claims,
        })
    }
}

/// A consortium or region; on creation `name` and `kind` are required.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsortiumInput {
    /// Name.
    pub name: Option<String>,
    /// `consortium` or `region`.
    pub kind: Option<String>,
}

impl ConsortiumInput {
    /// The parsed name and kind.
    pub fn parse(self) -> Result<(Option<String>, Option<ConsortiumKind>), RegistryError> {
        Ok((
            self.name.map(|n| parse_text("name", &n, 200)).transpose()?,
            self.kind
                .map(|k| ConsortiumKind::parse("kind", &k))
                .transpose()?,
        ))
    }
}

/// The member libraries of a consortium.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembersInput {
    /// ISILs of registered libraries.
    pub isils: Vec<String>,
}

/// A required field that was left out.
pub fn required<T>(field: &str, value: Option<T>) -> Result<T, RegistryError> {
    value.ok_or_else(|| RegistryError::invalid(field, "value_missing", "this field is required"))
}
