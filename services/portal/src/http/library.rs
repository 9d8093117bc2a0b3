//! A library's public pages: `/l/{isil}` (the e-library page the library's website links to),
//! `/l/{isil}/privacy` (what each vendor receives) and `/l/{isil}/widget` (the same list to
//! show in a frame on the library's own website). Only products the library may use now are
//! shown; the ones it features come first, in its order, then the rest by name.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use tilgang_kernel::Isil;
use tilgang_kernel::ports::{EntitlementBasis, LibrarySummary, ProductSummary};
use tilgang_web::chrome::{Chrome, language};
use tilgang_web::i18n::Localizer;

use super::{State, html};
use crate::pages::{Disclosure, LibraryPage, MessagePage, Offer, PrivacyPage, Widget};

/// A library's e-library page.
#[get("/l/{isil}")]
pub async fn elibrary(
    state: web::Data<State>,
    req: HttpRequest,
    isil: web::Path<String>,
) -> HttpResponse {
    let (library, lang) = match found(&state, &req, &isil).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let here = format!("/l/{}", library.isil);
    let chrome = titled(&state, &library, lang, "library-title", "");
    let t = chrome.t.clone();
    let (highlights, others) = match offers(&state, &library, &t).await {
        Ok(offers) => offers,
        Err(page) => return page,
    };
    let page = LibraryPage {
        intro: t.t1("library-intro", "library", &library.name),
        none: t.t1("library-none", "library", &library.name),
        highlights,
        others,
        privacy_href: format!("{here}/privacy?lang={lang}"),
        website: library.websites.first().cloned(),
        website_label: t.t1("library-website", "library", &library.name),
        target: "_self",
        logo: super::logo::src(&library),
        chrome,
    };
    render(&page, "'none'")
}

/// What each vendor of the library's products receives.
#[get("/l/{isil}/privacy")]
pub async fn privacy(
    state: web::Data<State>,
    req: HttpRequest,
    isil: web::Path<String>,
) -> HttpResponse {
    let (library, lang) = match found(&state, &req, &isil).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let here = format!("/l/{}", library.isil);
    let chrome = titled(&state, &library, lang, "privacy-title", "/privacy");
    let t = chrome.t.clone();
    let products = match offered(&state, &library).await {
        Ok(products) => products,
        Err(page) => return page,
    };
    let disclosures = products
        .iter()
        .map(|(p, _)| {
            let mut items = vec![
                t.t("claim-pairwise"),
                t.t1("claim-library", "isil", library.isil.as_str()),
            ];
            items.extend(p.claims.iter().map(|c| t.t(&format!("claim-{c}"))));
            Disclosure {
                name: p.name(lang).to_owned(),
                receives: t.t1("privacy-receives", "vendor", &p.vendor_name),
                items,
                statement: p.privacy_url.clone(),
                statement_label: t.t1("privacy-statement", "vendor", &p.vendor_name),
            }
        })
        .collect();
    let page = PrivacyPage {
        chrome,
        products: disclosures,
        back_href: format!("{here}?lang={lang}"),
    };
    render(&page, "'none'")
}

/// The library's products, to show in a frame on its own website (which alone may frame it).
#[get("/l/{isil}/widget")]
pub async fn widget(
    state: web::Data<State>,
    req: HttpRequest,
    isil: web::Path<String>,
) -> HttpResponse {
    let (library, lang) = match found(&state, &req, &isil).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let here = format!("/l/{}", library.isil);
    let chrome = titled(&state, &library, lang, "widget-title", "/widget");
    let t = chrome.t.clone();
    let (highlights, others) = match offers(&state, &library, &t).await {
        Ok(offers) => offers,
        Err(page) => return page,
    };
    let page = Widget {
        logo: super::logo::src(&library),
        chrome,
        highlights,
        others,
        page_href: format!("{here}?lang={lang}"),
        target: "_top",
    };
    let mut ancestors: Vec<String> = library.websites.iter().filter_map(|w| origin(w)).collect();
    ancestors.insert(0, "'self'".into());
    render(&page, &ancestors.join(" "))
}

