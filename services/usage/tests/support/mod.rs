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
        Settings { retention_days: 90 },
        Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
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
