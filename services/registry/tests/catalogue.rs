//! Vendors, products and consortia: each party manages only what is theirs.

mod common;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tilgang_kernel::VendorId;
use tilgang_testkit::TestApp;

async fn vendor(app: &TestApp, name: &str) -> VendorId {
    let created = app
        .post(
            "/api/v1/vendors",
            &app.consortium_admin(),
            &json!({"name": name, "privacy_url": "https://v.example/privacy"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body["id"].as_str().unwrap().parse().unwrap()
}

fn product(slug: &str) -> Value {
    json!({"slug": slug, "name": {"nb": "Lydbøker"}, "kind": "audiobook", "integration": "oidc"})
}

#[tokio::test]
async fn a_vendor_registers_its_own_product_with_default_trial_terms() {
    let (_env, app) = common::spawn().await;
    let id = vendor(&app, "Nordlys").await;
    let created = app
        .post(
            "/api/v1/products",
            &app.vendor(id),
            &product("nordlys-lydbok"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["vendor"], id.to_string());
    assert_eq!(
        created.body["trial"],
        json!({"available": true, "days": 50, "needs_vendor_confirmation": false, "waiting_days": 365})
    );
    assert_eq!(created.body["statistics"], "hub_events");
    assert_eq!(created.body["price_model"], "on_request");

    let by_slug = app
        .get(
            "/api/v1/products/nordlys-lydbok",
            &app.library_admin(&["NO-2030000"]),
        )
        .await;
    assert_eq!(by_slug.body["id"], created.body["id"]);
    let changed = app
        .patch(
            "/api/v1/products/nordlys-lydbok",
            &app.vendor(id),
            &json!({"trial": {"days": 30}, "claims": ["age_band"], "price_model": "population"}),
        )
        .await;
    assert_eq!(
        (
            changed.body["trial"]["days"].as_u64(),
            changed.body["trial"]["waiting_days"].as_u64()
        ),
        (Some(30), Some(365))
    );
    assert_eq!(changed.body["claims"], json!(["age_band"]));
    assert_eq!(changed.body["price_model"], "population");
}

#[tokio::test]
async fn a_vendor_cannot_touch_another_vendors_products_or_details() {
    let (_env, app) = common::spawn().await;
    let (mine, theirs) = (vendor(&app, "Mine").await, vendor(&app, "Theirs").await);
    app.post(
        "/api/v1/products",
        &app.vendor(theirs),
        &product("their-product"),
    )
    .await;
    let me = app.vendor(mine);

    let patch = app
        .patch(
            "/api/v1/products/their-product",
            &me,
            &json!({"name": {"nb": "Mine now"}}),
        )
        .await;
    assert_eq!(patch.status, StatusCode::FORBIDDEN);
    let delete = app.delete("/api/v1/products/their-product", &me).await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    let mut body = product("sneaky");
    body["vendor"] = json!(theirs);
    assert_eq!(
        app.post("/api/v1/products", &me, &body).await.status,
        StatusCode::FORBIDDEN
    );
    let details = app
        .patch(
            &format!("/api/v1/vendors/{theirs}"),
            &me,
            &json!({"name": "Hacked"}),
        )
        .await;
    assert_eq!(details.status, StatusCode::FORBIDDEN);

    let product = app.get("/api/v1/products/their-product", &me).await;
    assert_eq!(product.body["name"]["nb"], "Lydbøker");
    assert_eq!(
        app.get(&format!("/api/v1/vendors/{theirs}"), &me)
            .await
            .body["name"],
        "Theirs"
    );
}

#[tokio::test]
async fn a_taken_slug_is_a_409_and_an_unknown_claim_or_price_model_a_422() {
    let (_env, app) = common::spawn().await;
    let id = vendor(&app, "Nordlys").await;
    app.post("/api/v1/products", &app.vendor(id), &product("lyd"))
        .await;
    assert_eq!(
        app.post("/api/v1/products", &app.vendor(id), &product("lyd"))
            .await
            .code(),
        "product_slug_taken"
    );
    let mut body = product("lyd2");
    body["claims"] = json!(["birth_date"]);
    let refused = app.post("/api/v1/products", &app.vendor(id), &body).await;
    assert_eq!(
        (refused.status, refused.body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("claims[0]"))
    );
    let mut priced = product("lyd4");
    priced["price_model"] = json!("per_inhabitant");
    let refused = app.post("/api/v1/products", &app.vendor(id), &priced).await;
    assert_eq!(
        (refused.status, refused.body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("price_model"))
    );
    let mut sushi = product("lyd3");
    sushi["statistics"] = json!("sushi");
    assert_eq!(
        app.post("/api/v1/products", &app.vendor(id), &sushi)
            .await
            .body["field"],
        "sushi_url"
    );
}

#[tokio::test]
async fn a_vendor_with_products_cannot_be_deleted() {
    let (_env, app) = common::spawn().await;
    let id = vendor(&app, "Nordlys").await;
    app.post("/api/v1/products", &app.vendor(id), &product("lyd"))
        .await;
    let admin = app.consortium_admin();
    assert_eq!(
        app.delete(&format!("/api/v1/vendors/{id}"), &admin)
            .await
            .code(),
        "vendor_has_products"
    );
    assert_eq!(
        app.delete("/api/v1/products/lyd", &admin).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/api/v1/vendors/{id}"), &admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_consortium_groups_registered_libraries_and_filters_the_register() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    for (isil, name) in [
        ("NO-2030000", "Deichman"),
        ("NO-2060200", "Drammen"),
        ("DK-710100", "København"),
    ] {
        app.post("/api/v1/libraries", &admin, &common::library(isil, name))
            .await;
    }
    let created = app
        .post(
            "/api/v1/consortia",
            &admin,
            &json!({"name": "Viken", "kind": "region"}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let unknown = app
        .put(
            &format!("/api/v1/consortia/{id}/members"),
            &admin,
            &json!({"isils": ["NO-2030000", "NO-9999999"]}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "members_not_registered")
    );
    assert_eq!(unknown.body["isils"], json!(["NO-9999999"]));
    assert_eq!(
        app.get(&format!("/api/v1/consortia/{id}"), &admin)
            .await
            .body["members"],
        json!([])
    );

    let set = app
        .put(
            &format!("/api/v1/consortia/{id}/members"),
            &admin,
            &json!({"isils": ["no-2060200", "NO-2030000"]}),
        )
        .await;
    assert_eq!(set.body["members"], json!(["NO-2030000", "NO-2060200"]));
    let members = app
        .get(&format!("/api/v1/libraries?consortium={id}"), &admin)
        .await;
    assert_eq!(members.body["total"], 2);

    let library_admin = app.library_admin(&["NO-2030000"]);
    let refused = app
        .post(
            "/api/v1/consortia",
            &library_admin,
            &json!({"name": "Mine", "kind": "consortium"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
