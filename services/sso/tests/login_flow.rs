//! A patron's login from the vendor's authorization request to tokens, and what the vendor
//! learns (and does not).

mod support;

use reqwest::StatusCode;
use support::*;
use tilgang_kernel::ports::{AccessOutcome, DenialReason};

#[tokio::test]
async fn a_patron_logs_in_and_the_vendor_gets_a_pairwise_subject_and_the_library() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &client, "NO-2030000").await;
    let (status, tokens) = exchange(&hub, &client, &code, &verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["isil"], "NO-2030000");
    assert_eq!(id["library_name"], "Deichman");
    assert_eq!(id["nonce"], "nn");
    assert_eq!(id["aud"], client.id.as_str());
    assert!(
        id.get("age_band").is_none(),
        "nordlys-ebok's release policy has no age band"
    );
    let everything = tokens.to_string() + &id.to_string();
    assert!(!everything.contains("demo") && !everything.contains("2468"));

    let userinfo = hub
        .app
        .client
        .get(hub.app.url("/oauth2/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let info: serde_json::Value = userinfo.json().await.unwrap();
    assert_eq!(info["sub"], id["sub"]);
    assert_eq!(info["isil"], "NO-2030000");
}

#[tokio::test]
async fn the_same_patron_has_one_subject_per_vendor_and_another_at_a_different_vendor() {
    let hub = Hub::start().await;
    let ebook = hub.client_for("nordlys-ebok").await;
    let audio = hub.client_for("nordlys-lydbok").await;
    let newspaper = hub.client_for("avisarkivet").await;

    let mut browser = hub.browser();
    let mut subjects = Vec::new();
    for client in [&ebook, &audio, &newspaper] {
        let (code, verifier) = login(&mut browser, client, "NO-2030000").await;
        let (_, tokens) = exchange(&hub, client, &code, &verifier).await;
        subjects.push(claims(tokens["id_token"].as_str().unwrap())["sub"].clone());
    }
    assert_eq!(subjects[0], subjects[1], "one vendor, one subject");
    assert_ne!(
        subjects[0], subjects[2],
        "two vendors cannot link the patron"
    );
}

#[tokio::test]
async fn the_age_band_goes_only_to_a_product_whose_release_policy_allows_it() {
    let hub = Hub::start().await;
    let audio = hub.client_for("nordlys-lydbok").await;
    let mut browser = hub.browser();
    let (code, verifier) = login(&mut browser, &audio, "NO-2030000").await;
    let (_, tokens) = exchange(&hub, &audio, &code, &verifier).await;
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert!(id["age_band"].is_string(), "{id}");
    assert!(id.get("birth_year").is_none() && id.get("patron_category").is_none());
}

#[tokio::test]
async fn a_wrong_pin_and_an_unknown_card_get_the_same_answer_and_nothing_personal_is_recorded() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &client, "NO-2030000", "").await;
    let wrong = browser
        .post(
            "/login",
            &[("flow", &flow), ("card", "demo"), ("pin", "1357")],
        )
        .await;
    let unknown = browser
        .post(
            "/login",
            &[("flow", &flow), ("card", "nobody-12345"), ("pin", "1357")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let alert = |body: &str| {
        body.split("role=\"alert\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(alert(&wrong.body), alert(&unknown.body));

    let events = hub.events.events();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.outcome == AccessOutcome::Denied && e.reason == Some(DenialReason::WrongPin)));
    let recorded = serde_json::to_string(&events).unwrap();
    assert!(
        !recorded.contains("nobody-12345")
            && !recorded.contains("1357")
            && !recorded.contains("demo")
    );
}

#[tokio::test]
async fn pin_guessing_is_throttled_per_card_even_for_the_right_pin() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &client, "NO-2030000", "").await;
    for pin in ["1111", "2222", "3333", "4444", "5555"] {
        let page = browser
            .post("/login", &[("flow", &flow), ("card", "demo"), ("pin", pin)])
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let right = browser
        .post(
            "/login",
            &[("flow", &flow), ("card", "demo"), ("pin", "2468")],
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_library_without_access_gets_a_clear_page_and_the_vendor_gets_access_denied() {
    let hub = Hub::start().await;
    let audio = hub.client_for("nordlys-lydbok").await;
    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &audio, "FI-Tam", "&ui_locales=fi").await;
    let page = browser
        .post(
            "/login",
            &[("flow", &flow), ("card", "demo"), ("pin", "2468")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("ei tarjoa"), "in Finnish: {}", page.body);
    assert!(page.body.contains("/l/FI-Tam"));
    assert!(page.body.contains("error=access_denied"));
    let last = hub.events.events().pop().unwrap();
    assert_eq!(last.reason, Some(DenialReason::NotEntitled));
}

#[tokio::test]
async fn a_second_login_in_the_same_browser_needs_no_card_and_prompt_login_asks_again() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    login(&mut browser, &client, "NO-2030000").await;
    let (_, challenge) = pkce();
    let again = browser
        .get(&authorize_url(&client, "NO-2030000", &challenge, ""))
        .await;
    assert!(
        again.param("code").is_some(),
        "straight back with a code: {:?}",
        again.location
    );
    let fresh = browser
        .get(&authorize_url(
            &client,
            "NO-2030000",
            &challenge,
            "&prompt=login",
        ))
        .await;
    assert!(fresh.location.unwrap().starts_with("/login?flow="));
}

#[tokio::test]
async fn prompt_none_without_a_session_answers_login_required() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (_, challenge) = pkce();
    let page = browser
        .get(&authorize_url(
            &client,
            "NO-2030000",
            &challenge,
            "&prompt=none",
        ))
        .await;
    assert_eq!(page.param("error").as_deref(), Some("login_required"));
    assert_eq!(page.param("state").as_deref(), Some("st"));
}

