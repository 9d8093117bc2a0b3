//! A library's card-and-PIN login set up from the portal: the SIP2 connection to its library
//! system (pysip2's server stands in for it), saved with the API's checks, its password never
//! shown, and a "test the connection" button that logs in to the library system and says
//! plainly what failed.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};
use tilgang_testkit::ils::{INSTITUTION, Ils, LOGIN};

const PAGE: &str = "/admin/libraries/NO-2030000/login-setup";

async fn deichman_admin(hub: &Hub) -> (Browser, String) {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "deichman@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    let csrf = browser.get(PAGE).await.input("csrf");
    (browser, csrf)
}

async fn save(browser: &mut Browser, csrf: &str, address: &str, password: &str) -> Page {
    browser
        .post(
            PAGE,
            &[
                ("csrf", csrf),
                ("address", address),
                ("institution_id", INSTITUTION),
                ("login_user", LOGIN.0),
                ("login_password", password),
                ("timeout_seconds", "5"),
            ],
        )
        .await
}

async fn test(browser: &mut Browser, csrf: &str) -> Page {
    browser
        .post(&format!("{PAGE}/test"), &[("csrf", csrf)])
        .await
}

#[tokio::test]
async fn a_saved_sip2_connection_is_tested_with_a_login_at_the_library_system() {
    let Some(ils) = Ils::start(&[]) else { return };
    let hub = hub().await;
    let (mut browser, csrf) = deichman_admin(&hub).await;

    let saved = save(
        &mut browser,
        &csrf,
        &format!("127.0.0.1:{}", ils.port),
        LOGIN.1,
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Saved."), "{}", saved.body);
    assert!(saved.body.contains("A password is stored."));
    assert!(!saved.body.contains(LOGIN.1), "the password is never shown");

    let tested = test(&mut browser, &csrf).await;
    assert!(
        tested
            .body
            .contains("The library system answered and accepted the hub&#39;s login."),
        "{}",
        tested.body
    );
}

#[tokio::test]
async fn a_wrong_sip2_password_and_an_unreachable_system_are_explained_plainly() {
    let Some(ils) = Ils::start(&[]) else { return };
    let hub = hub().await;
    let (mut browser, csrf) = deichman_admin(&hub).await;

    save(
        &mut browser,
        &csrf,
        &format!("127.0.0.1:{}", ils.port),
        "wrong",
    )
    .await;
    let refused = test(&mut browser, &csrf).await;
    assert!(
        refused
            .body
            .contains("The library system refused the SIP2 login user or password."),
        "{}",
        refused.body
    );
    // A blank password keeps the stored one; a port where nothing listens cannot be reached.
    save(&mut browser, &csrf, "127.0.0.1:1", "").await;
    let unreachable = test(&mut browser, &csrf).await;
    assert!(
        unreachable
            .body
            .contains("The hub could not reach the library system at that address."),
        "{}",
        unreachable.body
    );
    assert!(unreachable.body.contains("role=\"alert\""));
}

#[tokio::test]
async fn a_bad_address_changes_nothing_and_another_library_s_setup_is_out_of_reach() {
    let hub = hub().await;
    let (mut browser, csrf) = deichman_admin(&hub).await;

    let nothing = test(&mut browser, &csrf).await;
    assert!(
        nothing.body.contains("Save the connection first."),
        "{}",
        nothing.body
    );
    let bad = save(&mut browser, &csrf, "not an address", "secret").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("The connection was not saved"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("No password is stored."),
        "nothing was saved"
    );
    assert!(!bad.body.contains("secret\""), "the password is not echoed");

    let theirs = browser.get("/admin/libraries/FI-Tam/login-setup").await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let posted = browser
        .post(
            "/admin/libraries/FI-Tam/login-setup/test",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
}
