//! Vendors push COUNTER R5.1 reports: the official samples are taken for a library with access,
//! a re-sent period replaces the earlier report (kept for audit), and every kind of bad report
//! is refused with the value at fault named, storing nothing.

mod support;

use serde_json::{Value, json};
use support::World;

const SAMPLES: [&str; 8] = [
    "PR_sample_r51.json",
    "PRP1_sample_r51.json",
    "DR_sample_r51.json",
    "DRD1_sample_r51.json",
    "TR_sample_r51.json",
    "TRB1_sample_r51.json",
    "TRB3_sample_r51.json",
    "IR_sample_r51.json",
];

use support::sample;

/// The demo register on 2026-11-22, Deichman subscribing to nordlys-ebok through 2022, and
/// the token of the product's vendor.
async fn world() -> (World, String) {
    let w = support::world("2026-11-22T10:00:00Z").await;
    let token = support::subscribe_through_2022(&w, "NO-2030000", "nordlys-ebok").await;
    (w, token)
}

async fn push(w: &World, token: &str, product: &str, body: Vec<u8>) -> tilgang_testkit::Answer {
    let response = w
        .app
        .client
        .post(
            w.app
                .url(&format!("/api/v1/usage/reports?product={product}")),
        )
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    tilgang_testkit::TestApp::answer(response).await
}

/// What is sent, by whom, and what must come back: status, code and the JSON pointer named.
type Case<'a> = (&'a str, &'a str, Vec<u8>, u16, &'a str, &'a str);

fn bytes(report: &Value) -> Vec<u8> {
    serde_json::to_vec(report).unwrap()
}

#[tokio::test]
async fn every_official_sample_is_taken_for_a_library_with_access() {
    let (w, vendor) = world().await;
    for file in SAMPLES {
        let taken = push(
            &w,
            &vendor,
            "nordlys-ebok",
            bytes(&sample(file, "NO-2030000")),
        )
        .await;
        assert_eq!(taken.status, 201, "{file}: {}", taken.text);
        assert_eq!(taken.body["isil"], "NO-2030000");
        assert!(taken.body["rows"].as_i64().unwrap() > 0, "{file}");
    }
    let listed = w.app.get("/api/v1/usage/reports", &vendor).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 8);
    let deichman = w.app.library_admin(&["NO-2030000"]);
    let theirs = w.app.get("/api/v1/usage/reports", &deichman).await;
    assert_eq!(theirs.body.as_array().unwrap().len(), 8);
    let tampere = w.app.library_admin(&["FI-Tam"]);
    let none = w.app.get("/api/v1/usage/reports", &tampere).await;
    assert_eq!(none.body, json!([]));
}

#[tokio::test]
async fn a_resent_period_replaces_the_earlier_report_which_is_kept() {
    let (w, vendor) = world().await;
    let report = bytes(&sample("PR_sample_r51.json", "NO-2030000"));
    let first = push(&w, &vendor, "nordlys-ebok", report.clone()).await;
    let second = push(&w, &vendor, "nordlys-ebok", report).await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["replaced"], first.body["id"]);
    let listed = w
        .app
        .get("/api/v1/usage/reports", &w.app.consortium_admin())
        .await;
    let all = listed.body.as_array().unwrap();
    assert_eq!(all.len(), 2, "the earlier one is kept for audit");
    let earlier = all.iter().find(|r| r["id"] == first.body["id"]).unwrap();
    assert!(earlier["replaced_at"].is_string());
}

