//! The pages' templates and texts.

mod account;
mod agreements;
mod clients;
mod eid;
mod oversight;
mod products;
mod register;
mod statistics;
mod vendors;

use askama::Template;
use tilgang_web::chrome::Chrome;
use tilgang_web::i18n::Catalog;

pub use account::AccountPage;
pub use agreements::{AgreementRow, AgreementsPage};
pub use clients::{Approvals, ClientRow, VendorClients};
pub use eid::EidPage;
pub use oversight::{
    AccessRow, AuditRow, AuditTrail, DeliveryRow, EndpointRow, EventChoice, ProblemRow,
    ReceivedRow, VendorLibraries, VendorReports, VendorWebhooks, WebhookFailures,
};
pub use products::{DescriptionField, VendorProduct, VendorProducts};
pub use register::{ImportPage, ImportRow};
pub use statistics::{StatisticsPage, StatisticsRow, StatisticsTable};
pub use vendors::{VendorPage, VendorRow, VendorsPage};

/// The portal's texts, per language.
pub fn catalog() -> Catalog {
    Catalog::new(&[
        ("en", include_str!("../i18n/en.ftl")),
        ("nb", include_str!("../i18n/nb.ftl")),
        ("nn", include_str!("../i18n/nn.ftl")),
        ("sv", include_str!("../i18n/sv.ftl")),
        ("da", include_str!("../i18n/da.ftl")),
        ("fi", include_str!("../i18n/fi.ftl")),
    ])
}

/// A product on a library's pages.
pub struct Offer {
    /// Its name in the page's language.
    pub name: String,
    /// Its description's first sentence.
    pub description: String,
    /// The description's language, when it is not the page's (for screen readers).
    pub description_lang: Option<String>,
    /// "From {vendor}".
    pub vendor: String,
    /// Why it is there, when it is a trial: "On trial until …".
    pub note: Option<String>,
    /// `/go/{isil}/{slug}`.
    pub href: String,
    /// "Open {product}" (unique per product, for screen readers' lists of links).
    pub open: String,
}

/// A library's e-library page.
#[derive(Template)]
#[template(path = "library.html")]
pub struct LibraryPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The introduction.
    pub intro: String,
    /// What is shown when the library offers nothing.
    pub none: String,
    /// The products featured first.
    pub highlights: Vec<Offer>,
    /// The others, by name.
    pub others: Vec<Offer>,
    /// The privacy page.
    pub privacy_href: String,
    /// The library's own website.
    pub website: Option<String>,
    /// Its link text.
    pub website_label: String,
    /// Where product links open.
    pub target: &'static str,
    /// The library's logo, if it has one.
    pub logo: Option<String>,
}

/// The embeddable list of a library's products.
#[derive(Template)]
#[template(path = "widget.html")]
pub struct Widget {
    /// Chrome.
    pub chrome: Chrome,
    /// The library's logo, if it has one.
    pub logo: Option<String>,
    /// The products featured first.
    pub highlights: Vec<Offer>,
    /// The others, by name.
    pub others: Vec<Offer>,
    /// The full e-library page.
    pub page_href: String,
    /// Where product links open: the whole window, not the frame.
    pub target: &'static str,
}

/// What one vendor receives.
pub struct Disclosure {
    /// The product's name.
    pub name: String,
    /// "{vendor} receives:".
    pub receives: String,
    /// Each thing it receives.
    pub items: Vec<String>,
    /// The vendor's privacy statement.
    pub statement: Option<String>,
    /// Its link text.
    pub statement_label: String,
}

/// What each vendor of a library's products receives.
#[derive(Template)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    /// Chrome.
    pub chrome: Chrome,
    /// Per product.
    pub products: Vec<Disclosure>,
    /// The e-library page.
    pub back_href: String,
}

/// A page with one message (a library that is not registered).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Chrome.
    pub chrome: Chrome,
    /// The message.
    pub message: String,
}

/// A product as the catalogue shows it.
pub struct CatalogueEntry {
    /// Its slug (for ids).
    pub slug: String,
    /// Its name.
    pub name: String,
    /// "From {vendor}".
    pub vendor: String,
    /// Its description.
    pub description: String,
    /// The description's language, when it is not the page's.
    pub description_lang: Option<String>,
    /// What kind of product it is.
    pub kind: String,
    /// What patrons experience.
    pub access: String,
    /// Its trial terms.
    pub trial: String,
    /// What the vendor receives about each patron.
    pub data: Vec<String>,
    /// Where its statistics come from.
    pub statistics: String,
    /// How the vendor charges for it.
    pub price: String,
    /// (label, URL) of the vendor's privacy statement, DPA and accessibility statement.
    pub documents: Vec<(String, String)>,
    /// (title, URL) of training material.
    pub training: Vec<(String, String)>,
}

