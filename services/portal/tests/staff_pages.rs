//! The staff pages: staff log in through the hub's own OpenID Connect provider, a library
//! admin sees only their own library's pages and starts a trial in two clicks, every form
//! needs the session's CSRF token, and logout ends the portal's session and the provider's.

mod support;

use reqwest::StatusCode;
use support::{follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;

#[tokio::test]
async fn a_library_admin_logs_in_through_the_provider_and_lands_on_their_library() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer
            .location
            .as_deref()
            .unwrap()
            .contains("/admin/callback?code="),
        "{:?}",
        answer.location
    );
    let page = follow(&mut browser, answer).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Tampereen kaupunginkirjasto"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Logged in as Tuula Tampere"));
    assert!(
        page.body.contains("Subscription, renewed automatically"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("/admin/libraries/FI-Tam/trial?product=nordlys-lydbok")
    );
    assert!(browser.cookies.contains_key("tg_admin"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_starts_no_session() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", "not the password").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(
        answer
            .body
            .contains("The e-mail address or password is not right.")
    );
    assert!(!answer.body.contains("not the password"));
    assert!(!browser.cookies.contains_key("tg_staff"));
    let again = browser.get("/admin").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(again.location.unwrap().starts_with("/admin/login"));
}

#[tokio::test]
async fn a_library_admin_starts_a_trial_in_two_clicks_and_the_library_has_it_at_once() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    let offer = browser
        .get("/admin/libraries/FI-Tam/trial?product=nordlys-lydbok")
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    assert!(offer.body.contains("50 days"), "{}", offer.body);
    let csrf = offer.input("csrf");
    let started = browser
        .post(
            "/admin/libraries/FI-Tam/trial",
            &[("csrf", &csrf), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page = follow(&mut browser, started).await;
    assert!(page.body.contains("role=\"status\""), "{}", page.body);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive();
    let last = (today + chrono::Days::new(49)).format("%Y-%m-%d");
    let expected = format!("Trial until {last} (50 days left)");
    assert!(page.body.contains(&expected), "{expected} in {}", page.body);
    let elibrary = browser.get("/l/FI-Tam").await;
    assert!(elibrary.body.contains("/go/FI-Tam/nordlys-lydbok"));

    let twice = browser
        .post(
            "/admin/libraries/FI-Tam/trial",
            &[("csrf", &csrf), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(
        twice
            .body
            .contains("The library already has a trial of this product."),
        "{}",
        twice.body
    );
}

#[tokio::test]
async fn a_form_without_the_session_s_csrf_token_is_refused_and_changes_nothing() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    for csrf in ["", "forged"] {
        let refused = browser
            .post(
                "/admin/libraries/FI-Tam/trial",
                &[("csrf", csrf), ("product", "nordlys-lydbok")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let page = browser.get("/admin/libraries/FI-Tam").await;
    assert!(!page.body.contains("Trial until"), "{}", page.body);
}

#[tokio::test]
async fn a_library_admin_cannot_open_another_library_s_pages_by_changing_the_url() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    let tampere = follow(&mut browser, answer).await;
    let csrf = tampere.input("csrf");
    for path in [
        "/admin/libraries/NO-2030000",
        "/admin/libraries/no-2030000",
        "/admin/libraries/NO-2030000/trial?product=nordlys-lydbok",
        "/admin/libraries/XX-Nowhere",
        "/admin/libraries/not%20an%20isil",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Deichman"), "{path}");
    }
    let refused = browser
        .post(
            "/admin/libraries/SE-3/trial",
            &[("csrf", &csrf), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_consortium_admin_sees_every_library_and_may_open_each() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "konsortium@tilgang.demo", STAFF_PASSWORD).await;
    let home = follow(&mut browser, answer).await;
    assert!(
        home.body.contains("/admin/libraries/NO-2030000"),
        "{}",
        home.body
    );
    assert!(home.body.contains("/admin/libraries/FI-Tam"));
    let deichman = browser.get("/admin/libraries/NO-2030000").await;
    assert_eq!(deichman.status, StatusCode::OK);
    assert!(
        deichman
            .body
            .contains("There is nothing more to try just now.")
    );
}

#[tokio::test]
async fn logout_ends_the_portal_s_session_and_the_provider_s() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    let page = follow(&mut browser, answer).await;
    let csrf = page.input("csrf");
    let session = browser.cookies["tg_admin"].clone();
    let out = browser.post("/admin/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let landed = follow(&mut browser, out).await;
    assert_eq!(landed.status, StatusCode::OK);
    assert!(!browser.cookies.contains_key("tg_admin"));
    assert!(!browser.cookies.contains_key("tg_staff"));
    // The old cookie opens nothing, and the provider asks for the password again.
    browser.cookies.insert("tg_admin".into(), session);
    let again = browser.get("/admin").await;
    assert!(
        again
            .location
            .as_deref()
            .unwrap()
            .starts_with("/admin/login")
    );
    let form = follow(&mut browser, again).await;
    assert!(form.body.contains("name=\"password\""), "{}", form.body);
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_before_the_first_login() {
    let hub = hub().await;
    let admin = hub.app.consortium_admin();
    let created = hub
        .app
        .post(
            "/api/v1/staff",
            &admin,
            &serde_json::json!({"email": "ny@tampere.demo", "name": "Ny", "role": "library_admin", "isils": ["FI-Tam"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let once = created.body["password"].as_str().unwrap().to_owned();
    let mut browser = hub.browser();
    let asked = log_in(&mut browser, "ny@tampere.demo", &once).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked.body.contains("Choose a new password"),
        "{}",
        asked.body
    );
    let flow = asked.input("flow");
    let change = |new: &str, repeat: &str| {
        let form = [
            ("flow", flow.as_str()),
            ("email", "ny@tampere.demo"),
            ("password", once.as_str()),
            ("new", new),
            ("repeat", repeat),
        ];
        tilgang_testkit::browser::form_body(&form)
    };
    for (new, repeat) in [
        ("short", "short"),
        ("a long new password", "another long one"),
    ] {
        let refused = browser.post_body("/login/staff", change(new, repeat)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{new}");
    }
    let done = browser
        .post_body(
            "/login/staff",
            change("a long new password", "a long new password"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = follow(&mut browser, done).await;
    assert!(page.body.contains("Logged in as Ny"), "{}", page.body);
    let mut other = hub.browser();
    let old = log_in(&mut other, "ny@tampere.demo", &once).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_patron_s_visit_shows_in_the_library_s_usage_page_and_its_csv_and_nowhere_else() {
    let hub = hub().await;
    let mut patron = hub.browser();
    let start = patron.get("/go/FI-Tam/kunnskapsbasen").await;
    let landed = patron
        .walk(start, "demo", "2468", |l| {
            l.contains("/demo/vendor") || !l.starts_with('/')
        })
        .await;
    assert!(
        landed.location.is_some(),
        "the patron was sent on: {}",
        landed.body
    );
    hub.usage.rollup().run_once().await.unwrap();

    let mut admin = hub.browser();
    let answer = log_in(&mut admin, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut admin, answer).await;
    let page = admin.get("/admin/libraries/FI-Tam/usage").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    assert!(
        page.body
            .contains(&format!("<td>{month}</td><th scope=\"row\">Kunnskapsbasen")),
        "{}",
        page.body
    );
    assert!(page.body.contains("<svg"), "a chart");
    let csv = admin.get("/admin/libraries/FI-Tam/usage.csv").await;
    assert!(
        csv.body
            .contains(&format!("{month},FI-Tam,kunnskapsbasen,1,0,1")),
        "{}",
        csv.body
    );
    for path in [
        "/admin/libraries/NO-2030000/usage",
        "/admin/libraries/NO-2030000/usage.csv",
    ] {
        assert_eq!(
            admin.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_library_admin_orders_the_featured_products_and_a_bad_position_changes_nothing() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    let form = browser.get("/admin/libraries/FI-Tam/highlights").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.input("csrf");
    let saved = browser
        .post(
            "/admin/libraries/FI-Tam/highlights",
            &[
                ("csrf", &csrf),
                ("rank-kunnskapsbasen", "1"),
                ("rank-avisarkivet", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("role=\"status\""));
    let featured = |body: &str| -> Vec<String> {
        let section = body.split("</section>").next().unwrap_or_default();
        section
            .split("<h3>")
            .skip(1)
            .map(|rest| rest.split("</h3>").next().unwrap().to_owned())
            .collect()
    };
    let page = browser.get("/l/FI-Tam?lang=en").await;
    assert_eq!(
        featured(&page.body)[..2],
        ["Kunnskapsbasen", "Avisarkivet"],
        "{}",
        page.body
    );

    for bad in ["13", "0", "first"] {
        let refused = browser
            .post(
                "/admin/libraries/FI-Tam/highlights",
                &[("csrf", &csrf), ("rank-nordlys-ebok", bad)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let forged = browser
        .post(
            "/admin/libraries/FI-Tam/highlights",
            &[("csrf", "x"), ("rank-nordlys-ebok", "1")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = browser.get("/l/FI-Tam?lang=en").await;
    assert_eq!(featured(&page.body)[..2], ["Kunnskapsbasen", "Avisarkivet"]);
    let other = browser
        .post(
            "/admin/libraries/NO-2030000/highlights",
            &[("csrf", &csrf), ("rank-avisarkivet", "1")],
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_staff_code_is_exchanged_once_only_with_its_pkce_verifier_and_redirect_uri() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    let code = answer.param("code").expect("a code for the portal");
    let secret = tilgang_kernel::staff::portal_client_secret(support::ROOT);
    let exchange = |verifier: &'static str, redirect: String| {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier),
        ];
        hub.app
            .client
            .post(hub.app.url("/oauth2/token"))
            .basic_auth(tilgang_kernel::staff::PORTAL_CLIENT_ID, Some(&secret))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(tilgang_testkit::browser::form_body(&form))
            .send()
    };
    let callback = format!("{}/admin/callback", tilgang_testkit::ISSUER);
    // The browser's code with a verifier the portal never made: refused, and the code is spent.
    let wrong = exchange(
        "a verifier of at least forty-three characters, made up",
        callback.clone(),
    )
    .await
    .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    let again = exchange(
        "a verifier of at least forty-three characters, made up",
        callback,
    )
    .await
    .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    // The portal, which held the right verifier, can no longer use it either.
    let landed = follow(&mut browser, answer).await;
    assert!(!landed.body.contains("Logged in as"), "{}", landed.body);
}

#[tokio::test]
async fn a_deactivated_account_loses_the_staff_pages_at_once() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    assert_eq!(
        browser.get("/admin/libraries/FI-Tam").await.status,
        StatusCode::OK
    );
    let admin = hub.app.consortium_admin();
    let accounts = hub.app.get("/api/v1/staff", &admin).await;
    let id = accounts
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "tampere@tilgang.demo")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let off = hub
        .app
        .patch(
            &format!("/api/v1/staff/{id}"),
            &admin,
            &serde_json::json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    let page = browser.get("/admin/libraries/FI-Tam").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // Nor does the provider's session let them back in without the password.
    let form = follow(&mut browser, page).await;
    assert!(form.body.contains("name=\"password\""), "{}", form.body);
}

#[tokio::test]
async fn a_library_admin_stops_a_trial_and_patrons_lose_it_at_once() {
    let hub = hub().await;
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    let page = follow(&mut browser, answer).await;
    let csrf = page.input("csrf");
    let form = [("csrf", csrf.as_str()), ("product", "nordlys-lydbok")];
    browser.post("/admin/libraries/FI-Tam/trial", &form).await;
    let forged = browser
        .post(
            "/admin/libraries/FI-Tam/trial/cancel",
            &[("csrf", "forged"), ("product", "nordlys-lydbok")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        browser
            .get("/l/FI-Tam")
            .await
            .body
            .contains("/go/FI-Tam/nordlys-lydbok")
    );

    let stopped = browser
        .post("/admin/libraries/FI-Tam/trial/cancel", &form)
        .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER, "{}", stopped.body);
    let page = follow(&mut browser, stopped).await;
    assert!(
        page.body
            .contains("The trial of Nordlys lydbøker has stopped."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Trial until"));
    assert!(
        !browser
            .get("/l/FI-Tam")
            .await
            .body
            .contains("/go/FI-Tam/nordlys-lydbok")
    );
    let again = browser
        .post("/admin/libraries/FI-Tam/trial/cancel", &form)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let elsewhere = browser
        .post(
            "/admin/libraries/NO-2030000/trial/cancel",
            &[("csrf", csrf.as_str()), ("product", "nordlys-ebok")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}
