//! A vendor's COUNTER report uploaded through the portal, and what the hub made of it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::ProductId;

/// One thing wrong with an uploaded report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportProblem {
    /// The line of the file it is on, when the file is JSON.
    pub line: Option<usize>,
    /// JSON pointer to the value at fault (empty for the whole file).
    pub pointer: String,
    /// The stable code, such as `counter_invalid` or `no_access`.
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
}

/// A report the hub has stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedReport {
    /// Its id.
    pub id: uuid::Uuid,
    /// The product.
    pub product: ProductId,
    /// The library.
    pub isil: String,
    /// `PR`, `TR`, …
    pub kind: String,
    /// First day of the period.
    pub begin: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// Its rows of numbers.
    pub rows: i64,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// When a later report for the same period replaced it.
    pub replaced_at: Option<DateTime<Utc>>,
}

/// What became of an upload: stored (and whether it replaced one for the same period), or
/// every problem found, line by line; nothing of a refused report is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadOutcome {
    /// Stored.
    Stored {
        /// The report.
        report: ReceivedReport,
        /// Whether it replaced an earlier report for the same period.
        replaced: bool,
    },
    /// Refused, with every problem, in the file's order.
    Refused(Vec<ReportProblem>),
}
