//! The BaseBibliotek XML export (namespace `http://nb.no/BaseBibliotek`).
//!
//! Read: `isil`, `inst` (name) and `inst_eng`, `bibltype` (FBI public, FAG research, SKO and
//! VGS school, NB national), `kommnr`, `overordnet` (the main library's number, which becomes
//! `NO-` + number), `landkode`, `url_hjem`, and the library's general `epost_adr` and `tlf`.
//! Names of people (`bibleder`, `fj_leder`) are not imported.

use serde::Deserialize;

use super::{ImportBatch, RawLibrary};
use crate::domain::error::RegistryError;
use crate::domain::library::LibraryKind;

#[derive(Deserialize)]
struct Export {
    #[serde(rename = "record", default)]
    records: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    isil: Option<String>,
    bibnr: Option<String>,
    bibltype: Option<String>,
    kommnr: Option<String>,
    overordnet: Option<String>,
    inst: Option<String>,
    inst_eng: Option<String>,
    landkode: Option<String>,
    url_hjem: Option<String>,
    epost_adr: Option<String>,
    tlf: Option<String>,
}

fn kind(code: &str) -> LibraryKind {
    match code.trim() {
        "FBI" => LibraryKind::Public,
        "FAG" | "UNI" | "HØG" => LibraryKind::Research,
        "SKO" | "VGS" | "GSK" => LibraryKind::School,
        "NB" => LibraryKind::National,
        _ => LibraryKind::Other,
    }
}

/// Parses an export; a file that is not BaseBibliotek XML is refused as a whole.
pub fn parse(xml: &str) -> Result<ImportBatch, RegistryError> {
    let export: Export = quick_xml::de::from_str(xml)
        .map_err(|e| RegistryError::ImportUnreadable(format!("not BaseBibliotek XML: {e}")))?;
    let raw = export.records.into_iter().enumerate().map(|(i, r)| {
        let country = r.landkode.clone();
        let parent = r
            .overordnet
            .filter(|p| !p.trim().is_empty() && Some(p) != r.bibnr.as_ref())
            .map(|p| match country.as_deref().map(str::trim) {
                Some("NO") | None => format!("NO-{}", p.trim()),
                Some(other) => format!("{other}-{}", p.trim()),
            });
        let library = RawLibrary {
            isil: r.isil,
            name: r.inst,
            name_en: r.inst_eng,
            kind: r.bibltype.as_deref().map(kind),
            parent,
            municipality: r.kommnr,
            country,
            website: r.url_hjem,
            email: r.epost_adr,
            phone: r.tlf,
            language: None,
        };
        (i + 1, library)
    });
    Ok(ImportBatch::from_raw(raw))
}
