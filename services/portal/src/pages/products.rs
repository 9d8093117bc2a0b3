//! The templates of a vendor's product pages.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::{Choice, EventChoice, StaffBar};

/// `/vendor/products`: the vendor's products, each to edit.
#[derive(Template)]
#[template(path = "vendor_products.html")]
pub struct VendorProducts {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Each product: its page, name and slug.
    pub products: Vec<(String, String, String)>,
}

/// A description in one language on the product form.
pub struct DescriptionField {
    /// The language's tag, such as `nb`.
    pub lang: String,
    /// The language's name in itself.
    pub label: String,
    /// The text.
    pub text: String,
}

/// `/vendor/products/{slug}`: a product's descriptions, trial terms and release policy.
#[derive(Template)]
#[template(path = "vendor_product.html")]
pub struct VendorProduct {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Where the form goes.
    pub action: String,
    /// The list of products.
    pub back: String,
    /// The descriptions, one per language.
    pub descriptions: Vec<DescriptionField>,
    /// Whether trials are offered.
    pub available: bool,
    /// Trial length in days.
    pub days: String,
    /// Whether the vendor confirms each trial.
    pub confirms: bool,
    /// Days before a library may try again.
    pub waiting_days: String,
    /// How the vendor charges, the chosen one selected.
    pub prices: Vec<Choice>,
    /// The claims the product may receive, ticked when it does.
    pub claims: Vec<EventChoice>,
    /// That it was saved.
    pub notice: Option<String>,
    /// Why it was refused.
    pub problem: Option<String>,
}
