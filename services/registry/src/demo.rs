//! Demo data: real Nordic libraries (ISILs and names are public facts), a consortium, one region
//! per country, and made-up vendors and products that say they are demos.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tilgang_kernel::{ConsortiumId, Isil, ProductId, VendorId};

use crate::domain::RegistryError;
use crate::domain::common::{Lang, LocalizedText, WebUrl};
use crate::domain::consortium::ConsortiumKind;
use crate::domain::product::{
    IntegrationMethod, PriceModel, Product, ProductKind, ReleasableClaim, StatisticsCapability,
    TrialTerms,
};
use crate::domain::staff::{Staff, StaffRole};
use crate::domain::vendor::VendorFields;
use crate::import::{self, ImportReport};
use crate::storage::{consortia, products, staff, vendors};

const LIBRARIES: &str = include_str!("demo/libraries.csv");

/// What the demo loaded.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The libraries import.
    pub libraries: ImportReport,
    /// The demo consortium.
    pub consortium: ConsortiumId,
    /// The demo vendors, by name.
    pub vendors: Vec<(String, VendorId)>,
    /// The demo products, by slug.
    pub products: Vec<(String, ProductId)>,
}

fn url(text: &str) -> WebUrl {
    WebUrl::parse("demo", text).expect("demo URLs are valid")
}