#[tokio::test]
async fn bad_reports_are_refused_with_the_value_at_fault_and_nothing_is_stored() {
    let (w, vendor) = world().await;
    let good = sample("PR_sample_r51.json", "NO-2030000");
    let with = |pointer: &str, value: Value| {
        let mut report = good.clone();
        *report.pointer_mut(pointer).expect(pointer) = value;
        bytes(&report)
    };
    let other_vendor = {
        let desk = w.subscriptions.desk();
        let product = desk.product_ref("avisarkivet").await.unwrap();
        let p = desk.catalogue.product(product).await.unwrap().unwrap();
        w.app.vendor(p.vendor)
    };
    let count = "/Report_Items/0/Attribute_Performance/0/Performance/Total_Item_Requests/2022-01";
    let cases: Vec<Case> = vec![
        (
            "another vendor's product",
            &other_vendor,
            bytes(&good),
            403,
            "forbidden",
            "",
        ),
        (
            "a negative count",
            &vendor,
            with(count, json!(-1)),
            422,
            "counter_invalid",
            count,
        ),
        (
            "no ISIL",
            &vendor,
            with(
                "/Report_Header/Institution_ID",
                json!({"ISNI": ["1234123412341234"]}),
            ),
            422,
            "institution_without_isil",
            "/Report_Header/Institution_ID",
        ),
        (
            "an unknown ISIL",
            &vendor,
            bytes(&sample("PR_sample_r51.json", "NO-9999999")),
            422,
            "library_unknown",
            "/Report_Header/Institution_ID/ISIL/0",
        ),
        (
            "a library without access",
            &vendor,
            bytes(&sample("PR_sample_r51.json", "FI-Tam")),
            422,
            "no_access",
            "/Report_Header/Institution_ID",
        ),
        (
            "a period not over",
            &vendor,
            with(
                "/Report_Header/Report_Filters/End_Date",
                json!("2026-12-31"),
            ),
            422,
            "period_in_future",
            "/Report_Header/Report_Filters/End_Date",
        ),
        (
            "not JSON",
            &vendor,
            b"{\"Report_Header\": ".to_vec(),
            400,
            "json_invalid",
            "",
        ),
    ];
    for (what, token, body, status, code, pointer) in cases {
        let refused = push(&w, token, "nordlys-ebok", body).await;
        assert_eq!(refused.status, status, "{what}: {}", refused.text);
        assert_eq!(refused.code(), code, "{what}");
        let at = refused.body["pointer"]
            .as_str()
            .or_else(|| refused.body["errors"][0]["pointer"].as_str())
            .unwrap_or_default();
        assert_eq!(at, pointer, "{what}: {}", refused.text);
    }
    let unknown = push(&w, &vendor, "no-such-product", bytes(&good)).await;
    assert_eq!(unknown.status, 404);
    let library = w.app.library_admin(&["NO-2030000"]);
    assert_eq!(
        push(&w, &library, "nordlys-ebok", bytes(&good))
            .await
            .status,
        403
    );
    let huge = push(&w, &vendor, "nordlys-ebok", vec![b' '; 33 << 20]).await;
    assert_eq!(huge.status, 413, "{}", huge.text);

    let listed = w
        .app
        .get("/api/v1/usage/reports", &w.app.consortium_admin())
        .await;
    assert_eq!(
        listed.body,
        json!([]),
        "nothing of a refused report is stored"
    );
}

#[tokio::test]
async fn a_report_may_name_the_library_by_the_vendor_s_own_id_once_it_is_mapped() {
    let (w, vendor) = world().await;
    let mut report = sample("PR_sample_r51.json", "NO-2030000");
    report["Report_Header"]["Institution_ID"] = json!({ "Proprietary": ["nordlys:4711"] });
    let unmapped = push(&w, &vendor, "nordlys-ebok", bytes(&report)).await;
    assert_eq!(unmapped.status, 422, "{}", unmapped.text);
    assert_eq!(unmapped.code(), "institution_unknown");
    assert_eq!(
        unmapped.body["pointer"],
        "/Report_Header/Institution_ID/Proprietary/0"
    );

    let body = json!({ "isil": "no-2030000" });
    let library = w.app.library_admin(&["NO-2030000"]);
    let refused = w
        .app
        .put("/api/v1/usage/institutions/nordlys:4711", &library, &body)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let unknown = w
        .app
        .put(
            "/api/v1/usage/institutions/nordlys:4711",
            &vendor,
            &json!({ "isil": "NO-9999999" }),
        )
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    let mapped = w
        .app
        .put("/api/v1/usage/institutions/nordlys:4711", &vendor, &body)
        .await;
    assert_eq!(mapped.status, 200, "{}", mapped.text);
    assert_eq!(mapped.body["isil"], "NO-2030000");

    let taken = push(&w, &vendor, "nordlys-ebok", bytes(&report)).await;
    assert_eq!(taken.status, 201, "{}", taken.text);
    assert_eq!(taken.body["isil"], "NO-2030000");
    let listed = w.app.get("/api/v1/usage/institutions", &vendor).await;
    assert_eq!(
        listed.body,
        json!([{ "proprietary": "nordlys:4711", "isil": "NO-2030000" }])
    );
    let other = {
        let desk = w.subscriptions.desk();
        let product = desk.product_ref("avisarkivet").await.unwrap();
        let p = desk.catalogue.product(product).await.unwrap().unwrap();
        w.app.vendor(p.vendor)
    };
    let theirs = w.app.get("/api/v1/usage/institutions", &other).await;
    assert_eq!(theirs.body, json!([]), "mappings are each vendor's own");
}
