//! The hub's COUNTER API at `/sushi/r51`: a harvester with a credential gets each library's
//! platform reports, built from the vendors' reports and the hub's own events, valid against
//! the COUNTER 5.1 schema; bad credentials and requests get COUNTER's standard exceptions.

mod support;

use serde_json::{Value, json};
use support::{World, sample};
use tilgang_counter::{ReportKind, rows, validate};

/// A credential for Deichman.
struct Harvester {
    requestor_id: String,
    api_key: String,
}

/// Deichman with the PR sample (2022) pushed by nordlys-ebok's vendor, two patrons let into
/// avisarkivet in October 2026 (no vendor report), and a harvester's credential for Deichman.
async fn world() -> (World, Harvester) {
    let w = support::world("2026-10-15T10:00:00Z").await;
    let vendor = support::subscribe_through_2022(&w, "NO-2030000", "nordlys-ebok").await;
    let pushed = w
        .app
        .post(
            "/api/v1/usage/reports?product=nordlys-ebok",
            &vendor,
            &sample("PR_sample_r51.json", "NO-2030000"),
        )
        .await;
    assert_eq!(pushed.status, 201, "{}", pushed.text);
    let avisarkivet = w
        .subscriptions
        .desk()
        .product_ref("avisarkivet")
        .await
        .unwrap();
    let visits =
        ["anna", "bo", "anna"].map(|patron| support::visit(&w, "NO-2030000", avisarkivet, patron));
    w.usage.sink().record(visits.to_vec()).await.unwrap();
    w.usage.rollup().run_once().await.unwrap();
    w.env.clock.set(support::at("2026-11-22T10:00:00Z"));
    let made = w
        .app
        .post(
            "/api/v1/usage/sushi-credentials",
            &w.app.library_admin(&["NO-2030000"]),
            &json!({"name": "Our ERM"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["isils"], json!(["NO-2030000"]));
    let harvester = Harvester {
        requestor_id: made.body["requestor_id"].as_str().unwrap().into(),
        api_key: made.body["api_key"].as_str().unwrap().into(),
    };
    (w, harvester)
}

async fn harvest(w: &World, h: &Harvester, path: &str, query: &str) -> (u16, Value) {
    let url = w.app.url(&format!(
        "/sushi/r51/{path}?requestor_id={}&api_key={}&{query}",
        h.requestor_id, h.api_key
    ));
    let response = w.app.client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn exception_codes(report: &Value) -> Vec<u64> {
    report["Report_Header"]["Exceptions"]
        .as_array()
        .map(|all| all.iter().map(|e| e["Code"].as_u64().unwrap()).collect())
        .unwrap_or_default()
}

fn total(report: &Value, metric: &str) -> u64 {
    rows(report)
        .iter()
        .filter(|r| r.metric == metric)
        .map(|r| r.count)
        .sum()
}

#[tokio::test]
async fn a_harvester_gets_the_vendor_s_platform_report_passed_through() {
    let (w, h) = world().await;
    let (status, report) = harvest(
        &w,
        &h,
        "reports/pr",
        "customer_id=NO-2030000&begin_date=2022-01&end_date=2022-12&attributes_to_show=Access_Method",
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(validate(&report), Ok(ReportKind::Pr), "{report}");
    assert_eq!(
        report["Report_Header"]["Institution_ID"],
        json!({"ISIL": ["NO-2030000"]})
    );
    assert_eq!(exception_codes(&report), Vec::<u64>::new());
    let official = sample("PR_sample_r51.json", "NO-2030000");
    for metric in [
        "Unique_Item_Requests",
        "Searches_Platform",
        "Total_Item_Investigations",
    ] {
        assert_eq!(total(&report, metric), total(&official, metric), "{metric}");
    }
    let (status, p1) = harvest(
        &w,
        &h,
        "reports/pr_p1",
        "customer_id=NO-2030000&begin_date=2022-01-01&end_date=2022-12-31",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(validate(&p1), Ok(ReportKind::PrP1), "{p1}");
    assert!(total(&p1, "Unique_Item_Requests") > 0);
}

#[tokio::test]
async fn the_hub_s_own_numbers_stand_in_where_no_vendor_reported() {
    let (w, h) = world().await;
    let (status, report) = harvest(
        &w,
        &h,
        "reports/pr",
        "customer_id=NO-2030000&begin_date=2026-10&end_date=2026-10",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(validate(&report), Ok(ReportKind::Pr), "{report}");
    let items = report["Report_Items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{report}");
    assert_eq!(
        items[0]["Attribute_Performance"][0]["Performance"],
        json!({
            "Total_Item_Investigations": {"2026-10": 3},
            "Unique_Item_Investigations": {"2026-10": 2},
        })
    );
}

#[tokio::test]
async fn status_members_and_reports_answer_as_counter_api_5_1() {
    let (w, h) = world().await;
    let status = w
        .app
        .client
        .get(w.app.url("/sushi/r51/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), 200);
    let status: Value = status.json().await.unwrap();
    assert_eq!(status[0]["Service_Active"], true);

    let everyone = format!("customer_id={}", h.requestor_id);
    let (code, members) = harvest(&w, &h, "members", &everyone).await;
    assert_eq!(code, 200);
    assert_eq!(
        members,
        json!([{"Customer_ID": "NO-2030000", "Institution_Name": "Deichman",
                "Institution_ID": {"ISIL": ["NO-2030000"]}}])
    );
    let (code, list) = harvest(&w, &h, "reports", "customer_id=NO-2030000").await;
    assert_eq!(code, 200);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Report_ID"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["PR", "PR_P1"]);
    assert_eq!(list[0]["First_Month_Available"], "2026-10");
    assert_eq!(list[0]["Last_Month_Available"], "2026-10");
}

#[tokio::test]
async fn bad_credentials_and_requests_get_counter_s_standard_exceptions() {
    let (w, h) = world().await;
    let wrong_key = Harvester {
        requestor_id: h.requestor_id.clone(),
        api_key: "guess".into(),
    };
    let nobody = Harvester {
        requestor_id: "tilgang-nobody".into(),
        api_key: h.api_key.clone(),
    };
    let pr = "reports/pr";
    let year = "begin_date=2022-01&end_date=2022-12";
    for (who, path, query, status, code) in [
        (
            &wrong_key,
            pr,
            format!("customer_id=NO-2030000&{year}"),
            401,
            2020,
        ),
        (
            &nobody,
            pr,
            format!("customer_id=NO-2030000&{year}"),
            401,
            2000,
        ),
        (&h, pr, format!("customer_id=FI-Tam&{year}"), 403, 2010),
        (&h, pr, format!("customer_id=not-an-isil&{year}"), 403, 2010),
        (
            &h,
            pr,
            format!("customer_id={}&{year}", h.requestor_id),
            403,
            2011,
        ),
        (&h, pr, year.to_owned(), 400, 1030),
        (&h, pr, "customer_id=NO-2030000".to_owned(), 400, 1030),
        (
            &h,
            pr,
            "customer_id=NO-2030000&begin_date=2022-13&end_date=2022-12".to_owned(),
            400,
            3020,
        ),
        (
            &h,
            pr,
            "customer_id=NO-2030000&begin_date=2022-06&end_date=2022-01".to_owned(),
            400,
            3020,
        ),
        (&h, "members", "customer_id=FI-Tam".to_owned(), 403, 2010),
    ] {
        let (got, body) = harvest(&w, who, path, &query).await;
        assert_eq!(
            (got, body["Code"].as_u64()),
            (status, Some(code)),
            "{path}?{query}: {body}"
        );
        assert!(body["Message"].as_str().unwrap().len() > 2);
    }

    for (query, code) in [
        ("begin_date=2021-01&end_date=2021-12", 3030),
        ("begin_date=2026-11&end_date=2026-12", 3031),
        (
            "begin_date=2022-01&end_date=2022-12&metric_type=Clicks",
            3060,
        ),
        (
            "begin_date=2022-01&end_date=2022-12&attributes_to_show=Country_Name",
            3062,
        ),
        ("begin_date=2022-01&end_date=2022-12&colour=blue", 3050),
    ] {
        let (got, report) = harvest(&w, &h, pr, &format!("customer_id=NO-2030000&{query}")).await;
        assert_eq!(got, 200);
        assert!(
            exception_codes(&report).contains(&code),
            "{query}: {report}"
        );
        assert_eq!(validate(&report), Ok(ReportKind::Pr), "{query}: {report}");
    }
}

#[tokio::test]
async fn credentials_are_made_and_seen_per_role_and_stop_working_when_deleted() {
    let (w, h) = world().await;
    let deichman = w.app.library_admin(&["NO-2030000"]);
    let elsewhere = w
        .app
        .post(
            "/api/v1/usage/sushi-credentials",
            &deichman,
            &json!({"name": "ERM", "isils": ["FI-Tam"]}),
        )
        .await;
    assert_eq!(elsewhere.status, 403);
    let vendor = w
        .app
        .post(
            "/api/v1/usage/sushi-credentials",
            &w.app.vendor(tilgang_kernel::VendorId::new()),
            &json!({"name": "ERM"}),
        )
        .await;
    assert_eq!(vendor.status, 403);
    let bad = w
        .app
        .post(
            "/api/v1/usage/sushi-credentials",
            &w.app.consortium_admin(),
            &json!({"name": "ERM", "isils": ["NO-"]}),
        )
        .await;
    assert_eq!(bad.status, 400);
    let national = w
        .app
        .post(
            "/api/v1/usage/sushi-credentials",
            &w.app.consortium_admin(),
            &json!({"name": "National statistics"}),
        )
        .await;
    assert_eq!(national.status, 201);
    assert_eq!(national.body["isils"], Value::Null);

    let seen = |token: String| {
        let app = &w.app;
        async move {
            let list = app.get("/api/v1/usage/sushi-credentials", &token).await;
            list.body
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(seen(deichman.clone()).await, ["Our ERM"]);
    assert_eq!(
        seen(w.app.consortium_admin()).await,
        ["Our ERM", "National statistics"]
    );
    assert!(seen(w.app.library_admin(&["FI-Tam"])).await.is_empty());
    let listed = w
        .app
        .get("/api/v1/usage/sushi-credentials", &deichman)
        .await;
    assert!(
        listed.body[0].get("api_key").is_none(),
        "the key is shown once"
    );

    let path = format!("/api/v1/usage/sushi-credentials/{}", h.requestor_id);
    let foreign = w.app.delete(&path, &w.app.library_admin(&["FI-Tam"])).await;
    assert_eq!(foreign.status, 404);
    assert_eq!(w.app.delete(&path, &deichman).await.status, 204);
    let (code, body) = harvest(&w, &h, "reports", "customer_id=NO-2030000").await;
    assert_eq!((code, body["Code"].as_u64()), (401, Some(2000)));
}

#[tokio::test]
async fn celus_nigiri_harvests_every_member_of_the_credential() {
    let (w, h) = world().await;
    let base = w.app.url("/sushi");
    let args = [base, h.requestor_id.clone(), h.api_key.clone()];
    let Some(output) = tokio::task::spawn_blocking(move || {
        let [base, requestor, key] = &args;
        tilgang_testkit::peer::run_python(
            "celus_nigiri",
            "sushi/harvest.py",
            "sushi/requirements.txt",
            &[base, requestor, key, "2022-01", "2022-03"],
        )
    })
    .await
    .unwrap() else {
        return;
    };
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let official = sample("PR_sample_r51.json", "NO-2030000");
    let first_quarter = |regular_only: bool| -> u64 {
        rows(&official)
            .iter()
            .filter(|r| r.metric == "Unique_Item_Requests" && r.month.as_str() <= "2022-03")
            .filter(|r| !regular_only || r.access_method.as_deref() == Some("Regular"))
            .map(|r| r.count)
            .sum()
    };
    let lines: Vec<&str> = printed.lines().collect();
    assert!(lines.contains(&"MEMBER NO-2030000 NO-2030000"), "{printed}");
    assert!(lines.contains(&"REPORTS NO-2030000 PR PR_P1"), "{printed}");
    let pr = lines
        .iter()
        .find(|l| l.starts_with("PR NO-2030000"))
        .unwrap();
    assert!(
        pr.ends_with(&format!("unique_item_requests={}", first_quarter(false))),
        "{printed}"
    );
    let p1 = lines
        .iter()
        .find(|l| l.starts_with("PR_P1 NO-2030000"))
        .unwrap();
    assert!(
        p1.ends_with(&format!("unique_item_requests={}", first_quarter(true))),
        "{printed}"
    );
}