/// Every product, with what a library needs to decide.
#[derive(Template)]
#[template(path = "catalogue.html")]
pub struct CataloguePage {
    /// Chrome.
    pub chrome: Chrome,
    /// The products, by name.
    pub products: Vec<CatalogueEntry>,
}

/// The front page: find your library.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    /// Chrome.
    pub chrome: Chrome,
    /// What was searched for.
    pub query: String,
    /// What is shown when nothing matches.
    pub none: String,
    /// (e-library page, name, ISIL) of the matches.
    pub results: Vec<(String, String, String)>,
}

/// The bar on every staff page.
pub struct StaffBar {
    /// "Logged in as {name}".
    pub who: String,
    /// Their role, in words.
    pub role: String,
    /// The session's CSRF token, for the logout form.
    pub csrf: String,
    /// The staff home page.
    pub home: String,
    /// The role's other pages: address and name.
    pub links: Vec<(String, String)>,
    /// The staff member's account page.
    pub account: String,
}

/// `/admin`: the libraries the staff member acts for.
#[derive(Template)]
#[template(path = "admin_home.html")]
pub struct AdminHome {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Whether the page offers a search (consortium admins).
    pub may_search: bool,
    /// What was searched for.
    pub query: String,
    /// (page, name, ISIL) of each library found (or acted for).
    pub libraries: Vec<(String, String, String)>,
    /// (page, name, ISIL) of each suspended library (consortium admins).
    pub suspended: Vec<(String, String, String)>,
}

/// A product a library has.
pub struct HeldProduct {
    /// Its name.
    pub name: String,
    /// Its vendor.
    pub vendor: String,
    /// What grants it and until when ("Trial until 2.3.2027, 50 days left").
    pub state: String,
    /// Whether it is a trial.
    pub trial: bool,
    /// Its slug (the cancel form names it).
    pub slug: String,
    /// "Stop the trial of {product}".
    pub cancel: String,
    /// "Subscribe to {product}".
    pub convert: String,
    /// Patrons let in this month, as far as counted.
    pub this_month: String,
    /// Patrons let in last month.
    pub last_month: String,
}

/// A trial the library asked for that is not running: waiting for the vendor, or declined.
pub struct AskedTrial {
    /// The product's name.
    pub name: String,
    /// Its slug (the withdraw form names it).
    pub slug: String,
    /// "Asked on 3.12.2026; waiting for Nordlys Forlag to confirm".
    pub state: String,
    /// "Withdraw the request for {product}", when it still waits.
    pub withdraw: Option<String>,
}

/// A product a library may try.
pub struct TrialOffer {
    /// Its name.
    pub name: String,
    /// Its vendor.
    pub vendor: String,
    /// "{days} days".
    pub days: String,
    /// The trial page.
    pub href: String,
    /// "Try {product}" (unique per product, for screen readers' lists of links).
    pub label: String,
}

/// `/admin/libraries/{isil}`: a library's products.
#[derive(Template)]
#[template(path = "admin_library.html")]
pub struct AdminLibrary {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The library's ISIL.
    pub isil: String,
    /// The session's CSRF token, for the cancel forms.
    pub csrf: String,
    /// What just changed.
    pub notice: Option<String>,
    /// Whether the library is active (a suspended one's patrons have no access).
    pub active: bool,
    /// Whether the staff member may suspend it or make it active again (consortium admins).
    pub may_suspend: bool,
    /// Trials and subscriptions that end soon, said plainly.
    pub reminders: Vec<String>,
    /// What it has now.
    pub held: Vec<HeldProduct>,
    /// Trials it asked for that wait for the vendor or were declined.
    pub asked: Vec<AskedTrial>,
    /// Whether the held products' table shows usage (the usage service answers).
    pub with_usage: bool,
    /// What it may try.
    pub offers: Vec<TrialOffer>,
    /// Its e-library page.
    pub elibrary: String,
    /// Its usage page.
    pub usage: String,
    /// Its featured products' form.
    pub featured: String,
    /// Its settings' form.
    pub settings: String,
    /// The logins it issues to patrons.
    pub patrons: String,
    /// How its patrons log in (the SIP2 connection).
    pub login_setup: String,
    /// The e-ID (upstream provider) set-up page.
    pub eid: String,
    /// The logo's page.
    pub logo: String,
}

