//! The templates of the pages about access, webhooks and the audit trail: a vendor's libraries
//! with access and webhook endpoints, and the consortium's webhook failures and audit trail.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// One library's access to one product, as a vendor sees it.
pub struct AccessRow {
    /// The library's name.
    pub library: String,
    /// Its ISIL.
    pub isil: String,
    /// The product's name.
    pub product: String,
    /// What grants access and until when, in words.
    pub basis: String,
    /// Its websites.
    pub websites: Vec<String>,
    /// Its IP ranges.
    pub ip_ranges: Vec<String>,
}

/// `/vendor/libraries`: every library with access to the vendor's products.
#[derive(Template)]
#[template(path = "vendor_libraries.html")]
pub struct VendorLibraries {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The libraries, product by product.
    pub rows: Vec<AccessRow>,
    /// The CSV download.
    pub csv: String,
}

/// A webhook endpoint on the vendor's page.
pub struct EndpointRow {
    /// Its id (in the forms' addresses).
    pub id: String,
    /// Where events go.
    pub url: String,
    /// The events it wants, as their names on the wire.
    pub events: String,
    /// "Send a test event to {url}".
    pub test_label: String,
    /// "Remove {url}".
    pub remove_label: String,
}

/// An event an endpoint may ask for, with its explanation.
pub struct EventChoice {
    /// Its name on the wire, such as `trial.started`.
    pub name: String,
    /// What it means, in the page's language.
    pub meaning: String,
    /// Whether it is ticked.
    pub checked: bool,
}

/// One delivery in a log.
pub struct DeliveryRow {
    /// When it was queued.
    pub at: String,
    /// The vendor's name (on the consortium's page).
    pub vendor: String,
    /// The endpoint's URL.
    pub url: String,
    /// The event type.
    pub event: String,
    /// Pending, delivered or failed, in words.
    pub state: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The last answer: an HTTP status or what went wrong.
    pub answer: String,
}

/// `/vendor/webhooks`: the vendor's endpoints, a form to add one, and the delivery log.
#[derive(Template)]
#[template(path = "vendor_webhooks.html")]
pub struct VendorWebhooks {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The endpoints.
    pub endpoints: Vec<EndpointRow>,
    /// The events the add form offers.
    pub events: Vec<EventChoice>,
    /// The URL typed into the add form (kept when it is refused).
    pub url: String,
    /// A new endpoint's signing secret, shown this once.
    pub secret: Option<String>,
    /// What was just done.
    pub notice: Option<String>,
    /// Why the last form was refused.
    pub problem: Option<String>,
    /// The newest deliveries.
    pub deliveries: Vec<DeliveryRow>,
    /// Whether the log names each delivery's vendor (not on a vendor's own page).
    pub show_vendor: bool,
}

/// `/admin/webhook-failures`: deliveries given up, every vendor's.
#[derive(Template)]
#[template(path = "admin_webhook_failures.html")]
pub struct WebhookFailures {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The failed deliveries, newest first.
    pub deliveries: Vec<DeliveryRow>,
    /// Whether the log names each delivery's vendor (here, always).
    pub show_vendor: bool,
}

/// One entry of the audit trail, in words.
pub struct AuditRow {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// The library's name.
    pub library: String,
    /// Its ISIL.
    pub isil: String,
    /// The product's name.
    pub product: String,
    /// What happened, such as `trial.requested`.
    pub action: String,
}

/// `/admin/audit`: who changed which trial or subscription.
#[derive(Template)]
#[template(path = "admin_audit.html")]
pub struct AuditTrail {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The newest entries.
    pub entries: Vec<AuditRow>,
}

/// A report the vendor sent, in the list under the upload form.
pub struct ReceivedRow {
    /// When it arrived.
    pub at: String,
    /// The library's ISIL.
    pub isil: String,
    /// The product's name.
    pub product: String,
    /// `PR`, `TR`, …
    pub kind: String,
    /// Its period, in words.
    pub period: String,
    /// Its rows of numbers.
    pub rows: i64,
    /// "Replaced on …", when a later report for the period replaced it.
    pub replaced: String,
}

/// One problem of an uploaded report, on its line.
pub struct ProblemRow {
    /// The line of the file, when known.
    pub line: String,
    /// The JSON pointer to the value at fault.
    pub pointer: String,
    /// What is wrong (the checker's words, in English).
    pub message: String,
}

/// `/vendor/reports`: the upload form, what became of an upload, and the reports received.
#[derive(Template)]
#[template(path = "vendor_reports.html")]
pub struct VendorReports {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The vendor's products: slug and name.
    pub products: Vec<(String, String)>,
    /// The product chosen last.
    pub chosen: String,
    /// That an upload was stored, in words.
    pub notice: Option<String>,
    /// Why an upload was refused as a whole, in words.
    pub problem: Option<String>,
    /// Every problem of a refused upload, in the file's order.
    pub problems: Vec<ProblemRow>,
    /// The newest reports received.
    pub received: Vec<ReceivedRow>,
}
