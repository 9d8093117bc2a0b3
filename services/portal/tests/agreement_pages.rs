//! Consortium agreements in the portal: a consortium admin makes one for a region and more
//! libraries, its libraries have access at once and see their share, and it can be cancelled;
//! a wrong form is explained and makes nothing; nobody else makes or cancels one.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, option_value, signed_in};
use tilgang_testkit::browser::{Browser, Page};

/// The consortium admin's form, filled for the audiobooks for Finland's region and Deichman,
/// with `changes` laid over it.
async fn make(admin: &mut Browser, changes: &[(&str, &str)]) -> Page {
    let form = admin.get("/admin/agreements").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.input("csrf");
    let suomi = option_value(&form.body, "Suomi");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", "Nordlys audiobooks 2027"),
        ("product", "nordlys-lydbok"),
        ("group", suomi.as_str()),
        ("isils", "NO-2030000"),
        ("starts_on", "2026-01-01"),
        ("ends_on", "2027-12-31"),
        ("price", "90 000"),
        ("currency", "EUR"),
        ("split", "equal"),
        ("populations", ""),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    let answer = admin.post("/admin/agreements", &fields).await;
    follow(admin, answer).await
}

async fn agreements(hub: &Hub) -> serde_json::Value {
    let admin = hub.app.consortium_admin();
    hub.app.get("/api/v1/agreements", &admin).await.body
}

#[tokio::test]
async fn an_agreement_gives_its_libraries_access_and_each_sees_its_share() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;

    let made = make(&mut consortium, &[]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(
        made.body
            .contains("The agreement Nordlys audiobooks 2027 is made."),
        "{}",
        made.body
    );
    assert!(made.body.contains("Running"));
    let stored = agreements(&hub).await;
    assert_eq!(stored["total"], 1);
    let members = stored["items"][0]["members"].as_array().unwrap();
    assert!(members.iter().any(|m| m["isil"] == "FI-Tam"), "{members:?}");
    assert!(members.iter().any(|m| m["isil"] == "NO-2030000"));

    let mut tampere = signed_in(&hub, "tampere@tilgang.demo").await;
    let home = tampere.get("/admin/libraries/FI-Tam").await;
    assert!(
        home.body.contains("Consortium agreement until 2027-12-31"),
        "{}",
        home.body
    );
    let seen = tampere.get("/admin/agreements").await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(members.len(), 4, "EUR 90,000 is split in four");
    let shown = "Your share: FI-Tam: EUR\u{a0}22,500.00";
    assert!(seen.body.contains(shown), "{shown} in {}", seen.body);
    assert!(!seen.body.contains("NO-2030000: "), "only its own share");
    assert!(
        !seen.body.contains("name=\"split\""),
        "no form for a library admin"
    );
}

#[tokio::test]
async fn a_cancelled_agreement_ends_access_and_says_so() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    make(&mut consortium, &[]).await;
    let id = agreements(&hub).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = consortium.get("/admin/agreements").await;
    let csrf = page.input("csrf");

    let answer = consortium
        .post(
            &format!("/admin/agreements/{id}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "a reload repeats nothing"
    );
    let cancelled = follow(&mut consortium, answer).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert!(cancelled.body.contains("is cancelled"));
    assert_eq!(agreements(&hub).await["items"][0]["status"], "cancelled");
    assert!(
        !cancelled
            .body
            .contains(&format!("/admin/agreements/{id}/cancel")),
        "a cancelled agreement has no cancel button"
    );
    let mut tampere = signed_in(&hub, "tampere@tilgang.demo").await;
    let home = tampere.get("/admin/libraries/FI-Tam").await;
    assert!(
        !home.body.contains("Consortium agreement until 2027-12-31"),
        "access ends with today: {}",
        home.body
    );
}

#[tokio::test]
async fn a_wrong_form_is_explained_and_makes_nothing() {
    let hub = hub().await;
    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;

    let bad_isil = make(&mut consortium, &[("isils", "NO-20300 00 XX!")]).await;
    assert_eq!(bad_isil.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_isil.body.contains("The agreement was not made."));
    assert!(bad_isil.body.contains("name=\"isils\" rows=\"3\" autocomplete=\"off\" aria-describedby=\"isils-hint\" aria-invalid=\"true\""), "{}", bad_isil.body);
    assert!(
        bad_isil.body.contains("NO-20300 00 XX!"),
        "the form keeps what was typed"
    );

    let bad_price = make(&mut consortium, &[("price", "lots")]).await;
    assert_eq!(bad_price.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_price.body.contains("Write the price as a number"));

    let no_populations = make(&mut consortium, &[("split", "population")]).await;
    assert_eq!(no_populations.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_populations
            .body
            .contains("a split by population needs a population above 0"),
        "{}",
        no_populations.body
    );

    let backwards = make(&mut consortium, &[("ends_on", "2025-01-01")]).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("The agreement was not made."));

    assert_eq!(agreements(&hub).await["total"], 0, "nothing was made");
}

#[tokio::test]
async fn only_consortium_admins_make_or_cancel_agreements() {
    let hub = hub().await;
    let mut vendor = signed_in(&hub, "nordlys@tilgang.demo").await;
    assert_eq!(
        vendor.get("/admin/agreements").await.status,
        StatusCode::NOT_FOUND
    );

    let mut deichman = signed_in(&hub, "deichman@tilgang.demo").await;
    let page = deichman.get("/admin/agreements").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.input("csrf");
    let posted = deichman
        .post(
            "/admin/agreements",
            &[
                ("csrf", &csrf),
                ("name", "Ours"),
                ("product", "nordlys-lydbok"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);

    let mut consortium = signed_in(&hub, "konsortium@tilgang.demo").await;
    let forged = consortium
        .post("/admin/agreements", &[("csrf", "forged"), ("name", "Ours")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    make(&mut consortium, &[]).await;
    let id = agreements(&hub).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = deichman
        .post(
            &format!("/admin/agreements/{id}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(agreements(&hub).await["items"][0]["status"], "active");
}
