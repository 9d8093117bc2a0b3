//! The verdict on a card number and PIN, as read from the ILS's patron information answer.

use std::fmt;

use chrono::NaiveDate;

use crate::codec::parse_day;
use crate::response::PatronInformationResponse;
use crate::status::PatronStatus;

/// What the ILS said about a card number and PIN.
///
/// `Debug` output hides the birth date; the card number and PIN are not kept at all.
#[derive(Clone, PartialEq, Eq)]
pub struct PatronCheck {
    /// The ILS knows the card (`BL` = `Y`; absent counts as no).
    pub valid_patron: bool,
    /// The PIN is right (`CQ` = `Y`; absent counts as no).
    pub valid_pin: bool,
    /// A [blocking flag](crate::PatronFlag::BLOCKING) is set: charge privileges denied or card
    /// reported lost.
    pub blocked: bool,
    /// All 14 patron status flags, for callers with a stricter policy.
    pub status: PatronStatus,
    /// The patron category (`PC`, sent by Koha and Evergreen).
    pub category: Option<String>,
    /// The birth date (`PB`, sent by Koha and Evergreen), when it is a readable date.
    pub birth_date: Option<NaiveDate>,
    /// The patron's home library: `AQ` where the ILS sends it (Koha does), otherwise `AO`.
    pub home_institution: Option<String>,
    /// The screen messages (`AF`), joined by a space; `None` when there are none.
    pub screen_message: Option<String>,
}

impl PatronCheck {
    /// The patron may log in: known to the ILS, right PIN, and not blocked.
    pub fn accepted(&self) -> bool {
        self.valid_patron && self.valid_pin && !self.blocked
    }

    /// Reads the verdict from a 64 answer.
    pub fn from_information(info: &PatronInformationResponse) -> Self {
        let patron = &info.patron;
        let messages: Vec<&str> = patron
            .screen_messages
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
            .collect();
        Self {
            valid_patron: patron.valid_patron == Some(true),
            valid_pin: patron.valid_patron_password == Some(true),
            blocked: info.status.blocks_access(),
            status: info.status,
            category: patron.category.clone().filter(|c| !c.is_empty()),
            birth_date: patron.birth_date.as_deref().and_then(parse_day),
            home_institution: patron
                .home_library
                .clone()
                .filter(|h| !h.is_empty())
                .or_else(|| patron.institution_id.clone().filter(|i| !i.is_empty())),
            screen_message: (!messages.is_empty()).then(|| messages.join(" ")),
        }
    }
}

impl fmt::Debug for PatronCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatronCheck")
            .field("valid_patron", &self.valid_patron)
            .field("valid_pin", &self.valid_pin)
            .field("blocked", &self.blocked)
            .field("status", &self.status)
            .field("category", &self.category)
            .field("birth_date", &self.birth_date.map(|_| "<redacted>"))
            .field("home_institution", &self.home_institution)
            .field("screen_message", &self.screen_message)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::decode;
    use crate::response::Response;

    fn check(status: &str, fields: &str) -> PatronCheck {
        let frame = format!("64{status}00020260309    083015{}{fields}", " ".repeat(24));
        let raw = decode(frame.as_bytes()).unwrap();
        let Response::PatronInformation(info) = Response::parse(&raw).unwrap() else {
            panic!()
        };
        PatronCheck::from_information(&info)
    }

    const CLEAR: &str = "              ";

    #[test]
    fn a_known_patron_with_the_right_pin_is_accepted() {
        let check = check(
            CLEAR,
            "AOlib|AA1|AEKari|BLY|CQY|PCVOKSEN|PB19900517|AQfilial|",
        );
        assert!(check.accepted());
        assert_eq!(check.category.as_deref(), Some("VOKSEN"));
        assert_eq!(check.birth_date, NaiveDate::from_ymd_opt(1990, 5, 17));
        assert_eq!(check.home_institution.as_deref(), Some("filial"));
    }

    #[test]
    fn a_wrong_pin_is_not_accepted() {
        let check = check(CLEAR, "AOlib|AA1|AEKari|BLY|CQN|");
        assert!(check.valid_patron && !check.valid_pin && !check.accepted());
    }

    #[test]
    fn a_patron_without_a_pin_verdict_is_not_accepted() {
        assert!(!check(CLEAR, "AOlib|AA1|AEKari|BLY|").accepted());
    }

    #[test]
    fn a_blocked_patron_with_the_right_pin_is_not_accepted() {
        let check = check(
            "Y             ",
            "AOlib|AA1|AEKari|BLY|CQY|AFKortet er sperret|",
        );
        assert!(check.blocked && !check.accepted());
        assert_eq!(check.screen_message.as_deref(), Some("Kortet er sperret"));
    }

    #[test]
    fn a_lost_card_is_blocked() {
        assert!(check("    Y         ", "AOlib|AA1|AE|BLY|CQY|").blocked);
    }

    #[test]
    fn the_institution_is_the_home_library_when_no_branch_is_sent() {
        let check = check(CLEAR, "AONO-2030000|AA1|AE|BLN|CQN|AFone|AFtwo|");
        assert_eq!(check.home_institution.as_deref(), Some("NO-2030000"));
        assert_eq!(check.screen_message.as_deref(), Some("one two"));
    }

    #[test]
    fn debug_output_hides_the_birth_date() {
        let check = check(CLEAR, "AOlib|AA1|AE|BLY|CQY|PB19900517|");
        assert!(!format!("{check:?}").contains("1990"));
    }
}
