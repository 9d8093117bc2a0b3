//! Webhook endpoints with each role, and deliveries: signed, retried while the receiver is
//! down, and marked failed after the last retry.

mod support;

use serde_json::json;
use support::Hub;
use support::receiver::Receiver;
use tilgang_kernel::Clock;
use tilgang_subscriptions::domain::webhook::{retry_after, signature};

const EVENTS: [&str; 2] = ["trial.requested", "trial.started"];

#[tokio::test]
async fn a_vendor_adds_an_endpoint_and_sees_its_secret_only_once() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let added = hub
        .app
        .post(
            "/api/v1/webhooks",
            &ebook.vendor_token,
            &json!({ "url": "https://vendor.example/hooks", "events": EVENTS }),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let secret = added.body["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(added.body["events"], json!(EVENTS));

    let listed = hub.app.get("/api/v1/webhooks", &ebook.vendor_token).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1, "{}", listed.text);
    assert!(!listed.text.contains(secret) && !listed.text.contains("secret"));
}

#[tokio::test]
async fn webhook_urls_must_be_https_outside_development() {
    let production = Hub::start(false).await;
    let ebook = production.product("nordlys-ebok").await;
    let body = json!({ "url": "http://vendor.example/hooks", "events": EVENTS });
    let refused = production
        .app
        .post("/api/v1/webhooks", &ebook.vendor_token, &body)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.code(), "url_not_https");
    let listed = production
        .app
        .get("/api/v1/webhooks", &ebook.vendor_token)
        .await;
    assert_eq!(listed.body, json!([]));

    let development = Hub::start(true).await;
    let ebook = development.product("nordlys-ebok").await;
    let added = development
        .app
        .post("/api/v1/webhooks", &ebook.vendor_token, &body)
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
}

#[tokio::test]
async fn bad_endpoints_and_callers_outside_their_scope_are_refused() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let other = hub.product("avisarkivet").await;
    let url = "https://vendor.example/hooks";
    let cases = [
        (
            &ebook.vendor_token,
            json!({ "url": url, "events": ["trial.eaten"] }),
            400,
            "event_unknown",
        ),
        (
            &ebook.vendor_token,
            json!({ "url": url, "events": [] }),
            400,
            "field_required",
        ),
        (
            &ebook.vendor_token,
            json!({ "url": "not a url", "events": EVENTS }),
            400,
            "url_invalid",
        ),
        (
            &ebook.vendor_token,
            json!({ "url": "https://u:p@vendor.example/", "events": EVENTS }),
            400,
            "url_invalid",
        ),
        (
            &ebook.vendor_token,
            json!({ "vendor": other.vendor, "url": url, "events": EVENTS }),
            403,
            "forbidden",
        ),
        (
            &hub.deichman,
            json!({ "url": url, "events": EVENTS }),
            403,
            "forbidden",
        ),
        (
            &hub.consortium,
            json!({ "url": url, "events": EVENTS }),
            400,
            "field_required",
        ),
    ];
    for (token, body, status, code) in cases {
        let refused = hub.app.post("/api/v1/webhooks", token, &body).await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert_eq!(refused.code(), code, "{body}: {}", refused.text);
    }
    let all = hub.app.get("/api/v1/webhooks", &hub.consortium).await;
    assert_eq!(all.body, json!([]), "{}", all.text);

    let added = hub
        .app
        .post(
            "/api/v1/webhooks",
            &hub.consortium,
            &json!({ "vendor": ebook.vendor, "url": url, "events": EVENTS }),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let path = format!("/api/v1/webhooks/{}", added.body["id"].as_str().unwrap());
    let theirs = hub.app.get("/api/v1/webhooks", &other.vendor_token).await;
    assert_eq!(theirs.body, json!([]));
    let removed_by_other = hub.app.delete(&path, &other.vendor_token).await;
    assert_eq!(removed_by_other.status, 404, "{}", removed_by_other.text);
    let removed = hub.app.delete(&path, &ebook.vendor_token).await;
    assert_eq!(removed.status, 204, "{}", removed.text);
}

/// A development hub, a receiver, and an endpoint of nordlys-ebok's vendor for both trial
/// events; returns the endpoint's secret.
async fn hub_with_receiver() -> (Hub, Receiver, String, support::Product) {
    let hub = Hub::start(true).await;
    let receiver = Receiver::start();
    let ebook = hub.product("nordlys-ebok").await;
    let added = hub
        .app
        .post(
            "/api/v1/webhooks",
            &ebook.vendor_token,
            &json!({ "url": receiver.url, "events": EVENTS }),
        )
        .await;
    let secret = added.body["secret"].as_str().unwrap().to_owned();
    (hub, receiver, secret, ebook)
}