/// `/admin/libraries/{isil}/logo`: the library's logo and the forms that change it.
#[derive(Template)]
#[template(path = "admin_logo.html")]
pub struct LogoPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Where the upload goes.
    pub action: String,
    /// Where the removal goes.
    pub remove: String,
    /// The library's page.
    pub back: String,
    /// The logo now, if any.
    pub logo: Option<String>,
    /// That it was changed.
    pub notice: Option<String>,
    /// Why it was refused.
    pub problem: Option<String>,
}

/// `/admin/libraries/{isil}/trial`: what a trial means, and the button.
#[derive(Template)]
#[template(path = "admin_trial.html")]
pub struct TrialPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// (term, value) about the trial.
    pub facts: Vec<(String, String)>,
    /// The product's slug.
    pub product: String,
    /// Why it was refused.
    pub problem: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// The library's page.
    pub back: String,
}

/// A staff page with one message (not found, refused).
#[derive(Template)]
#[template(path = "admin_message.html")]
pub struct AdminMessage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar, when logged in.
    pub bar: Option<StaffBar>,
    /// The message.
    pub text: String,
}

/// One product's month on the usage page.
pub struct UsageRow {
    /// `YYYY-MM`.
    pub month: String,
    /// The product's name.
    pub product: String,
    /// Patrons let in.
    pub sessions: i64,
    /// Patrons turned away.
    pub turnaways: i64,
    /// Distinct patrons let in.
    pub unique_users: i64,
}

/// One product's cost per use on the usage page, written the reader's way.
pub struct CostRow {
    /// The product's name.
    pub product: String,
    /// Days of paid access in the period.
    pub days: String,
    /// The price of those days.
    pub paid: String,
    /// Patrons let in on those days.
    pub sessions: String,
    /// The price per session, or that there was no use.
    pub per_session: String,
    /// The vendor's COUNTER unique item requests, or that it reported none.
    pub requests: String,
    /// The price per unique item request, or why there is none.
    pub per_request: String,
}

/// `/admin/libraries/{isil}/usage`: a library's last twelve months.
#[derive(Template)]
#[template(path = "admin_usage.html")]
pub struct UsagePage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The sessions chart with its table (rendered HTML).
    pub chart: String,
    /// One chart (with its table) per product used in the period.
    pub product_charts: Vec<String>,
    /// The numbers per month and product, newest first.
    pub rows: Vec<UsageRow>,
    /// What each product cost per use in the same months.
    pub costs: Vec<CostRow>,
    /// Whether what was paid could not be read just now.
    pub costs_unavailable: bool,
    /// The CSV download.
    pub csv: String,
    /// The library's page.
    pub back: String,
}

/// One product's position field on the highlights form.
pub struct FeaturedField {
    /// The field's name (`rank-{slug}`), also its id.
    pub name: String,
    /// The product's name.
    pub label: String,
    /// Its position, or empty.
    pub value: String,
}

/// `/admin/libraries/{isil}/highlights`: choose and order the featured products.
#[derive(Template)]
#[template(path = "admin_featured.html")]
pub struct FeaturedPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// A field per product the library has.
    pub fields: Vec<FeaturedField>,
    /// Why the form was refused.
    pub problem: Option<String>,
    /// That it was saved.
    pub notice: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// The library's page.
    pub back: String,
}

/// One option of a select.
pub struct Choice {
    /// Its value.
    pub code: String,
    /// What it says.
    pub name: String,
    /// Whether it is chosen.
    pub selected: bool,
}

/// One contact's fields on the settings form.
pub struct ContactFields {
    /// Its position (the fields are `contact-{index}-name`, ...).
    pub index: usize,
    /// The fieldset's legend ("Contact 1").
    pub legend: String,
    /// Who or what this contact is.
    pub name: String,
    /// What to contact them about.
    pub roles: Vec<Choice>,
    /// E-mail address.
    pub email: String,
    /// Telephone number.
    pub phone: String,
    /// Whether the register refused this contact.
    pub invalid: bool,
}

/// `/admin/libraries/{isil}/settings`: websites, IP ranges, contacts and default language.
#[derive(Template)]
#[template(path = "admin_settings.html")]
pub struct SettingsPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// Website URLs, one per line.
    pub websites: String,
    /// IP ranges, one per line.
    pub ip_ranges: String,
    /// The default language to choose.
    pub languages: Vec<Choice>,
    /// The contacts, and a blank one or two to add.
    pub contacts: Vec<ContactFields>,
    /// That the form was refused, in the page's language.
    pub problem: Option<String>,
    /// The register's reason (in English).
    pub detail: Option<String>,
    /// The field at fault (`websites`, `ip_ranges`, `language`), or empty.
    pub bad: String,
    /// That it was saved.
    pub notice: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// The library's page.
    pub back: String,
}

