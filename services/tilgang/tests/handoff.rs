//! `/go/{isil}/{product}` and the demo vendor site: a relying party built with the Rust
//! `openidconnect` crate (the second RP library after openid-client) receives patrons the hub
//! hands off, by OpenID Connect initiate-login and by signed link.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use support::*;
use tilgang_testkit::browser::{Browser, Page};

/// A demo hub and a browser for it.
async fn demo() -> (tempfile::TempDir, Hub, Browser) {
    let dir = tempfile::tempdir().unwrap();
    let hub = start_with(dir.path(), &backend(), &["demo"], true);
    ready_within(&hub, Duration::from_secs(30)).await;
    let browser = Browser::new(&hub.base);
    (dir, hub, browser)
}

/// Goes on from `page` as the demo patron, to the end or to a redirect `stop` picks.
async fn walk_until(browser: &mut Browser, page: Page, stop: impl Fn(&str) -> bool) -> Page {
    browser.walk(page, "demo", "2468", stop).await
}

/// Goes on from `page` as the demo patron to the page where the way ends.
async fn walk(browser: &mut Browser, page: Page) -> Page {
    walk_until(browser, page, |_| false).await
}

#[tokio::test]
async fn a_library_link_logs_the_patron_in_and_the_oidc_vendor_receives_the_library_by_initiate_login()
 {
    let (_dir, _hub, mut browser) = demo().await;
    let first = browser.get("/go/NO-2030000/nordlys-ebok").await;
    let end = walk(&mut browser, first).await;
    assert_eq!(end.status, StatusCode::OK, "{}", end.body);
    assert!(end.body.contains("Welcome, patron"), "{}", end.body);
    assert!(
        end.body
            .contains("<th scope=\"row\">isil</th><td>NO-2030000</td>")
    );
    assert!(end.body.contains("<td>Deichman</td>"));
    assert!(end.body.contains("<th scope=\"row\">sub</th>"));
    assert!(
        !end.body.contains("demo</td>"),
        "no card number reaches the vendor"
    );
}

#[tokio::test]
async fn a_signed_link_verifies_at_the_vendor_once_and_a_replay_is_refused() {
    let (_dir, _hub, mut browser) = demo().await;
    let first = browser.get("/go/NO-2030000/avisarkivet").await;
    let handoff = walk_until(&mut browser, first, |l| l.contains("token=")).await;
    let link = handoff
        .location
        .unwrap_or_else(|| panic!("no signed link: {} {}", handoff.status, handoff.body));
    assert!(link.contains("/demo/vendor/avisarkivet/?token="), "{link}");
    let landed = browser.get(&link).await;
    assert_eq!(landed.status, StatusCode::OK, "{}", landed.body);
    assert!(landed.body.contains("<td>NO-2030000</td>"));
    let replayed = browser.get(&link).await;
    assert_eq!(replayed.status, StatusCode::BAD_REQUEST);
    assert!(replayed.body.contains("already used"));
}

#[tokio::test]
async fn a_library_without_the_product_shows_the_patron_a_clear_page_and_hands_off_nothing() {
    let (_dir, _hub, mut browser) = demo().await;
    let first = browser.get("/go/FI-Tam/nordlys-lydbok?lang=en").await;
    let end = walk(&mut browser, first).await;
    assert_eq!(end.status, StatusCode::FORBIDDEN);
    assert!(end.body.contains("does not offer"), "{}", end.body);
    assert!(end.body.contains("href=\"/l/FI-Tam\""));
    assert!(
        !end.body.contains("Back to"),
        "there is no vendor to go back to"
    );
}

#[tokio::test]
async fn a_link_to_an_unknown_library_or_product_is_a_404_page() {
    let (_dir, _hub, mut browser) = demo().await;
    for path in [
        "/go/XX-nothing/nordlys-ebok",
        "/go/NO-2030000/no-such-product",
        "/go/not an isil/x",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}
