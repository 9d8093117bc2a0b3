//! Services in other processes call each other's ports at `/internal/v1/{port}/{method}` with
//! short-lived service tokens that the provider issues to its built-in service clients, and
//! answer as the ports do in-process.

mod support;

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use tilgang_kernel::ports::{
    Catalogue, LibraryDirectory, LibraryEditor, ProductDraft, VendorDraft,
};
use tilgang_kernel::remote::registry::{
    CatalogueServer, DirectoryServer, EditorServer, RegistryClient,
};
use tilgang_kernel::remote::{Peer, ServiceTokens, service_client_id, service_client_secret};
use tilgang_kernel::{Principal, SharedSecretTokens, TokenVerifier};
use tilgang_registry::Registry;
use tilgang_testkit::{ISSUER, SECRET, TestApp};
use tilgang_web::internal::Internal;

use support::Hub;

/// The register's directory served to other processes, beside the hub.
async fn internal_directory(hub: &Hub) -> TestApp {
    let registry = Registry::new(&hub.env.ctx);
    let internal = Internal::new(
        vec![Arc::new(DirectoryServer(registry.directory()))],
        Arc::new(SharedSecretTokens::internal(ISSUER, SECRET)),
    );
    hub.env.spawn(vec![Arc::new(internal)]).await
}

