//! Importing libraries from a file, for the API and the `tilgang import` command alike.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::domain::RegistryError;
use crate::domain::error::RecordProblem;
use crate::domain::import::{ImportBatch, basebibliotek, csv};
use crate::storage::libraries;

/// What an import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Libraries registered anew.
    pub created: usize,
    /// Registered libraries whose data changed.
    pub updated: usize,
    /// Registered libraries that were already up to date.
    pub unchanged: usize,
    /// Records left out because they had no usable ISIL.
    pub skipped: Vec<RecordProblem>,
}

/// The formats an import reads.
pub const FORMATS: [&str; 2] = ["basebibliotek", "csv"];

/// Reads an import file in `format` (`basebibliotek` or `csv`).
pub fn parse(format: &str, body: &[u8]) -> Result<ImportBatch, RegistryError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| RegistryError::ImportUnreadable("the file is not UTF-8 text".into()))?;
    match format {
        "basebibliotek" => basebibliotek::parse(text),
        "csv" => csv::parse(text),
        other => Err(RegistryError::invalid(
            "format",
            "value_invalid",
            format!("{other:?} is not one of: {}", FORMATS.join(", ")),
        )),
    }
}

/// Parses and imports a file in one transaction; skipped records are logged without personal data.
pub async fn run(
    db: &DatabaseConnection,
    format: &str,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<ImportReport, RegistryError> {
    let batch = parse(format, body)?;
    let counts = libraries::import(db, &batch, now).await?;
    let skipped = batch.skipped();
    for record in &skipped {
        tracing::warn!(record = record.record, code = %record.code, "import skipped a record: {}", record.reason);
    }
    Ok(ImportReport {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        skipped,
    })
}
