//! Each library's e-library page: the products it may use now, featured ones first, in the
//! patron's language; what each vendor receives; a widget only the library's website may
//! frame; and highlights set only by those who act for the library.

use serde_json::json;
use tilgang_testkit::{TestApp, TestEnv};

mod support;

/// The demo hub on 22 November 2026.
async fn hub() -> (TestEnv, TestApp) {
    let hub = support::hub_at(Some("2026-11-22T10:00:00Z".parse().unwrap())).await;
    (hub.env, hub.app)
}

async fn page(
    app: &TestApp,
    path: &str,
    accept_language: Option<&str>,
) -> (u16, String, reqwest::header::HeaderMap) {
    let mut request = app.client.get(app.url(path));
    if let Some(lang) = accept_language {
        request = request.header("accept-language", lang);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap(), headers)
}

/// The product names on a page, in order.
fn offered(html: &str) -> Vec<String> {
    html.split("<h3>")
        .skip(1)
        .map(|rest| rest.split("</h3>").next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_library_page_lists_what_the_library_may_use_in_the_patron_s_language() {
    let (_env, app) = hub().await;
    let (status, html, headers) = page(&app, "/l/NO-2030000", None).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<html lang=\"nb\">"),
        "the library's own language by default"
    );
    assert_eq!(
        offered(&html),
        [
            "Avisarkivet",
            "Kunnskapsbasen",
            "Nordlys e-bøker",
            "Nordlys lydbøker"
        ]
    );
    assert!(html.contains("href=\"/go/NO-2030000/nordlys-ebok\""));
    assert!(html.contains("Åpne Nordlys e-bøker"));
    assert!(html.contains("<p>Nordiske e-bøker å låne og lese i nettleseren eller appen.</p>"));
    let english_only = app
        .patch(
            "/api/v1/products/kunnskapsbasen",
            &app.consortium_admin(),
            &json!({"description": {"en": "An encyclopaedia. With much more."}}),
        )
        .await;
    assert_eq!(english_only.status, 200, "{}", english_only.text);
    let (_, html, _) = page(&app, "/l/NO-2030000", None).await;
    assert!(
        html.contains("<p lang=\"en\">An encyclopaedia.</p>"),
        "a description in another language says so, and only its first sentence is shown"
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );

    let (_, tampere, _) = page(&app, "/l/FI-Tam", Some("sv-FI,sv;q=0.9")).await;
    assert!(
        tampere.contains("<html lang=\"sv\">"),
        "the browser's language wins"
    );
    assert_eq!(offered(&tampere).len(), 3, "Tampere has no audiobooks");
    let (_, chosen, _) = page(&app, "/l/FI-Tam?lang=da", Some("sv")).await;
    assert!(
        chosen.contains("<html lang=\"da\">"),
        "a chosen language wins over all"
    );
    assert!(chosen.contains("Alt vi tilbyder"));
}

#[tokio::test]
async fn a_library_that_is_not_registered_gets_a_plain_page() {
    let (_env, app) = hub().await;
    for path in ["/l/NO-9999999", "/l/not-an-isil", "/l/NO-9999999/privacy"] {
        let (status, html, _) = page(&app, path, Some("en")).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Library not found"), "{path}: {html}");
    }
}