/// The chrome of the library's page at `/l/{isil}{suffix}`, titled with `title_key` and the
/// library's name.
fn titled(
    state: &State,
    library: &LibrarySummary,
    lang: &'static str,
    title_key: &str,
    suffix: &str,
) -> Chrome {
    let here = format!("/l/{}{suffix}", library.isil);
    let mut chrome = Chrome::new(&state.catalog, lang, title_key, &here);
    chrome.title = chrome.t.t1(title_key, "library", &library.name);
    chrome
}

/// The library named in the path and the page's language; a page saying so when there is none.
pub(super) async fn found(
    state: &State,
    req: &HttpRequest,
    isil: &str,
) -> Result<(LibrarySummary, &'static str), HttpResponse> {
    let library = match Isil::parse(isil) {
        Ok(isil) => state
            .ports
            .directory
            .library(&isil)
            .await
            .map_err(failure)?,
        Err(_) => None,
    };
    match library.filter(|l| l.active) {
        Some(library) => {
            let lang = language(req, None, Some(&library.language));
            Ok((library, lang))
        }
        None => {
            let lang = language(req, None, None);
            let mut chrome = Chrome::new(
                &state.catalog,
                lang,
                "not-found-title",
                &format!("/l/{isil}"),
            );
            chrome.title = chrome.t.t("not-found-title");
            let message = chrome.t.t1("not-found", "isil", isil);
            let page = MessagePage { chrome, message };
            Err(html(
                StatusCode::NOT_FOUND,
                page.render().unwrap_or_default(),
                "'none'",
            ))
        }
    }
}

/// The products the library may use now, with what grants each and until when.
async fn offered(
    state: &State,
    library: &LibrarySummary,
) -> Result<Vec<(ProductSummary, (EntitlementBasis, Option<DateTime<Utc>>))>, HttpResponse> {
    let now = state.clock.now();
    let granted: HashMap<_, _> = state
        .ports
        .entitlements
        .granted(&library.isil, now)
        .await
        .map_err(failure)?
        .into_iter()
        .map(|(product, e)| (product, (e.basis, e.until)))
        .collect();
    let products = state.ports.catalogue.products().await.map_err(failure)?;
    Ok(products
        .into_iter()
        .filter_map(|p| granted.get(&p.id).map(|g| (p, *g)))
        .collect())
}

/// The featured products in the library's order, and the others by name.
async fn offers(
    state: &State,
    library: &LibrarySummary,
    t: &Localizer,
) -> Result<(Vec<Offer>, Vec<Offer>), HttpResponse> {
    let lang = t.lang;
    let mut products = offered(state, library).await?;
    let featured = crate::storage::highlights(&state.db, &library.isil.key())
        .await
        .map_err(failure)?;
    products.sort_by_key(|(p, _)| p.name(lang).to_lowercase());
    let offer =
        |(p, (basis, until)): &(ProductSummary, (EntitlementBasis, Option<DateTime<Utc>>))| {
            let name = p.name(lang).to_owned();
            let note = match (basis, until) {
                (EntitlementBasis::Trial, Some(until)) => {
                    Some(t.t1("library-trial", "date", &date(lang, last_day(*until))))
                }
                _ => None,
            };
            let (description, description_lang) = description_in(p, lang);
            Offer {
                description: first_sentence(description),
                description_lang,
                vendor: t.t1("library-by", "vendor", &p.vendor_name),
                note,
                href: format!("/go/{}/{}", library.isil, p.slug),
                open: t.t1("library-open", "product", &name),
                name,
            }
        };
    let highlights = featured
        .iter()
        .filter_map(|id| products.iter().find(|(p, _)| p.id.0 == *id))
        .map(offer)
        .collect();
    let others = products
        .iter()
        .filter(|(p, _)| !featured.contains(&p.id.0))
        .map(offer)
        .collect();
    Ok((highlights, others))
}

