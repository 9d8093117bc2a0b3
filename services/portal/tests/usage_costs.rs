//! The usage page's cost per use: what the library paid for each product in the months shown,
//! against the sessions the hub let in, the same figures as `GET /api/v1/usage/cost`.

mod support;

use reqwest::StatusCode;
use support::{hub, signed_in, visits};
use tilgang_kernel::Clock;

/// The row of `product` in the cost table of `page`.
fn cost_row<'a>(page: &'a str, product: &str) -> &'a str {
    let table = page.split("<h2 id=\"cost\">").nth(1).unwrap();
    let table = table.split("</table>").next().unwrap();
    let start = table
        .find(&format!("<th scope=\"row\">{product}</th>"))
        .unwrap_or_else(|| panic!("no {product} in {table}"));
    table[start..].split("</tr>").next().unwrap()
}

#[tokio::test]
async fn each_paid_product_shows_its_price_per_session_as_the_api_computes_it() {
    let hub = hub().await;
    visits(&hub, "NO-2030000", "nordlys-ebok", 4).await;
    let mut deichman = signed_in(&hub, "deichman@tilgang.demo").await;

    let page = deichman.get("/admin/libraries/NO-2030000/usage").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let api = hub
        .app
        .get(
            "/api/v1/usage/cost?isil=NO-2030000",
            &hub.app.library_admin(&["NO-2030000"]),
        )
        .await
        .body;
    let ebook = tilgang_registry::Registry::new(&hub.env.ctx)
        .catalogue()
        .product_by_slug("nordlys-ebok")
        .await
        .unwrap()
        .unwrap();
    let paid = &api
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["product"] == ebook.id.0.to_string())
        .unwrap()["paid"][0];
    assert_eq!(paid["sessions"], 4);
    let per = paid["cost_per_session_minor"].as_i64().unwrap();
    let row = cost_row(&page.body, "Nordlys e-bøker");
    assert!(row.contains("<td class=\"number\">4</td>"), "{row}");
    let shown = format!("NOK\u{a0}{}.{:02}", per / 100, per % 100);
    assert!(
        row.replace(',', "").contains(&shown),
        "{shown} (thousands grouped) in {row}"
    );
    assert!(
        row.contains("not reported"),
        "no COUNTER report was sent: {row}"
    );
    let unused = cost_row(&page.body, "Avisarkivet");
    assert!(unused.contains("no use"), "{unused}");
}

#[tokio::test]
async fn each_product_used_has_its_own_chart_with_its_own_numbers() {
    let hub = hub().await;
    visits(&hub, "NO-2030000", "nordlys-ebok", 3).await;
    visits(&hub, "NO-2030000", "avisarkivet", 2).await;
    let mut deichman = signed_in(&hub, "deichman@tilgang.demo").await;

    let page = deichman.get("/admin/libraries/NO-2030000/usage").await;
    let month = hub.env.clock.now().format("%Y-%m").to_string();
    let chart = |title: &str| {
        let caption = format!("<caption>Sessions per month, {title}</caption>");
        let table = page.body.split(&caption).nth(1).unwrap_or_else(|| {
            panic!("no chart of {title} in {}", page.body);
        });
        table.split("</table>").next().unwrap().to_owned()
    };
    assert!(chart("Avisarkivet").contains(&format!("<th scope=\"row\">{month}</th><td>2</td>")));
    assert!(
        chart("Nordlys e-bøker").contains(&format!("<th scope=\"row\">{month}</th><td>3</td>"))
    );
    assert!(chart("all products").contains(&format!("<th scope=\"row\">{month}</th><td>5</td>")));
    assert!(
        !page.body.contains("Sessions per month, Kunnskapsbasen"),
        "no chart of a product not used"
    );
    for id in ["chart-t", "product-0-t", "product-1-t"] {
        assert_eq!(
            page.body.matches(&format!("id=\"{id}\"")).count(),
            1,
            "{id}"
        );
    }
}
