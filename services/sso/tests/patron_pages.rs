//! The patron's own pages besides login: changing a library-issued PIN, and the library's
//! shared login for a product, shown at `/go` to that library's patrons only.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::*;

const CARD: &str = "pin-changer-1";

async fn issued_login(hub: &Hub, pin: &str) {
    let created = hub
        .app
        .post(
            "/api/v1/libraries/NO-2030000/patron-logins",
            &hub.admin,
            &json!({ "username": CARD, "pin": pin }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
}

async fn change_pin(browser: &mut Browser, current: &str, new: &str, again: &str) -> Page {
    let form = [
        ("isil", "NO-2030000"),
        ("lang", "en"),
        ("card", CARD),
        ("pin", current),
        ("new_pin", new),
        ("new_pin_again", again),
    ];
    browser.post("/login/pin", &form).await
}

#[tokio::test]
async fn a_patron_changes_an_issued_pin_and_logs_in_with_the_new_one_only() {
    let hub = Hub::start().await;
    issued_login(&hub, "old-pin-1").await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let form = browser.get("/login/pin?isil=NO-2030000&lang=en").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"new_pin_again\""));

    let changed = change_pin(&mut browser, "old-pin-1", "new-pin-2", "new-pin-2").await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(changed.body.contains("Your PIN is changed"));

    login_as(&mut browser, &client, "NO-2030000", CARD, "new-pin-2").await;
    let mut other = hub.browser();
    let flow = start_login(&mut other, &client, "NO-2030000", "").await;
    let old = [
        ("flow", flow.as_str()),
        ("card", CARD),
        ("pin", "old-pin-1"),
    ];
    assert_eq!(
        other.post("/login", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_wrong_current_pin_or_two_different_new_pins_change_nothing() {
    let hub = Hub::start().await;
    issued_login(&hub, "old-pin-1").await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let mismatch = change_pin(&mut browser, "old-pin-1", "new-pin-2", "new-pin-3").await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("are not the same"));
    let wrong = change_pin(&mut browser, "guess-1", "new-pin-2", "new-pin-2").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let weak = change_pin(&mut browser, "old-pin-1", "1111", "1111").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    login_as(&mut browser, &client, "NO-2030000", CARD, "old-pin-1").await;
}

#[tokio::test]
async fn a_library_shares_a_login_that_only_its_own_logged_in_patrons_see() {
    let hub = Hub::start().await;
    let (id, _) = press_reader_at_deichman(&hub).await;

    let path = format!("/api/v1/libraries/NO-2030000/shared-credentials/{id}");
    let deichman = hub.app.library_admin(&["NO-2030000"]);
    let tampere = hub.app.library_admin(&["FI-Tam"]);
    let secret = json!({ "username": "deichman-press", "password": "S3cret-shared" });
    assert_eq!(
        hub.app.put(&path, &tampere, &secret).await.status,
        StatusCode::FORBIDDEN
    );
    let set = hub.app.put(&path, &deichman, &secret).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert!(
        !set.text.contains("S3cret-shared"),
        "the password is write-only"
    );
    let other = format!(
        "/api/v1/libraries/NO-2030000/shared-credentials/{}",
        hub.product("nordlys-ebok").await["id"].as_str().unwrap()
    );
    assert_eq!(
        hub.app.put(&other, &deichman, &secret).await.status,
        StatusCode::NOT_FOUND
    );

    let mut browser = hub.browser();
    let first = browser.get("/go/NO-2030000/pressreader-demo?lang=en").await;
    let page = browser.walk(first, "demo", "2468", |_| false).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("deichman-press") && page.body.contains("S3cret-shared"));
    assert!(page.body.contains("https://press.example/login"));

    let anonymous = hub.browser().get("/go/NO-2030000/pressreader-demo").await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "no session: to the login first"
    );
    assert!(anonymous.location.unwrap().starts_with("/login?flow="));
}

#[tokio::test]
async fn a_vendor_provisions_a_login_only_for_its_own_product_at_a_library_with_access() {
    let hub = Hub::start().await;
    let (id, vendor) = press_reader_at_deichman(&hub).await;
    let own = hub.app.vendor(serde_json::from_value(vendor).unwrap());
    let other_vendor = hub.product("nordlys-ebok").await["vendor"].clone();
    let other = hub
        .app
        .vendor(serde_json::from_value(other_vendor).unwrap());
    let login = json!({ "username": "deichman-press", "password": "from-the-vendor" });
    let at = |isil: &str| format!("/api/v1/libraries/{isil}/shared-credentials/{id}");

    let refused = hub.app.put(&at("NO-2030000"), &other, &login).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    let no_access = hub.app.put(&at("FI-Tam"), &own, &login).await;
    assert_eq!(no_access.status, StatusCode::CONFLICT, "{}", no_access.text);
    assert_eq!(no_access.code(), "no_access");
    let set = hub.app.put(&at("NO-2030000"), &own, &login).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    let deichman = hub.app.library_admin(&["NO-2030000"]);
    let listed = hub
        .app
        .get("/api/v1/libraries/NO-2030000/shared-credentials", &deichman)
        .await;
    assert_eq!(
        listed.body[0]["username"], "deichman-press",
        "{}",
        listed.text
    );
}

/// A shared-credential product of avisarkivet's vendor, which Deichman subscribes to: its id
/// and its vendor.
async fn press_reader_at_deichman(hub: &Hub) -> (String, serde_json::Value) {
    let vendor = hub.product("avisarkivet").await["vendor"].clone();
    let product = hub
        .app
        .post(
            "/api/v1/products",
            &hub.admin,
            &json!({
                "vendor": vendor, "slug": "pressreader-demo", "name": { "en": "Press reader" },
                "kind": "newspaper", "integration": "shared_credentials",
                "access_url": "https://press.example/login"
            }),
        )
        .await;
    assert_eq!(product.status, StatusCode::CREATED, "{}", product.text);
    let id = product.body["id"].as_str().unwrap().to_owned();
    hub.subscribe("NO-2030000", &id).await;
    (id, vendor)
}
