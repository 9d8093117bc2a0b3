//! A hub with the register and the provider, the demo loaded, and a browser that keeps cookies
//! and does not follow redirects, so each step of a login can be checked.

#![allow(dead_code)]

use std::sync::Arc;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tilgang_kernel::Clock;
use tilgang_registry::Registry;
use tilgang_sso::usage::RecentEvents;
use tilgang_sso::{Ports, Settings, Sso};
use tilgang_subscriptions::Subscriptions;
use tilgang_subscriptions::domain::subscription::{Currency, Renewal, Terms};
#[allow(unused_imports)]
pub use tilgang_testkit::browser::{Browser, Page, form_body};
use tilgang_testkit::{ISSUER, TestApp, TestEnv};

/// The hub under test.
pub struct Hub {
    pub env: TestEnv,
    pub app: TestApp,
    pub events: Arc<RecentEvents>,
    pub subscriptions: Arc<Subscriptions>,
    pub admin: String,
}

/// A registered OAuth client.
#[derive(Clone)]
pub struct Client {
    pub id: String,
    pub secret: String,
    pub vendor: String,
}

pub const REDIRECT: &str = "http://127.0.0.1:9/cb";

impl Hub {
    pub async fn start() -> Self {
        let env = TestEnv::new().await;
        tilgang_registry::migrate(env.db()).await.unwrap();
        tilgang_sso::migrate(env.db()).await.unwrap();
        tilgang_subscriptions::migrate(env.db()).await.unwrap();
        tilgang_registry::demo::ensure(env.db(), env.clock.now())
            .await
            .unwrap();
        let registry = Arc::new(Registry::new(&env.ctx));
        let events = Arc::new(RecentEvents::new(1000));
        let subscriptions = Arc::new(
            Subscriptions::new(
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
        tilgang_subscriptions::demo::ensure(
            &subscriptions.desk(),
            &tilgang_registry::demo::isils(),
        )
        .await
        .unwrap();
        let ports = Ports {
            directory: registry.directory(),
            search: registry.library_search(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            usage: events.clone(),
            staff: registry.staff(),
        };
        let sso = Arc::new(Sso::new(
            &env.ctx,
            // The test hubs' token secret, so service tokens it issues are accepted.
            Settings::new(ISSUER, tilgang_testkit::SECRET),
            ports,
        ));
        sso.start().await.unwrap();
        sso.load_demo(env.clock.now()).await.unwrap();
        let app = env.spawn(vec![registry, sso]).await;
        let admin = app.consortium_admin();
        Self {
            env,
            app,
            events,
            subscriptions,
            admin,
        }
    }

    /// Lets the library use the product for a year from today: a subscription, recorded as a
    /// consortium admin would.
    pub async fn subscribe(&self, isil: &str, product: &str) {
        let isil = tilgang_kernel::Isil::parse(isil).unwrap();
        let desk = self.subscriptions.desk();
        let product = desk.product_ref(product).await.unwrap();
        let today = tilgang_subscriptions::domain::time::day_of(self.env.clock.now());
        let terms = Terms::new(
            today,
            today + chrono::Days::new(365),
            0,
            Currency::NOK,
            Renewal::End,
        )
        .unwrap();
        let admin = tilgang_kernel::Principal::ConsortiumAdmin {
            subject: "test".into(),
        };
        desk.subscribe(&admin, &isil, product, terms).await.unwrap();
    }

    /// The product with `slug`.
    pub async fn product(&self, slug: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/api/v1/products/{slug}"), &self.admin)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.body
    }

    /// Registers an approved client for the product `slug`.
    pub async fn client_for(&self, slug: &str) -> Client {
        let product = self.product(slug).await;
        let answer = self
            .app
            .post(
                "/api/v1/sso/clients",
                &self.admin,
                &json!({
                    "vendor": product["vendor"], "name": format!("{slug} app"),
                    "product": product["id"], "redirect_uris": [REDIRECT],
                    "scopes": ["libraries:read"]
                }),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        Client {
            id: answer.body["client_id"].as_str().unwrap().into(),
            secret: answer.body["client_secret"].as_str().unwrap().into(),
            vendor: product["vendor"].as_str().unwrap().into(),
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.app.address)
    }

    /// Calls the token endpoint with HTTP Basic client authentication.
    pub async fn token(&self, client: &Client, form: &[(&str, &str)]) -> (StatusCode, Value) {
        self.oauth_post("/oauth2/token", client, form).await
    }

    pub async fn oauth_post(
        &self,
        path: &str,
        client: &Client,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", client.id, client.secret));
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .header("Authorization", format!("Basic {basic}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form_body(form))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = tilgang_sso::crypto::random_token();
    let challenge = tilgang_sso::crypto::pkce_challenge(&verifier);
    (verifier, challenge)
}

/// The authorization URL for `client` at library `isil`.
pub fn authorize_url(client: &Client, isil: &str, challenge: &str, extra: &str) -> String {
    format!(
        "/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid%20offline_access&state=st&nonce=nn&code_challenge={challenge}&code_challenge_method=S256&login_hint={isil}{extra}",
        client.id,
        url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    )
}

/// Starts a login for `client` at library `isil` (with `extra` query parameters) and returns
/// the flow of the card form it leads to.
pub async fn start_login(
    browser: &mut Browser,
    client: &Client,
    isil: &str,
    extra: &str,
) -> String {
    let (_, challenge) = pkce();
    let start = browser
        .get(&authorize_url(client, isil, &challenge, extra))
        .await;
    browser
        .get(start.location.as_deref().unwrap())
        .await
        .input("flow")
}

/// Logs the demo patron of `isil` in for `client` and returns the code (acknowledging the
/// notice when it is shown) and the PKCE verifier.
pub async fn login(browser: &mut Browser, client: &Client, isil: &str) -> (String, String) {
    login_as(browser, client, isil, "demo", "2468").await
}

/// Logs the patron with `card` and `pin` at `isil` in for `client`, as [`login`] does.
pub async fn login_as(
    browser: &mut Browser,
    client: &Client,
    isil: &str,
    card: &str,
    pin: &str,
) -> (String, String) {
    let (verifier, challenge) = pkce();
    let start = browser
        .get(&authorize_url(client, isil, &challenge, ""))
        .await;
    let page = browser
        .walk(start, card, pin, |l| l.starts_with(REDIRECT))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    (page.param("code").expect("a code"), verifier)
}

/// The claims of a JWT (not verified: the token endpoint's answer is trusted in these tests).
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Exchanges a code.
pub async fn exchange(
    hub: &Hub,
    client: &Client,
    code: &str,
    verifier: &str,
) -> (StatusCode, Value) {
    hub.token(
        client,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ],
    )
    .await
}
