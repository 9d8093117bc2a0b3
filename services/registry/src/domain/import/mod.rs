//! Importing libraries from files: the BaseBibliotek XML export of Norway's national library
//! register, and a simple CSV.
//!
//! Both formats become [`RawLibrary`] rows and then one validation. A record with no ISIL, or
//! one that is not an ISIL, is skipped and reported (a foreign library in a BaseBibliotek export
//! has none). Any other invalid record rejects the whole file, so an import never half-happens.

pub mod basebibliotek;
pub mod csv;

use super::common::{Contact, Lang, LocalizedText, parse_isil, parse_urls};
use super::error::{RecordProblem, RegistryError};
use super::library::{LibraryKind, NewLibrary, country_of, parse_municipality};

/// One library as read from a file, before validation.
#[derive(Debug, Default, Clone)]
pub struct RawLibrary {
    /// ISIL as written.
    pub isil: Option<String>,
    /// Name in the country's language.
    pub name: Option<String>,
    /// Name in English.
    pub name_en: Option<String>,
    /// Kind, as the format maps it.
    pub kind: Option<LibraryKind>,
    /// The main library's ISIL.
    pub parent: Option<String>,
    /// Municipality code.
    pub municipality: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// General e-mail address.
    pub email: Option<String>,
    /// General telephone.
    pub phone: Option<String>,
    /// Default language.
    pub language: Option<String>,
}

/// What became of one record.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Valid: to be created or updated.
    Library(NewLibrary),
    /// No usable ISIL: reported and left out.
    Skipped(RecordProblem),
    /// Invalid otherwise: the import is refused.
    Invalid(RecordProblem),
}

/// The records of one file, validated.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Every record's outcome, in file order.
    pub outcomes: Vec<Outcome>,
}

impl ImportBatch {
    /// Validates raw records numbered from 1 (or by the line numbers given). An ISIL that
    /// stands in the file twice (in any letter case) makes the later record invalid: which of
    /// the two is right is for a person to decide.
    pub fn from_raw(raw: impl IntoIterator<Item = (usize, RawLibrary)>) -> Self {
        let mut first_seen = std::collections::HashMap::new();
        let outcomes = raw
            .into_iter()
            .map(|(n, r)| match validate(n, r) {
                Outcome::Library(library) => match first_seen.get(&library.isil) {
                    Some(first) => Outcome::Invalid(RecordProblem {
                        record: n,
                        isil: Some(library.isil.to_string()),
                        code: "isil_duplicate".into(),
                        reason: format!("{} is also in record {first}", library.isil),
                    }),
                    None => {
                        first_seen.insert(library.isil.clone(), n);
                        Outcome::Library(library)
                    }
                },
                other => other,
            })
            .collect();
        Self { outcomes }
    }

    /// The libraries to write, or every invalid record when any is invalid.
    pub fn accepted(&self) -> Result<Vec<&NewLibrary>, RegistryError> {
        let invalid: Vec<RecordProblem> = self
            .outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Invalid(problem) => Some(problem.clone()),
                _ => None,
            })
            .collect();
        if !invalid.is_empty() {
            return Err(RegistryError::ImportInvalid(invalid));
        }
        Ok(self
            .outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Library(library) => Some(library),
                _ => None,
            })
            .collect())
    }

    /// The skipped records.
    pub fn skipped(&self) -> Vec<RecordProblem> {
        self.outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Skipped(problem) => Some(problem.clone()),
                _ => None,
            })
            .collect()
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
}

fn validate(record: usize, raw: RawLibrary) -> Outcome {
    let written = non_empty(raw.isil.clone());
    let problem = |code: &str, reason: String| RecordProblem {
        record,
        isil: written.clone(),
        code: code.to_owned(),
        reason,
    };
    let Some(isil_text) = written.clone() else {
        let who = non_empty(raw.name.clone()).unwrap_or_else(|| "unnamed".into());
        return Outcome::Skipped(problem(
            "isil_missing",
            format!("the record has no ISIL ({who})"),
        ));
    };
    let isil = match parse_isil("isil", &isil_text) {
        Ok(isil) => isil,
        Err(e) => return Outcome::Skipped(problem(e.code(), e.to_string())),
    };
    match library(isil, raw) {
        Ok(library) => Outcome::Library(library),
        Err(e) => Outcome::Invalid(problem(e.code(), e.to_string())),
    }
}

fn library(isil: tilgang_isil::Isil, raw: RawLibrary) -> Result<NewLibrary, RegistryError> {
    let country = country_of(&isil, non_empty(raw.country).as_deref())?;
    let local = Lang::of_country(&country);
    let mut names = std::collections::BTreeMap::new();
    if let Some(name) = non_empty(raw.name) {
        names.insert(local.as_str().to_owned(), name);
    }
    if let Some(name) = non_empty(raw.name_en) {
        names.insert("en".to_owned(), name);
    }
    let name = LocalizedText::parse("name", names, 300)?;
    let language = match non_empty(raw.language) {
        Some(text) => Lang::parse("language", &text)?,
        None => local,
    };
    let websites = match non_empty(raw.website) {
        Some(url) if !url.contains("://") => parse_urls("website", &[format!("http://{url}")])?,
        Some(url) => parse_urls("website", &[url])?,
        None => Vec::new(),
    };
    let contact = Contact {
        name: None,
        role: Some("general".into()),
        email: non_empty(raw.email),
        phone: non_empty(raw.phone),
    };
    let contacts = if contact.email.is_some() || contact.phone.is_some() {
        vec![Contact::parse("contact", contact)?]
    } else {
        Vec::new()
    };
    let parent = non_empty(raw.parent)
        .map(|p| parse_isil("parent", &p))
        .transpose()?
        .filter(|p| *p != isil);
    Ok(NewLibrary {
        name,
        kind: raw.kind.unwrap_or(LibraryKind::Other),
        parent,
        municipality: non_empty(raw.municipality)
            .map(|m| parse_municipality("municipality", &m))
            .transpose()?,
        country,
        websites,
        ip_ranges: Vec::new(),
        contacts,
        language,
        isil,
    })
}
