//! `GET /api/v1/entitlements`: the libraries with access to a vendor's products, for vendors
//! that switch access on by IP address or referrer.

mod support;

use serde_json::json;
use support::Hub;

#[tokio::test]
async fn a_vendor_sees_every_library_with_access_to_its_products_with_ip_ranges_and_websites() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let other = hub.product("avisarkivet").await;
    hub.request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    hub.request_trial(&hub.tampere, "FI-Tam", "avisarkivet")
        .await;

    let mine = hub
        .app
        .get("/api/v1/entitlements", &ebook.vendor_token)
        .await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", mine.text);
    assert_eq!(items[0]["isil"], "NO-2030000");
    assert_eq!(items[0]["product_slug"], "nordlys-ebok");
    assert_eq!(items[0]["access"], true);
    assert_eq!(items[0]["basis"], "trial");
    assert!(items[0]["ip_ranges"].is_array() && items[0]["websites"].is_array());

    let theirs = hub
        .app
        .get("/api/v1/entitlements", &other.vendor_token)
        .await;
    assert_eq!(theirs.body["items"][0]["isil"], "FI-Tam", "{}", theirs.text);
}

#[tokio::test]
async fn only_the_vendor_itself_and_consortium_admins_may_ask() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let other = hub.product("avisarkivet").await;
    let for_ebook = format!("/api/v1/entitlements?vendor={}", ebook.vendor);
    for (token, status) in [
        (&other.vendor_token, 403),
        (&hub.deichman, 403),
        (&hub.consortium, 200),
        (&ebook.vendor_token, 200),
    ] {
        assert_eq!(hub.app.get(&for_ebook, token).await.status, status);
    }
    let unnamed = hub.app.get("/api/v1/entitlements", &hub.consortium).await;
    assert_eq!(unnamed.status, 400, "{}", unnamed.text);
    assert_eq!(unnamed.body["field"], "vendor");
}

#[tokio::test]
async fn since_gives_only_changes_with_access_false_for_those_that_lost_it() {
    let hub = Hub::start(false).await;
    let ebook = hub.product("nordlys-ebok").await;
    let asked = hub
        .request_trial(&hub.deichman, "NO-2030000", "nordlys-ebok")
        .await;
    let first = hub
        .app
        .get("/api/v1/entitlements", &ebook.vendor_token)
        .await;
    let since = first.body["next_since"].as_str().unwrap().to_owned();
    hub.env.clock.advance(chrono::Duration::minutes(5));
    let quiet = hub
        .app
        .get(
            &format!("/api/v1/entitlements?since={}", urlencode(&since)),
            &ebook.vendor_token,
        )
        .await;
    assert_eq!(quiet.status, 200, "{}", quiet.text);
    let since = quiet.body["next_since"].as_str().unwrap().to_owned();

    let id = asked.body["id"].as_str().unwrap();
    hub.app
        .post(
            &format!("/api/v1/trials/{id}/cancel"),
            &hub.deichman,
            &json!(null),
        )
        .await;
    let changed = hub
        .app
        .get(
            &format!("/api/v1/entitlements?since={}", urlencode(&since)),
            &ebook.vendor_token,
        )
        .await;
    let items = changed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", changed.text);
    assert_eq!(items[0]["isil"], "NO-2030000");
    assert_eq!(items[0]["access"], false);
    let now = hub
        .app
        .get("/api/v1/entitlements", &ebook.vendor_token)
        .await;
    assert_eq!(now.body["items"], json!([]));
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}