#[tokio::test]
async fn the_library_picker_finds_libraries_by_name_and_remembers_the_choice() {
    let hub = Hub::start().await;
    let client = hub.client_for("nordlys-ebok").await;
    let mut browser = hub.browser();
    let (_, challenge) = pkce();
    let start = browser
        .get(&authorize_url(&client, "", &challenge, ""))
        .await;
    let location = start.location.unwrap();
    let picker = browser.get(&format!("{location}&q=tampere")).await;
    assert!(picker.body.contains("FI-Tam"), "{}", picker.body);
    let chosen = browser.get(&format!("{location}&isil=FI-Tam")).await;
    assert!(chosen.body.contains("name=\"pin\""));
    assert_eq!(
        browser.cookies.get("tg_library").map(String::as_str),
        Some("FI-Tam")
    );
}

#[tokio::test]
async fn a_trial_opens_a_product_to_the_library_s_patrons_at_once_and_closes_it_after_day_fifty() {
    let hub = Hub::start().await;
    let audio = hub.client_for("nordlys-lydbok").await;
    let desk = hub.subscriptions.desk();
    let tampere = tilgang_kernel::Isil::parse("FI-Tam").unwrap();
    let admin = tilgang_kernel::Principal::LibraryAdmin {
        subject: "admin@tampere".into(),
        isils: vec![tampere.clone()],
    };
    let product = desk.product_ref("nordlys-lydbok").await.unwrap();
    let trial = desk.request_trial(&admin, &tampere, product).await.unwrap();

    let (code, _) = login(&mut hub.browser(), &audio, "FI-Tam").await;
    assert!(
        !code.is_empty(),
        "the trial lets Tampere's patrons in at once"
    );

    hub.env.clock.set(trial.ends_at.unwrap());
    let mut browser = hub.browser();
    let flow = start_login(&mut browser, &audio, "FI-Tam", "").await;
    let page = browser
        .post(
            "/login",
            &[("flow", &flow), ("card", "demo"), ("pin", "2468")],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "at the end of day 50 the door closes, before any job runs"
    );
}
