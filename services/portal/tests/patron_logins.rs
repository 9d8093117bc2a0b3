//! The logins a library issues to patrons without e-ID, managed from the portal: issued with
//! a card number and first PIN, the PIN reset, switched off and on; the card number and PIN
//! never shown again, a refused form changing nothing, and another library's logins out of
//! reach.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};

const PAGE: &str = "/admin/libraries/FI-Tam/patrons";

async fn tampere_admin(hub: &Hub) -> (Browser, String) {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    let csrf = browser.get(PAGE).await.input("csrf");
    (browser, csrf)
}

async fn issue(browser: &mut Browser, csrf: &str, card: &str, pin: &str) -> Page {
    browser
        .post(PAGE, &[("csrf", csrf), ("username", card), ("pin", pin)])
        .await
}

/// The id of the login whose card ends in `hint`, from the page's forms.
fn login_id(page: &Page, hint: &str) -> String {
    let row = page
        .body
        .find(&format!("<th scope=\"row\">{hint}</th>"))
        .expect("the row");
    let rest = &page.body[row..];
    let start = rest.find("/patrons/").unwrap() + "/patrons/".len();
    rest[start..start + 36].to_owned()
}

/// Whether the patron logs in at Tampere with `card` and `pin` (on the way to a product
/// Tampere has): one try, so a wrong PIN is not repeated.
async fn logs_in(hub: &Hub, card: &str, pin: &str) -> bool {
    let mut patron = hub.browser();
    let start = patron.get("/go/FI-Tam/kunnskapsbasen").await;
    let form = follow(&mut patron, start).await;
    assert!(form.body.contains("name=\"pin\""), "{}", form.body);
    let flow = form.input("flow");
    let answer = patron
        .post("/login", &[("flow", &flow), ("card", card), ("pin", pin)])
        .await;
    answer.location.is_some() || answer.body.contains("/login/consent")
}

#[tokio::test]
async fn a_library_admin_issues_a_login_that_never_shows_its_card_number_or_pin_again() {
    let hub = hub().await;
    let (mut browser, csrf) = tampere_admin(&hub).await;

    let issued = issue(&mut browser, &csrf, "TAM-000123", "8642").await;

    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    assert!(
        issued.body.contains("Issued the login …123."),
        "{}",
        issued.body
    );
    assert!(issued.body.contains("<th scope=\"row\">…123</th>"));
    assert!(
        !issued.body.contains("TAM-000123"),
        "the card number is not shown again"
    );
    assert!(!issued.body.contains("8642"), "nor the PIN");
}

#[tokio::test]
async fn a_second_login_with_the_same_card_or_a_weak_pin_is_refused_and_the_pin_not_echoed() {
    let hub = hub().await;
    let (mut browser, csrf) = tampere_admin(&hub).await;
    issue(&mut browser, &csrf, "TAM-000123", "8642").await;

    let again = issue(&mut browser, &csrf, "tam-000123", "9753").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("Nothing was changed"));
    let weak = issue(&mut browser, &csrf, "TAM-000456", "1111").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        weak.body.contains("value=\"TAM-000456\""),
        "the card number is kept"
    );
    assert!(!weak.body.contains("1111"), "the PIN is not");
    assert!(
        weak.body
            .contains("id=\"pin\" name=\"pin\" type=\"password\"")
    );
    assert!(
        !weak.body.contains("<th scope=\"row\">…456</th>"),
        "no login was issued"
    );
}

#[tokio::test]
async fn a_reset_pin_works_and_a_switched_off_login_no_longer_logs_in() {
    let hub = hub().await;
    let (mut browser, csrf) = tampere_admin(&hub).await;
    let page = issue(&mut browser, &csrf, "TAM-000789", "8642").await;
    let id = login_id(&page, "…789");
    let one = format!("{PAGE}/{id}");

    let reset = browser
        .post(&one, &[("csrf", &csrf), ("pin", "2580")])
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert!(reset.body.contains("The PIN of …789 is set."));
    assert!(
        logs_in(&hub, "TAM-000789", "2580").await,
        "the new PIN works"
    );
    assert!(
        !logs_in(&hub, "TAM-000789", "8642").await,
        "the old one does not"
    );

    let off = browser
        .post(&one, &[("csrf", &csrf), ("disabled", "true")])
        .await;
    assert!(off.body.contains("…789 is switched off"), "{}", off.body);
    assert!(!logs_in(&hub, "TAM-000789", "2580").await);
    let on = browser
        .post(&one, &[("csrf", &csrf), ("disabled", "false")])
        .await;
    assert!(on.body.contains("…789 is switched on again."));
    assert!(logs_in(&hub, "TAM-000789", "2580").await);
}

#[tokio::test]
async fn another_librarys_logins_are_out_of_reach_and_a_forged_form_changes_nothing() {
    let hub = hub().await;
    let (mut browser, csrf) = tampere_admin(&hub).await;
    let page = issue(&mut browser, &csrf, "TAM-000321", "8642").await;
    let id = login_id(&page, "…321");

    let theirs = browser.get("/admin/libraries/NO-2030000/patrons").await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let posted = browser
        .post(
            "/admin/libraries/NO-2030000/patrons",
            &[("csrf", &csrf), ("username", "X-1234"), ("pin", "8642")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let forged = browser
        .post(
            &format!("{PAGE}/{id}"),
            &[("csrf", "guessed"), ("disabled", "true")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = browser
        .post(
            &format!("{PAGE}/{}", uuid::Uuid::now_v7()),
            &[("csrf", &csrf), ("disabled", "true")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(logs_in(&hub, "TAM-000321", "8642").await, "still on");
}
