//! Shared set-up for the registry's API tests.

use std::sync::Arc;

use tilgang_registry::Registry;
use tilgang_testkit::{TestApp, TestEnv};

/// A registry on a fresh database, served on a random port.
#[allow(dead_code)]
pub async fn spawn() -> (TestEnv, TestApp) {
    let env = TestEnv::new().await;
    tilgang_registry::migrate(env.db())
        .await
        .expect("migrations run");
    let app = env.spawn(vec![Arc::new(Registry::new(&env.ctx))]).await;
    (env, app)
}

/// A minimal valid library.
#[allow(dead_code)]
pub fn library(isil: &str, name: &str) -> serde_json::Value {
    serde_json::json!({"isil": isil, "name": {"nb": name}})
}
