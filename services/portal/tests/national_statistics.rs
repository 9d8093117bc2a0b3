//! The consortium's national statistics: the hub's counts per country, region and product over
//! whole months, for consortium admins only.

mod support;

use reqwest::StatusCode;
use support::{Hub, follow, hub, log_in, visits};
use tilgang_registry::demo::STAFF_PASSWORD;
use tilgang_testkit::browser::Browser;

async fn staff(hub: &Hub, email: &str) -> Browser {
    let mut browser = hub.browser();
    let answer = log_in(&mut browser, email, STAFF_PASSWORD).await;
    follow(&mut browser, answer).await;
    browser
}

/// The row of `group` in the table under heading `id`.
fn row<'a>(page: &'a str, id: &str, group: &str) -> &'a str {
    let table = page.split(&format!("<h2 id=\"{id}\">")).nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    let start = table
        .find(&format!("<th scope=\"row\">{group}</th>"))
        .unwrap_or_else(|| panic!("no {group} in {table}"));
    table[start..].split("</tr>").next().unwrap()
}

#[tokio::test]
async fn sessions_are_counted_per_country_and_product() {
    let hub = hub().await;
    visits(&hub, "NO-2030000", "nordlys-ebok", 3).await;
    visits(&hub, "SE-3", "nordlys-ebok", 2).await;
    visits(&hub, "FI-Tam", "avisarkivet", 1).await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;

    let page = consortium.get("/admin/statistics").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(row(&page.body, "countries", "NO").contains("<td class=\"number\">3</td>"));
    assert!(row(&page.body, "countries", "SE").contains("<td class=\"number\">2</td>"));
    let ebooks = row(&page.body, "products", "Nordlys e-bøker");
    assert!(
        ebooks.contains("<td class=\"number\">2</td><td class=\"number\">5</td>"),
        "two libraries, five sessions: {ebooks}"
    );
    assert!(page.body.contains("id=\"regions\""));
}

#[tokio::test]
async fn a_backwards_period_is_explained_and_others_have_no_statistics_page() {
    let hub = hub().await;
    let mut consortium = staff(&hub, "konsortium@tilgang.demo").await;
    let refused = consortium
        .get("/admin/statistics?from=2026-05&to=2026-01")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("That is not a period"),
        "{}",
        refused.body
    );
    for email in ["tampere@tilgang.demo", "nordlys@tilgang.demo"] {
        let mut someone = staff(&hub, email).await;
        let page = someone.get("/admin/statistics").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{email}");
    }
}
