//! A library's logo: its admin uploads a PNG and the e-library page and widget show it from
//! the hub; a file that is no PNG, JPEG or WebP (an SVG, say), one too large, a forged form or
//! another library's admin changes nothing; removing it shows the name alone again.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, signed_in};
use tilgang_testkit::browser::{Browser, Page};

/// A PNG's first bytes and a little more: the register reads the type from them.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";

async fn upload(staff: &mut Browser, isil: &str, csrf: &str, file: &[u8]) -> Page {
    staff
        .post_file(
            &format!("/admin/libraries/{isil}/logo"),
            &[("csrf", csrf)],
            ("logo", "logo.png", file),
        )
        .await
}

/// The address the e-library page of `isil` loads its logo from, if it shows one.
async fn shown_logo(hub: &Hub, isil: &str) -> Option<String> {
    let page = hub.browser().get(&format!("/l/{isil}")).await;
    let src = page.body.split("<img class=\"logo\" src=\"").nth(1)?;
    Some(src.split('"').next()?.replace("&#38;", "&"))
}

/// Tampere's admin, logged in, on the logo page: the browser and its CSRF token.
async fn tampere_on_the_logo_page(hub: &Hub) -> (Browser, String) {
    let mut tampere = signed_in(hub, "tampere@tilgang.demo").await;
    let csrf = tampere
        .get("/admin/libraries/FI-Tam/logo")
        .await
        .input("csrf");
    (tampere, csrf)
}

/// A hub where Tampere's admin, logged in, has uploaded a logo: the browser and its CSRF token.
async fn tampere_with_a_logo() -> (Hub, Browser, String) {
    let hub = hub().await;
    let (mut tampere, csrf) = tampere_on_the_logo_page(&hub).await;
    let saved = upload(&mut tampere, "FI-Tam", &csrf, PNG).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    (hub, tampere, csrf)
}

#[tokio::test]
async fn the_admin_uploads_a_logo_and_the_e_library_page_and_widget_show_it() {
    let hub = hub().await;
    let mut tampere = signed_in(&hub, "tampere@tilgang.demo").await;
    assert_eq!(shown_logo(&hub, "FI-Tam").await, None);
    let form = tampere.get("/admin/libraries/FI-Tam/logo").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);

    let saved = upload(&mut tampere, "FI-Tam", &form.input("csrf"), PNG).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = follow(&mut tampere, saved).await;
    assert!(after.body.contains("The logo is saved."), "{}", after.body);

    let src = shown_logo(&hub, "FI-Tam")
        .await
        .expect("a logo on the page");
    assert!(src.starts_with("/l/FI-Tam/logo?v="), "{src}");
    let image = reqwest::get(format!("{}{src}", hub.app.address))
        .await
        .unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(
        image.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    let widget = hub.browser().get("/l/FI-Tam/widget").await;
    assert!(widget.body.contains(&format!(
        "<img class=\"logo\" src=\"{}",
        src.replace('&', "&#38;")
    )));
    assert!(
        widget.body.contains("alt=\"\""),
        "the name beside it says the same"
    );
}

#[tokio::test]
async fn an_svg_an_empty_or_an_oversized_file_is_refused_and_changes_nothing() {
    let hub = hub().await;
    let (mut tampere, csrf) = tampere_on_the_logo_page(&hub).await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

    for (file, status, said) in [
        (
            &svg[..],
            StatusCode::UNPROCESSABLE_ENTITY,
            "is not a PNG, JPEG or WebP image",
        ),
        (
            b"",
            StatusCode::UNPROCESSABLE_ENTITY,
            "is not a PNG, JPEG or WebP image",
        ),
        (
            &[0u8; 300 * 1024][..],
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than 256 KB",
        ),
    ] {
        let refused = upload(&mut tampere, "FI-Tam", &csrf, file).await;
        assert_eq!(refused.status, status, "{}", refused.body);
        assert!(refused.body.contains(said), "{said} in {}", refused.body);
    }
    assert_eq!(shown_logo(&hub, "FI-Tam").await, None);
    let served = reqwest::get(format!("{}/l/FI-Tam/logo", hub.app.address))
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_forged_form_or_another_library_s_admin_changes_no_logo() {
    let hub = hub().await;
    let mut tampere = signed_in(&hub, "tampere@tilgang.demo").await;
    let forged = upload(&mut tampere, "FI-Tam", "guessed", PNG).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let mut deichman = signed_in(&hub, "deichman@tilgang.demo").await;
    let csrf = deichman
        .get("/admin/libraries/NO-2030000/logo")
        .await
        .input("csrf");
    assert_eq!(
        deichman.get("/admin/libraries/FI-Tam/logo").await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = upload(&mut deichman, "FI-Tam", &csrf, PNG).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(shown_logo(&hub, "FI-Tam").await, None);
}

#[tokio::test]
async fn a_removed_logo_leaves_the_name_alone() {
    let (hub, mut tampere, csrf) = tampere_with_a_logo().await;
    assert!(shown_logo(&hub, "FI-Tam").await.is_some());

    let removed = tampere
        .post("/admin/libraries/FI-Tam/logo/remove", &[("csrf", &csrf)])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let after = follow(&mut tampere, removed).await;
    assert!(
        after.body.contains("The logo is removed."),
        "{}",
        after.body
    );
    assert_eq!(shown_logo(&hub, "FI-Tam").await, None);
}

#[tokio::test]
async fn a_settings_save_keeps_the_logo_and_a_removed_library_takes_its_logo_along() {
    let (hub, _tampere, _csrf) = tampere_with_a_logo().await;
    let shown = shown_logo(&hub, "FI-Tam").await;

    let websites = serde_json::json!({"websites": ["https://www.tampere.fi/kirjasto"]});
    let admin = hub.app.library_admin(&["FI-Tam"]);
    let saved = hub
        .app
        .patch("/api/v1/libraries/FI-Tam", &admin, &websites)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(shown_logo(&hub, "FI-Tam").await, shown);

    let consortium = hub.app.consortium_admin();
    let removed = hub
        .app
        .delete("/api/v1/libraries/FI-Tam", &consortium)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
}
