//! Staff members' two-step login: turned on from the account page once a code from the app is
//! right, then asked for at every login; a wrong or used code does not log in, five wrong ones
//! stop the codes for a while, and turning it off needs a current code. Codes are taken at the
//! hub's clock, which stands still in tests (an app's code at the real time would drift out of
//! the accepted steps whenever a test crosses a 30-second boundary).

mod support;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_kernel::Clock;
use tilgang_kernel::totp;
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};

const EMAIL: &str = "deichman@tilgang.demo";

async fn logged_in(hub: &Hub) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, EMAIL, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// Turns the two-step login on for the demo library admin: the secret, and when its code was
/// taken.
async fn turned_on(hub: &Hub) -> (String, chrono::DateTime<Utc>) {
    let mut browser = logged_in(hub).await;
    let page = browser.get("/admin/account").await;
    assert!(
        page.body.contains("Two-step login is off."),
        "{}",
        page.body
    );
    assert!(page.body.contains("otpauth://totp/Tilgang:"));
    let secret = page.input("secret");
    let csrf = page.input("csrf");
    let at = hub.env.clock.now();
    let code = totp::code(&secret, at).unwrap();
    let on = browser
        .post(
            "/admin/account/totp",
            &[
                ("csrf", &csrf),
                ("action", "on"),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert!(on.body.contains("Two-step login is on."), "{}", on.body);
    (secret, at)
}

/// The code form after the password, in a new browser.
async fn code_form(hub: &Hub) -> (Browser, Page) {
    let mut browser = hub.browser();
    let asked = log_in(&mut browser, EMAIL, STAFF_PASSWORD).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("name=\"code\""), "{}", asked.body);
    (browser, asked)
}

async fn send_code(browser: &mut Browser, form: &Page, code: &str) -> Page {
    let (flow, password) = (form.input("flow"), form.input("password"));
    browser
        .post(
            "/login/staff",
            &[
                ("flow", &flow),
                ("email", EMAIL),
                ("password", &password),
                ("code", code),
            ],
        )
        .await
}

#[tokio::test]
async fn once_on_every_login_asks_for_a_code_and_a_used_one_is_refused() {
    let hub = hub().await;
    let (secret, at) = turned_on(&hub).await;
    let (mut browser, form) = code_form(&hub).await;

    // The code that turned it on was used up.
    let used = totp::code(&secret, at).unwrap();
    let refused = send_code(&mut browser, &form, &used).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("That code is not right, or was used already.")
    );
    // The next step's code (the app's clock may run a little ahead) logs in.
    let next = totp::code(&secret, hub.env.clock.now() + Duration::seconds(30)).unwrap();
    let answer = send_code(&mut browser, &form, &next).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let home = follow(&mut browser, answer).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("Dag Deichman"), "{}", home.body);
}

#[tokio::test]
async fn five_wrong_codes_stop_the_codes_for_a_while() {
    let hub = hub().await;
    let (secret, _) = turned_on(&hub).await;
    let (mut browser, form) = code_form(&hub).await;
    for _ in 0..5 {
        let wrong = send_code(&mut browser, &form, "000000").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let right = totp::code(&secret, hub.env.clock.now() + Duration::seconds(30)).unwrap();
    let stopped = send_code(&mut browser, &form, &right).await;
    assert_eq!(stopped.status, StatusCode::UNAUTHORIZED, "{}", stopped.body);
    let without = send_code(&mut browser, &form, "").await;
    assert!(without.body.contains("name=\"code\""), "no code, no login");
}

#[tokio::test]
async fn turning_it_off_needs_a_current_code() {
    let hub = hub().await;
    let (secret, _) = turned_on(&hub).await;
    let (mut browser, form) = code_form(&hub).await;
    let next = totp::code(&secret, hub.env.clock.now() + Duration::seconds(30)).unwrap();
    let answer = send_code(&mut browser, &form, &next).await;
    follow(&mut browser, answer).await;
    let page = browser.get("/admin/account").await;
    let csrf = page.input("csrf");
    let again = browser
        .post(
            "/admin/account/totp",
            &[
                ("csrf", &csrf),
                ("action", "on"),
                ("secret", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                ("code", "123456"),
            ],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another secret needs no code: refused"
    );

    let wrong = browser
        .post(
            "/admin/account/totp",
            &[("csrf", &csrf), ("action", "off"), ("code", "000000")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Two-step login is on:"), "still on");
    let current = totp::code(&secret, hub.env.clock.now() + Duration::seconds(30)).unwrap();
    let off = browser
        .post(
            "/admin/account/totp",
            &[("csrf", &csrf), ("action", "off"), ("code", &current)],
        )
        .await;
    assert!(off.body.contains("Two-step login is off."), "{}", off.body);

    let mut fresh = hub.browser();
    let answer = log_in(&mut fresh, EMAIL, STAFF_PASSWORD).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "the password alone logs in again"
    );
}