async fn token_for(hub: &Hub, client: &str, secret: &str, scope: &str) -> reqwest::Response {
    hub.app
        .client
        .post(hub.app.url("/oauth2/token"))
        .basic_auth(client, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("scope", scope)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_service_gets_a_five_minute_token_that_names_it() {
    let hub = Hub::start().await;
    let secret = service_client_secret(SECRET, "portal");

    let answer = token_for(&hub, &service_client_id("portal"), &secret, "internal").await;

    assert_eq!(answer.status(), StatusCode::OK);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["scope"], "internal");
    let verifier = SharedSecretTokens::internal(ISSUER, SECRET);
    let principal = verifier
        .verify(body["access_token"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        principal,
        Principal::Service {
            subject: "portal".into()
        }
    );
}

#[tokio::test]
async fn a_wrong_service_secret_or_another_scope_gets_no_token() {
    let hub = Hub::start().await;
    let client = service_client_id("usage");

    let wrong = token_for(&hub, &client, "guessed", "internal").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let secret = service_client_secret(SECRET, "usage");
    let other = token_for(&hub, &client, &secret, "libraries:read").await;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = other.json().await.unwrap();
    assert_eq!(body["error"], "invalid_scope");
}

#[tokio::test]
async fn a_port_client_in_another_process_reads_the_same_register() {
    let hub = Hub::start().await;
    let internal = internal_directory(&hub).await;
    let tokens = Arc::new(ServiceTokens::new(&hub.app.address, "sso", SECRET));
    let remote = RegistryClient(Peer::new("registry", &internal.address, tokens));
    let local = Registry::new(&hub.env.ctx).directory();

    let isil = "no-2030000".parse().unwrap();
    assert_eq!(
        remote.library(&isil).await.unwrap(),
        local.library(&isil).await.unwrap()
    );
    assert_eq!(
        remote.libraries().await.unwrap().len(),
        local.libraries().await.unwrap().len()
    );
    assert_eq!(
        remote.library(&"SE-Nobody".parse().unwrap()).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn only_service_tokens_open_internal_ports_and_bad_calls_say_what_is_wrong() {
    let hub = Hub::start().await;
    let internal = internal_directory(&hub).await;
    let call = |token: Option<String>, path: &str, body: serde_json::Value| {
        let mut request = internal.client.post(internal.url(path)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let token = ServiceTokens::new(&hub.app.address, "portal", SECRET)
        .bearer()
        .await
        .unwrap();
    let service = Some(token.clone());
    // API tokens, even a service's or a consortium admin's, are not service tokens.
    let api_service = Some(internal.token(&Principal::Service {
        subject: "portal".into(),
    }));
    let admin = Some(internal.consortium_admin());
    let vendor = Some(internal.vendor(tilgang_kernel::VendorId::new()));
    // A token for the internal audience that names no service.
    let internal_vendor = Some(SharedSecretTokens::internal(ISSUER, SECRET).mint(
        &Principal::Vendor {
            subject: "v".into(),
            vendor: tilgang_kernel::VendorId::new(),
        },
        chrono::Utc::now(),
        chrono::Duration::minutes(5),
    ));
    let path = "/internal/v1/directory/libraries";

    for (token, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (api_service, StatusCode::UNAUTHORIZED),
        (admin, StatusCode::UNAUTHORIZED),
        (vendor, StatusCode::UNAUTHORIZED),
        (internal_vendor, StatusCode::FORBIDDEN),
        (service.clone(), StatusCode::OK),
    ] {
        assert_eq!(call(token, path, json!([])).await.unwrap().status(), status);
    }
    let bad = call(
        service.clone(),
        "/internal/v1/directory/library",
        json!(["not an ISIL"]),
    );
    assert_eq!(bad.await.unwrap().status(), StatusCode::BAD_REQUEST);
    let unknown = call(
        service.clone(),
        "/internal/v1/directory/drop_all",
        json!([]),
    );
    assert_eq!(unknown.await.unwrap().status(), StatusCode::NOT_FOUND);
    let elsewhere = call(service.clone(), "/internal/v1/trials/request", json!([]));
    assert_eq!(elsewhere.await.unwrap().status(), StatusCode::NOT_FOUND);
    // And a service token opens no public endpoint.
    let api = hub
        .app
        .client
        .get(hub.app.url("/api/v1/libraries"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_register_editor_over_http_registers_vendors_and_products_and_refuses_as_in_process() {
    let hub = Hub::start().await;
    let registry = Registry::new(&hub.env.ctx);
    let internal = Internal::new(
        vec![
            Arc::new(EditorServer(registry.editor())),
            Arc::new(CatalogueServer(registry.catalogue())),
        ],
        Arc::new(SharedSecretTokens::internal(ISSUER, SECRET)),
    );
    let internal = hub.env.spawn(vec![Arc::new(internal)]).await;
    let tokens = Arc::new(ServiceTokens::new(&hub.app.address, "portal", SECRET));
    let remote = RegistryClient(Peer::new("registry", &internal.address, tokens));
    let admin = Principal::ConsortiumAdmin {
        subject: "staff:admin".into(),
    };
    let now = chrono::Utc::now();
    let draft = VendorDraft {
        name: "Lydhus AS".into(),
        privacy_url: "https://lydhus.example/privacy".into(),
        ..VendorDraft::default()
    };

    let vendor = remote
        .save_vendor(&admin, None, draft.clone(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        vendor.privacy_url.as_deref(),
        Some("https://lydhus.example/privacy")
    );
    assert!(remote.vendors().await.unwrap().contains(&vendor));
    let product = ProductDraft {
        vendor: vendor.id,
        slug: "lydhus".into(),
        names: [("en".to_owned(), "Lydhus audiobooks".to_owned())].into(),
        kind: "audiobook".into(),
        integration: "oidc".into(),
        statistics: "hub_events".into(),
        access_url: String::new(),
    };
    let added = remote
        .add_product(&admin, product.clone(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(added.vendor_name, "Lydhus AS");

    let taken = remote
        .add_product(&admin, product, now)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(taken.code, "product_slug_taken");
    let vendor_staff = Principal::Vendor {
        subject: "staff:lydhus".into(),
        vendor: vendor.id,
    };
    let not_theirs = remote
        .save_vendor(&vendor_staff, None, draft, now)
        .await
        .unwrap();
    assert_eq!(not_theirs.unwrap_err().code, "forbidden");
    assert_eq!(
        remote.vendors().await.unwrap().len(),
        registry.catalogue().vendors().await.unwrap().len()
    );
}