#[tokio::test]
async fn every_event_reaches_the_receiver_signed_even_when_it_was_down_for_a_while() {
    let (hub, receiver, secret, ebook) = hub_with_receiver().await;
    receiver.answer(503);
    hub.request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let dispatcher = hub.service.dispatcher();
    assert_eq!(dispatcher.run_once().await.unwrap(), 2);
    assert_eq!(
        dispatcher.run_once().await.unwrap(),
        0,
        "nothing is due before the wait"
    );

    receiver.answer(200);
    hub.env.clock.advance(retry_after(1).unwrap());
    assert_eq!(dispatcher.run_once().await.unwrap(), 2);

    let got = receiver.received();
    assert_eq!(got.len(), 4);
    let (down, up) = got.split_at(2);
    for (failed, delivered) in down.iter().zip(up) {
        assert_eq!(failed.id, delivered.id, "a retry keeps the message id");
        assert_eq!(
            delivered.signature,
            signature(&secret, &delivered.id, delivered.timestamp, &delivered.body)
        );
    }
    let kinds: Vec<String> = up
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, EVENTS);
    let body: serde_json::Value = serde_json::from_str(&up[0].body).unwrap();
    assert_eq!(body["data"]["isil"], "NO-2030000");
    assert_eq!(body["data"]["library"]["name"], "Deichman");
    assert_eq!(body["data"]["product"]["slug"], "nordlys-ebok");

    let log = hub
        .app
        .get("/api/v1/webhooks/deliveries", &ebook.vendor_token)
        .await;
    let states: Vec<_> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["state"].clone())
        .collect();
    assert_eq!(
        states,
        [json!("delivered"), json!("delivered")],
        "{}",
        log.text
    );
}

#[tokio::test]
async fn a_delivery_is_given_up_after_more_than_a_day_and_shown_to_the_vendor_and_consortium() {
    let (hub, receiver, _, ebook) = hub_with_receiver().await;
    let other = hub.product("avisarkivet").await;
    receiver.answer(500);
    let started = hub.env.clock.now();
    hub.request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let dispatcher = hub.service.dispatcher();
    let mut attempts = 0;
    while dispatcher.run_once().await.unwrap() > 0 {
        attempts += 1;
        hub.env
            .clock
            .advance(retry_after(attempts).unwrap_or_default());
    }
    assert_eq!(attempts, 12, "a first attempt and eleven retries");
    assert!(hub.env.clock.now() - started > chrono::Duration::hours(24));

    let failed = "/api/v1/webhooks/deliveries?state=failed";
    let consortium = hub.app.get(failed, &hub.consortium).await;
    assert_eq!(
        consortium.body.as_array().unwrap().len(),
        2,
        "{}",
        consortium.text
    );
    let delivery = &consortium.body[0];
    assert_eq!(delivery["attempts"], 12);
    assert_eq!(delivery["last_status"], 500);
    assert_eq!(delivery["last_error"], "answered 500");
    let vendor = hub.app.get(failed, &ebook.vendor_token).await;
    assert_eq!(vendor.body.as_array().unwrap().len(), 2);
    let other_vendor = hub.app.get(failed, &other.vendor_token).await;
    assert_eq!(other_vendor.body, json!([]));
    let library = hub.app.get(failed, &hub.deichman).await;
    assert_eq!(library.status, 403);
}

#[tokio::test]
async fn a_vendor_hears_when_a_library_with_access_changes_its_ip_ranges_and_not_otherwise() {
    let hub = Hub::start(true).await;
    let receiver = Receiver::start();
    let ebook = hub.product("nordlys-ebok").await;
    let added = hub
        .app
        .post(
            "/api/v1/webhooks",
            &ebook.vendor_token,
            &json!({ "url": receiver.url, "events": ["library.updated"] }),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    hub.request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let desk = hub.service.desk();
    desk.run_lifecycle().await.unwrap();

    for isil in ["NO-2030000", "FI-Tam"] {
        let changed = hub
            .app
            .patch(
                &format!("/api/v1/libraries/{isil}"),
                &hub.consortium,
                &json!({ "ip_ranges": ["192.0.2.0/24"] }),
            )
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text);
    }
    desk.run_lifecycle().await.unwrap();
    desk.run_lifecycle().await.unwrap();
    hub.service.dispatcher().run_once().await.unwrap();

    let got = receiver.received();
    assert_eq!(
        got.len(),
        1,
        "one change of one library with access: {got:?}"
    );
    let event: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(event["type"], "library.updated");
    assert_eq!(event["data"]["isil"], "NO-2030000");
    assert_eq!(
        event["data"]["library"]["ip_ranges"],
        json!(["192.0.2.0/24"])
    );
    assert_eq!(event["data"]["products"][0]["slug"], "nordlys-ebok");
}

