//! What every page has around its content: the language (chosen from `?lang=`, the OpenID
//! `ui_locales`, the browser, or the library's default), the title, the texts and links to
//! the same page in every language.

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use crate::i18n::{Catalog, LANGUAGES, Localizer, negotiate};

/// The one stylesheet of every page (login pages and portal): no fonts or images from
/// elsewhere, readable on an old phone, high contrast, visible focus.
pub const STYLESHEET: &str = include_str!("../assets/tilgang.css");

/// The stylesheet as an answer, cached for a day.
pub fn stylesheet() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

/// The page's language: `?lang=`, else `ui_locales`, else the browser's, else `fallback`.
pub fn language(
    req: &HttpRequest,
    ui_locales: Option<&str>,
    fallback: Option<&str>,
) -> &'static str {
    let chosen = actix_web::web::Query::<std::collections::HashMap<String, String>>::from_query(
        req.query_string(),
    )
    .ok()
    .and_then(|q| q.get("lang").cloned());
    let ui = ui_locales.and_then(|l| l.split_whitespace().find_map(crate::i18n::supported));
    let accept = req
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    negotiate(chosen.as_deref().or(ui), accept, fallback)
}

/// What every page has around its content.
pub struct Chrome {
    /// The language.
    pub lang: &'static str,
    /// The page title.
    pub title: String,
    /// Texts.
    pub t: Localizer,
    /// Links to this page in each language.
    pub languages: Vec<LangLink>,
}

/// A link to the page in one language.
pub struct LangLink {
    /// Language code.
    pub code: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    /// The page in that language.
    pub href: String,
    /// Whether it is the page's language.
    pub current: bool,
}

impl Chrome {
    /// The chrome of a page at `here` (a GET URL with a query string or none).
    pub fn new(catalog: &Arc<Catalog>, lang: &'static str, title_key: &str, here: &str) -> Self {
        let t = catalog.localizer(lang);
        let separator = if here.contains('?') { "&" } else { "?" };
        Self {
            lang,
            title: t.t(title_key),
            languages: LANGUAGES
                .iter()
                .map(|(code, name)| LangLink {
                    code,
                    name,
                    href: format!("{here}{separator}lang={code}"),
                    current: *code == lang,
                })
                .collect(),
            t,
        }
    }
}
