//! Harvesting a vendor's COUNTER API (the product's `sushi_url` in the register; a small
//! vendor written in Python, answering as COUNTER API 5.1 describes): each library's month is asked for, queued and throttled answers are
//! asked again when the vendor says, a month not ready the next day, no usage settles it,
//! refused credentials stop until the account is fixed, and every attempt is logged for the
//! roles that may see it, without the API key.

mod support;

use chrono::Duration;
use serde_json::{Value, json};
use support::World;
use tilgang_testkit::peer::PythonPeer;

/// Six libraries subscribing to nordlys-ebok for 2026, each with an account (from October)
/// at the vendor's COUNTER API, whose answer the customer id chooses; and the vendor's token.
async fn world() -> Option<(World, PythonPeer, String)> {
    let vendor_api = PythonPeer::start(
        "http.server",
        "sushi/vendor.py",
        "sushi/requirements.txt",
        &[],
    )?;
    let w = support::world("2026-11-05T10:00:00Z").await;
    let mut vendor = String::new();
    for (isil, _) in CUSTOMERS {
        vendor = support::subscribe(
            &w,
            isil,
            "nordlys-ebok",
            ("2026-01-01", "2026-12-31"),
            120_000,
        )
        .await;
    }
    let source = w
        .app
        .patch(
            "/api/v1/products/nordlys-ebok",
            &vendor,
            &json!({"statistics": "sushi", "sushi_url": format!("http://127.0.0.1:{}/", vendor_api.port)}),
        )
        .await;
    assert_eq!(source.status, 200, "{}", source.text);
    for (isil, customer) in CUSTOMERS {
        let key = if customer == "wrongkey" {
            "a guess"
        } else {
            "vendor-key"
        };
        let account = w
            .app
            .put(
                &format!("/api/v1/usage/harvest/accounts/nordlys-ebok/{isil}"),
                &w.app.library_admin(&[isil]),
                &json!({"customer_id": customer, "api_key": key, "harvest_from": "2026-10"}),
            )
            .await;
        assert_eq!(account.status, 200, "{}", account.text);
    }
    Some((w, vendor_api, vendor))
}

const CUSTOMERS: [(&str, &str); 6] = [
    ("NO-2030000", "ok"),
    ("NO-2060200", "queued"),
    ("DK-710100", "busy"),
    ("FI-Tam", "notready"),
    ("SE-16", "empty"),
    ("SE-3", "wrongkey"),
];

async fn log(w: &World, token: &str) -> Vec<Value> {
    let answer = w.app.get("/api/v1/usage/harvest/log", token).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(!answer.text.contains("vendor-key"), "no API key in the log");
    answer.body.as_array().unwrap().clone()
}

/// The latest outcome per ISIL.
async fn outcomes(w: &World) -> Vec<(String, String)> {
    let mut latest: Vec<(String, String)> = Vec::new();
    for entry in log(w, &w.app.consortium_admin()).await {
        let isil = entry["isil"].as_str().unwrap().to_owned();
        if !latest.iter().any(|(i, _)| *i == isil) {
            latest.push((isil, entry["outcome"].as_str().unwrap().to_owned()));
        }
    }
    latest.sort();
    latest
}

fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = pairs
        .iter()
        .map(|(i, o)| ((*i).to_owned(), (*o).to_owned()))
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn each_answer_is_handled_as_counter_api_5_1_says() {
    let Some((w, vendor_api, _)) = world().await else {
        return;
    };
    let harvester = w.usage.harvester();
    assert_eq!(harvester.run_once().await.unwrap(), 6, "one month each");
    assert_eq!(
        outcomes(&w).await,
        expect(&[
            ("NO-2030000", "harvested"),
            ("NO-2060200", "queued"),
            ("DK-710100", "throttled"),
            ("FI-Tam", "not_ready"),
            ("SE-16", "no_usage"),
            ("SE-3", "refused"),
        ])
    );
    assert_eq!(
        harvester.run_once().await.unwrap(),
        0,
        "nothing is due at once"
    );

    w.env.clock.advance(Duration::hours(2));
    assert_eq!(
        harvester.run_once().await.unwrap(),
        2,
        "the queued and the throttled"
    );
    w.env.clock.advance(Duration::days(1));
    assert_eq!(harvester.run_once().await.unwrap(), 1, "the one not ready");
    assert_eq!(
        outcomes(&w).await,
        expect(&[
            ("NO-2030000", "harvested"),
            ("NO-2060200", "harvested"),
            ("DK-710100", "harvested"),
            ("FI-Tam", "harvested"),
            ("SE-16", "no_usage"),
            ("SE-3", "refused"),
        ])
    );
    w.env.clock.advance(Duration::days(2));
    assert_eq!(
        harvester.run_once().await.unwrap(),
        0,
        "done months are not asked again"
    );

    let asked = vendor_api.lines_after("ASKED ");
    assert_eq!(asked.len(), 9, "{asked:?}");
    assert!(
        asked.iter().all(|l| l.ends_with("2026-10 2026-10")),
        "{asked:?}"
    );

    let stored = w
        .app
        .get("/api/v1/usage/reports", &w.app.consortium_admin())
        .await;
    assert_eq!(stored.body.as_array().unwrap().len(), 4, "{}", stored.text);
    let cost = w
        .app
        .get(
            "/api/v1/usage/cost?isil=NO-2030000&from=2026-10-01&to=2026-10-31",
            &w.app.library_admin(&["NO-2030000"]),
        )
        .await;
    assert_eq!(
        cost.body[0]["paid"][0]["unique_item_requests"], 12,
        "{}",
        cost.text
    );
}

