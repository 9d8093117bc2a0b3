//! The patron's pages, rendered with askama in the patron's language.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get};
use askama::Template;

use super::State;

/// The page texts of the provider, per language.
pub fn catalog() -> tilgang_web::i18n::Catalog {
    tilgang_web::i18n::Catalog::new(&[
        ("en", include_str!("../../i18n/en.ftl")),
        ("nb", include_str!("../../i18n/nb.ftl")),
        ("nn", include_str!("../../i18n/nn.ftl")),
        ("sv", include_str!("../../i18n/sv.ftl")),
        ("da", include_str!("../../i18n/da.ftl")),
        ("fi", include_str!("../../i18n/fi.ftl")),
    ])
}

pub use tilgang_web::chrome::{Chrome, language};

/// The library picker.
#[derive(Template)]
#[template(path = "picker.html")]
pub struct Picker {
    /// Chrome.
    pub chrome: Chrome,
    /// The flow.
    pub flow: String,
    /// The search text.
    pub query: String,
    /// (ISIL, name) of matches.
    pub results: Vec<(String, String)>,
    /// The library chosen last time on this device.
    pub remembered: Option<(String, String)>,
}

/// The card and PIN form.
#[derive(Template)]
#[template(path = "card.html")]
pub struct CardForm {
    /// Chrome.
    pub chrome: Chrome,
    /// The flow.
    pub flow: String,
    /// The library's name.
    pub library: String,
    /// The library's ISIL.
    pub isil: String,
    /// Why the last try failed.
    pub problem: Option<String>,
    /// The text of the upstream provider's login button, if the library has one.
    pub upstream: Option<String>,
}

/// What the vendor will receive.
#[derive(Template)]
#[template(path = "notice.html")]
pub struct Notice {
    /// Chrome.
    pub chrome: Chrome,
    /// The flow.
    pub flow: String,
    /// The opening sentence.
    pub intro: String,
    /// One line per released item.
    pub released: Vec<String>,
    /// The vendor's privacy statement.
    pub privacy_url: Option<String>,
    /// Its link text.
    pub privacy_text: String,
}

/// A message with links.
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    /// Chrome.
    pub chrome: Chrome,
    /// The message.
    pub text: String,
    /// (href, label).
    pub links: Vec<(String, String)>,
}

/// The PIN change form.
#[derive(Template)]
#[template(path = "pin.html")]
pub struct PinForm {
    /// Chrome.
    pub chrome: Chrome,
    /// The library's ISIL.
    pub isil: String,
    /// The login flow to go back to, if any.
    pub flow: Option<String>,
    /// The library's name.
    pub library: String,
    /// Why the last try failed.
    pub problem: Option<String>,
}

/// A library's shared login for a product, shown to its patron.
#[derive(Template)]
#[template(path = "credentials.html")]
pub struct Credentials {
    /// Chrome.
    pub chrome: Chrome,
    /// What this is.
    pub intro: String,
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
    /// The library's note.
    pub note: Option<String>,
    /// Where to log in.
    pub access_url: Option<String>,
}

/// Renders a page with a status.
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .insert_header(("X-Frame-Options", "DENY"))
            .insert_header((
                "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https: http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'",
            ))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "a page did not render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// Why a flow cannot go on.
#[derive(Debug)]
pub enum Failure {
    /// Unknown client or a redirect URI that is not the client's.
    UnknownClient,
    /// The flow expired or belongs to another browser.
    FlowExpired,
    /// A `/go` link names no active library or no product.
    NotFound,
    /// Something broke (logged, not shown).
    Internal(String),
}

/// The page for a failure.
pub fn failure(state: &State, lang: &'static str, failure: Failure) -> HttpResponse {
    let chrome = Chrome::new(&state.catalog, lang, "error-title", "/login");
    let (status, key) = match &failure {
        Failure::UnknownClient => (StatusCode::BAD_REQUEST, "error-client"),
        Failure::FlowExpired => (StatusCode::BAD_REQUEST, "error-flow"),
        Failure::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        Failure::Internal(e) => {
            tracing::error!(error = %e, "login failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    };
    let text = chrome.t.t(key);
    html(
        status,
        &Message {
            chrome,
            text,
            links: Vec::new(),
        },
    )
}

/// The pages' stylesheet.
#[get("/login/assets/tilgang.css")]
pub async fn stylesheet() -> HttpResponse {
    tilgang_web::chrome::stylesheet()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_has_every_message() {
        assert_eq!(super::catalog().untranslated(), Vec::<String>::new());
    }
}
