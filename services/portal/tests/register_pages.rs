//! The consortium admin's register pages: a BaseBibliotek export or CSV file imported from the
//! portal (records without a usable ISIL listed, a file with an invalid record refused whole),
//! and a library suspended and made active again; no one else has these pages.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::{Browser, Page};

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

async fn import(browser: &mut Browser, csrf: &str, format: &str, file: &[u8]) -> Page {
    browser
        .post_file(
            "/admin/import",
            &[("csrf", csrf), ("format", format)],
            ("file", "register", file),
        )
        .await
}

async fn library(hub: &Hub, isil: &str) -> serde_json::Value {
    let found = hub
        .app
        .get(
            &format!("/api/v1/libraries/{isil}"),
            &hub.app.consortium_admin(),
        )
        .await;
    found.body
}

async fn registered(hub: &Hub, isil: &str) -> bool {
    let found = hub
        .app
        .get(
            &format!("/api/v1/libraries/{isil}"),
            &hub.app.consortium_admin(),
        )
        .await;
    found.status == StatusCode::OK
}

#[tokio::test]
async fn a_basebibliotek_export_is_imported_from_the_portal() {
    let hub = hub().await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let csrf = consortium.get("/admin/import").await.input("csrf");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../services/registry/tests/fixtures/basebibliotek_incremental.xml");
    let export = std::fs::read(path).unwrap();

    let done = import(&mut consortium, &csrf, "basebibliotek", &export).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("Imported: 2 new, 0 changed"),
        "{}",
        done.body
    );
    assert_eq!(library(&hub, "NO-0030100").await["isil"], "NO-0030100");
    let again = import(&mut consortium, &csrf, "basebibliotek", &export).await;
    assert!(
        again
            .body
            .contains("Imported: 0 new, 0 changed, 2 already up to date"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn a_file_with_an_invalid_record_imports_nothing_and_lists_it() {
    let hub = hub().await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let csrf = consortium.get("/admin/import").await.input("csrf");
    let bad = "isil,name,municipality\nNO-2999998,Sigdal bibliotek,3025\nNO-2160111,,5001\n";
    let refused = import(&mut consortium, &csrf, "csv", bad.as_bytes()).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Nothing was imported."));
    assert!(
        refused
            .body
            .contains("<th scope=\"row\">3</th><td>NO-2160111</td>"),
        "{}",
        refused.body
    );
    assert!(!registered(&hub, "NO-2999998").await);

    let skipping = "isil,name\nNOT AN ISIL,Somewhere\nNO-2999998,Sigdal bibliotek\n";
    let done = import(&mut consortium, &csrf, "csv", skipping.as_bytes()).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Records left out"));
    assert!(
        done.body
            .contains("<th scope=\"row\">2</th><td>NOT AN ISIL</td>"),
        "{}",
        done.body
    );
    let not_text = import(&mut consortium, &csrf, "csv", &[0xff, 0xfe]).await;
    assert!(not_text.body.contains("The file is not text (UTF-8)."));
    let forged = import(&mut consortium, "guessed", "csv", skipping.as_bytes()).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_suspended_library_says_so_and_is_made_active_again() {
    let hub = hub().await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let page = consortium.get("/admin/libraries/FI-Tam").await;
    assert!(page.body.contains("Suspend the library"), "{}", page.body);
    let csrf = page.input("csrf");
    let status = "/admin/libraries/FI-Tam/status";

    let suspended = consortium
        .post(status, &[("csrf", &csrf), ("active", "false")])
        .await;
    assert_eq!(suspended.status, StatusCode::SEE_OTHER);
    assert_eq!(library(&hub, "FI-Tam").await["status"], "suspended");
    let mut tampere = staff(&hub, "tampere@tilgang.demo").await;
    let theirs = tampere.get("/admin/libraries/FI-Tam").await;
    assert!(
        theirs.body.contains("This library is suspended"),
        "{}",
        theirs.body
    );
    assert!(
        !theirs.body.contains("Suspend the library"),
        "only the consortium has the button"
    );
    let csrf_tampere = theirs.input("csrf");
    let tried = tampere
        .post(status, &[("csrf", &csrf_tampere), ("active", "true")])
        .await;
    assert_eq!(tried.status, StatusCode::NOT_FOUND);
    assert_eq!(library(&hub, "FI-Tam").await["status"], "suspended");

    consortium
        .post(status, &[("csrf", &csrf), ("active", "true")])
        .await;
    assert_eq!(library(&hub, "FI-Tam").await["status"], "active");
}

/// The part of the consortium admin's home under the heading `id`.
fn listed_under<'a>(page: &'a str, id: &str) -> &'a str {
    page.split(&format!("<h2 id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_consortium_finds_a_library_by_name_and_sees_the_suspended_ones_apart() {
    let hub = hub().await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let found = consortium.get("/admin?q=tampere").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let libraries = listed_under(&found.body, "libraries");
    assert!(
        libraries.contains("Tampereen kaupunginkirjasto"),
        "{libraries}"
    );
    assert!(!libraries.contains("NO-2030000"), "{libraries}");
    let none = consortium.get("/admin?q=no-such-place").await;
    assert!(none.body.contains("No active library matches."));
    assert!(
        !none.body.contains("id=\"suspended\""),
        "none is suspended yet"
    );

    let csrf = found.input("csrf");
    consortium
        .post(
            "/admin/libraries/FI-Tam/status",
            &[("csrf", &csrf), ("active", "false")],
        )
        .await;
    let home = consortium.get("/admin").await;
    let suspended = listed_under(&home.body, "suspended");
    assert!(
        suspended.contains("/admin/libraries/FI-Tam?lang=en"),
        "{}",
        home.body
    );
    assert!(!listed_under(&home.body, "libraries").contains("FI-Tam"));
}

#[tokio::test]
async fn only_the_consortium_imports() {
    let hub = hub().await;
    for email in ["tampere@tilgang.demo", "nordlys@tilgang.demo"] {
        let mut someone = staff(&hub, email).await;
        assert_eq!(
            someone.get("/admin/import").await.status,
            StatusCode::NOT_FOUND,
            "{email}"
        );
        let posted = import(&mut someone, "any", "csv", b"isil,name\nNO-2999998,X\n").await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "{email}");
    }
    assert!(!registered(&hub, "NO-2999998").await);
}