#[tokio::test]
async fn a_test_event_reaches_only_the_endpoint_it_was_sent_to_signed_and_logged() {
    let (hub, receiver, secret, ebook) = hub_with_receiver().await;
    let listed = hub.app.get("/api/v1/webhooks", &ebook.vendor_token).await;
    let id = listed.body[0]["id"].as_str().unwrap().to_owned();
    let other = hub
        .app
        .post(
            "/api/v1/webhooks",
            &ebook.vendor_token,
            &json!({ "url": "http://127.0.0.1:9/unused", "events": EVENTS }),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.text);

    let sent = hub
        .app
        .post(
            &format!("/api/v1/webhooks/{id}/test"),
            &ebook.vendor_token,
            &json!(null),
        )
        .await;
    assert_eq!(sent.status, 202, "{}", sent.text);
    assert_eq!(sent.body["event_type"], "webhook.test");
    assert_eq!(sent.body["state"], "pending");
    assert_eq!(hub.service.dispatcher().run_once().await.unwrap(), 1);

    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].signature,
        signature(&secret, &got[0].id, got[0].timestamp, &got[0].body)
    );
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "webhook.test");
    assert_eq!(body["data"]["endpoint"], id.as_str());
    let log = hub
        .app
        .get("/api/v1/webhooks/deliveries", &ebook.vendor_token)
        .await;
    assert_eq!(log.body.as_array().unwrap().len(), 1, "{}", log.text);
    assert_eq!(log.body[0]["state"], "delivered");
}

#[tokio::test]
async fn another_vendor_cannot_send_a_test_event_to_an_endpoint_and_none_is_queued() {
    let (hub, receiver, _, ebook) = hub_with_receiver().await;
    let other = hub.product("avisarkivet").await;
    let listed = hub.app.get("/api/v1/webhooks", &ebook.vendor_token).await;
    let id = listed.body[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/webhooks/{id}/test");

    let refused = hub.app.post(&path, &other.vendor_token, &json!(null)).await;
    assert_eq!(refused.status, 404, "{}", refused.text);
    let unknown = hub
        .app
        .post(
            "/api/v1/webhooks/00000000-0000-7000-8000-000000000000/test",
            &ebook.vendor_token,
            &json!(null),
        )
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    assert_eq!(hub.service.dispatcher().run_once().await.unwrap(), 0);
    assert!(receiver.received().is_empty());
}

#[test]
fn the_test_event_cannot_be_asked_for() {
    use tilgang_subscriptions::domain::webhook::EventType;
    assert_eq!(EventType::Test.as_str(), "webhook.test");
    assert!(EventType::parse("webhook.test").is_err());
}

#[tokio::test]
async fn a_test_event_is_tried_once_and_another_waits_until_the_first_has_its_answer() {
    let (hub, receiver, _, ebook) = hub_with_receiver().await;
    receiver.answer(503);
    let listed = hub.app.get("/api/v1/webhooks", &ebook.vendor_token).await;
    let id = listed.body[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/webhooks/{id}/test");

    let first = hub.app.post(&path, &ebook.vendor_token, &json!(null)).await;
    assert_eq!(first.status, 202, "{}", first.text);
    let second = hub.app.post(&path, &ebook.vendor_token, &json!(null)).await;
    assert_eq!(second.status, 409, "{}", second.text);
    assert_eq!(second.code(), "test_pending");
    assert_eq!(hub.service.dispatcher().run_once().await.unwrap(), 1);
    let log = hub
        .app
        .get("/api/v1/webhooks/deliveries", &ebook.vendor_token)
        .await;
    assert_eq!(log.body[0]["state"], "failed", "{}", log.text);
    assert_eq!(log.body[0]["attempts"], 1);
    assert_eq!(log.body[0]["last_status"], 503);

    let third = hub.app.post(&path, &ebook.vendor_token, &json!(null)).await;
    assert_eq!(
        third.status, 202,
        "the first has its answer: {}",
        third.text
    );
}
