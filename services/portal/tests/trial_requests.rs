//! A trial of a product whose vendor confirms each one: the library's page says it waits for
//! the vendor instead of saying it started, stops offering it, lets the admin withdraw it, and
//! shows the vendor's "no" when it comes.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{Hub, follow, hub, signed_in};
use tilgang_testkit::browser::{Browser, Page};

/// A hub where Nordlys Forlag confirms each trial of its audiobooks, and Tampere's admin,
/// logged in, has asked for one through the portal: the page the request led to.
async fn asked_for_the_audiobooks() -> (Hub, Browser, Page) {
    let hub = hub().await;
    let terms = json!({"trial": {"available": true, "days": 30, "needs_vendor_confirmation": true, "waiting_days": 365}});
    let patched = hub
        .app
        .patch(
            "/api/v1/products/nordlys-lydbok",
            &hub.app.consortium_admin(),
            &terms,
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let mut tampere = signed_in(&hub, "tampere@tilgang.demo").await;
    let offer = tampere
        .get("/admin/libraries/FI-Tam/trial?product=nordlys-lydbok")
        .await;
    let csrf = offer.input("csrf");
    let asked = tampere
        .post(
            "/admin/libraries/FI-Tam/trial",
            &[("csrf", &csrf), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let page = follow(&mut tampere, asked).await;
    (hub, tampere, page)
}

/// `staff` presses "withdraw the request" for Tampere's audiobooks.
async fn withdraw(staff: &mut Browser, csrf: &str) -> Page {
    staff
        .post(
            "/admin/libraries/FI-Tam/trial/cancel",
            &[
                ("csrf", csrf),
                ("product", "nordlys-lydbok"),
                ("withdraw", "true"),
            ],
        )
        .await
}

#[tokio::test]
async fn a_trial_the_vendor_must_confirm_is_shown_as_waiting_and_not_offered_again() {
    let (_hub, _tampere, page) = asked_for_the_audiobooks().await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("The trial of Nordlys lydbøker is requested."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("has started"), "{}", page.body);
    assert!(
        page.body
            .contains("waiting for Nordlys Forlag (demo) to confirm"),
        "{}",
        page.body
    );
    assert!(
        !page
            .body
            .contains("/admin/libraries/FI-Tam/trial?product=nordlys-lydbok"),
        "the product is not offered while the request waits"
    );
}

#[tokio::test]
async fn the_library_admin_withdraws_a_waiting_request_and_the_vendor_no_longer_sees_it() {
    let (hub, mut tampere, page) = asked_for_the_audiobooks().await;
    let csrf = page.input("csrf");

    let withdrawn = withdraw(&mut tampere, &csrf).await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.body
    );
    let after = follow(&mut tampere, withdrawn).await;
    assert!(
        after
            .body
            .contains("The request for a trial of Nordlys lydbøker is withdrawn."),
        "{}",
        after.body
    );
    assert!(!after.body.contains("waiting for Nordlys Forlag"));
    let mut nordlys = signed_in(&hub, "nordlys@tilgang.demo").await;
    let vendor = nordlys.get("/vendor").await;
    assert!(
        !vendor.body.contains("Tampereen kaupunginkirjasto"),
        "{}",
        vendor.body
    );
}

#[tokio::test]
async fn the_vendor_s_no_shows_on_the_library_s_page() {
    let (hub, mut tampere, _page) = asked_for_the_audiobooks().await;
    let mut nordlys = signed_in(&hub, "nordlys@tilgang.demo").await;
    let waiting = nordlys.get("/vendor").await;
    let id = waiting
        .body
        .split("/vendor/trials/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the request is on the vendor's page")
        .to_owned();
    let csrf = waiting.input("csrf");
    let declined = nordlys
        .post(
            &format!("/vendor/trials/{id}"),
            &[("csrf", csrf.as_str()), ("decision", "decline")],
        )
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);

    let page = tampere.get("/admin/libraries/FI-Tam").await;
    assert!(
        page.body.contains("Nordlys Forlag (demo) declined"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Withdraw the request"));
}

#[tokio::test]
async fn another_library_s_admin_cannot_withdraw_the_request() {
    let (hub, _tampere, _page) = asked_for_the_audiobooks().await;
    let mut deichman = signed_in(&hub, "deichman@tilgang.demo").await;
    let home = deichman.get("/admin/libraries/NO-2030000").await;
    let csrf = home.input("csrf");

    let refused = withdraw(&mut deichman, &csrf).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let mut nordlys = signed_in(&hub, "nordlys@tilgang.demo").await;
    let vendor = nordlys.get("/vendor").await;
    assert!(vendor.body.contains("Tampereen kaupunginkirjasto"));
}
