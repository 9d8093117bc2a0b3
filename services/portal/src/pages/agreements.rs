//! The template of the consortium agreements page.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::{Choice, StaffBar};

/// One agreement in the list.
pub struct AgreementRow {
    /// Its name.
    pub name: String,
    /// The product's name.
    pub product: String,
    /// How many libraries it covers, in words.
    pub members: String,
    /// Their ISILs.
    pub isils: String,
    /// First and last day.
    pub period: String,
    /// The whole price.
    pub price: String,
    /// How the price is shared, in words.
    pub split: String,
    /// Its state, in words.
    pub status: String,
    /// The shares of the viewer's libraries ("NO-2030000: 12,500.00 NOK").
    pub shares: Vec<String>,
    /// The cancel form's address and the button's accessible name, when it may be cancelled.
    pub cancel: Option<(String, String)>,
}

/// `/admin/agreements`: the agreements, and (for consortium admins) the form to make one.
#[derive(Template)]
#[template(path = "admin_agreements.html")]
pub struct AgreementsPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The agreements, newest first.
    pub rows: Vec<AgreementRow>,
    /// Whether the viewer makes agreements (shows the form).
    pub makes: bool,
    /// The form: the agreement's name.
    pub name: String,
    /// The products to choose from.
    pub products: Vec<Choice>,
    /// The regions and consortia to choose from (the first: none).
    pub groups: Vec<Choice>,
    /// More libraries, as typed.
    pub isils: String,
    /// Populations, as typed.
    pub populations: String,
    /// First day (YYYY-MM-DD).
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// The price, as typed.
    pub price: String,
    /// The currencies.
    pub currencies: Vec<Choice>,
    /// Whether the price is split by population.
    pub by_population: bool,
    /// The field that was refused, if one.
    pub bad: String,
    /// What was done.
    pub notice: Option<String>,
    /// Why the form was refused, in the page's language.
    pub problem: Option<String>,
    /// The service's reason, in English.
    pub detail: Option<String>,
}