#[tokio::test]
async fn refused_credentials_wait_until_the_account_is_fixed() {
    let Some((w, _vendor_api, _)) = world().await else {
        return;
    };
    let harvester = w.usage.harvester();
    harvester.run_once().await.unwrap();
    w.env.clock.advance(Duration::days(3));
    harvester.run_once().await.unwrap();
    let refusals = |entries: Vec<Value>| {
        entries
            .iter()
            .filter(|e| e["isil"] == "SE-3" && e["outcome"] == "refused")
            .count()
    };
    assert_eq!(
        refusals(log(&w, &w.app.consortium_admin()).await),
        1,
        "asked once"
    );
    let malmo = w.app.library_admin(&["SE-3"]);
    let fixed = w
        .app
        .put(
            "/api/v1/usage/harvest/accounts/nordlys-ebok/SE-3",
            &malmo,
            &json!({"customer_id": "ok", "api_key": "vendor-key"}),
        )
        .await;
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.body["api_key_set"], true);
    assert!(fixed.body.get("api_key").is_none());
    harvester.run_once().await.unwrap();
    let own = log(&w, &malmo).await;
    assert_eq!(own[0]["outcome"], "harvested", "{own:?}");
    assert!(
        own.iter().all(|e| e["isil"] == "SE-3"),
        "a library admin sees its own"
    );
}

#[tokio::test]
async fn accounts_are_set_only_by_those_who_may() {
    let Some((w, _vendor_api, vendor)) = world().await else {
        return;
    };
    let other_vendor = w.app.vendor(tilgang_kernel::VendorId::new());
    let none = w
        .app
        .put(
            "/api/v1/usage/harvest/accounts/avisarkivet/NO-2030000",
            &w.app.library_admin(&["NO-2030000"]),
            &json!({"customer_id": "x"}),
        )
        .await;
    assert_eq!(none.status, 409);
    assert_eq!(none.code(), "no_harvest_source");
    let foreign = w
        .app
        .put(
            "/api/v1/usage/harvest/accounts/nordlys-ebok/NO-2030000",
            &w.app.library_admin(&["FI-Tam"]),
            &json!({"customer_id": "x"}),
        )
        .await;
    assert_eq!(foreign.status, 403);
    let vendor_account = w
        .app
        .put(
            "/api/v1/usage/harvest/accounts/nordlys-ebok/NO-2030000",
            &vendor,
            &json!({"customer_id": "x"}),
        )
        .await;
    assert_eq!(vendor_account.status, 403);
    let future = w
        .app
        .put(
            "/api/v1/usage/harvest/accounts/nordlys-ebok/NO-2030000",
            &w.app.consortium_admin(),
            &json!({"customer_id": "x", "harvest_from": "2030-01"}),
        )
        .await;
    assert_eq!(future.status, 400);

    let seen = |token: String| {
        let app = &w.app;
        async move {
            let listed = app.get("/api/v1/usage/harvest/accounts", &token).await;
            assert!(!listed.text.contains("vendor-key"));
            listed.body.as_array().unwrap().len()
        }
    };
    assert_eq!(seen(w.app.consortium_admin()).await, 6);
    assert_eq!(seen(w.app.library_admin(&["FI-Tam"])).await, 1);
    assert_eq!(
        seen(vendor.clone()).await,
        6,
        "the vendor sees its product's accounts"
    );
    assert_eq!(seen(other_vendor.clone()).await, 0);
    assert!(log(&w, &other_vendor).await.is_empty());

    let gone = w
        .app
        .delete(
            "/api/v1/usage/harvest/accounts/nordlys-ebok/FI-Tam",
            &w.app.library_admin(&["FI-Tam"]),
        )
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(w.usage.harvester().run_once().await.unwrap(), 5);
}
