//! Cost per use: what a library paid for a product, spread over the days asked for, against
//! the sessions the hub let in and the Unique_Item_Requests the vendor reported; trials with
//! their use beside it; each role sees only its own.

mod support;

use serde_json::{Map, Value, json};
use support::World;
use tilgang_counter::{PlatformCount, PlatformHeader, ReportKind, platform_report};

/// Deichman subscribes to nordlys-ebok for 2026 at 365,000 øre (1,000 a day) and starts a
/// trial of avisarkivet on 1 September; patrons are let in three times into nordlys-ebok and
/// twice into avisarkivet that day; the vendor reports 60 Unique_Item_Requests for
/// September.
async fn world() -> (World, String) {
    let w = support::world("2026-09-01T10:00:00Z").await;
    let vendor = support::subscribe(
        &w,
        "NO-2030000",
        "nordlys-ebok",
        ("2026-01-01", "2026-12-31"),
        365_000,
    )
    .await;
    let trial = w
        .app
        .post(
            "/api/v1/trials",
            &w.app.library_admin(&["NO-2030000"]),
            &json!({"isil": "NO-2030000", "product": "avisarkivet"}),
        )
        .await;
    assert_eq!(trial.status, 201, "{}", trial.text);
    let desk = w.subscriptions.desk();
    let ebok = desk.product_ref("nordlys-ebok").await.unwrap();
    let aviser = desk.product_ref("avisarkivet").await.unwrap();
    let visits = [
        (ebok, "anna"),
        (ebok, "bo"),
        (ebok, "anna"),
        (aviser, "anna"),
        (aviser, "cai"),
    ];
    let events = visits.map(|(product, patron)| support::visit(&w, "NO-2030000", product, patron));
    w.usage.sink().record(events.to_vec()).await.unwrap();
    w.usage.rollup().run_once().await.unwrap();

    w.env.clock.set(support::at("2026-10-05T10:00:00Z"));
    let pushed = w
        .app
        .post(
            "/api/v1/usage/reports?product=nordlys-ebok",
            &vendor,
            &september_report(60),
        )
        .await;
    assert_eq!(pushed.status, 201, "{}", pushed.text);
    (w, vendor)
}

/// A PR for Deichman in September 2026 with `requests` Unique_Item_Requests.
fn september_report(requests: u64) -> Value {
    let count = |metric: &str, count| PlatformCount {
        platform: "Nordlys".into(),
        data_type: "Book".into(),
        access_method: "Regular".into(),
        metric: metric.into(),
        month: "2026-09".into(),
        count,
    };
    let header = PlatformHeader {
        institution_name: "Deichman".into(),
        isil: "NO-2030000".into(),
        created: "2026-10-02T08:00:00Z".into(),
        created_by: "Nordlys Forlag".into(),
        begin: "2026-09-01".into(),
        end: "2026-09-30".into(),
        filters: Map::new(),
        show_access_method: false,
        exceptions: vec![],
    };
    let counts = [
        count("Total_Item_Requests", requests + 20),
        count("Unique_Item_Requests", requests),
    ];
    platform_report(ReportKind::Pr, &header, &counts).0
}

const SEPTEMBER: &str = "from=2026-09-01&to=2026-09-30";

#[tokio::test]
async fn cost_per_use_spreads_the_price_over_the_days_asked_for() {
    let (w, _) = world().await;
    let answer = w
        .app
        .get(
            &format!("/api/v1/usage/cost?{SEPTEMBER}"),
            &w.app.library_admin(&["NO-2030000"]),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let ebok = w
        .subscriptions
        .desk()
        .product_ref("nordlys-ebok")
        .await
        .unwrap();
    let row = answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == json!(ebok))
        .unwrap()
        .clone();
    assert_eq!(
        row["paid"],
        json!([{
            "currency": "NOK",
            "days": 30,
            "cost_minor": 30_000,
            "sessions": 3,
            "cost_per_session_minor": 10_000,
            "unique_item_requests": 60,
            "cost_per_unique_item_request_minor": 500,
        }])
    );
    assert_eq!(row["trials"], json!([]));
}

#[tokio::test]
async fn a_trial_s_use_is_shown_beside_the_cost() {
    let (w, _) = world().await;
    let answer = w
        .app
        .get(
            &format!("/api/v1/usage/cost?{SEPTEMBER}"),
            &w.app.consortium_admin(),
        )
        .await;
    let aviser = w
        .subscriptions
        .desk()
        .product_ref("avisarkivet")
        .await
        .unwrap();
    let row = answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == json!(aviser))
        .unwrap()
        .clone();
    assert_eq!(row["paid"], json!([]));
    assert_eq!(
        row["trials"],
        json!([{
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-20",
            "days": 30,
            "sessions": 2,
            "unique_item_requests": null,
        }])
    );
}

#[tokio::test]
async fn each_role_sees_only_its_own_costs() {
    let (w, vendor) = world().await;
    let elsewhere = w
        .app
        .get(
            &format!("/api/v1/usage/cost?isil=NO-2030000&{SEPTEMBER}"),
            &w.app.library_admin(&["FI-Tam"]),
        )
        .await;
    assert_eq!(elsewhere.status, 403);
    let own = w
        .app
        .get(
            &format!("/api/v1/usage/cost?{SEPTEMBER}"),
            &w.app.library_admin(&["FI-Tam"]),
        )
        .await;
    assert_eq!(own.body, json!([]));
    let vendor_view = w
        .app
        .get(&format!("/api/v1/usage/cost?{SEPTEMBER}"), &vendor)
        .await;
    assert_eq!(
        vendor_view.body.as_array().unwrap().len(),
        1,
        "{}",
        vendor_view.text
    );
    let bad = w
        .app
        .get(
            "/api/v1/usage/cost?from=2026-13-01",
            &w.app.consortium_admin(),
        )
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn charts_come_as_svg_with_their_numbers_in_a_table() {
    let (w, _) = world().await;
    let deichman = w.app.library_admin(&["NO-2030000"]);
    let autumn = "from=2026-09-01&to=2026-10-31";
    let sessions = w
        .app
        .get(
            &format!("/api/v1/usage/charts/sessions?{autumn}"),
            &deichman,
        )
        .await;
    assert_eq!(sessions.status, 200, "{}", sessions.text);
    assert!(sessions.content_type.starts_with("text/html"));
    assert!(sessions.text.starts_with("<figure"), "{}", sessions.text);
    assert!(
        sessions.text.contains("2026-09: 5; 2026-10: 0"),
        "{}",
        sessions.text
    );
    assert!(
        sessions
            .text
            .contains("<tr><th scope=\"row\">2026-09</th><td>5</td></tr>")
    );

    let cost = w
        .app
        .get(
            &format!("/api/v1/usage/charts/cost-per-session?{SEPTEMBER}&format=svg"),
            &deichman,
        )
        .await;
    assert_eq!(cost.status, 200);
    assert_eq!(cost.content_type, "image/svg+xml");
    assert!(
        cost.text.contains("Cost per session per month (NOK)"),
        "{}",
        cost.text
    );
    assert!(
        cost.text.contains("2026-09: 100"),
        "30,000 øre over 3 sessions: {}",
        cost.text
    );

    let elsewhere = w
        .app
        .get(
            "/api/v1/usage/charts/turnaways?isil=NO-2030000",
            &w.app.library_admin(&["FI-Tam"]),
        )
        .await;
    assert_eq!(elsewhere.status, 403);
    let unknown = w.app.get("/api/v1/usage/charts/pie", &deichman).await;
    assert_eq!(unknown.status, 404);
}
