//! The hub the portal's tests run: the demo register and subscriptions (every library has
//! three products, Deichman four), usage statistics, the provider for the staff login and
//! patron logins, and the portal, on a
//! random port; its public URL is the test issuer, which the test browser resolves to it.

#![allow(dead_code)]

use std::sync::Arc;

use tilgang_kernel::Clock;
use tilgang_testkit::browser::{Browser, Page};
use tilgang_testkit::{ISSUER, TestApp, TestEnv};

pub const ROOT: &[u8] = b"a root secret of thirty-two bytes!";

/// The hub under test.
pub struct Hub {
    /// Its database, cache and clock.
    pub env: TestEnv,
    /// It, served.
    pub app: TestApp,
    /// Usage statistics (tests run the roll-up themselves).
    pub usage: Arc<tilgang_usage::Usage>,
}

/// Starts the hub with the real clock (the portal verifies ID tokens against the time of
/// day, so staff logins need it).
pub async fn hub() -> Hub {
    hub_at(None).await
}

/// Starts the hub with its clock at `now`, or the real time.
pub async fn hub_at(now: Option<chrono::DateTime<chrono::Utc>>) -> Hub {
    let env = TestEnv::new().await;
    if let Some(now) = now {
        env.clock.set(now);
    }
    tilgang_registry::migrate(env.db()).await.unwrap();
    tilgang_subscriptions::migrate(env.db()).await.unwrap();
    tilgang_sso::migrate(env.db()).await.unwrap();
    tilgang_portal::migrate(env.db()).await.unwrap();
    tilgang_usage::migrate(env.db()).await.unwrap();
    tilgang_registry::demo::ensure(env.db(), env.clock.now())
        .await
        .unwrap();
    let registry = Arc::new(tilgang_registry::Registry::new(&env.ctx));
    let subscriptions = Arc::new(
        tilgang_subscriptions::Subscriptions::new(
            &env.ctx,
            tilgang_subscriptions::Settings {
                root_secret: ROOT.to_vec(),
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
    tilgang_subscriptions::demo::ensure(&subscriptions.desk(), &tilgang_registry::demo::isils())
        .await
        .unwrap();
    let usage = Arc::new(tilgang_usage::Usage::new(
        &env.ctx,
        tilgang_usage::Settings {
            retention_days: 90,
            root_secret: ROOT.to_vec(),
            allow_http_harvest: true,
        },
        tilgang_usage::Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            prices: subscriptions.prices(),
        },
    ));
    let sso = Arc::new(tilgang_sso::Sso::new(
        &env.ctx,
        tilgang_sso::Settings::new(ISSUER, ROOT),
        tilgang_sso::Ports {
            directory: registry.directory(),
            search: registry.library_search(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            usage: usage.sink(),
            staff: registry.staff(),
        },
    ));
    sso.start().await.unwrap();
    sso.load_demo(env.clock.now()).await.unwrap();
    let reserved = tilgang_testkit::reserve();
    let portal = Arc::new(tilgang_portal::Portal::new(
        &env.ctx,
        tilgang_portal::Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            search: registry.library_search(),
            trials: subscriptions.trials(),
            oversight: subscriptions.oversight(),
            staff: registry.staff(),
            editor: registry.editor(),
            logins: sso.patron_logins(),
            setup: sso.login_setup(),
            clients: sso.clients(),
            usage: Some(usage.reports()),
        },
        tilgang_portal::Settings {
            issuer: ISSUER.into(),
            provider_url: reserved.1.clone(),
            root_secret: ROOT.to_vec(),
        },
    ));
    let app = env
        .spawn_on(
            reserved,
            vec![registry, subscriptions, usage.clone(), sso, portal],
        )
        .await;
    Hub { env, app, usage }
}

impl Hub {
    /// A browser for the hub.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.app.address)
    }
}

/// Follows redirects from `page` until one is not a redirect.
pub async fn follow(browser: &mut Browser, mut page: Page) -> Page {
    for _ in 0..10 {
        let Some(next) = page.location.clone() else {
            return page;
        };
        page = browser.get(&next).await;
    }
    panic!("too many redirects");
}

/// Logs `browser` in at the staff pages as `email` with `password`, from `/admin`; returns
/// the provider's answer to the password (a redirect, or the form again).
pub async fn log_in(browser: &mut Browser, email: &str, password: &str) -> Page {
    let start = browser.get("/admin").await;
    let form = follow(browser, start).await;
    assert!(form.body.contains("name=\"password\""), "{}", form.body);
    let flow = form.input("flow");
    browser
        .post(
            "/login/staff",
            &[("flow", &flow), ("email", email), ("password", password)],
        )
        .await
}

/// A browser logged in at the staff pages as the demo account `email`.
pub async fn signed_in(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, tilgang_registry::demo::STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// The value of the option whose label starts with `label` in `page`.
pub fn option_value(page: &str, label: &str) -> String {
    page.split("<option value=\"")
        .skip(1)
        .find_map(|option| {
            let (value, rest) = option.split_once('"')?;
            let shown = rest.split_once('>')?.1;
            shown.starts_with(label).then(|| value.to_owned())
        })
        .unwrap_or_else(|| panic!("no option {label} in {page}"))
}

/// `n` patrons let into `slug` at the library `isil`, now, rolled up.
pub async fn visits(hub: &Hub, isil: &str, slug: &str, n: usize) {
    let product = tilgang_registry::Registry::new(&hub.env.ctx)
        .catalogue()
        .product_by_slug(slug)
        .await
        .unwrap()
        .unwrap();
    let events = (0..n)
        .map(|i| tilgang_kernel::ports::AccessEvent {
            id: uuid::Uuid::now_v7(),
            at: hub.env.clock.now(),
            isil: isil.parse().unwrap(),
            vendor: Some(product.vendor),
            product: Some(product.id),
            outcome: tilgang_kernel::ports::AccessOutcome::Granted,
            reason: None,
            pseudonym: format!("patron {i}"),
        })
        .collect();
    hub.usage.sink().record(events).await.unwrap();
    hub.usage.rollup().run_once().await.unwrap();
}
