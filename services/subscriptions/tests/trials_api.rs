//! `/api/v1/trials` with each role: who may ask, confirm, decline, cancel and convert, what each
//! sees, and that every refusal changes nothing.

mod support;

use serde_json::json;
use support::Hub;
use tilgang_kernel::Clock;
use tilgang_kernel::ports::EntitlementBasis;

#[tokio::test]
async fn a_trial_asked_for_by_a_library_admin_starts_at_once_and_the_port_grants_access() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let asked = hub
        .request_trial(&hub.deichman, "no-2030000", "nordlys-ebok")
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(asked.body["state"], "active");
    assert_eq!(asked.body["isil"], "NO-2030000");
    assert_eq!(asked.body["days"], 50);

    let answer = hub.access("NO-2030000", ebook.id).await;
    assert_eq!(answer.basis, EntitlementBasis::Trial);
    assert_eq!(
        serde_json::to_value(answer.until).unwrap(),
        asked.body["ends_at"]
    );
}

#[tokio::test]
async fn each_role_sees_only_the_trials_it_may_see() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let other_vendor = hub.product("avisarkivet").await;
    let id = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/trials/{id}");

    for (who, token, sees) in [
        ("Deichman's admin", &hub.deichman, true),
        ("the product's vendor", &ebook.vendor_token, true),
        ("consortium admins", &hub.consortium, true),
        ("Tampere's admin", &hub.tampere, false),
        ("another vendor", &other_vendor.vendor_token, false),
    ] {
        let one = hub.app.get(&path, token).await;
        let list = hub.app.get("/api/v1/trials", token).await;
        assert_eq!(
            one.status,
            if sees { 200 } else { 404 },
            "{who}: {}",
            one.text
        );
        assert_eq!(list.body["total"], u64::from(sees), "{who}: {}", list.text);
    }
    let elsewhere = hub
        .app
        .get("/api/v1/trials?isil=NO-2030000", &hub.tampere)
        .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);
}

#[tokio::test]
async fn only_the_library_s_own_admins_and_consortium_admins_may_ask_for_a_trial() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    for token in [&hub.tampere, &ebook.vendor_token] {
        let refused = hub.request_trial(token, "NO-2030000", "nordlys-ebok").await;
        assert_eq!(refused.status, 403, "{}", refused.text);
    }
    let by_consortium = hub
        .request_trial(&hub.consortium, "NO-2030000", "nordlys-ebok")
        .await;
    assert_eq!(by_consortium.status, 201, "{}", by_consortium.text);
    assert_eq!(hub.audit_len().await, 1);
}

#[tokio::test]
async fn bad_trial_requests_get_a_clear_error_and_change_nothing() {
    let hub = Hub::start(false).await;
    hub.trial_terms("kunnskapsbasen", json!({ "available": false }))
        .await;
    let cases = [
        ("NO-", "nordlys-ebok", 400, "isil_invalid"),
        ("NO-9999999", "nordlys-ebok", 404, "library_not_found"),
        ("NO-2030000", "no-such-product", 404, "product_not_found"),
        ("NO-2030000", "kunnskapsbasen", 422, "trial_not_offered"),
    ];
    for (isil, product, status, code) in cases {
        let refused = hub.request_trial(&hub.consortium, isil, product).await;
        assert_eq!(refused.status, status, "{isil} {product}: {}", refused.text);
        assert_eq!(refused.code(), code, "{}", refused.text);
        assert_eq!(
            refused.content_type, "application/problem+json",
            "{}",
            refused.text
        );
    }
    let unknown_field = hub
        .app
        .post(
            "/api/v1/trials",
            &hub.deichman,
            &json!({ "isil": "NO-2030000", "product": "nordlys-ebok", "days": 400 }),
        )
        .await;
    assert_eq!(unknown_field.status, 400, "{}", unknown_field.text);

    let first = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    assert_eq!(first.status, 201);
    let again = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "trial_exists");
    let list = hub.app.get("/api/v1/trials", &hub.consortium).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(hub.audit_len().await, 1);
}

