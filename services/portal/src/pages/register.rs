//! The template of the consortium's register import page.

use askama::Template;
use tilgang_web::chrome::Chrome;

use super::StaffBar;

/// A record of an import file, as a row.
pub struct ImportRow {
    /// Its position in the file.
    pub record: usize,
    /// Its ISIL as written.
    pub isil: String,
    /// What is wrong (the register's words, in English).
    pub reason: String,
}

/// `/admin/import`: the upload form for a BaseBibliotek export or a CSV file, and what became
/// of the last one.
#[derive(Template)]
#[template(path = "admin_import.html")]
pub struct ImportPage {
    /// Chrome.
    pub chrome: Chrome,
    /// The staff bar.
    pub bar: StaffBar,
    /// The format chosen last (`basebibliotek` or `csv`).
    pub format: String,
    /// What was imported, in words.
    pub notice: Option<String>,
    /// Why the file was refused as a whole, in words.
    pub problem: Option<String>,
    /// The heading over `rows`: records left out, or records at fault.
    pub rows_heading: String,
    /// The records left out or at fault.
    pub rows: Vec<ImportRow>,
}
