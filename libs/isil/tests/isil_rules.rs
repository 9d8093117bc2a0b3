//! The rules of ISO 15511 as seen from outside the crate.

use std::collections::HashSet;

use proptest::prelude::*;
use tilgang_isil::{Isil, IsilError};

fn parse(s: &str) -> Result<Isil, IsilError> {
    s.parse()
}

#[test]
fn every_published_nordic_isil_is_accepted() {
    let list = include_str!("fixtures/nordic_isils.txt");
    let isils: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(isils.len(), 757);
    for text in isils {
        let isil = parse(text).unwrap_or_else(|e| panic!("{text} was refused: {e}"));
        assert_eq!(
            isil.as_str(),
            text,
            "a registered ISIL is shown as registered"
        );
    }
}

#[test]
fn the_country_prefix_is_stored_in_upper_case_and_the_local_part_as_given() {
    let isil = parse("fi-Ah").unwrap();
    assert_eq!(isil.as_str(), "FI-Ah");
    assert_eq!(isil.prefix(), "FI");
    assert_eq!(isil.local(), "Ah");
    assert_eq!(isil.country(), Some("FI"));
}

#[test]
fn equality_and_hashing_ignore_letter_case() {
    let a = parse("FI-Ht").unwrap();
    let b = parse("fi-HT").unwrap();
    assert_eq!(a, b);
    let set: HashSet<Isil> = [a, b].into_iter().collect();
    assert_eq!(set.len(), 1);
    assert_eq!(parse("FI-Ht").unwrap().key(), "fi-ht");
}

#[test]
fn non_country_prefixes_of_one_three_or_four_characters_are_accepted() {
    for text in ["OCLC-NLNOR", "ZDB-1-ABC", "X-1", "S1AB-A"] {
        let isil = parse(text).unwrap();
        assert_eq!(isil.country(), None, "{text}");
    }
}

#[test]
fn the_local_identifier_may_hold_slash_colon_and_hyphen() {
    assert_eq!(parse("DE-Hil2/1:a-b").unwrap().local(), "Hil2/1:a-b");
}

#[test]
fn each_rejection_names_the_rule_it_broke() {
    let cases = [
        ("", IsilError::Empty),
        ("NO-20300000000000", IsilError::TooLong { len: 17 }),
        (
            "NO-203 000",
            IsilError::InvalidCharacter {
                character: ' ',
                position: 6,
            },
        ),
        (
            "NO-2030æ",
            IsilError::InvalidCharacter {
                character: 'æ',
                position: 7,
            },
        ),
        ("NO2030000", IsilError::MissingHyphen),
        ("N:-1", IsilError::PrefixNotAlphanumeric),
        ("ABCDE-1", IsilError::PrefixLength { len: 5 }),
        ("-1", IsilError::PrefixLength { len: 0 }),
        ("XX-1", IsilError::UnknownCountryCode { code: "XX".into() }),
        ("NO-", IsilError::LocalIdentifierEmpty),
        (
            "NO-123456789012",
            IsilError::LocalIdentifierTooLong { len: 12 },
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(parse(input).unwrap_err(), expected, "{input:?}");
    }
    assert_eq!(IsilError::MissingHyphen.rule(), "missing_hyphen");
}

#[test]
fn serde_reads_and_writes_a_plain_string() {
    let isil: Isil = serde_json::from_str("\"no-2030000\"").unwrap();
    assert_eq!(serde_json::to_string(&isil).unwrap(), "\"NO-2030000\"");
    let err = serde_json::from_str::<Isil>("\"NO2030000\"").unwrap_err();
    assert!(err.to_string().contains("hyphen"), "{err}");
}

fn valid_isil() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        prop::sample::select(vec!["NO", "no", "SE", "DK", "FI", "fi", "DE"]).prop_map(String::from),
        "[A-Za-z0-9]{1}",
        "[A-Za-z0-9]{3,4}",
    ];
    (prefix, "[A-Za-z0-9][A-Za-z0-9/:-]{0,10}").prop_map(|(p, l)| format!("{p}-{l}"))
}

proptest! {
    #[test]
    fn every_well_formed_isil_parses_and_round_trips(text in valid_isil()) {
        let isil = parse(&text).unwrap();
        prop_assert_eq!(parse(isil.as_str()).unwrap(), isil.clone());
        prop_assert!(isil.as_str().eq_ignore_ascii_case(&text));
    }

    #[test]
    fn case_changes_never_change_identity(text in valid_isil()) {
        prop_assert_eq!(parse(&text.to_lowercase()).unwrap(), parse(&text.to_uppercase()).unwrap());
    }

    #[test]
    fn arbitrary_text_never_panics_and_accepted_text_obeys_the_limits(text in "\\PC{0,24}") {
        if let Ok(isil) = parse(&text) {
            prop_assert!(isil.as_str().len() <= 16);
            prop_assert!(isil.local().len() <= 11 && !isil.local().is_empty());
        }
    }
}

#[test]
fn the_fixture_holds_exactly_the_isils_of_the_shared_reference() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/isil/nordic_isils.tsv");
    let Ok(tsv) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} is absent (it exists only beside the project's own checkout)",
            path.display()
        );
        return;
    };
    let reference: Vec<&str> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    let fixture: Vec<&str> = include_str!("fixtures/nordic_isils.txt").lines().collect();
    assert_eq!(reference, fixture);
}
