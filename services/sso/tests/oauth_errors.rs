//! The provider refuses what RFC 9700 says it must, and says why.

mod support;

use reqwest::StatusCode;
use support::*;

#[tokio::test]
async fn a_wrong_redirect_uri_is_shown_as_an_error_never_followed() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (_, challenge) = pkce();
    let url = authorize_url(&client, "NO-2030000", &challenge, "").replace("%2Fcb", "%2Fevil");
    let page = browser.get(&url).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.location.is_none());
}

#[tokio::test]
async fn an_authorization_request_without_pkce_is_refused() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let url = authorize_url(&client, "NO-2030000", "", "")
        .replace("&code_challenge=&code_challenge_method=S256", "");
    let page = browser.get(&url).await;
    assert_eq!(page.param("error").as_deref(), Some("invalid_request"));
}

#[tokio::test]
async fn a_code_with_the_wrong_verifier_is_refused() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (code, _) = login(&mut browser, &client, "NO-2030000").await;
    let (status, body) = exchange(&hub, &client, &code, &tilgang_sso::crypto::random_token()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_replayed_code_fails_and_revokes_the_tokens_it_issued() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &client, "NO-2030000").await;
    let (_, first) = exchange(&hub, &client, &code, &verifier).await;
    let (status, again) = exchange(&hub, &client, &code, &verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(again["error"], "invalid_grant");
    let access = first["access_token"].as_str().unwrap();
    let (_, info) = hub
        .oauth_post("/oauth2/introspect", &client, &[("token", access)])
        .await;
    assert_eq!(info["active"], false);
    let refresh = first["refresh_token"].as_str().unwrap();
    let (status, _) = hub
        .token(
            &client,
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &client, "NO-2030000").await;
    // Codes live 60 seconds in the store; a store that forgot it answers as for any bad code.
    hub.env
        .ctx
        .kv
        .delete(&format!("sso:code:{}", tilgang_sso::crypto::digest(&code)))
        .await
        .unwrap();
    let (status, body) = exchange(&hub, &client, &code, &verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_refresh_token_rotates_and_its_reuse_revokes_the_grant() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &client, "NO-2030000").await;
    let (_, first) = exchange(&hub, &client, &code, &verifier).await;
    let old = first["refresh_token"].as_str().unwrap();
    let (status, second) = hub
        .token(
            &client,
            &[("grant_type", "refresh_token"), ("refresh_token", old)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(old, new);
    let (status, reuse) = hub
        .token(
            &client,
            &[("grant_type", "refresh_token"), ("refresh_token", old)],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reuse["error"], "invalid_grant");
    let (status, _) = hub
        .token(
            &client,
            &[("grant_type", "refresh_token"), ("refresh_token", new)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the whole grant is revoked"
    );
    let access = second["access_token"].as_str().unwrap();
    let (_, info) = hub
        .oauth_post("/oauth2/introspect", &client, &[("token", access)])
        .await;
    assert_eq!(info["active"], false);
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client() {
    let hub = Hub::start().await;
    let mut client = hub.client_for("nordlys-ebok").await;
    client.secret = "not-the-secret".into();
    let (status, body) = hub
        .token(&client, &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn a_code_issued_to_one_vendor_cannot_be_redeemed_by_another() {
    let hub = Hub::start().await;
    let ebook = hub.client_for("nordlys-ebok").await;
    let other = hub.client_for("avisarkivet").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &ebook, "NO-2030000").await;
    let (status, body) = exchange(&hub, &other, &code, &verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_vendor_cannot_introspect_or_revoke_another_vendors_tokens() {
    let hub = Hub::start().await;
    let ebook = hub.client_for("nordlys-ebok").await;
    let other = hub.client_for("avisarkivet").await;
    let (_, token) = hub
        .token(&ebook, &[("grant_type", "client_credentials")])
        .await;
    let access = token["access_token"].as_str().unwrap();
    let (_, theirs) = hub
        .oauth_post("/oauth2/introspect", &other, &[("token", access)])
        .await;
    assert_eq!(theirs["active"], false);
    hub.oauth_post("/oauth2/revoke", &other, &[("token", access)])
        .await;
    let (_, own) = hub
        .oauth_post("/oauth2/introspect", &ebook, &[("token", access)])
        .await;
    assert_eq!(own["active"], true);
    assert_eq!(own["scope"], "libraries:read");
    hub.oauth_post("/oauth2/revoke", &ebook, &[("token", access)])
        .await;
    let (_, revoked) = hub
        .oauth_post("/oauth2/introspect", &ebook, &[("token", access)])
        .await;
    assert_eq!(revoked["active"], false);
}

#[tokio::test]
async fn client_credentials_cannot_ask_for_a_scope_the_client_was_not_given() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let (status, body) = hub
        .token(
            &client,
            &[
                ("grant_type", "client_credentials"),
                ("scope", "usage:write"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_scope");
}
