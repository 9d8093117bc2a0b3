//! A vendor's product pages: its staff change a product's descriptions, trial terms and
//! release policy, and libraries see them at once; bad terms change nothing, and another
//! vendor's product is out of reach.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

async fn product(hub: &Hub, slug: &str) -> serde_json::Value {
    hub.app
        .get(
            &format!("/api/v1/products/{slug}"),
            &hub.app.consortium_admin(),
        )
        .await
        .body
}

#[tokio::test]
async fn the_vendor_changes_a_product_and_the_register_has_it() {
    let hub = hub().await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let list = vendor.get("/vendor/products").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("/vendor/products/nordlys-lydbok"));
    assert!(
        !list.body.contains("avisarkivet"),
        "only the vendor's products"
    );
    let form = vendor.get("/vendor/products/nordlys-lydbok").await;
    let csrf = form.input("csrf");

    let saved = vendor
        .post(
            "/vendor/products/nordlys-lydbok",
            &[
                ("csrf", &csrf),
                (
                    "description-nb",
                    "Lydbøker for alle. Norske og nordiske titler.",
                ),
                ("description-en", "Audiobooks for everyone."),
                ("available", "yes"),
                ("days", "30"),
                ("confirms", "yes"),
                ("waiting_days", "180"),
                ("price_model", "per_use"),
                ("claim", "age_band"),
                ("claim", "preferred_language"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Saved."), "{}", saved.body);
    let now = product(&hub, "nordlys-lydbok").await;
    assert_eq!(now["description"]["en"], "Audiobooks for everyone.");
    assert!(
        now["description"].get("sv").is_none(),
        "an empty language is left out"
    );
    assert_eq!(now["trial"]["days"], 30);
    assert_eq!(now["trial"]["needs_vendor_confirmation"], true);
    assert_eq!(now["price_model"], "per_use");
    assert_eq!(
        now["claims"],
        serde_json::json!(["age_band", "preferred_language"])
    );
}

#[tokio::test]
async fn bad_trial_terms_are_explained_and_change_nothing() {
    let hub = hub().await;
    let before = product(&hub, "nordlys-lydbok").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor
        .get("/vendor/products/nordlys-lydbok")
        .await
        .input("csrf");
    for (days, claim) in [
        ("fifty", "age_band"),
        ("0", "age_band"),
        ("30", "shoe_size"),
    ] {
        let refused = vendor
            .post(
                "/vendor/products/nordlys-lydbok",
                &[
                    ("csrf", &csrf),
                    ("days", days),
                    ("waiting_days", "365"),
                    ("claim", claim),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{days} {claim}: {}",
            refused.body
        );
        assert!(refused.body.contains("class=\"problem\""));
    }
    let forged = vendor
        .post(
            "/vendor/products/nordlys-lydbok",
            &[("csrf", "guessed"), ("days", "30"), ("waiting_days", "1")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(product(&hub, "nordlys-lydbok").await, before);
}

#[tokio::test]
async fn another_vendor_s_product_and_library_admins_are_out_of_reach() {
    let hub = hub().await;
    let before = product(&hub, "avisarkivet").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    assert_eq!(
        vendor.get("/vendor/products/avisarkivet").await.status,
        StatusCode::NOT_FOUND
    );
    let csrf = vendor.get("/vendor/products").await.input("csrf");
    let reached = vendor
        .post(
            "/vendor/products/avisarkivet",
            &[("csrf", &csrf), ("days", "1"), ("waiting_days", "1")],
        )
        .await;
    assert_eq!(reached.status, StatusCode::NOT_FOUND);
    let mut library = staff(&hub, "tampere@tilgang.demo").await;
    assert_eq!(
        library.get("/vendor/products").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(product(&hub, "avisarkivet").await, before);
}