/// One issued login in the table of `/admin/libraries/{isil}/patrons`.
pub struct IssuedRow {
    /// Its id (in the forms' addresses).
    pub id: String,
    /// The card number's last characters.
    pub hint: String,
    /// Patron category, or empty.
    pub category: String,
    /// Year of birth, or empty.
    pub birth_year: String,
    /// When it was issued, formatted.
    pub issued: String,
    /// "Active" or "Switched off".
    pub state: String,
    /// Whether it is switched off.
    pub disabled: bool,
    /// The label of the button that switches it off or on.
    pub toggle: String,
    /// The label of its new-PIN field.
    pub reset_label: String,
}

/// `/admin/libraries/{isil}/patrons`: the logins the library issued, and a form to issue one.
#[derive(Template)]
#[template(path = "admin_patrons.html")]
pub struct PatronsPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The library's ISIL.
    pub isil: String,
    /// The logins, newest first.
    pub rows: Vec<IssuedRow>,
    /// What was done.
    pub notice: Option<String>,
    /// That a form was refused, in the page's language.
    pub problem: Option<String>,
    /// The provider's reason (in English).
    pub detail: Option<String>,
    /// The field at fault (`username`, `pin`, `birth_year`), or empty.
    pub bad: String,
    /// The card number as entered in a refused form.
    pub username: String,
    /// The category as entered.
    pub category: String,
    /// The year of birth as entered.
    pub birth_year: String,
    /// Where the new-login form goes.
    pub action: String,
    /// The library's page.
    pub back: String,
}

/// `/admin/libraries/{isil}/convert`: a running trial into a subscription.
#[derive(Template)]
#[template(path = "admin_convert.html")]
pub struct ConvertPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// (term, value) about the trial: library, vendor, its last day, sessions so far.
    pub facts: Vec<(String, String)>,
    /// The product's slug.
    pub product: String,
    /// The first day (today), formatted.
    pub starts: String,
    /// The last day, `YYYY-MM-DD`.
    pub ends_on: String,
    /// The price as entered.
    pub price: String,
    /// The currencies to choose from.
    pub currencies: Vec<Choice>,
    /// Whether it renews by itself.
    pub renews: bool,
    /// Why it was refused.
    pub problem: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// The library's page.
    pub back: String,
}

/// What a conversion did, and what a session costs at the trial's rate of use.
#[derive(Template)]
#[template(path = "admin_converted.html")]
pub struct ConvertedPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// What to say, a paragraph each.
    pub lines: Vec<String>,
    /// The library's page.
    pub back: String,
}

/// `/admin/libraries/{isil}/login-setup`: the SIP2 connection, and its test.
#[derive(Template)]
#[template(path = "admin_login_setup.html")]
pub struct LoginSetupPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// `host:port`.
    pub address: String,
    /// Institution id (AO).
    pub institution_id: String,
    /// SIP2 login user (CN).
    pub login_user: String,
    /// Whether a SIP2 password is stored.
    pub password_set: bool,
    /// Location code (CP).
    pub location_code: String,
    /// Whether to use TLS.
    pub tls: bool,
    /// Seconds to wait.
    pub timeout_seconds: String,
    /// What was done, or that the test passed.
    pub notice: Option<String>,
    /// That a form was refused or the test failed, in the page's language.
    pub problem: Option<String>,
    /// The reason in English.
    pub detail: Option<String>,
    /// Where the form goes.
    pub action: String,
    /// Where the test button goes.
    pub test: String,
    /// The library's page.
    pub back: String,
}

/// A trial request in the vendor's list.
pub struct WaitingTrial {
    /// The trial's id (in the form's address).
    pub id: String,
    /// The library's name.
    pub library: String,
    /// Its ISIL.
    pub isil: String,
    /// The product's name.
    pub product: String,
    /// "Confirm the trial of {product} at {library}".
    pub confirm: String,
    /// "Decline ...".
    pub decline: String,
}

/// `/vendor`: the vendor's staff answer trial requests.
#[derive(Template)]
#[template(path = "vendor_home.html")]
pub struct VendorHome {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The requests waiting for an answer, oldest first.
    pub waiting: Vec<WaitingTrial>,
    /// What was just done.
    pub notice: Option<String>,
    /// Why an answer was refused.
    pub problem: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_language_has_every_message() {
        assert_eq!(super::catalog().untranslated(), Vec::<String>::new());
    }
}