#[tokio::test]
async fn featured_products_come_first_in_the_library_s_order() {
    let (_env, app) = hub().await;
    let deichman = app.library_admin(&["NO-2030000"]);
    let path = "/admin/api/libraries/NO-2030000/highlights";
    let set = app
        .put(
            path,
            &deichman,
            &json!({"products": ["nordlys-lydbok", "avisarkivet"]}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(
        app.get(path, &deichman).await.body,
        json!({"products": ["nordlys-lydbok", "avisarkivet"]})
    );
    let (_, html, _) = page(&app, "/l/NO-2030000?lang=en", None).await;
    assert_eq!(
        offered(&html),
        [
            "Nordlys lydbøker",
            "Avisarkivet",
            "Kunnskapsbasen",
            "Nordlys e-bøker"
        ]
    );
    assert!(html.contains("<h2 id=\"featured\">Featured</h2>"));

    let tampere = app.library_admin(&["FI-Tam"]);
    assert_eq!(
        app.put(path, &tampere, &json!({"products": []}))
            .await
            .status,
        403
    );
    assert_eq!(app.get(path, &tampere).await.status, 403);
    let vendor = app.vendor(tilgang_kernel::VendorId::new());
    assert_eq!(
        app.put(path, &vendor, &json!({"products": []}))
            .await
            .status,
        403
    );
    for (body, status) in [
        (json!({"products": ["no-such-product"]}), 422),
        (json!({"products": ["avisarkivet", "avisarkivet"]}), 400),
        (json!({"products": vec!["avisarkivet"; 13]}), 400),
        (json!({"products": "avisarkivet"}), 400),
    ] {
        assert_eq!(
            app.put(path, &deichman, &body).await.status,
            status,
            "{body}"
        );
    }
    assert_eq!(
        app.get(path, &deichman).await.body,
        json!({"products": ["nordlys-lydbok", "avisarkivet"]}),
        "a refused change changes nothing"
    );
}

#[tokio::test]
async fn the_privacy_page_says_what_each_vendor_receives() {
    let (_env, app) = hub().await;
    let (status, html, _) = page(&app, "/l/NO-2030000/privacy?lang=en", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("a code that identifies you to this vendor only")
            .count(),
        4
    );
    assert!(html.contains("which library you belong to (NO-2030000)"));
    assert!(html.contains("No vendor receives your name, card number or PIN."));
}

#[tokio::test]
async fn only_the_library_s_website_may_frame_its_widget() {
    let (_env, app) = hub().await;
    let (status, html, headers) = page(&app, "/l/NO-2030000/widget?lang=en", None).await;
    assert_eq!(status, 200);
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.ends_with("frame-ancestors 'self' https://deichman.no"),
        "{policy}"
    );
    assert!(
        html.contains("target=\"_top\""),
        "products open in the whole window"
    );
    assert_eq!(offered(&html).len(), 4);
}

#[tokio::test]
async fn pages_load_nothing_from_elsewhere() {
    let (_env, app) = hub().await;
    for path in [
        "/l/NO-2030000",
        "/l/NO-2030000/privacy",
        "/l/NO-2030000/widget",
    ] {
        let (_, html, _) = page(&app, path, None).await;
        assert!(!html.contains("<script"), "{path}");
        for attribute in ["src=\"", "<link rel=\"stylesheet\" href=\""] {
            for value in html.split(attribute).skip(1) {
                assert!(value.starts_with('/'), "{path} loads {value:.40}");
            }
        }
    }
    let css = app
        .client
        .get(app.url("/assets/tilgang.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(
        !css.text().await.unwrap().contains("url("),
        "no fonts or images from anywhere"
    );
}

#[tokio::test]
async fn the_catalogue_tells_a_library_what_it_needs_to_decide() {
    let (_env, app) = hub().await;
    let (status, html, _) = page(&app, "/catalogue", Some("nb")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<article class=\"product\"").count(), 4);
    let lydbok = html.split("id=\"product-nordlys-lydbok\"").nth(1).unwrap();
    let lydbok = lydbok.split("</article>").next().unwrap();
    for expected in [
        "Lydbøker",
        "Lånerne logger inn med lånekort eller BankID",
        "50 dager, starter med en gang",
        "Prismodell",
        "Årlig pris etter bibliotekets befolkningsgrunnlag",
        "lånerens aldersgruppe",
        "Bruksstatistikk",
        "href=\"https://nordlys.example/privacy\"",
        "Tilgjengelighetserklæring",
    ] {
        assert!(lydbok.contains(expected), "{expected} in {lydbok}");
    }
    let ebok = html.split("id=\"product-nordlys-ebok\"").nth(1).unwrap();
    assert!(
        !ebok
            .split("</article>")
            .next()
            .unwrap()
            .contains("aldersgruppe"),
        "claims only as the policy allows"
    );
}

#[tokio::test]
async fn a_patron_finds_their_library_from_the_front_page() {
    let (_env, app) = hub().await;
    let (status, html, _) = page(&app, "/?q=tamp", Some("fi")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<a href=\"/l/FI-Tam?lang=fi\">Tampereen kaupunginkirjasto</a>"),
        "{html}"
    );
    let (_, none, _) = page(&app, "/?q=%3Cscript%3E&lang=en", None).await;
    assert!(
        none.contains("No library matches “&#60;script&#62;”."),
        "{none}"
    );
    assert!(!none.contains("<script>"));
}
