//! A library's e-ID login set up from the portal: its upstream OpenID Connect provider, saved
//! with the API's checks, its client secret never shown, a test that says plainly when the
//! provider does not answer, and removal; the SIP2 connection is left as it is, and another
//! library's page is out of reach.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};

const PAGE: &str = "/admin/libraries/NO-2030000/e-id";
const SETUP: &str = "/api/v1/libraries/NO-2030000/patron-login-setup";
/// A loopback address nothing listens on.
const SILENT: &str = "http://127.0.0.1:9";

async fn admin(hub: &Hub, email: &str, page: &str) -> (Browser, String) {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    let csrf = browser.get(page).await.input("csrf");
    (browser, csrf)
}

async fn save(browser: &mut Browser, csrf: &str, issuer: &str, secret: &str) -> Page {
    browser
        .post(
            PAGE,
            &[
                ("csrf", csrf),
                ("issuer", issuer),
                ("display_name", "Test e-ID"),
                ("client_id", "tilgang"),
                ("client_secret", secret),
                ("scopes", "profile library"),
                ("library_claim", "home_library"),
            ],
        )
        .await
}

async fn stored(hub: &Hub) -> serde_json::Value {
    hub.app.get(SETUP, &hub.app.consortium_admin()).await.body
}

#[tokio::test]
async fn a_provider_is_saved_with_its_secret_kept_hidden_and_the_card_login_untouched() {
    let hub = hub().await;
    let sip2 =
        json!({"sip2": {"address": "127.0.0.1:6001", "institution_id": "deichman", "tls": false}});
    let put = hub.app.put(SETUP, &hub.app.consortium_admin(), &sip2).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let (mut browser, csrf) = admin(&hub, "deichman@tilgang.demo", PAGE).await;

    let saved = save(&mut browser, &csrf, SILENT, "s3cret-at-the-idp").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Saved."), "{}", saved.body);
    assert!(saved.body.contains("A secret is stored."));
    assert!(!saved.body.contains("s3cret-at-the-idp"));
    assert!(
        saved.body.contains("/login/upstream/callback"),
        "the redirect URI to register"
    );
    let again = save(&mut browser, &csrf, SILENT, "").await;
    assert!(
        again.body.contains("Saved."),
        "a blank secret keeps the stored one: {}",
        again.body
    );

    let setup = stored(&hub).await;
    assert_eq!(setup["upstream"]["issuer"], SILENT);
    assert_eq!(setup["upstream"]["scopes"], json!(["profile", "library"]));
    assert_eq!(setup["upstream"]["library_claim"], "home_library");
    assert_eq!(
        setup["sip2"]["address"], "127.0.0.1:6001",
        "the card login stays"
    );
}

#[tokio::test]
async fn a_refused_provider_is_explained_and_changes_nothing() {
    let hub = hub().await;
    let (mut browser, csrf) = admin(&hub, "deichman@tilgang.demo", PAGE).await;
    let plain = save(&mut browser, &csrf, "http://idp.example.org", "secret").await;
    assert_eq!(
        plain.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        plain.body
    );
    assert!(plain.body.contains("The provider was not saved."));
    assert!(plain.body.contains("must be https"), "{}", plain.body);
    assert!(
        plain
            .body
            .contains("name=\"issuer\" type=\"url\" value=\"http://idp.example.org\"")
    );
    assert!(
        plain
            .body
            .contains("aria-describedby=\"issuer-hint\" aria-invalid=\"true\"")
    );
    let no_secret = save(&mut browser, &csrf, SILENT, "").await;
    assert_eq!(no_secret.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_secret.body.contains("is needed for a new provider"),
        "{}",
        no_secret.body
    );
    assert!(stored(&hub).await["upstream"].is_null());
}

#[tokio::test]
async fn the_test_says_plainly_when_the_provider_does_not_answer_and_removal_ends_e_id() {
    let hub = hub().await;
    let (mut browser, csrf) = admin(&hub, "deichman@tilgang.demo", PAGE).await;
    let test = format!("{PAGE}/test");
    let nothing = browser.post(&test, &[("csrf", &csrf)]).await;
    assert!(
        nothing.body.contains("Save the provider first."),
        "{}",
        nothing.body
    );

    save(&mut browser, &csrf, SILENT, "secret").await;
    let silent = browser.post(&test, &[("csrf", &csrf)]).await;
    assert!(
        silent.body.contains("The e-ID provider did not answer."),
        "{}",
        silent.body
    );
    let removed = browser
        .post(&format!("{PAGE}/remove"), &[("csrf", &csrf)])
        .await;
    assert!(
        removed.body.contains("The e-ID login is removed."),
        "{}",
        removed.body
    );
    assert!(stored(&hub).await["upstream"].is_null());
}

#[tokio::test]
async fn another_library_s_e_id_page_is_out_of_reach() {
    let hub = hub().await;
    let (mut tampere, csrf) =
        admin(&hub, "tampere@tilgang.demo", "/admin/libraries/FI-Tam/e-id").await;
    assert_eq!(tampere.get(PAGE).await.status, StatusCode::NOT_FOUND);
    let posted = save(&mut tampere, &csrf, SILENT, "secret").await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let removed = tampere
        .post(&format!("{PAGE}/remove"), &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
    let forged = {
        let (mut deichman, _) = admin(&hub, "deichman@tilgang.demo", PAGE).await;
        save(&mut deichman, "guessed", SILENT, "secret").await
    };
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(stored(&hub).await["upstream"].is_null());
}
