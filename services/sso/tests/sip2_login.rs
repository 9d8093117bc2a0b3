//! Patrons of a library whose system speaks SIP2 log in with card and PIN checked by that
//! system — here pysip2's SIP2 server, which we did not write.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::*;
use tilgang_kernel::ports::DenialReason;
use tilgang_testkit::ils::{BLOCKED, GOOD, INSTITUTION, Ils, LOGIN};

async fn set_up(hub: &Hub, ils: &tilgang_testkit::peer::PythonPeer, password: &str) {
    let staff = hub.app.library_admin(&[INSTITUTION]);
    let answer = hub
        .app
        .put(
            &format!("/api/v1/libraries/{INSTITUTION}/patron-login-setup"),
            &staff,
            &json!({"sip2": {
                "address": format!("127.0.0.1:{}", ils.port), "institution_id": INSTITUTION,
                "login_user": LOGIN.0, "login_password": password
            }}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["sip2_password_set"], true);
    assert!(
        !answer.text.contains(password),
        "the password is never shown"
    );
}

async fn try_card(hub: &Hub, card: &str, pin: &str) -> Page {
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &client, INSTITUTION, "").await;
    browser
        .post("/login", &[("flow", &flow), ("card", card), ("pin", pin)])
        .await
}

#[tokio::test]
async fn a_valid_card_and_pin_from_the_library_system_log_the_patron_in() {
    let Some(ils) = Ils::start(&[]) else { return };
    let hub = Hub::start().await;
    set_up(&hub, &ils, LOGIN.1).await;
    let page = try_card(&hub, GOOD.0, GOOD.1).await;
    assert_eq!(page.status, StatusCode::OK, "the notice: {}", page.body);
    assert!(page.body.contains("/login/consent"));
}

#[tokio::test]
async fn a_wrong_pin_and_a_blocked_card_are_refused_with_their_own_words() {
    let Some(ils) = Ils::start(&[]) else { return };
    let hub = Hub::start().await;
    set_up(&hub, &ils, LOGIN.1).await;
    let wrong = try_card(&hub, GOOD.0, "9999").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let blocked = try_card(&hub, BLOCKED.0, BLOCKED.1).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert!(
        blocked.body.contains("sperret"),
        "in the library's Norwegian: {}",
        blocked.body
    );
    let reasons: Vec<_> = hub.events.events().iter().map(|e| e.reason).collect();
    assert_eq!(
        reasons,
        [Some(DenialReason::WrongPin), Some(DenialReason::Blocked)]
    );
}

#[tokio::test]
async fn the_connection_test_says_plainly_that_the_sip2_login_was_refused() {
    let Some(ils) = Ils::start(&[]) else { return };
    let hub = Hub::start().await;
    set_up(&hub, &ils, "not-the-password").await;
    let staff = hub.app.library_admin(&[INSTITUTION]);
    let path = format!("/api/v1/libraries/{INSTITUTION}/patron-login-setup:test");
    let answer = hub.app.post(&path, &staff, &json!(null)).await;
    assert_eq!(answer.body["ok"], false, "{}", answer.text);
    assert_eq!(answer.body["code"], "sip2_login_refused");
    set_up(&hub, &ils, LOGIN.1).await;
    let answer = hub.app.post(&path, &staff, &json!(null)).await;
    assert_eq!(answer.body["ok"], true, "{}", answer.text);
}

#[tokio::test]
async fn another_librarys_admin_cannot_see_or_change_the_setup() {
    let hub = Hub::start().await;
    let other = hub.app.library_admin(&["NO-2060200"]);
    let path = format!("/api/v1/libraries/{INSTITUTION}/patron-login-setup");
    assert_eq!(
        hub.app.get(&path, &other).await.status,
        StatusCode::FORBIDDEN
    );
    let change = hub.app.put(&path, &other, &json!({"sip2": null})).await;
    assert_eq!(change.status, StatusCode::FORBIDDEN);
}
