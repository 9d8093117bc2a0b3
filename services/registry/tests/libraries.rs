//! The library register over HTTP: who may do what, and how bad input is refused.

mod common;

use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_consortium_admin_registers_a_library_and_anyone_signed_in_finds_it_in_any_letter_case() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    let body = json!({
        "isil": "no-2030000",
        "name": {"nb": "Deichman", "en": "Oslo Public Library"},
        "municipality": "0301",
        "websites": ["https://deichman.no"],
        "ip_ranges": ["192.0.2.7/24", "2001:db8::/48"],
        "contacts": [{"role": "general", "email": "post@deichman.no"}]
    });
    let created = app.post("/api/v1/libraries", &admin, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["isil"], "NO-2030000");
    assert_eq!(created.body["country"], "NO");
    assert_eq!(created.body["language"], "nb");
    assert_eq!(created.body["kind"], "public");
    assert_eq!(
        created.body["ip_ranges"],
        json!(["192.0.2.0/24", "2001:db8::/48"])
    );

    let found = app
        .get(
            "/api/v1/libraries/No-2030000",
            &app.library_admin(&["NO-2060200"]),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["name"]["en"], "Oslo Public Library");
}

#[tokio::test]
async fn a_mixed_case_finnish_isil_keeps_its_registered_case() {
    let (_env, app) = common::spawn().await;
    let created = app
        .post(
            "/api/v1/libraries",
            &app.consortium_admin(),
            &common::library("fi-Ah", "Ahvenanmaa"),
        )
        .await;
    assert_eq!(created.body["isil"], "FI-Ah");
    let found = app
        .get("/api/v1/libraries/FI-AH", &app.consortium_admin())
        .await;
    assert_eq!(found.body["isil"], "FI-Ah");
}

#[tokio::test]
async fn an_isil_with_a_slash_is_reached_percent_encoded() {
    let (_env, app) = common::spawn().await;
    let body = json!({"isil": "DE-Hil2/1", "name": {"en": "A branch"}});
    assert_eq!(
        app.post("/api/v1/libraries", &app.consortium_admin(), &body)
            .await
            .status,
        StatusCode::CREATED
    );
    let found = app
        .get("/api/v1/libraries/DE-Hil2%2F1", &app.consortium_admin())
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    assert_eq!(found.body["isil"], "DE-Hil2/1");
}

#[tokio::test]
async fn an_invalid_isil_is_refused_with_422_naming_the_rule_and_nothing_is_stored() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    let refused = app
        .post(
            "/api/v1/libraries",
            &admin,
            &common::library("NO2030000", "Deichman"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.content_type, "application/problem+json");
    assert_eq!(refused.code(), "isil_invalid");
    assert_eq!(refused.body["rule"], "missing_hyphen");
    assert_eq!(refused.body["field"], "isil");
    assert_eq!(refused.body["status"], 422);
    assert!(
        refused.body["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert_eq!(app.get("/api/v1/libraries", &admin).await.body["total"], 0);

    let in_path = app.get("/api/v1/libraries/XX-1", &admin).await;
    assert_eq!(
        (in_path.status, in_path.body["rule"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unknown_country_code")
        )
    );
}

#[tokio::test]
async fn a_duplicate_isil_in_another_letter_case_is_a_409() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    app.post(
        "/api/v1/libraries",
        &admin,
        &common::library("FI-Ht", "Teologian kirjasto"),
    )
    .await;
    let again = app
        .post(
            "/api/v1/libraries",
            &admin,
            &common::library("fi-HT", "Copy"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "library_exists");
    let found = app.get("/api/v1/libraries/FI-Ht", &admin).await;
    assert_eq!(found.body["name"]["nb"], "Teologian kirjasto");
}

#[tokio::test]
async fn a_bad_cidr_is_a_422_that_names_the_entry() {
    let (_env, app) = common::spawn().await;
    let mut body = common::library("NO-2030000", "Deichman");
    body["ip_ranges"] = json!(["192.0.2.0/24", "192.0.2.300/24"]);
    let refused = app
        .post("/api/v1/libraries", &app.consortium_admin(), &body)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), "ip_range_invalid");
    assert_eq!(refused.body["field"], "ip_ranges[1]");
}

#[tokio::test]
async fn unknown_json_fields_are_a_400() {
    let (_env, app) = common::spawn().await;
    let mut body = common::library("NO-2030000", "Deichman");
    body["colour"] = json!("red");
    let refused = app
        .post("/api/v1/libraries", &app.consortium_admin(), &body)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.code(), "invalid_body");
    assert!(
        refused.body["detail"].as_str().unwrap().contains("colour"),
        "{}",
        refused.text
    );
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413() {
    let (_env, app) = common::spawn().await;
    let mut body = common::library("NO-2030000", "Deichman");
    body["websites"] = json!(vec!["https://deichman.no/".repeat(10); 6000]);
    let refused = app
        .post("/api/v1/libraries", &app.consortium_admin(), &body)
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.code(), "body_too_large");
}

