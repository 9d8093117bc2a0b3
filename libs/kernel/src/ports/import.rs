//! A library register file (BaseBibliotek XML or CSV) imported from the portal, and what the
//! register made of it.

use serde::{Deserialize, Serialize};

/// A record of an import file that was left out or is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Its position in the file (1-based; for CSV, the line).
    pub record: usize,
    /// Its ISIL as written, if it had one.
    pub isil: Option<String>,
    /// The stable code of the problem.
    pub code: String,
    /// What is wrong, in English.
    pub reason: String,
}

/// What became of an import: done in one transaction, or refused as a whole with every invalid
/// record, nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    /// Imported.
    Imported {
        /// Libraries registered anew.
        created: usize,
        /// Registered libraries whose data changed.
        updated: usize,
        /// Registered libraries already up to date.
        unchanged: usize,
        /// Records left out because they had no usable ISIL.
        skipped: Vec<ImportProblem>,
    },
    /// Refused: these records are invalid.
    Refused(Vec<ImportProblem>),
}
