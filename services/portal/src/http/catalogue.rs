//! `/catalogue`: every product libraries can offer, with what a library needs to decide
//! (what it is, how patrons get in, its trial, what the vendor receives, its statistics and
//! documents). Public: nothing in it is secret, and vendors want it seen.

use actix_web::{HttpRequest, HttpResponse, get, web};
use tilgang_kernel::ports::ProductSummary;
use tilgang_web::chrome::{Chrome, language};
use tilgang_web::i18n::Localizer;

use super::State;
use super::library::{description_in, failure, render};
use crate::pages::{CatalogueEntry, CataloguePage};

/// The product catalogue.
#[get("/catalogue")]
pub async fn catalogue(state: web::Data<State>, req: HttpRequest) -> HttpResponse {
    let lang = language(&req, None, None);
    let chrome = Chrome::new(&state.catalog, lang, "catalogue-title", "/catalogue");
    let mut products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    products.sort_by_key(|p| p.name(lang).to_lowercase());
    let entries = products.iter().map(|p| entry(p, &chrome.t)).collect();
    render(
        &CataloguePage {
            chrome,
            products: entries,
        },
        "'none'",
    )
}

fn entry(p: &ProductSummary, t: &Localizer) -> CatalogueEntry {
    let lang = t.lang;
    let (description, description_lang) = description_in(p, lang);
    let days = p.trial.days.to_string();
    let trial = match (p.trial.available, p.trial.needs_vendor_confirmation) {
        (false, _) => t.t("trial-none"),
        (true, false) => t.t1("trial-days", "days", &days),
        (true, true) => t.t1("trial-confirmed", "days", &days),
    };
    let mut data = vec![t.t("data-pairwise"), t.t("data-library")];
    data.extend(p.claims.iter().map(|c| t.t(&format!("data-{c}"))));
    let documents = [
        ("doc-privacy", &p.privacy_url),
        ("doc-dpa", &p.dpa_url),
        ("doc-accessibility", &p.accessibility_url),
    ]
    .into_iter()
    .filter_map(|(key, url)| url.clone().map(|url| (t.t(key), url)))
    .collect();
    CatalogueEntry {
        slug: p.slug.clone(),
        name: p.name(lang).to_owned(),
        vendor: t.t1("catalogue-by", "vendor", &p.vendor_name),
        description: description.to_owned(),
        description_lang,
        kind: t.t(&format!("kind-{}", p.kind)),
        access: t.t(&format!("integration-{}", p.integration)),
        trial,
        data,
        statistics: t.t(&format!("statistics-{}", p.statistics)),
        price: t.t(&format!("price-{}", p.price_model)),
        documents,
        training: p.training.clone(),
    }
}
