//! A hub with the register (demo loaded) and the subscriptions service, and the tokens of
//! each role.

#![allow(dead_code)]

use std::sync::Arc;

pub mod receiver;

use serde_json::{Value, json};
use tilgang_kernel::ports::Entitlement;
use tilgang_kernel::{Clock, ProductId, VendorId};
use tilgang_subscriptions::{Ports, Settings, Smtp, Subscriptions};
use tilgang_testkit::{Answer, TestApp, TestEnv};

/// The hub under test.
pub struct Hub {
    pub env: TestEnv,
    pub app: TestApp,
    pub service: Arc<Subscriptions>,
    pub consortium: String,
    /// An admin of Deichman (NO-2030000).
    pub deichman: String,
    /// An admin of Tampere (FI-Tam).
    pub tampere: String,
}

/// A product of the demo register.
pub struct Product {
    pub id: ProductId,
    pub vendor: VendorId,
    /// A token of its vendor.
    pub vendor_token: String,
}

impl Hub {
    /// The hub; `http` webhook URLs are allowed when `development`.
    pub async fn start(development: bool) -> Self {
        Self::start_with(development, None).await
    }

    /// The hub, e-mailing notices through `smtp`.
    pub async fn start_with(development: bool, smtp: Option<Smtp>) -> Self {
        let env = TestEnv::new().await;
        tilgang_registry::migrate(env.db()).await.unwrap();
        tilgang_subscriptions::migrate(env.db()).await.unwrap();
        tilgang_registry::demo::ensure(env.db(), env.clock.now())
            .await
            .unwrap();
        let registry = Arc::new(tilgang_registry::Registry::new(&env.ctx));
        let service = Arc::new(
            Subscriptions::new(
                &env.ctx,
                Settings {
                    root_secret: b"a root secret of thirty-two bytes!".to_vec(),
                    allow_http_webhooks: development,
                    smtp,
                },
                Ports {
                    directory: registry.directory(),
                    catalogue: registry.catalogue(),
                },
            )
            .unwrap(),
        );
        service.start().await.unwrap();
        let app = env.spawn(vec![registry, service.clone()]).await;
        Self {
            consortium: app.consortium_admin(),
            deichman: app.library_admin(&["NO-2030000"]),
            tampere: app.library_admin(&["FI-Tam"]),
            env,
            app,
            service,
        }
    }

    /// The demo product `slug`.
    pub async fn product(&self, slug: &str) -> Product {
        let answer = self
            .app
            .get(&format!("/api/v1/products/{slug}"), &self.consortium)
            .await;
        let id: ProductId = serde_json::from_value(answer.body["id"].clone()).unwrap();
        let vendor: VendorId = serde_json::from_value(answer.body["vendor"].clone()).unwrap();
        Product {
            id,
            vendor,
            vendor_token: self.app.vendor(vendor),
        }
    }

    /// Changes the trial terms of `slug` (as the consortium would).
    pub async fn trial_terms(&self, slug: &str, terms: Value) {
        let answer = self
            .app
            .patch(
                &format!("/api/v1/products/{slug}"),
                &self.consortium,
                &json!({ "trial": terms }),
            )
            .await;
        assert_eq!(answer.status, 200, "{}", answer.text);
    }

    /// Asks for a trial as `token`.
    pub async fn request_trial(&self, token: &str, isil: &str, slug: &str) -> Answer {
        self.app
            .post(
                "/api/v1/trials",
                token,
                &json!({ "isil": isil, "product": slug }),
            )
            .await
    }

    /// What the `Entitlements` port (which `sso` asks) says of `isil` and `product` now.
    pub async fn access(&self, isil: &str, product: ProductId) -> Entitlement {
        let isil = tilgang_kernel::Isil::parse(isil).unwrap();
        self.service
            .entitlements()
            .check(&isil, product, self.env.clock.now())
            .await
            .unwrap()
    }

    /// Everything the audit trail holds, as a consortium admin sees it.
    pub async fn audit_len(&self) -> usize {
        let answer = self
            .app
            .get("/api/v1/audit?limit=500", &self.consortium)
            .await;
        answer.body.as_array().unwrap().len()
    }
}
