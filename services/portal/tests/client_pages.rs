//! OpenID Connect clients in the portal: a vendor's staff register one, which waits until a
//! consortium admin approves it; a refused form registers nothing; no one else approves.

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

async fn clients(hub: &Hub) -> Vec<Value> {
    let listed = hub
        .app
        .get("/api/v1/sso/clients", &hub.app.consortium_admin())
        .await;
    listed.body.as_array().unwrap().clone()
}

async fn product_id(hub: &Hub, slug: &str) -> String {
    let found = hub
        .app
        .get(
            &format!("/api/v1/products/{slug}"),
            &hub.app.consortium_admin(),
        )
        .await;
    found.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_vendor_s_new_client_waits_until_the_consortium_approves_it() {
    let hub = hub().await;
    let ebook = product_id(&hub, "nordlys-ebok").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/clients").await.input("csrf");
    let registered = vendor
        .post(
            "/vendor/clients",
            &[
                ("csrf", &csrf),
                ("name", "Nordlys app"),
                ("product", &ebook),
                (
                    "redirect_uris",
                    "https://app.nordlys.example/cb\n\nhttps://app.nordlys.example/cb2",
                ),
            ],
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    assert!(
        registered
            .body
            .contains("client_secret: <code class=\"secret\">")
    );
    assert!(registered.body.contains("Waiting for approval"));
    let made = clients(&hub)
        .await
        .into_iter()
        .find(|c| c["name"] == "Nordlys app")
        .unwrap();
    assert_eq!(made["status"], "pending");
    assert_eq!(made["redirect_uris"].as_array().unwrap().len(), 2);
    let id = made["client_id"].as_str().unwrap().to_owned();
    assert!(
        !vendor
            .get("/vendor/clients")
            .await
            .body
            .contains("class=\"secret\"")
    );

    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let page = consortium.get("/admin/approvals").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let first_row = page.body.split("<tbody>").nth(1).unwrap();
    assert!(
        first_row
            .trim_start()
            .starts_with("<tr><th scope=\"row\">Nordlys app</th>"),
        "the waiting client comes first: {first_row}"
    );
    let csrf = page.input("csrf");
    let approved = consortium
        .post(
            &format!("/admin/approvals/{id}"),
            &[("csrf", &csrf), ("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let after = follow(&mut consortium, approved).await;
    assert!(
        after
            .body
            .contains("Nordlys app is approved and works now."),
        "{}",
        after.body
    );
    let now = clients(&hub).await;
    assert_eq!(
        now.iter().find(|c| c["client_id"] == id.as_str()).unwrap()["status"],
        "approved"
    );
}

#[tokio::test]
async fn a_refused_client_is_explained_and_nothing_is_registered() {
    let hub = hub().await;
    let before = clients(&hub).await.len();
    let theirs = product_id(&hub, "avisarkivet").await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/clients").await.input("csrf");
    let cases = [
        (
            vec![
                ("name", "App"),
                ("redirect_uris", "http://app.nordlys.example/cb"),
            ],
            "An address is not valid.",
            "id=\"redirect_uris\" name=\"redirect_uris\" rows=\"3\" aria-describedby=\"redirects-hint\" aria-invalid=\"true\"",
        ),
        (
            vec![("name", "App"), ("product", theirs.as_str())],
            "That product is not one of yours.",
            "name=\"product\" aria-invalid=\"true\"",
        ),
        (vec![("name", "  ")], "", "id=\"name\" name=\"name\""),
    ];
    for (fields, says, marked) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields.iter().copied());
        let refused = vendor.post("/vendor/clients", &form).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            refused.body
        );
        assert!(refused.body.contains(says), "{says}: {}", refused.body);
        assert!(refused.body.contains(marked), "{marked}: {}", refused.body);
    }
    let forged = vendor
        .post("/vendor/clients", &[("csrf", "guessed"), ("name", "App")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(clients(&hub).await.len(), before);
}

#[tokio::test]
async fn only_a_consortium_admin_approves_clients() {
    let hub = hub().await;
    let vendor = hub
        .app
        .get("/api/v1/products/nordlys-ebok", &hub.app.consortium_admin())
        .await
        .body["vendor"]
        .clone();
    let made = hub
        .app
        .post(
            "/api/v1/sso/clients",
            &hub.app.consortium_admin(),
            &serde_json::json!({"vendor": vendor, "name": "Nordlys web", "redirect_uris": ["https://nordlys.example/cb"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = made.body["client_id"].as_str().unwrap().to_owned();
    let status = made.body["status"].clone();
    for email in ["nordlys@tilgang.demo", "deichman@tilgang.demo"] {
        let mut someone = staff(&hub, email).await;
        assert_eq!(
            someone.get("/admin/approvals").await.status,
            StatusCode::NOT_FOUND
        );
        let start = someone.get("/admin").await;
        let home = follow(&mut someone, start).await;
        let csrf = home.input("csrf");
        let tried = someone
            .post(
                &format!("/admin/approvals/{id}"),
                &[("csrf", &csrf), ("decision", "suspend")],
            )
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{email}");
    }
    let mut library = staff(&hub, "deichman@tilgang.demo").await;
    assert_eq!(
        library.get("/vendor/clients").await.status,
        StatusCode::NOT_FOUND
    );
    let now = clients(&hub).await;
    assert_eq!(
        now.iter().find(|c| c["client_id"] == id.as_str()).unwrap()["status"],
        status
    );
}
