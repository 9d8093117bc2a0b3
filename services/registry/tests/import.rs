//! Importing BaseBibliotek exports and CSV files.

mod common;

use reqwest::StatusCode;
use serde_json::json;
use tilgang_testkit::{Answer, TestApp};

async fn upload(app: &TestApp, token: &str, content_type: &str, body: &str) -> Answer {
    let response = app
        .client
        .post(app.url("/api/v1/libraries:import"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    TestApp::answer(response).await
}

const KRODSHERAD: &str = include_str!("fixtures/bb_2062200.xml");
const INCREMENTAL: &str = include_str!("fixtures/basebibliotek_incremental.xml");
const NO_ISIL: &str = include_str!("fixtures/basebibliotek_incremental_no_isil.xml");

#[tokio::test]
async fn a_basebibliotek_export_imports_with_names_kind_parent_and_website() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    let report = upload(&app, &admin, "application/xml", KRODSHERAD).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    assert_eq!(
        (
            report.body["created"].as_u64(),
            report.body["skipped"].as_array().map(Vec::len)
        ),
        (Some(1), Some(0))
    );

    let library = app.get("/api/v1/libraries/NO-2062200", &admin).await.body;
    assert_eq!(library["name"]["nb"], "Midt-Buskerud bibliotek Krødsherad");
    assert_eq!(library["name"]["en"], "Krødsherad Public Library");
    assert_eq!(library["kind"], "public");
    assert_eq!(library["parent"], "NO-2060000");
    assert_eq!(library["municipality"], "3046");
    assert_eq!(
        library["websites"],
        json!(["http://midtfylkebiblioteket.no/"])
    );
    assert!(
        !library.to_string().contains("Nordmann"),
        "names of people are not imported"
    );
}

#[tokio::test]
async fn a_record_without_an_isil_is_reported_and_skipped_not_fatal() {
    let (_env, app) = common::spawn().await;
    let report = upload(&app, &app.consortium_admin(), "application/xml", NO_ISIL).await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(report.body["created"], 0);
    let skipped = &report.body["skipped"][0];
    assert_eq!(
        (skipped["record"].as_u64(), skipped["code"].as_str()),
        (Some(1), Some("isil_missing"))
    );
    assert!(
        skipped["reason"]
            .as_str()
            .unwrap()
            .contains("Fachhochschule Hannover")
    );
}

#[tokio::test]
async fn importing_again_updates_instead_of_duplicating() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    let first = upload(&app, &admin, "application/xml", INCREMENTAL).await;
    assert_eq!(first.body["created"], 2, "{}", first.text);
    let national = app.get("/api/v1/libraries/NO-0030100", &admin).await.body;
    assert_eq!(
        national["name"]["nb"],
        "Nasjonalbiblioteket Seksjon Publikumstjenesten, Veiledningen"
    );

    let again = upload(&app, &admin, "application/xml", INCREMENTAL).await;
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["unchanged"].as_u64()
        ),
        (Some(0), Some(2))
    );
    let renamed = INCREMENTAL.replace("Seksjon Biblioteket, Innlånet", "Innlånet");
    let third = upload(&app, &admin, "text/xml", &renamed).await;
    assert_eq!(
        (
            third.body["updated"].as_u64(),
            third.body["unchanged"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(app.get("/api/v1/libraries", &admin).await.body["total"], 2);
}

#[tokio::test]
async fn an_import_keeps_websites_and_contacts_the_library_set_itself() {
    let (_env, app) = common::spawn().await;
    let admin = app.consortium_admin();
    upload(&app, &admin, "application/xml", KRODSHERAD).await;
    let own = app.library_admin(&["NO-2062200"]);
    app.patch(
        "/api/v1/libraries/NO-2062200",
        &own,
        &json!({"websites": ["https://krodsherad.bib.no/"]}),
    )
    .await;
    upload(&app, &admin, "application/xml", KRODSHERAD).await;
    let library = app.get("/api/v1/libraries/NO-2062200", &admin).await.body;
    assert_eq!(library["websites"], json!(["https://krodsherad.bib.no/"]));
}

#[tokio::test]
async fn a_csv_imports_and_skips_rows_with_invalid_isils() {
    let (_env, app) = common::spawn().await;
    let csv = "isil,name,name_en,kind,municipality,website\n\
               NO-2030000,Deichman,Oslo Public Library,public,0301,https://deichman.no/\n\
               NOT AN ISIL,Somewhere,,public,,\n\
               SE-16,Umeå stadsbibliotek,,public,2480,umea.se/bibliotek\n";
    let report = upload(&app, &app.consortium_admin(), "text/csv", csv).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    assert_eq!(report.body["created"], 2);
    assert_eq!(
        report.body["skipped"][0]["record"], 3,
        "the line of the skipped row"
    );
    assert_eq!(report.body["skipped"][0]["code"], "isil_invalid");
    let umea = app
        .get("/api/v1/libraries/SE-16", &app.consortium_admin())
        .await
        .body;
    assert_eq!(
        (umea["language"].as_str(), umea["websites"][0].as_str()),
        (Some("sv"), Some("http://umea.se/bibliotek"))
    );
}

#[tokio::test]
async fn a_partly_bad_import_writes_nothing_and_lists_every_bad_record() {
    let (_env, app) = common::spawn().await;
    let csv = "isil,name,municipality,website\n\
               NO-2030000,Deichman,0301,https://deichman.no/\n\
               NO-2060200,,3301,\n\
               NO-2160111,Heimdal,50 01,\n";
    let refused = upload(&app, &app.consortium_admin(), "text/csv", csv).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "import_invalid")
    );
    let errors = refused.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[0]["record"].as_u64(), errors[0]["code"].as_str()),
        (Some(3), Some("value_missing"))
    );
    assert_eq!(errors[1]["code"], "municipality_invalid");
    assert_eq!(
        app.get("/api/v1/libraries", &app.consortium_admin())
            .await
            .body["total"],
        0
    );
}

#[tokio::test]
async fn a_file_that_is_not_basebibliotek_xml_is_refused() {
    let (_env, app) = common::spawn().await;
    let refused = upload(
        &app,
        &app.consortium_admin(),
        "application/xml",
        "<BaseBibliotek><record>",
    )
    .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "import_unreadable")
    );
}

#[tokio::test]
async fn only_consortium_admins_import() {
    let (_env, app) = common::spawn().await;
    let refused = upload(
        &app,
        &app.library_admin(&["NO-2062200"]),
        "application/xml",
        KRODSHERAD,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/libraries", &app.consortium_admin())
            .await
            .body["total"],
        0
    );
}

#[tokio::test]
async fn an_isil_twice_in_one_file_refuses_the_file_and_names_both_records() {
    let (_env, app) = common::spawn().await;
    let csv = "isil,name\nSE-9,Lunds universitet\nSE-1,Linnéuniversitetet\nse-9,Universität Lund\n";
    let refused = upload(&app, &app.consortium_admin(), "text/csv", csv).await;
    assert_eq!(refused.code(), "import_invalid");
    assert_eq!(refused.body["errors"][0]["code"], "isil_duplicate");
    assert_eq!(refused.body["errors"][0]["record"], 4);
    assert!(
        refused.body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("record 2")
    );
    assert_eq!(
        app.get("/api/v1/libraries", &app.consortium_admin())
            .await
            .body["total"],
        0
    );
}
