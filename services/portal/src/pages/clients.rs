//! The templates of the OpenID Connect client pages: a vendor's clients and the consortium's
//! approvals.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// A client in a table.
pub struct ClientRow {
    /// Its client id.
    pub client_id: String,
    /// Its name.
    pub name: String,
    /// The vendor's name (on the consortium's page).
    pub vendor: String,
    /// The product's name, or "API only".
    pub product: String,
    /// Its redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Waiting, approved or suspended, in words.
    pub status: String,
    /// The buttons a consortium admin has: (`approve` or `suspend`, label, accessible label).
    pub actions: Vec<(String, String, String)>,
}

/// `/vendor/clients`: the vendor's clients and the form to register one.
#[derive(Template)]
#[template(path = "vendor_clients.html")]
pub struct VendorClients {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The clients.
    pub clients: Vec<ClientRow>,
    /// The vendor's products: id and name.
    pub products: Vec<(String, String)>,
    /// The form as typed: name, product id, redirect URIs (one per line), initiate-login URI.
    pub typed: (String, String, String, String),
    /// The field the service refused, if one.
    pub bad: String,
    /// A new client's id and secret, shown this once.
    pub secret: Option<(String, String)>,
    /// What was just done.
    pub notice: Option<String>,
    /// Why the form was refused.
    pub problem: Option<String>,
}

/// `/admin/approvals`: every vendor's clients, those waiting first, to approve or suspend;
/// and how many trial requests wait.
#[derive(Template)]
#[template(path = "admin_approvals.html")]
pub struct Approvals {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The clients, those waiting first.
    pub clients: Vec<ClientRow>,
    /// "{n} trial requests wait for their vendors", with a link.
    pub trials: String,
    /// What was just done.
    pub notice: Option<String>,
}