/// A product's description in `lang` (else English, else any), and its language when it is
/// not `lang` (for the page to mark).
pub(super) fn description_in<'a>(p: &'a ProductSummary, lang: &str) -> (&'a str, Option<String>) {
    let other = (!p.descriptions.contains_key(lang))
        .then(|| {
            p.descriptions
                .keys()
                .find(|l| *l == "en")
                .or(p.descriptions.keys().next())
        })
        .flatten()
        .cloned();
    (p.description(lang), other)
}

/// The page rendered, with the portal's headers.
pub(super) fn render(page: &impl Template, frame_ancestors: &str) -> HttpResponse {
    match page.render() {
        Ok(body) => html(StatusCode::OK, body, frame_ancestors),
        Err(e) => failure(e),
    }
}

/// A plain "try again" page; the cause goes to the log.
pub(super) fn failure(e: impl std::fmt::Display) -> HttpResponse {
    tracing::warn!(error = %e, "an e-library page could not be built");
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain; charset=utf-8")
        .body("The e-library is unavailable just now. Try again in a minute.")
}

/// Today in the consortium's calendar.
pub(super) fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Oslo).date_naive()
}

/// The day access ends on (the last whole day before `until`), in the consortium's calendar.
pub(super) fn last_day(until: DateTime<Utc>) -> NaiveDate {
    (until - chrono::Duration::seconds(1))
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
}

/// A date as readers of `lang` write it.
pub fn date(lang: &str, day: NaiveDate) -> String {
    match lang {
        "nb" | "nn" | "da" | "fi" => day.format("%-d.%-m.%Y").to_string(),
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

/// A whole number as readers of `lang` write it, thousands grouped (`12,345` in English,
/// `12 345` in Norwegian, Swedish and Finnish, `12.345` in Danish).
pub fn count(lang: &str, n: i64) -> String {
    let separator = match lang {
        "en" => ',',
        "da" => '.',
        _ => '\u{a0}',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// An amount in minor units as readers of `lang` write money, with the ISO 4217 code where
/// they put a currency (`NOK 12,500.00` in English; `12 500,00 NOK` in Norwegian, Swedish and
/// Finnish; `12.500,00 NOK` in Danish).
pub fn money(lang: &str, minor: i64, currency: &str) -> String {
    let whole = count(lang, (minor / 100).abs());
    let sign = if minor < 0 { "-" } else { "" };
    let cents = (minor % 100).abs();
    if lang == "en" {
        format!("{currency}\u{a0}{sign}{whole}.{cents:02}")
    } else {
        format!("{sign}{whole},{cents:02}\u{a0}{currency}")
    }
}

/// An instant as readers of `lang` write it, in the consortium's time zone.
pub fn moment(lang: &str, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Oslo);
    format!(
        "{} {}",
        date(lang, local.date_naive()),
        local.format("%H:%M")
    )
}

/// The first sentence of a description (at most 200 characters).
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let sentence: String = text[..end].chars().take(200).collect();
    sentence.trim().to_owned()
}

/// `scheme://host[:port]` of a website, for `frame-ancestors`.
fn origin(website: &str) -> Option<String> {
    let (scheme, rest) = website.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty() && matches!(scheme, "http" | "https")).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::{count, money};

    #[test]
    fn numbers_are_grouped_in_thousands_the_reader_s_way() {
        assert_eq!(count("en", 1_234_567), "1,234,567");
        assert_eq!(count("nb", 12_345), "12\u{a0}345");
        assert_eq!(count("da", 12_345), "12.345");
        assert_eq!(count("fi", 999), "999");
        assert_eq!(count("sv", -1_000), "-1\u{a0}000");
    }

    #[test]
    fn money_is_written_the_reader_s_way_with_its_currency_code() {
        assert_eq!(money("en", 1_250_000, "NOK"), "NOK\u{a0}12,500.00");
        assert_eq!(money("nb", 1_250_000, "NOK"), "12\u{a0}500,00\u{a0}NOK");
        assert_eq!(money("da", 1_250_005, "DKK"), "12.500,05\u{a0}DKK");
        assert_eq!(money("fi", 99, "EUR"), "0,99\u{a0}EUR");
        assert_eq!(money("sv", -150, "SEK"), "-1,50\u{a0}SEK");
    }
}
