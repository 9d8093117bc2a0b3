//! The `LibraryDirectory` port that other services in the same process read the register through.

mod common;

use serde_json::json;
use tilgang_registry::Registry;

#[tokio::test]
async fn the_directory_finds_a_library_in_any_letter_case_and_says_when_it_is_suspended() {
    let (env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    let mut body = common::library("FI-Ah", "Ahvenanmaan kirjasto");
    body["websites"] = json!(["https://kirjasto.example/"]);
    body["ip_ranges"] = json!(["192.0.2.0/24"]);
    app.post("/api/v1/libraries", &admin, &body).await;
    let directory = Registry::new(&env.ctx).directory();

    let found = directory
        .library(&"fi-AH".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.isil.as_str(), found.name.as_str()),
        ("FI-Ah", "Ahvenanmaan kirjasto")
    );
    assert!(found.active);
    assert_eq!(found.websites, ["https://kirjasto.example/"]);
    assert_eq!(found.ip_ranges, ["192.0.2.0/24"]);

    app.patch(
        "/api/v1/libraries/FI-Ah",
        &admin,
        &json!({"status": "suspended"}),
    )
    .await;
    let suspended = directory
        .library(&"FI-Ah".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!suspended.active);
    assert!(
        directory
            .library(&"NO-2030000".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
}
