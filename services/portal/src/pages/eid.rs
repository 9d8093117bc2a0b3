//! The template of a library's e-ID page: its upstream OpenID Connect provider.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// `/admin/libraries/{isil}/e-id`: the provider, the redirect URI to register there, and a
/// test button.
#[derive(Template)]
#[template(path = "admin_eid.html")]
pub struct EidPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The provider's issuer URL.
    pub issuer: String,
    /// The name on the login button.
    pub display_name: String,
    /// The hub's client id at the provider.
    pub client_id: String,
    /// Whether a client secret is stored.
    pub secret_set: bool,
    /// Scopes besides `openid`, separated by spaces.
    pub scopes: String,
    /// The claim that identifies a patron.
    pub patron_claim: String,
    /// The claim with the patron's home library.
    pub library_claim: String,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
    /// The field the service refused, if one (such as `issuer`).
    pub bad: String,
    /// What was done, or that the test passed.
    pub notice: Option<String>,
    /// That a form was refused or the test failed, in the page's language.
    pub problem: Option<String>,
    /// The reason in English.
    pub detail: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// Where the test and remove buttons go (`{here}/test`, `{here}/remove`).
    pub here: String,
    /// The library's page.
    pub back: String,
}
