//! A simple CSV of libraries, with a header row. Columns (only `isil` and `name` are required,
//! order is free): `isil, name, name_en, kind, parent, municipality, country, website, email,
//! phone, language`. `kind` is one of public, school, research, national, other.

use serde::Deserialize;

use super::{ImportBatch, RawLibrary};
use crate::domain::error::{RecordProblem, RegistryError};
use crate::domain::library::LibraryKind;

#[derive(Deserialize)]
struct Row {
    isil: Option<String>,
    name: Option<String>,
    name_en: Option<String>,
    kind: Option<String>,
    parent: Option<String>,
    municipality: Option<String>,
    country: Option<String>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    language: Option<String>,
}

/// Parses a CSV file; a file without the `isil` and `name` columns is refused as a whole.
pub fn parse(text: &str) -> Result<ImportBatch, RegistryError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| RegistryError::ImportUnreadable(e.to_string()))?
        .clone();
    for needed in ["isil", "name"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(RegistryError::ImportUnreadable(format!(
                "the CSV header has no {needed:?} column"
            )));
        }
    }
    let mut raw = Vec::new();
    let mut kinds = Vec::new();
    for result in reader.deserialize::<Row>() {
        let row: Row = result.map_err(|e| RegistryError::ImportUnreadable(e.to_string()))?;
        let line = raw.len() + 2;
        let kind = match row.kind.as_deref().filter(|k| !k.is_empty()) {
            Some(text) => match LibraryKind::parse("kind", text) {
                Ok(kind) => Some(kind),
                Err(e) => {
                    kinds.push(RecordProblem {
                        record: line,
                        isil: row.isil.clone(),
                        code: e.code().into(),
                        reason: e.to_string(),
                    });
                    None
                }
            },
            None => None,
        };
        raw.push((
            line,
            RawLibrary {
                isil: row.isil,
                name: row.name,
                name_en: row.name_en,
                kind,
                parent: row.parent,
                municipality: row.municipality,
                country: row.country,
                website: row.website,
                email: row.email,
                phone: row.phone,
                language: row.language,
            },
        ));
    }
    if !kinds.is_empty() {
        return Err(RegistryError::ImportInvalid(kinds));
    }
    Ok(ImportBatch::from_raw(raw))
}
