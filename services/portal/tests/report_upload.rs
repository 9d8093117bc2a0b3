//! A vendor's staff upload a COUNTER report in the portal: a good one is stored (and a second
//! for the same period replaces it), a bad one comes back with every problem on its line and
//! nothing stored, and another vendor's product, a forged form or a library admin changes
//! nothing.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Hub, follow, hub, log_in};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// The official PR sample as Deichman's report, pretty-printed as a vendor's tool writes it,
/// and Deichman subscribed to nordlys-ebok in 2022, the sample's year.
async fn deichman_report(hub: &Hub) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../libs/counter/tests/fixtures/PR_sample_r51.json");
    let mut report: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    report["Report_Header"]["Institution_ID"] = json!({ "ISIL": ["NO-2030000"] });
    let terms = json!({
        "isil": "NO-2030000", "product": "nordlys-ebok", "starts_on": "2022-01-01",
        "ends_on": "2022-12-31", "price_minor": 1_000_000, "currency": "NOK", "renewal": "end"
    });
    let made = hub
        .app
        .post("/api/v1/subscriptions", &hub.app.consortium_admin(), &terms)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    report
}

async fn upload(vendor: &mut Browser, csrf: &str, product: &str, file: &[u8]) -> String {
    let page = vendor
        .post_file(
            "/vendor/reports",
            &[("csrf", csrf), ("product", product)],
            ("report", "report.json", file),
        )
        .await;
    format!("{} {}", page.status.as_u16(), page.body)
}

async fn stored(hub: &Hub) -> usize {
    let listed = hub
        .app
        .get("/api/v1/usage/reports", &hub.app.consortium_admin())
        .await;
    listed.body.as_array().unwrap().len()
}

#[tokio::test]
async fn a_good_report_is_stored_and_a_second_for_the_period_replaces_it() {
    let hub = hub().await;
    let report = deichman_report(&hub).await;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let form = vendor.get("/vendor/reports").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("No report has been received yet."));
    let csrf = form.input("csrf");
    let file = serde_json::to_vec_pretty(&report).unwrap();

    let first = upload(&mut vendor, &csrf, "nordlys-ebok", &file).await;
    assert!(first.starts_with("201 "), "{first}");
    assert!(
        first.contains("The PR report of NO-2030000 for 2022-01-01 – 2022-12-31 is stored:"),
        "{first}"
    );
    let second = upload(&mut vendor, &csrf, "nordlys-ebok", &file).await;
    assert!(
        second.contains("It replaces the report sent earlier"),
        "{second}"
    );
    assert_eq!(stored(&hub).await, 2, "the replaced one is kept for audit");
    let list = vendor.get("/vendor/reports").await;
    assert_eq!(list.body.matches("<td>NO-2030000</td>").count(), 2);
}

#[tokio::test]
async fn a_bad_report_comes_back_with_each_problem_on_its_line_and_nothing_stored() {
    let hub = hub().await;
    let mut report = deichman_report(&hub).await;
    report["Report_Header"]["Release"] = json!("5");
    report["Report_Items"][0]["Platform"] = json!(17);
    let file = serde_json::to_vec_pretty(&report).unwrap();
    let text = String::from_utf8(file.clone()).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let csrf = vendor.get("/vendor/reports").await.input("csrf");

    let refused = upload(&mut vendor, &csrf, "nordlys-ebok", &file).await;
    assert!(refused.starts_with("422 "), "{refused}");
    assert!(refused.contains("The report was not stored."), "{refused}");
    let release = format!(
        "<th scope=\"row\">{}</th><td><code>/Report_Header/Release</code>",
        line_of("\"Release\"")
    );
    assert!(refused.contains(&release), "{release} in {refused}");
    let platform = format!(
        "<th scope=\"row\">{}</th><td><code>/Report_Items/0/Platform</code>",
        line_of("\"Platform\": 17")
    );
    assert!(refused.contains(&platform), "{platform} in {refused}");

    let not_json = upload(
        &mut vendor,
        &csrf,
        "nordlys-ebok",
        b"{\n  \"Report_Header\": \n}",
    )
    .await;
    assert!(not_json.starts_with("422 "), "{not_json}");
    assert!(not_json.contains("<th scope=\"row\">3</th>"), "{not_json}");
    let not_text = upload(&mut vendor, &csrf, "nordlys-ebok", &[0xff, 0xfe, 0x00]).await;
    assert!(
        not_text.contains("The file is not text (UTF-8)."),
        "{not_text}"
    );
    assert_eq!(stored(&hub).await, 0);
}

#[tokio::test]
async fn another_vendor_s_product_a_forged_form_and_a_library_admin_store_nothing() {
    let hub = hub().await;
    let report = deichman_report(&hub).await;
    let file = serde_json::to_vec(&report).unwrap();
    let mut vendor = staff(&hub, "nordlys@tilgang.demo").await;
    let form = vendor.get("/vendor/reports").await;
    assert!(
        !form.body.contains("value=\"avisarkivet\""),
        "only the vendor's products are offered"
    );
    let csrf = form.input("csrf");

    let theirs = upload(&mut vendor, &csrf, "avisarkivet", &file).await;
    assert!(theirs.starts_with("404 "), "{theirs}");
    assert!(theirs.contains("That product is not one of yours."));
    let forged = upload(&mut vendor, "guessed", "nordlys-ebok", &file).await;
    assert!(forged.starts_with("403 "), "{forged}");
    let mut library = staff(&hub, "deichman@tilgang.demo").await;
    assert_eq!(
        library.get("/vendor/reports").await.status,
        StatusCode::NOT_FOUND
    );
    let csrf = library
        .get("/admin/libraries/NO-2030000")
        .await
        .input("csrf");
    let reached = upload(&mut library, &csrf, "nordlys-ebok", &file).await;
    assert!(reached.starts_with("404 "), "{reached}");
    assert_eq!(stored(&hub).await, 0);
}
