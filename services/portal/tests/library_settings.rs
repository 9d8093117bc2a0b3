//! A library's settings page: its admins keep its websites, IP ranges, contacts and default
//! language up to date in the register, with the API's rules; a refused form changes nothing,
//! and another library's settings do not exist for them.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_kernel::ports::LibrarySummary;
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};

const PAGE: &str = "/admin/libraries/FI-Tam/settings";

async fn tampere_admin(hub: &Hub) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

async fn tampere(hub: &Hub) -> LibrarySummary {
    tilgang_registry::Registry::new(&hub.env.ctx)
        .directory()
        .library(&"FI-Tam".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// The form's fields with `changes` in place of what the page shows.
async fn submit(browser: &mut Browser, changes: &[(&str, &str)]) -> Page {
    let form = browser.get(PAGE).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.input("csrf");
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &csrf), ("language", "fi")];
    fields.retain(|(name, _)| !changes.iter().any(|(n, _)| n == name));
    fields.extend_from_slice(changes);
    browser.post(PAGE, &fields).await
}

#[tokio::test]
async fn a_library_admin_saves_websites_ip_ranges_contacts_and_language_in_the_register() {
    let hub = hub().await;
    let mut browser = tampere_admin(&hub).await;

    let saved = submit(
        &mut browser,
        &[
            (
                "websites",
                "https://kirjasto.tampere.example/\r\n\r\nhttps://piki.example/",
            ),
            ("ip_ranges", "192.0.2.7/24\r\n2001:db8::/48"),
            ("language", "sv"),
            ("contact-0-name", "E-resources desk"),
            ("contact-0-role", "technical"),
            ("contact-0-email", "e-aineistot@tampere.example"),
            ("contact-1-role", "general"),
        ],
    )
    .await;

    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Saved."), "{}", saved.body);
    let library = tampere(&hub).await;
    assert_eq!(
        library.websites,
        ["https://kirjasto.tampere.example/", "https://piki.example/"]
    );
    assert_eq!(library.ip_ranges, ["192.0.2.0/24", "2001:db8::/48"]);
    assert_eq!(library.language, "sv");
    assert_eq!(library.contacts.len(), 1, "an empty contact is not saved");
    assert_eq!(library.contacts[0].role.as_deref(), Some("technical"));
    assert_eq!(
        library.contacts[0].email.as_deref(),
        Some("e-aineistot@tampere.example")
    );
    // The page shows what the register now holds, normalised.
    assert!(saved.body.contains("192.0.2.0/24"), "{}", saved.body);
}

#[tokio::test]
async fn a_too_broad_ip_range_is_refused_on_the_page_and_changes_nothing() {
    let hub = hub().await;
    let mut browser = tampere_admin(&hub).await;
    let before = tampere(&hub).await;

    let refused = submit(
        &mut browser,
        &[("ip_ranges", "10.0.0.0/4"), ("language", "sv")],
    )
    .await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("The settings were not saved"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("name=\"ip_ranges\" rows=\"4\" aria-describedby=\"ip-ranges-hint\" aria-invalid=\"true\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("10.0.0.0/4"),
        "the form keeps what was entered"
    );
    assert_eq!(tampere(&hub).await, before);
}

#[tokio::test]
async fn a_contact_without_an_address_or_number_is_refused_and_marked() {
    let hub = hub().await;
    let mut browser = tampere_admin(&hub).await;
    let before = tampere(&hub).await;

    let refused = submit(&mut browser, &[("contact-0-name", "Nobody to reach")]).await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("<fieldset class=\"invalid\">"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("e-mail address or a telephone number")
    );
    assert_eq!(tampere(&hub).await, before);
}

#[tokio::test]
async fn another_librarys_settings_do_not_exist_and_a_forged_form_changes_nothing() {
    let hub = hub().await;
    let mut browser = tampere_admin(&hub).await;
    let before = tampere(&hub).await;
    let csrf = browser.get(PAGE).await.input("csrf");

    let theirs = browser.get("/admin/libraries/NO-2030000/settings").await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let posted = browser
        .post(
            "/admin/libraries/NO-2030000/settings",
            &[("csrf", &csrf), ("language", "en")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let forged = browser
        .post(PAGE, &[("csrf", "guessed"), ("language", "en")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(tampere(&hub).await, before);
}
