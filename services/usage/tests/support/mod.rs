//! The usage service on the demo register, with trials and subscriptions answering who has
//! access, served on a random port.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tilgang_kernel::Clock;
use tilgang_testkit::{TestApp, TestEnv};
use tilgang_usage::{Ports, Settings, Usage};

/// The hub under test.
pub struct World {
    pub env: TestEnv,
    pub app: TestApp,
    pub usage: Arc<Usage>,
    pub subscriptions: Arc<tilgang_subscriptions::Subscriptions>,
}

/// The world at `now`.
pub async fn world(now: &str) -> World {
    let env = TestEnv::new().await;
    env.clock.set(at(now));
    tilgang_registry::migrate(env.db()).await.unwrap();
    tilgang_subscriptions::migrate(env.db()).await.unwrap();
    tilgang_usage::migrate(env.db()).await.unwrap();
    tilgang_registry::demo::ensure(env.db(), env.clock.now())
        .await
        .unwrap();
    let registry = Arc::new(tilgang_registry::Registry::new(&env.ctx));
    let subscriptions = Arc::new(
        tilgang_subscriptions::Subscriptions::new(
            &env.ctx,
            tilgang_subscriptions::Settings {
                root_secret: b"a root secret of thirty-two bytes!".to_vec(),
                allow_http_webhooks: true,
                smtp: None,
            },
            tilgang_subscriptions::Ports {
                directory: registry.directory(),
                catalogue: registry.catalogue(),
            },
        )
        .unwrap(),
    );
    subscriptions.start().await.unwrap();
    let usage = Arc::new(Usage::new(
        &env.ctx,
        Settings {
            retention_days: 90,
            root_secret: b"a root secret of thirty-two bytes!".to_vec(),
            allow_http_harvest: true,
        },
        Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            prices: subscriptions.prices(),
        },
    ));
    let app = env
        .spawn(vec![registry, subscriptions.clone(), usage.clone()])
        .await;
    World {
        env,
        app,
        usage,
        subscriptions,
    }
}

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// An official COUNTER sample, as a report about `isil`.
pub fn sample(file: &str, isil: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../libs/counter/tests/fixtures")
        .join(file);
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    report["Report_Header"]["Institution_ID"] = serde_json::json!({ "ISIL": [isil] });
    report
}

/// Subscribes `isil` to the product `slug` for 2022 (the samples' year); returns the token of
/// the product's vendor.
pub async fn subscribe_through_2022(w: &World, isil: &str, slug: &str) -> String {
    subscribe(w, isil, slug, ("2022-01-01", "2022-12-31"), 1_000_000).await
}

/// Subscribes `isil` to the product `slug` from the first day to the last (`YYYY-MM-DD`) for
/// `price` øre; returns the token of the product's vendor.
pub async fn subscribe(
    w: &World,
    isil: &str,
    slug: &str,
    (first, last): (&str, &str),
    price: i64,
) -> String {
    use tilgang_subscriptions::domain::subscription::{Currency, Renewal, Terms};
    let desk = w.subscriptions.desk();
    let product = desk.product_ref(slug).await.unwrap();
    let terms = Terms::new(
        first.parse().unwrap(),
        last.parse().unwrap(),
        price,
        Currency::NOK,
        Renewal::End,
    )
    .unwrap();
    let admin = tilgang_kernel::Principal::ConsortiumAdmin {
        subject: "test".into(),
    };
    desk.subscribe(
        &admin,
        &tilgang_kernel::Isil::parse(isil).unwrap(),
        product,
        terms,
    )
    .await
    .unwrap();
    let vendor = desk
        .catalogue
        .product(product)
        .await
        .unwrap()
        .unwrap()
        .vendor;
    w.app.vendor(vendor)
}

/// A patron of `isil` let into `product` now.
pub fn visit(
    w: &World,
    isil: &str,
    product: tilgang_kernel::ProductId,
    patron: &str,
) -> tilgang_kernel::ports::AccessEvent {
    tilgang_kernel::ports::AccessEvent {
        id: uuid::Uuid::now_v7(),
        at: w.env.clock.now(),
        isil: tilgang_kernel::Isil::parse(isil).unwrap(),
        vendor: None,
        product: Some(product),
        outcome: tilgang_kernel::ports::AccessOutcome::Granted,
        reason: None,
        pseudonym: patron.into(),
    }
}
