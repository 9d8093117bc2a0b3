//! Nothing secret reaches a log: with every log line of the process captured at TRACE level,
//! a whole patron login, a wrong PIN, token exchange, refresh, introspection, userinfo and
//! revocation leave no card number, PIN, code, token or client secret behind.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;
use support::*;

/// Everything the process logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_whole_login_at_trace_level_logs_no_card_pin_code_token_or_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let hub = Hub::start().await;
    // Long enough that neither can turn up in a log by chance (a timestamp, say).
    let (card, pin) = ("LIB-CARD-55501-ZQX", "pin-7Wq-8642-Kt");
    let created = hub
        .app
        .post(
            "/api/v1/libraries/NO-2030000/patron-logins",
            &hub.admin,
            &json!({ "username": card, "pin": pin }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let client = hub.client_for("nordlys-ebok").await;

    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &client, "NO-2030000", "").await;
    let wrong = [("flow", flow.as_str()), ("card", card), ("pin", "0000")];
    assert_eq!(
        browser.post("/login", &wrong).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (code, verifier) = login_as(&mut browser, &client, "NO-2030000", card, pin).await;
    let (status, tokens) = exchange(&hub, &client, &code, &verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let id_token = tokens["id_token"].as_str().unwrap().to_owned();
    let (_, refreshed) = hub
        .token(
            &client,
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await;
    let new_refresh = refreshed["refresh_token"].as_str().unwrap().to_owned();
    let (_, introspected) = hub
        .oauth_post("/oauth2/introspect", &client, &[("token", &access)])
        .await;
    assert_eq!(introspected["active"], true);
    let userinfo = hub
        .app
        .client
        .get(hub.app.url("/oauth2/userinfo"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), StatusCode::OK);
    hub.oauth_post("/oauth2/revoke", &client, &[("token", &new_refresh)])
        .await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/oauth2/token") && logs.contains("/login"),
        "the capture sees the requests"
    );
    let secrets = [
        ("card number", card),
        ("card number (lower case)", &card.to_lowercase()),
        ("PIN", pin),
        ("code", &code),
        ("PKCE verifier", &verifier),
        ("access token", &access),
        ("refresh token", &refresh),
        ("rotated refresh token", &new_refresh),
        ("ID token", &id_token),
        ("client secret", &client.secret),
        ("flow", &flow),
    ];
    for (what, secret) in secrets {
        assert!(!logs.contains(secret), "the {what} reached a log");
    }
}