#[tokio::test]
async fn a_vendor_confirms_its_own_trials_but_not_another_vendor_s() {
    let hub = Hub::start(false).await;
    hub.trial_terms(
        "nordlys-lydbok",
        json!({ "needs_vendor_confirmation": true }),
    )
    .await;
    let audio = hub.product("nordlys-lydbok").await;
    let other_vendor = hub.product("avisarkivet").await;
    let asked = hub
        .request_trial(&hub.tampere, "FI-Tam", "nordlys-lydbok")
        .await;
    assert_eq!(asked.body["state"], "requested", "{}", asked.text);
    let id = asked.body["id"].as_str().unwrap();
    let confirm = format!("/api/v1/trials/{id}/confirm");

    for token in [&other_vendor.vendor_token, &hub.tampere] {
        let refused = hub.app.post(&confirm, token, &json!(null)).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
    }
    let converted_too_early = hub
        .app
        .post(
            &format!("/api/v1/trials/{id}/convert"),
            &hub.tampere,
            &json!({ "ends_on": "2030-12-31", "price_minor": 100, "currency": "EUR" }),
        )
        .await;
    assert_eq!(
        converted_too_early.status, 409,
        "{}",
        converted_too_early.text
    );
    assert_eq!(hub.audit_len().await, 1);

    let confirmed = hub
        .app
        .post(&confirm, &audio.vendor_token, &json!(null))
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.body["state"], "active");
    let twice = hub
        .app
        .post(&confirm, &audio.vendor_token, &json!(null))
        .await;
    assert_eq!(twice.status, 409, "{}", twice.text);
}

#[tokio::test]
async fn a_declined_trial_gives_no_access_and_a_cancelled_one_ends_now() {
    let hub = Hub::start(false).await;
    hub.trial_terms(
        "nordlys-lydbok",
        json!({ "needs_vendor_confirmation": true }),
    )
    .await;
    let audio = hub.product("nordlys-lydbok").await;
    let asked = hub
        .request_trial(&hub.tampere, "FI-Tam", "nordlys-lydbok")
        .await;
    let id = asked.body["id"].as_str().unwrap();
    let declined = hub
        .app
        .post(
            &format!("/api/v1/trials/{id}/decline"),
            &audio.vendor_token,
            &json!(null),
        )
        .await;
    assert_eq!(declined.body["state"], "declined", "{}", declined.text);

    let started = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let id = started.body["id"].as_str().unwrap();
    let cancel = format!("/api/v1/trials/{id}/cancel");
    let by_vendor = hub
        .app
        .post(
            &cancel,
            &hub.product("nordlys-ebok").await.vendor_token,
            &json!(null),
        )
        .await;
    assert_eq!(by_vendor.status, 403, "{}", by_vendor.text);
    let cancelled = hub.app.post(&cancel, &hub.deichman, &json!(null)).await;
    assert_eq!(cancelled.body["state"], "cancelled", "{}", cancelled.text);
    let ebook = hub.product("nordlys-ebok").await;
    let answer = hub.access("NO-2030000", ebook.id).await;
    assert!(!answer.granted());
}

#[tokio::test]
async fn a_running_trial_converts_to_a_subscription_that_starts_today_without_a_gap() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let asked = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let id = asked.body["id"].as_str().unwrap();
    let convert = format!("/api/v1/trials/{id}/convert");
    let terms = json!({ "ends_on": "2030-12-31", "price_minor": 1_250_000, "currency": "NOK" });

    let by_vendor = hub.app.post(&convert, &ebook.vendor_token, &terms).await;
    assert_eq!(by_vendor.status, 403, "{}", by_vendor.text);
    let with_start = hub
        .app
        .post(
            &convert,
            &hub.deichman,
            &json!({ "starts_on": "2030-01-01", "ends_on": "2030-12-31", "price_minor": 1, "currency": "NOK" }),
        )
        .await;
    assert_eq!(with_start.status, 400, "{}", with_start.text);
    assert_eq!(with_start.body["field"], "starts_on");

    let converted = hub.app.post(&convert, &hub.deichman, &terms).await;
    assert_eq!(converted.status, 201, "{}", converted.text);
    let today = tilgang_subscriptions::domain::time::day_of(hub.env.clock.now());
    assert_eq!(converted.body["starts_on"], today.to_string());
    assert_eq!(converted.body["renewal"], "end");
    assert_eq!(converted.body["from_trial"], id);
    let trial = hub
        .app
        .get(&format!("/api/v1/trials/{id}"), &hub.deichman)
        .await;
    assert_eq!(trial.body["state"], "converted");

    let answer = hub.access("NO-2030000", ebook.id).await;
    assert_eq!(answer.basis, EntitlementBasis::Subscription);
}
