//! `/`: the front page, where a patron who came without their library's link finds their
//! library (by name, municipality or ISIL) and goes to its e-library page.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use tilgang_web::chrome::{Chrome, language};

use super::State;
use super::library::{failure, render};
use crate::pages::HomePage;

/// The most libraries a search shows.
const MOST: u64 = 20;

/// What was searched for.
#[derive(Debug, Deserialize)]
pub struct Search {
    /// Name, municipality or ISIL (or part of one).
    q: Option<String>,
}

/// The front page.
#[get("/")]
pub async fn home(
    state: web::Data<State>,
    req: HttpRequest,
    search: web::Query<Search>,
) -> HttpResponse {
    let lang = language(&req, None, None);
    let query: String = search
        .q
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(100)
        .collect();
    let here = if query.is_empty() {
        "/".to_owned()
    } else {
        format!(
            "/?q={}",
            url::form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        )
    };
    let chrome = Chrome::new(&state.catalog, lang, "home-title", &here);
    let found = if query.is_empty() {
        Vec::new()
    } else {
        match state.ports.search.search(&query, MOST).await {
            Ok(found) => found,
            Err(e) => return failure(e),
        }
    };
    let results = found
        .into_iter()
        .map(|l| {
            (
                format!("/l/{}?lang={lang}", l.isil),
                l.name,
                l.isil.as_str().to_owned(),
            )
        })
        .collect();
    let none = chrome.t.t1("home-none", "query", &query);
    render(
        &HomePage {
            chrome,
            query,
            none,
            results,
        },
        "'none'",
    )
}
