//! Claims release: a vendor gets the pseudonymous subject, the library, and only the extra
//! claims its product's release policy allows.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a library system or identity provider told us about a patron.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatronAttributes {
    /// The library's patron category (such as `adult` or `child`).
    pub category: Option<String>,
    /// Year of birth (only the year is kept; only an age band is ever released).
    pub birth_year: Option<i32>,
    /// Preferred language (BCP 47).
    pub language: Option<String>,
    /// Home municipality code.
    pub municipality: Option<String>,
}

/// The age band of someone born in `birth_year`, as of `now`.
pub fn age_band(birth_year: i32, now: DateTime<Utc>) -> &'static str {
    match now.year() - birth_year {
        ..13 => "0-12",
        13..=17 => "13-17",
        18..=25 => "18-25",
        26..=66 => "26-66",
        _ => "67+",
    }
}

/// The claims released to a product with release policy `policy` (names such as `age_band`).
/// `isil` and `library_name` are always released; everything else only when the policy names
/// it and the value is known.
pub fn release(
    policy: &[String],
    isil: &str,
    library_name: &str,
    attributes: &PatronAttributes,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("isil".into(), isil.into());
    claims.insert("library_name".into(), library_name.into());
    for name in policy {
        let value = match name.as_str() {
            "age_band" => attributes.birth_year.map(|y| age_band(y, now).to_owned()),
            "patron_category" => attributes.category.clone(),
            "preferred_language" => attributes.language.clone(),
            "home_municipality" => attributes.municipality.clone(),
            _ => None,
        };
        if let Some(value) = value {
            claims.insert(name.clone(), value.into());
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn attributes() -> PatronAttributes {
        PatronAttributes {
            category: Some("adult".into()),
            birth_year: Some(2004),
            language: Some("nb".into()),
            municipality: Some("0301".into()),
        }
    }

    #[test]
    fn a_product_without_a_release_policy_gets_only_the_library() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        let claims = release(&[], "NO-2030000", "Oslo", &attributes(), now);
        assert_eq!(claims.len(), 2);
        assert_eq!(claims["isil"], "NO-2030000");
    }

    #[test]
    fn an_age_band_is_released_never_the_birth_year() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
        let claims = release(
            &["age_band".into()],
            "NO-2030000",
            "Oslo",
            &attributes(),
            now,
        );
        assert_eq!(claims["age_band"], "18-25");
        assert!(!serde_json::to_string(&claims).unwrap().contains("2004"));
        assert!(!claims.contains_key("patron_category"));
    }
}
