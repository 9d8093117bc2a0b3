//! The template of a staff member's account page: the two-step login.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// `/admin/account`: turn the two-step login on (with a new secret and its `otpauth://` link)
/// or off (with a current code).
#[derive(Template)]
#[template(path = "admin_account.html")]
pub struct AccountPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Whether the two-step login is on.
    pub on: bool,
    /// A new secret to enrol (when off), in groups of four for reading.
    pub secret: String,
    /// The same, as authenticator apps take it.
    pub secret_plain: String,
    /// The `otpauth://` link for phones.
    pub uri: String,
    /// What was done.
    pub notice: Option<String>,
    /// Why the code was refused.
    pub problem: Option<String>,
}
