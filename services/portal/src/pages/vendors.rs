//! The templates of the consortium admin's vendor pages.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::{Choice, StaffBar};

/// One vendor in the list.
pub struct VendorRow {
    /// Its page.
    pub href: String,
    /// Trading name.
    pub name: String,
    /// Organisation number (may be empty).
    pub organisation_number: String,
    /// Its products' names.
    pub products: String,
}

/// `/admin/vendors`: every vendor, and the form to register one.
#[derive(Template)]
#[template(path = "admin_vendors.html")]
pub struct VendorsPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The vendors, by name.
    pub rows: Vec<VendorRow>,
    /// The registration form's fields: (name, value, `true` when refused).
    pub fields: Vec<(String, String, String)>,
    /// What was done.
    pub notice: Option<String>,
    /// Why the form was refused, in the page's language.
    pub problem: Option<String>,
    /// The service's reason, in English.
    pub detail: Option<String>,
}

/// `/admin/vendors/{id}`: a vendor's details, its products, and the form to add one.
#[derive(Template)]
#[template(path = "admin_vendor.html")]
pub struct VendorPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Where the details form goes.
    pub action: String,
    /// The details form's fields: (name, value, `true` when refused).
    pub fields: Vec<(String, String, String)>,
    /// Its products: (page, name, slug).
    pub products: Vec<(String, String, String)>,
    /// Where the product form goes.
    pub add_action: String,
    /// The new product's slug, as typed.
    pub slug: String,
    /// Its English name, as typed.
    pub name_en: String,
    /// Its name in the page's language, as typed.
    pub name_local: String,
    /// Kinds.
    pub kinds: Vec<Choice>,
    /// Integration methods.
    pub integrations: Vec<Choice>,
    /// Sources of usage statistics.
    pub statistics: Vec<Choice>,
    /// Where patrons enter it, as typed.
    pub access_url: String,
    /// The product field that was refused, if one.
    pub product_bad: String,
    /// The vendor list.
    pub back: String,
    /// What was done.
    pub notice: Option<String>,
    /// Why a form was refused, in the page's language.
    pub problem: Option<String>,
    /// The service's reason, in English.
    pub detail: Option<String>,
}
