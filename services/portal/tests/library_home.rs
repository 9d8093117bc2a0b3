//! A library's page says on top what ends soon, shows at a glance how much each product it
//! has was used this month and last, and turns a running trial into a subscription with the
//! trial's use beside the price.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in};
use tilgang_kernel::Clock;
use tilgang_kernel::ports::{AccessEvent, AccessOutcome};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

const CONVERT: &str = "/admin/libraries/FI-Tam/convert";

async fn tampere_admin(hub: &Hub) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, "tampere@tilgang.demo", STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// A hub with Tampere's trial of the audiobooks started `days` ago (through the API, as a
/// consortium admin, with the clock standing then) and the clock back at today. The staff
/// login checks its ID token against the real time, so staff log in only after.
async fn trial_started_days_ago(days: i64) -> Hub {
    let now = chrono::Utc::now();
    let hub = support::hub_at(Some(now - chrono::Duration::days(days))).await;
    let admin = hub.app.consortium_admin();
    let trial = hub
        .app
        .post(
            "/api/v1/trials",
            &admin,
            &serde_json::json!({"isil": "FI-Tam", "product": "nordlys-lydbok"}),
        )
        .await;
    assert_eq!(trial.status, StatusCode::CREATED, "{}", trial.text);
    hub
}

/// A patron's visit to the audiobooks at Tampere, at the hub's clock, rolled up.
async fn a_visit(hub: &Hub) {
    let audiobooks = tilgang_registry::Registry::new(&hub.env.ctx)
        .catalogue()
        .product_by_slug("nordlys-lydbok")
        .await
        .unwrap()
        .unwrap();
    let event = AccessEvent {
        id: uuid::Uuid::now_v7(),
        at: hub.env.clock.now(),
        isil: "FI-Tam".parse().unwrap(),
        vendor: Some(audiobooks.vendor),
        product: Some(audiobooks.id),
        outcome: AccessOutcome::Granted,
        reason: None,
        pseudonym: "a patron".into(),
    };
    hub.usage.sink().record(vec![event]).await.unwrap();
}

#[tokio::test]
async fn a_trial_in_its_last_two_weeks_is_mentioned_on_top_and_not_before() {
    let fresh = trial_started_days_ago(0).await;
    let mut browser = tampere_admin(&fresh).await;
    let page = browser.get("/admin/libraries/FI-Tam").await;
    assert!(page.body.contains("Trial until"), "{}", page.body);
    assert!(!page.body.contains("id=\"reminders\""), "{}", page.body);

    // A product whose trials last ten days: a new trial is in its last two weeks at once.
    let short = hub().await;
    let admin = short.app.consortium_admin();
    let terms = serde_json::json!({"trial": {"available": true, "days": 10, "needs_vendor_confirmation": false, "waiting_days": 365}});
    let patched = short
        .app
        .patch("/api/v1/products/nordlys-lydbok", &admin, &terms)
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let trial = serde_json::json!({"isil": "FI-Tam", "product": "nordlys-lydbok"});
    let started = short.app.post("/api/v1/trials", &admin, &trial).await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.text);
    let mut browser = tampere_admin(&short).await;
    let page = browser.get("/admin/libraries/FI-Tam").await;
    assert!(page.body.contains("id=\"reminders\""), "{}", page.body);
    assert!(
        page.body.contains("The trial of Nordlys lydbøker ends on"),
        "{}",
        page.body
    );
    // Which day counts as the last depends on the hour the trial started.
    assert!(
        page.body.contains("in 10 days") || page.body.contains("in 11 days"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("agree a subscription with Nordlys Forlag")
    );
}

#[tokio::test]
async fn the_library_page_shows_this_month_s_sessions_per_product() {
    let hub = trial_started_days_ago(0).await;
    a_visit(&hub).await;
    hub.usage.rollup().run_once().await.unwrap();

    let mut browser = tampere_admin(&hub).await;
    let page = browser.get("/admin/libraries/FI-Tam").await;

    assert!(page.body.contains("Sessions this month"), "{}", page.body);
    let row = page
        .body
        .split("<th scope=\"row\">")
        .find(|r| r.starts_with("Nordlys lydbøker"))
        .expect("a row of the audiobooks");
    assert!(
        row.contains("<td class=\"number\">1</td><td class=\"number\">0</td>"),
        "one session this month, none last month: {row}"
    );
}

#[tokio::test]
async fn a_trial_becomes_a_subscription_and_the_page_says_what_a_session_costs() {
    let hub = trial_started_days_ago(9).await;
    a_visit(&hub).await;
    hub.env.clock.set(chrono::Utc::now());
    hub.usage.rollup().run_once().await.unwrap();
    let mut browser = tampere_admin(&hub).await;

    let form = browser
        .get(&format!("{CONVERT}?product=nordlys-lydbok"))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("<option value=\"EUR\" selected>"),
        "Finland pays in euros"
    );
    let csrf = form.input("csrf");
    let ends_on = form.input("ends_on");
    let done = browser
        .post(
            CONVERT,
            &[
                ("csrf", &csrf),
                ("product", "nordlys-lydbok"),
                ("ends_on", &ends_on),
                ("price", "3 650"),
                ("currency", "EUR"),
            ],
        )
        .await;

    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body
            .contains("Nordlys lydbøker is now a subscription until"),
        "{}",
        done.body
    );
    assert!(done.body.contains("for EUR\u{a0}3,650.00"), "{}", done.body);
    assert!(
        done.body.contains("The trial had 1 session in "),
        "{}",
        done.body
    );
    // One session in the eight to ten days tried (which day counts as the trial's first
    // depends on the hour it started): 36 to 45 in the year, at 81 to 101 EUR each.
    assert!(
        [
            "about 45 sessions, and each costs about EUR\u{a0}81.11",
            "about 40 sessions, and each costs about EUR\u{a0}91.25",
            "about 36 sessions, and each costs about EUR\u{a0}101.38",
        ]
        .iter()
        .any(|line| done.body.contains(line)),
        "{}",
        done.body
    );
    let library = browser.get("/admin/libraries/FI-Tam").await;
    assert!(
        library.body.contains("Subscription until"),
        "{}",
        library.body
    );
    assert!(!library.body.contains("Stop the trial"));
}

#[tokio::test]
async fn a_bad_price_or_a_product_without_a_running_trial_changes_nothing() {
    let hub = hub().await;
    let mut browser = tampere_admin(&hub).await;
    let none = browser
        .get(&format!("{CONVERT}?product=nordlys-lydbok"))
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "no trial runs yet");
    let hub = trial_started_days_ago(0).await;
    let mut browser = tampere_admin(&hub).await;
    let form = browser
        .get(&format!("{CONVERT}?product=nordlys-lydbok"))
        .await;
    let csrf = form.input("csrf");

    let bad = browser
        .post(
            CONVERT,
            &[
                ("csrf", &csrf),
                ("product", "nordlys-lydbok"),
                ("ends_on", "2099-12-31"),
                ("price", "twelve"),
                ("currency", "EUR"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Write the price as a number"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("value=\"twelve\""),
        "the form keeps what was entered"
    );
    let theirs = browser
        .get("/admin/libraries/NO-2030000/convert?product=nordlys-ebok")
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let library = browser.get("/admin/libraries/FI-Tam").await;
    assert!(
        library.body.contains("Stop the trial"),
        "the trial still runs"
    );
}
