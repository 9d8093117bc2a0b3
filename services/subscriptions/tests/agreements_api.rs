//! `/api/v1/agreements`: a consortium agreement gives each member access, splits the price,
//! tells the vendor, and is seen by each role only as far as it may.

mod support;

use serde_json::{Value, json};
use support::Hub;
use tilgang_kernel::ports::EntitlementBasis;
use tilgang_subscriptions::storage::outbox;

/// The id of the demo region named `name`.
async fn region(hub: &Hub, name: &str) -> Value {
    let all = hub.app.get("/api/v1/consortia", &hub.consortium).await;
    all.body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()["id"]
        .clone()
}

fn finnish_agreement(region: Value) -> Value {
    json!({
        "name": "Kunnskapsbasen for Suomi 2026-2027", "product": "kunnskapsbasen",
        "consortium": region, "isils": ["NO-2030000"],
        "populations": {"FI-Tam": 250_000, "FI-Om": 215_000, "FI-Pom": 51_000, "NO-2030000": 717_000},
        "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "price_minor": 10_000_000, "currency": "EUR", "split": "population"
    })
}

#[tokio::test]
async fn an_agreement_for_a_region_gives_every_member_access_and_tells_the_vendor() {
    let hub = Hub::start(false).await;
    let product = hub.product("kunnskapsbasen").await;
    let suomi = region(&hub, "Suomi").await;
    let endpoint =
        json!({ "url": "https://vendor.example/hooks", "events": ["agreement.changed"] });
    hub.app
        .post("/api/v1/webhooks", &product.vendor_token, &endpoint)
        .await;
    let made = hub
        .app
        .post(
            "/api/v1/agreements",
            &hub.consortium,
            &finnish_agreement(suomi),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["members"].as_array().unwrap().len(), 4);
    let shares = made.body["shares"].as_array().unwrap();
    let total: i64 = shares
        .iter()
        .map(|s| s["price_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 10_000_000);

    for isil in ["FI-Tam", "FI-Om", "FI-Pom", "NO-2030000"] {
        let answer = hub.access(isil, product.id).await;
        assert_eq!(answer.basis, EntitlementBasis::Agreement, "{isil}");
    }
    assert!(!hub.access("SE-3", product.id).await.granted());

    let queued = outbox::deliveries_of(hub.env.db(), product.vendor)
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    let event: Value = serde_json::from_str(&queued[0].payload).unwrap();
    assert_eq!(event["type"], "agreement.changed");
    assert_eq!(event["data"]["libraries"].as_array().unwrap().len(), 4);
    assert_eq!(event["data"]["agreement"]["status"], "active");
    let trail = hub.app.get("/api/v1/audit", &hub.tampere).await;
    assert_eq!(
        trail.body[0]["action"], "agreement.created",
        "{}",
        trail.text
    );
}

#[tokio::test]
async fn each_role_sees_the_agreement_and_the_shares_it_may() {
    let hub = Hub::start(false).await;
    let product = hub.product("kunnskapsbasen").await;
    let other = hub.product("nordlys-ebok").await;
    let suomi = region(&hub, "Suomi").await;
    let made = hub
        .app
        .post(
            "/api/v1/agreements",
            &hub.consortium,
            &finnish_agreement(suomi),
        )
        .await;
    let path = format!("/api/v1/agreements/{}", made.body["id"].as_str().unwrap());
    let malmo = hub.app.library_admin(&["SE-3"]);
    for (who, token, shares) in [
        ("consortium admins", &hub.consortium, Some(4)),
        ("Tampere's admin", &hub.tampere, Some(1)),
        ("the vendor", &product.vendor_token, Some(0)),
        ("Malmö's admin", &malmo, None),
        ("another vendor", &other.vendor_token, None),
    ] {
        let one = hub.app.get(&path, token).await;
        let list = hub.app.get("/api/v1/agreements", token).await;
        match shares {
            Some(n) => {
                assert_eq!(one.status, 200, "{who}: {}", one.text);
                assert_eq!(one.body["shares"].as_array().unwrap().len(), n, "{who}");
                assert_eq!(list.body["total"], 1, "{who}");
            }
            None => {
                assert_eq!(one.status, 404, "{who}: {}", one.text);
                assert_eq!(list.body["total"], 0, "{who}");
            }
        }
    }
    let tampere = hub.app.get(&path, &hub.tampere).await;
    assert_eq!(tampere.body["shares"][0]["isil"], "FI-Tam");
}

#[tokio::test]
async fn bad_agreements_get_a_clear_error_and_change_nothing() {
    let hub = Hub::start(false).await;
    let product = hub.product("kunnskapsbasen").await;
    let suomi = region(&hub, "Suomi").await;
    let good = finnish_agreement(suomi);
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let cases = [
        (&hub.tampere, good.clone(), 403, "forbidden"),
        (&product.vendor_token, good.clone(), 403, "forbidden"),
        (
            &hub.consortium,
            with("isils", json!(["NO-9999999"])),
            404,
            "library_not_found",
        ),
        (
            &hub.consortium,
            with("isils", json!(["NO-"])),
            400,
            "isil_invalid",
        ),
        (
            &hub.consortium,
            with("consortium", json!(uuid_text())),
            404,
            "not_found",
        ),
        (
            &hub.consortium,
            with("populations", json!({"FI-Tam": 1})),
            400,
            "population_missing",
        ),
        (
            &hub.consortium,
            with(
                "populations",
                json!({"SE-3": 1, "FI-Tam": 1, "FI-Om": 1, "FI-Pom": 1, "NO-2030000": 1}),
            ),
            400,
            "population_not_member",
        ),
        (
            &hub.consortium,
            with("ends_on", json!("2025-12-31")),
            422,
            "period_invalid",
        ),
        (
            &hub.consortium,
            with("product", json!("no-such-product")),
            404,
            "product_not_found",
        ),
        (
            &hub.consortium,
            with("split", json!("by_mood")),
            400,
            "invalid_body",
        ),
    ];
    for (token, body, status, code) in cases {
        let refused = hub.app.post("/api/v1/agreements", token, &body).await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert_eq!(refused.code(), code, "{body}: {}", refused.text);
    }
    let list = hub.app.get("/api/v1/agreements", &hub.consortium).await;
    assert_eq!(list.body["total"], 0);
    assert_eq!(hub.audit_len().await, 0);
}

#[tokio::test]
async fn only_consortium_admins_cancel_an_agreement_and_access_ends_with_it() {
    let hub = Hub::start(false).await;
    let product = hub.product("kunnskapsbasen").await;
    let suomi = region(&hub, "Suomi").await;
    let made = hub
        .app
        .post(
            "/api/v1/agreements",
            &hub.consortium,
            &finnish_agreement(suomi),
        )
        .await;
    let cancel = format!(
        "/api/v1/agreements/{}/cancel",
        made.body["id"].as_str().unwrap()
    );
    for token in [&hub.tampere, &product.vendor_token] {
        let refused = hub.app.post(&cancel, token, &json!(null)).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
    }
    let cancelled = hub.app.post(&cancel, &hub.consortium, &json!(null)).await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.text);
    hub.env.clock.advance(chrono::Duration::days(1));
    let answer = hub.access("FI-Tam", product.id).await;
    assert!(!answer.granted());
    let again = hub.app.post(&cancel, &hub.consortium, &json!(null)).await;
    assert_eq!(again.status, 409, "{}", again.text);
}

fn uuid_text() -> String {
    "01900000-0000-7000-8000-000000000000".into()
}