struct DemoProduct {
    slug: &'static str,
    name: &'static str,
    /// In English, Norwegian bokmål, Swedish, Danish and Finnish.
    description: [&'static str; 5],
    kind: ProductKind,
    integration: IntegrationMethod,
    statistics: StatisticsCapability,
    price_model: PriceModel,
    claims: &'static [ReleasableClaim],
}

/// The demo vendor whose products use OpenID Connect.
pub const DEMO_PRODUCT: &str = "nordlys-ebok";

/// The demo products' slugs.
pub const DEMO_SLUGS: [&str; 4] = [
    "nordlys-ebok",
    "nordlys-lydbok",
    "avisarkivet",
    "kunnskapsbasen",
];

/// Points the demo products' access URLs at the demo vendor site served under `site`, so a
/// newcomer's `/go` links land on pages that work. Returns each product's vendor by slug.
pub async fn point_at(
    db: &DatabaseConnection,
    site: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, VendorId)>, RegistryError> {
    let mut vendors = Vec::new();
    for slug in DEMO_SLUGS {
        let mut product = match products::get(db, slug).await {
            Ok(product) => product,
            Err(RegistryError::ProductNotFound(_)) => continue,
            Err(e) => return Err(e),
        };
        let target = WebUrl::parse("access_url", &format!("{site}/{slug}/"))?;
        if product.access_url.as_ref() != Some(&target) {
            product.access_url = Some(target);
            product.updated_at = now;
            products::save(db, &product).await?;
        }
        vendors.push((slug.to_owned(), product.vendor));
    }
    Ok(vendors)
}

/// The demo staff accounts' password (it need not be changed at the first login).
pub const STAFF_PASSWORD: &str = "tilgang-demo-2468";

/// The demo staff accounts: e-mail address, name, role, and a library admin's library.
pub const STAFF: [(&str, &str, StaffRole, Option<&str>); 4] = [
    (
        "konsortium@tilgang.demo",
        "Kari Konsortium",
        StaffRole::ConsortiumAdmin,
        None,
    ),
    (
        "deichman@tilgang.demo",
        "Dag Deichman",
        StaffRole::LibraryAdmin,
        Some("NO-2030000"),
    ),
    (
        "tampere@tilgang.demo",
        "Tuula Tampere",
        StaffRole::LibraryAdmin,
        Some("FI-Tam"),
    ),
    (
        "nordlys@tilgang.demo",
        "Nora Nordlys",
        StaffRole::Vendor,
        None,
    ),
];

/// Makes the demo staff accounts that are missing (the vendor's staff act for `vendor`).
pub async fn ensure_staff(
    db: &DatabaseConnection,
    vendor: VendorId,
    now: DateTime<Utc>,
) -> Result<(), RegistryError> {
    for (email, name, role, isil) in STAFF {
        if staff::by_email(db, email).await?.is_some() {
            continue;
        }
        let account = Staff {
            id: uuid::Uuid::now_v7(),
            email: email.into(),
            name: name.into(),
            role,
            isils: isil
                .iter()
                .map(|i| Isil::parse(i).expect("demo ISILs are valid"))
                .collect(),
            vendor: (role == StaffRole::Vendor).then_some(vendor),
            active: true,
            must_change_password: false,
            created_at: now,
            updated_at: now,
        };
        let hash = crate::hashing::hash(STAFF_PASSWORD.into()).await;
        staff::create(db, &account, hash).await?;
    }
    Ok(())
}

/// Loads the demo unless it is there already (and its staff accounts); returns the demo's
/// first vendor and whether the data was loaded now.
pub async fn ensure(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<(VendorId, Option<Demo>), RegistryError> {
    let (vendor, loaded) = match products::get(db, DEMO_PRODUCT).await {
        Ok(product) => (product.vendor, None),
        Err(RegistryError::ProductNotFound(_)) => {
            let demo = load(db, now).await?;
            (demo.vendors[0].1, Some(demo))
        }
        Err(e) => return Err(e),
    };
    ensure_staff(db, vendor, now).await?;
    Ok((vendor, loaded))
}

/// The ISILs of the demo libraries.
pub fn isils() -> Vec<Isil> {
    let batch = crate::domain::import::csv::parse(LIBRARIES).expect("the demo file parses");
    batch
        .accepted()
        .expect("the demo libraries are valid")
        .into_iter()
        .map(|l| l.isil.clone())
        .collect()
}

/// Loads the demo into a register that does not have it.
pub async fn load(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Demo, RegistryError> {
    let libraries = import::run(db, "csv", LIBRARIES.as_bytes(), now).await?;
    let consortium = consortia::create(
        db,
        "Nordisk e-bibliotek (demo)".into(),
        ConsortiumKind::Consortium,
        now,
    )
    .await?;
    let all = isils();
    consortia::set_members(db, consortium.id, &all).await?;
    for (country, name) in [
        ("NO", "Norge"),
        ("DK", "Danmark"),
        ("FI", "Suomi"),
        ("SE", "Sverige"),
    ] {
        let region = consortia::create(db, name.into(), ConsortiumKind::Region, now).await?;
        let members: Vec<_> = all
            .iter()
            .filter(|i| i.country() == Some(country))
            .cloned()
            .collect();
        consortia::set_members(db, region.id, &members).await?;
    }

    let catalogue: [(&str, &str, Vec<DemoProduct>); 2] = [
        (
            "Nordlys Forlag (demo)",
            "https://nordlys.example/",
            vec![
                DemoProduct {
                    slug: "nordlys-ebok",
                    name: "Nordlys e-bøker",
                    description: [
                        "Nordic e-books to borrow and read in the browser or app.",
                        "Nordiske e-bøker å låne og lese i nettleseren eller appen.",
                        "Nordiska e-böcker att låna och läsa i webbläsaren eller appen.",
                        "Nordiske e-bøger at låne og læse i browseren eller appen.",
                        "Pohjoismaisia e-kirjoja lainattavaksi ja luettavaksi selaimessa tai sovelluksessa.",
                    ],
                    kind: ProductKind::Ebook,
                    integration: IntegrationMethod::Oidc,
                    statistics: StatisticsCapability::CounterPush,
                    price_model: PriceModel::PerUse,
                    claims: &[],
                },
                DemoProduct {
                    slug: "nordlys-lydbok",
                    name: "Nordlys lydbøker",
                    description: [
                        "Audiobooks for all ages, streamed or downloaded.",
                        "Lydbøker for alle aldre, strømmet eller lastet ned.",
                        "Ljudböcker för alla åldrar, strömmade eller nedladdade.",
                        "Lydbøger for alle aldre, streamet eller downloadet.",
                        "Äänikirjoja kaikenikäisille, suoratoistona tai ladattuina.",
                    ],
                    kind: ProductKind::Audiobook,
                    integration: IntegrationMethod::Oidc,
                    statistics: StatisticsCapability::HubEvents,
                    price_model: PriceModel::Population,
                    claims: &[ReleasableClaim::AgeBand],
                },
            ],
        ),
        (
            "Avisarkivet (demo)",
            "https://avisarkivet.example/",
            vec![
                DemoProduct {
                    slug: "avisarkivet",
                    name: "Avisarkivet",
                    description: [
                        "Today's and historic Nordic newspapers.",
                        "Dagens og historiske nordiske aviser.",
                        "Dagens och historiska nordiska tidningar.",
                        "Dagens og historiske nordiske aviser.",
                        "Tämän päivän ja menneiden vuosien pohjoismaiset sanomalehdet.",
                    ],
                    kind: ProductKind::Newspaper,
                    integration: IntegrationMethod::SignedLink,
                    statistics: StatisticsCapability::HubEvents,
                    price_model: PriceModel::Annual,
                    claims: &[],
                },
                DemoProduct {
                    slug: "kunnskapsbasen",
                    name: "Kunnskapsbasen",
                    description: [
                        "An encyclopaedia and reference database.",
                        "Et leksikon og en oppslagsdatabase.",
                        "Ett uppslagsverk och en referensdatabas.",
                        "Et leksikon og en opslagsdatabase.",
                        "Tietosanakirja ja hakuteostietokanta.",
                    ],
                    kind: ProductKind::Database,
                    integration: IntegrationMethod::IpAndReferrer,
                    statistics: StatisticsCapability::HubEvents,
                    price_model: PriceModel::Population,
                    claims: &[],
                },
            ],
        ),
    ];
    let (mut vendor_ids, mut product_ids) = (Vec::new(), Vec::new());
    for (name, site, items) in catalogue {
        let vendor = vendors::create(
            db,
            VendorFields {
                name: Some(name.into()),
                support_url: Some(Some(url(&format!("{site}support")))),
                privacy_url: Some(Some(url(&format!("{site}privacy")))),
                accessibility_url: Some(Some(url(&format!("{site}accessibility")))),
                ..Default::default()
            },
            now,
        )
        .await?;
        vendor_ids.push((name.to_owned(), vendor.id));
        for item in items {
            let product = Product {
                id: ProductId::new(),
                vendor: vendor.id,
                slug: item.slug.into(),
                name: LocalizedText::one(Lang::Nb, item.name),
                description: Some(LocalizedText(
                    [Lang::En, Lang::Nb, Lang::Sv, Lang::Da, Lang::Fi]
                        .into_iter()
                        .zip(item.description.map(str::to_owned))
                        .collect(),
                )),
                kind: item.kind,
                integration: item.integration,
                trial: TrialTerms::default(),
                statistics: item.statistics,
                price_model: item.price_model,
                sushi_url: None,
                my_pages_url: Some(url(&format!("{site}{}/my-page", item.slug))),
                access_url: Some(url(&format!("{site}{}/", item.slug))),
                training: Vec::new(),
                claims: item.claims.to_vec(),
                created_at: now,
                updated_at: now,
            };
            products::create(db, &product).await?;
            product_ids.push((item.slug.to_owned(), product.id));
        }
    }
    Ok(Demo {
        libraries,
        consortium: consortium.id,
        vendors: vendor_ids,
        products: product_ids,
    })
}
