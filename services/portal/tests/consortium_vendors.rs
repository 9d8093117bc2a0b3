//! The consortium admin's vendor pages: a vendor is registered with its documents, a product
//! is added for it and written on its product page, and libraries find it in the catalogue;
//! wrong details and taken short names are explained and change nothing; nobody else reaches
//! these pages.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, signed_in};
use tilgang_testkit::browser::Browser;

/// How many vendors the register holds.
async fn vendors(hub: &Hub) -> u64 {
    let admin = hub.app.consortium_admin();
    let listed = hub.app.get("/api/v1/vendors", &admin).await.body;
    listed["total"].as_u64().unwrap()
}

/// Registers Lydhus with a privacy statement; its page.
async fn register(consortium: &mut Browser) -> tilgang_testkit::browser::Page {
    let list = consortium.get("/admin/vendors").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let csrf = list.input("csrf");
    let answer = consortium
        .post(
            "/admin/vendors",
            &[
                ("csrf", &csrf),
                ("name", "Lydhus AS"),
                ("organisation_number", "912 345 678"),
                ("privacy_url", "https://lydhus.example/privacy"),
                ("dpa_url", ""),
            ],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "a reload repeats nothing"
    );
    follow(consortium, answer).await
}

/// The vendor's page address in its details form.
fn vendor_path(page: &str) -> String {
    let start = page.find("action=\"/admin/vendors/").unwrap() + "action=\"".len();
    page[start..].split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_registered_vendor_and_product_reach_the_catalogue() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    let list = consortium.get("/admin/vendors").await;
    assert!(list.body.contains("Nordlys Forlag (demo)"), "{}", list.body);

    let registered = register(&mut consortium).await;
    assert_eq!(registered.status, StatusCode::OK, "{}", registered.body);
    assert!(registered.body.contains("Lydhus AS is registered."));
    assert!(
        registered
            .body
            .contains("value=\"https://lydhus.example/privacy\"")
    );
    let here = vendor_path(&registered.body);
    let csrf = registered.input("csrf");

    let answer = consortium
        .post(
            &format!("{here}/products"),
            &[
                ("csrf", &csrf),
                ("slug", "lydhus"),
                ("name-en", "Lydhus audiobooks"),
                ("kind", "audiobook"),
                ("integration", "signed_link"),
                ("statistics", "counter_push"),
                ("access_url", "https://lydhus.example/start"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let added = follow(&mut consortium, answer).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("Lydhus audiobooks is added."));
    assert!(
        added
            .body
            .contains("href=\"/vendor/products/lydhus?lang=en\"")
    );
    let editor = consortium.get("/vendor/products/lydhus").await;
    assert_eq!(
        editor.status,
        StatusCode::OK,
        "the consortium admin writes its terms"
    );
    assert!(
        editor.body.contains(&format!("href=\"{here}?lang=en\"")),
        "back to the vendor"
    );

    let catalogue = hub.browser().get("/catalogue").await;
    assert!(
        catalogue.body.contains("Lydhus audiobooks"),
        "{}",
        catalogue.body
    );
    assert!(catalogue.body.contains("https://lydhus.example/privacy"));
}

#[tokio::test]
async fn changed_details_are_saved_and_wrong_ones_change_nothing() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    let registered = register(&mut consortium).await;
    let here = vendor_path(&registered.body);
    let csrf = registered.input("csrf");
    let before = vendors(&hub).await;

    let saved = consortium
        .post(
            &here,
            &[
                ("csrf", &csrf),
                ("name", "Lydhus Norge AS"),
                ("dpa_url", "https://lydhus.example/dpa"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("<h1>Lydhus Norge AS</h1>"));
    assert!(saved.body.contains("value=\"https://lydhus.example/dpa\""));

    let wrong = consortium
        .post(
            &here,
            &[
                ("csrf", &csrf),
                ("name", "Lydhus"),
                ("dpa_url", "not a web address"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("That was not saved."));
    assert!(wrong.body.contains("name=\"dpa_url\" value=\"not a web address\" type=\"url\" autocomplete=\"url\" aria-invalid=\"true\""), "{}", wrong.body);
    assert!(
        wrong.body.contains("<h1>Lydhus Norge AS</h1>"),
        "the name did not change"
    );

    let nameless = consortium.get("/admin/vendors").await;
    let refused = consortium
        .post(
            "/admin/vendors",
            &[("csrf", &nameless.input("csrf")), ("name", " ")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(vendors(&hub).await, before, "no vendor was registered");
}

#[tokio::test]
async fn a_taken_or_malformed_short_name_is_explained_and_adds_nothing() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    let registered = register(&mut consortium).await;
    let here = vendor_path(&registered.body);
    let csrf = registered.input("csrf");
    for slug in ["nordlys-ebok", "Not A Slug"] {
        let refused = consortium
            .post(
                &format!("{here}/products"),
                &[
                    ("csrf", &csrf),
                    ("slug", slug),
                    ("name-en", "Lydhus audiobooks"),
                    ("kind", "audiobook"),
                    ("integration", "oidc"),
                    ("statistics", "hub_events"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{slug}");
        assert!(refused.body.contains("That was not saved."), "{slug}");
        assert!(
            refused.body.contains(&format!("value=\"{slug}\"")),
            "kept as typed"
        );
        assert!(
            refused.body.contains("aria-invalid=\"true\""),
            "{}",
            refused.body
        );
    }
    let catalogue = hub.browser().get("/catalogue").await;
    assert!(!catalogue.body.contains("Lydhus audiobooks"));
}

#[tokio::test]
async fn only_consortium_admins_reach_the_vendor_pages() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    let list = consortium.get("/admin/vendors").await;
    let link = list.body.find("\">Nordlys Forlag (demo)</a>").unwrap();
    let start = list.body[..link].rfind("href=\"").unwrap() + "href=\"".len();
    let nordlys = list.body[start..link].split('?').next().unwrap().to_owned();
    let forged = consortium
        .post(
            "/admin/vendors",
            &[("csrf", "forged"), ("name", "Forged AS")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    for email in ["deichman@tilgang.demo", "nordlys@tilgang.demo"] {
        let mut other = signed_in(&hub, email).await;
        assert_eq!(
            other.get("/admin/vendors").await.status,
            StatusCode::NOT_FOUND,
            "{email}"
        );
        assert_eq!(
            other.get(&nordlys).await.status,
            StatusCode::NOT_FOUND,
            "{email}"
        );
        let start = other.get("/admin").await;
        let home = follow(&mut other, start).await;
        let csrf = home.input("csrf");
        let posted = other
            .post(&nordlys, &[("csrf", &csrf), ("name", "Taken over")])
            .await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "{email}");
    }
    let after = consortium.get(&nordlys).await;
    assert!(
        after.body.contains("<h1>Nordlys Forlag (demo)</h1>"),
        "nothing changed"
    );
}