#[tokio::test]
async fn a_request_without_a_valid_token_is_a_401() {
    let (_env, app) = common::spawn().await;
    let anonymous = app
        .send(reqwest::Method::GET, "/api/v1/libraries", None, None)
        .await;
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    let forged = app
        .get("/api/v1/libraries", "eyJhbGciOiJIUzI1NiJ9.e30.bad")
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_library_admin_changes_what_their_library_owns() {
    let (_env, app) = common::spawn().await;
    app.post(
        "/api/v1/libraries",
        &app.consortium_admin(),
        &common::library("NO-2030000", "Deichman"),
    )
    .await;
    let own = app.library_admin(&["NO-2030000"]);
    let changes = json!({"websites": ["https://deichman.no/"], "ip_ranges": ["198.51.100.0/24"], "language": "nn",
        "contacts": [{"name": "E-resources desk", "email": "e@deichman.no"}]});
    let changed = app
        .patch("/api/v1/libraries/no-2030000", &own, &changes)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["ip_ranges"], json!(["198.51.100.0/24"]));
    assert_eq!(changed.body["language"], "nn");
}

#[tokio::test]
async fn a_library_admin_cannot_change_another_library_or_the_consortium_fields_and_nothing_changes()
 {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    app.post(
        "/api/v1/libraries",
        &admin,
        &common::library("NO-2030000", "Deichman"),
    )
    .await;
    app.post(
        "/api/v1/libraries",
        &admin,
        &common::library("NO-2060200", "Drammen"),
    )
    .await;
    let deichman = app.library_admin(&["NO-2030000"]);

    let other = app
        .patch(
            "/api/v1/libraries/NO-2060200",
            &deichman,
            &json!({"websites": ["https://evil.example/"]}),
        )
        .await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let suspend = app
        .patch(
            "/api/v1/libraries/NO-2030000",
            &deichman,
            &json!({"status": "suspended", "websites": []}),
        )
        .await;
    assert_eq!(
        (suspend.status, suspend.code()),
        (StatusCode::FORBIDDEN, "field_not_owned")
    );
    let create = app
        .post(
            "/api/v1/libraries",
            &deichman,
            &common::library("NO-2160111", "Heimdal"),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    let delete = app.delete("/api/v1/libraries/NO-2060200", &deichman).await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);

    let drammen = app.get("/api/v1/libraries/NO-2060200", &admin).await;
    assert_eq!(drammen.body["websites"], json!([]));
    assert_eq!(
        app.get("/api/v1/libraries/NO-2030000", &admin).await.body["status"],
        "active"
    );
    assert_eq!(app.get("/api/v1/libraries", &admin).await.body["total"], 2);
}

#[tokio::test]
async fn a_consortium_admin_suspends_and_deletes_a_library() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    app.post(
        "/api/v1/libraries",
        &admin,
        &common::library("NO-2030000", "Deichman"),
    )
    .await;
    let suspended = app
        .patch(
            "/api/v1/libraries/NO-2030000",
            &admin,
            &json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspended.body["status"], "suspended");
    assert_eq!(
        app.delete("/api/v1/libraries/NO-2030000", &admin)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let gone = app.get("/api/v1/libraries/NO-2030000", &admin).await;
    assert_eq!(
        (gone.status, gone.code()),
        (StatusCode::NOT_FOUND, "library_not_found")
    );
}

#[tokio::test]
async fn vendors_look_libraries_up_by_isil_but_cannot_list_the_register() {
    let (_env, app) = common::spawn().await;
    app.post(
        "/api/v1/libraries",
        &app.consortium_admin(),
        &common::library("NO-2030000", "Deichman"),
    )
    .await;
    let vendor = app.vendor(tilgang_kernel::VendorId::new());
    assert_eq!(
        app.get("/api/v1/libraries/NO-2030000", &vendor)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/libraries", &vendor).await.status,
        StatusCode::FORBIDDEN
    );
    let write = app
        .patch(
            "/api/v1/libraries/NO-2030000",
            &vendor,
            &json!({"websites": []}),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_filters_by_country_kind_status_and_text_and_pages() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    for (isil, name, kind) in [
        ("NO-2030000", "Deichman", "public"),
        ("NO-1030310", "Realfagsbiblioteket", "research"),
        ("DK-710100", "Københavns Hovedbibliotek", "public"),
        ("FI-Tam", "Tampereen kaupunginkirjasto", "public"),
    ] {
        let mut body = common::library(isil, name);
        body["kind"] = json!(kind);
        assert_eq!(
            app.post("/api/v1/libraries", &admin, &body).await.status,
            StatusCode::CREATED
        );
    }
    let norway = app.get("/api/v1/libraries?country=no", &admin).await;
    assert_eq!(norway.body["total"], 2);
    let public_no = app
        .get("/api/v1/libraries?country=NO&kind=public", &admin)
        .await;
    assert_eq!(public_no.body["items"][0]["isil"], "NO-2030000");
    let by_name = app.get("/api/v1/libraries?q=KØBENHAVN", &admin).await;
    assert_eq!(by_name.body["items"][0]["isil"], "DK-710100");
    let by_isil = app.get("/api/v1/libraries?q=fi-tam", &admin).await;
    assert_eq!(by_isil.body["total"], 1);
    let wildcard = app.get("/api/v1/libraries?q=%25", &admin).await;
    assert_eq!(wildcard.body["total"], 0, "a % in the query is literal");
    let page = app.get("/api/v1/libraries?limit=2&offset=2", &admin).await;
    assert_eq!(
        (
            page.body["total"].as_u64(),
            page.body["items"].as_array().unwrap().len()
        ),
        (Some(4), 2)
    );
    assert_eq!(
        page.body["items"][0]["isil"], "NO-1030310",
        "ordered by ISIL, ignoring case"
    );
    assert_eq!(
        app.get("/api/v1/libraries?status=suspended", &admin)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/libraries?kind=castle", &admin)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
