//! The SIP2 answers this client reads: 94 login, 24 patron status, 64 patron information,
//! 98 ACS status and 96 "please resend".

use std::collections::BTreeMap;
use std::fmt;

use crate::codec::{RawMessage, parse_fields, split_fixed};
use crate::error::Sip2Error;
use crate::status::PatronStatus;

/// A decoded answer from the ILS.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// 94: the answer to a login.
    Login(LoginResponse),
    /// 24: the answer to a patron status request.
    PatronStatus(PatronStatusResponse),
    /// 64: the answer to a patron information request.
    PatronInformation(PatronInformationResponse),
    /// 98: the answer to an SC status request.
    AcsStatus(AcsStatusResponse),
    /// 96: the ILS could not read our last message and asks us to send it again.
    Resend,
    /// Any other command; carries its two-digit identifier.
    Other(String),
}

impl Response {
    /// Reads the body of a message whose trailer [`decode`](crate::codec::decode) has checked.
    pub fn parse(raw: &RawMessage) -> Result<Self, Sip2Error> {
        let body = raw.body.as_slice();
        Ok(match raw.command.as_str() {
            "94" => Self::Login(LoginResponse::parse(body)?),
            "24" => Self::PatronStatus(PatronStatusResponse::parse(body)?),
            "64" => Self::PatronInformation(PatronInformationResponse::parse(body)?),
            "98" => Self::AcsStatus(AcsStatusResponse::parse(body)?),
            "96" => Self::Resend,
            other => Self::Other(other.to_owned()),
        })
    }

    /// The two-digit command identifier.
    pub fn command(&self) -> &str {
        match self {
            Self::Login(_) => "94",
            Self::PatronStatus(_) => "24",
            Self::PatronInformation(_) => "64",
            Self::AcsStatus(_) => "98",
            Self::Resend => "96",
            Self::Other(command) => command,
        }
    }
}

/// 94 Login Response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginResponse {
    /// Whether the ILS accepted the login (`1`).
    pub ok: bool,
}

impl LoginResponse {
    fn parse(body: &[u8]) -> Result<Self, Sip2Error> {
        match body.first() {
            Some(b'1') => Ok(Self { ok: true }),
            Some(b'0') => Ok(Self { ok: false }),
            _ => Err(Sip2Error::malformed(
                "the login answer (94) is neither 0 nor 1",
            )),
        }
    }
}

/// 24 Patron Status Response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronStatusResponse {
    /// The 14 patron status flags.
    pub status: PatronStatus,
    /// The three-digit language code.
    pub language: String,
    /// The ILS's transaction date, as sent (`YYYYMMDDZZZZHHMMSS`).
    pub transaction_date: String,
    /// The variable-length fields.
    pub patron: PatronFields,
}

impl PatronStatusResponse {
    fn parse(body: &[u8]) -> Result<Self, Sip2Error> {
        let (fixed, rest) = split_fixed(body, 35, "patron status answer (24)")?;
        Ok(Self {
            status: parse_status(&fixed[..14], "24")?,
            language: fixed[14..17].to_owned(),
            transaction_date: fixed[17..35].to_owned(),
            patron: PatronFields::parse(rest)?,
        })
    }
}

/// 64 Patron Information Response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronInformationResponse {
    /// The 14 patron status flags.
    pub status: PatronStatus,
    /// The three-digit language code.
    pub language: String,
    /// The ILS's transaction date, as sent (`YYYYMMDDZZZZHHMMSS`).
    pub transaction_date: String,
    /// The six item counts of the fixed-length part.
    pub counts: ItemCounts,
    /// The variable-length fields.
    pub patron: PatronFields,
}

impl PatronInformationResponse {
    fn parse(body: &[u8]) -> Result<Self, Sip2Error> {
        let (fixed, rest) = split_fixed(body, 59, "patron information answer (64)")?;
        let count = |at: usize| fixed[at..at + 4].trim().parse::<u32>().ok();
        Ok(Self {
            status: parse_status(&fixed[..14], "64")?,
            language: fixed[14..17].to_owned(),
            transaction_date: fixed[17..35].to_owned(),
            counts: ItemCounts {
                hold: count(35),
                overdue: count(39),
                charged: count(43),
                fine: count(47),
                recall: count(51),
                unavailable_holds: count(55),
            },
            patron: PatronFields::parse(rest)?,
        })
    }
}

fn parse_status(field: &str, command: &str) -> Result<PatronStatus, Sip2Error> {
    PatronStatus::parse(field).ok_or_else(|| {
        Sip2Error::malformed(format!(
            "the patron status flags of answer {command} are unreadable"
        ))
    })
}

/// The item counts of a 64 answer; `None` where the ILS left the count blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemCounts {
    /// Hold items.
    pub hold: Option<u32>,
    /// Overdue items.
    pub overdue: Option<u32>,
    /// Charged items.
    pub charged: Option<u32>,
    /// Fine items.
    pub fine: Option<u32>,
    /// Recall items.
    pub recall: Option<u32>,
    /// Unavailable holds.
    pub unavailable_holds: Option<u32>,
}

/// The variable-length fields of a 24 or 64 answer. Fields not named here stay in `other`.
///
/// Its `Debug` output hides the card number, the name, the birth date and the values of
/// `other` (which may hold addresses and phone numbers).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PatronFields {
    /// `AO`, the institution id.
    pub institution_id: Option<String>,
    /// `AA`, the patron identifier (card number).
    pub patron_id: Option<String>,
    /// `AE`, the patron's name.
    pub personal_name: Option<String>,
    /// `BL`, whether the ILS knows the patron (`None` when absent or neither Y nor N).
    pub valid_patron: Option<bool>,
    /// `CQ`, whether the PIN was right (`None` when absent or neither Y nor N).
    pub valid_patron_password: Option<bool>,
    /// `AQ`, the patron's home library where the ILS sends it (Koha does).
    pub home_library: Option<String>,
    /// `PC`, the patron category (an extension sent by Koha and Evergreen).
    pub category: Option<String>,
    /// `PB`, the birth date as sent (an extension sent by Koha and Evergreen).
    pub birth_date: Option<String>,
    /// `AF`, the screen messages, in order.
    pub screen_messages: Vec<String>,
    /// `AG`, the print lines, in order.
    pub print_lines: Vec<String>,
    /// Every other field, by identifier, values in the order received.
    pub other: BTreeMap<String, Vec<String>>,
}

impl PatronFields {
    fn parse(rest: &[u8]) -> Result<Self, Sip2Error> {
        let mut fields = Self::default();
        for (id, value) in parse_fields(rest)? {
            let slot = match id.as_str() {
                "AO" => &mut fields.institution_id,
                "AA" => &mut fields.patron_id,
                "AE" => &mut fields.personal_name,
                "AQ" => &mut fields.home_library,
                "PC" => &mut fields.category,
                "PB" => &mut fields.birth_date,
                "BL" => {
                    fields.valid_patron = yes_no(&value);
                    continue;
                }
                "CQ" => {
                    fields.valid_patron_password = yes_no(&value);
                    continue;
                }
                "AF" => {
                    fields.screen_messages.push(value);
                    continue;
                }
                "AG" => {
                    fields.print_lines.push(value);
                    continue;
                }
                _ => {
                    fields.other.entry(id).or_default().push(value);
                    continue;
                }
            };
            // The first occurrence wins; a repeated single field is kept with the others.
            if slot.is_none() {
                *slot = Some(value);
            } else {
                fields.other.entry(id).or_default().push(value);
            }
        }
        Ok(fields)
    }
}

fn yes_no(value: &str) -> Option<bool> {
    match value.trim() {
        "Y" | "y" => Some(true),
        "N" | "n" => Some(false),
        _ => None,
    }
}

impl fmt::Debug for PatronFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("PatronFields")
            .field("institution_id", &self.institution_id)
            .field("patron_id", &hidden(&self.patron_id))
            .field("personal_name", &hidden(&self.personal_name))
            .field("valid_patron", &self.valid_patron)
            .field("valid_patron_password", &self.valid_patron_password)
            .field("home_library", &self.home_library)
            .field("category", &self.category)
            .field("birth_date", &hidden(&self.birth_date))
            .field("screen_messages", &self.screen_messages)
            .field("print_lines", &self.print_lines)
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// 98 ACS Status: how the ILS describes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcsStatusResponse {
    /// Whether the ILS is online.
    pub online: bool,
    /// The protocol version it speaks, e.g. `2.00`.
    pub protocol_version: String,
    /// `AO`, its institution id.
    pub institution_id: Option<String>,
    /// `AM`, the library's name.
    pub library_name: Option<String>,
    /// `BX`, the supported-messages flags, as sent.
    pub supported_messages: Option<String>,
    /// `AF`, the screen messages, in order.
    pub screen_messages: Vec<String>,
}

impl AcsStatusResponse {
    fn parse(body: &[u8]) -> Result<Self, Sip2Error> {
        let (fixed, rest) = split_fixed(body, 34, "status answer (98)")?;
        let mut status = Self {
            online: fixed.as_bytes()[0] == b'Y',
            protocol_version: fixed[30..34].to_owned(),
            institution_id: None,
            library_name: None,
            supported_messages: None,
            screen_messages: Vec::new(),
        };
        for (id, value) in parse_fields(rest)? {
            match id.as_str() {
                "AO" => status.institution_id = Some(value),
                "AM" => status.library_name = Some(value),
                "BX" => status.supported_messages = Some(value),
                "AF" => status.screen_messages.push(value),
                _ => {}
            }
        }
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::decode;
    use crate::status::PatronFlag;

    fn parse(frame: &[u8]) -> Result<Response, Sip2Error> {
        Response::parse(&decode(frame)?)
    }

    /// A 64 answer as Koha sends it, with a checksum computed by pysip2 0.1.0.
    const KOHA_64: &[u8] = b"64Y   Y         00020260309    083015000000000001000000000000\
        AONO-2030000|AA10000001|AEKari Nordmann|BZ0005|CA0010|CB0020|BLY|CQN|BHNOK|BV12.50|\
        CC100.00|PCVOKSEN|PB19900517|AQhovedbibl|BEkari@example.no|AFBetal purregebyr|\
        AFMeld adresse|AY4AZBBC8";

    #[test]
    fn a_patron_information_answer_is_read_in_full() {
        let Response::PatronInformation(info) = parse(KOHA_64).unwrap() else {
            panic!()
        };
        assert!(info.status.is_set(PatronFlag::ChargePrivilegesDenied));
        assert!(info.status.is_set(PatronFlag::CardReportedLost));
        assert_eq!(info.status.flags().count(), 2);
        assert_eq!(
            (info.language.as_str(), info.transaction_date.as_str()),
            ("000", "20260309    083015")
        );
        assert_eq!(info.counts.charged, Some(1));
        assert_eq!(info.counts.hold, Some(0));
        let p = &info.patron;
        assert_eq!(p.institution_id.as_deref(), Some("NO-2030000"));
        assert_eq!(p.patron_id.as_deref(), Some("10000001"));
        assert_eq!(p.personal_name.as_deref(), Some("Kari Nordmann"));
        assert_eq!(
            (p.valid_patron, p.valid_patron_password),
            (Some(true), Some(false))
        );
        assert_eq!(p.category.as_deref(), Some("VOKSEN"));
        assert_eq!(p.birth_date.as_deref(), Some("19900517"));
        assert_eq!(p.home_library.as_deref(), Some("hovedbibl"));
        assert_eq!(p.screen_messages, ["Betal purregebyr", "Meld adresse"]);
        let other: Vec<&str> = p.other.keys().map(String::as_str).collect();
        assert_eq!(other, ["BE", "BH", "BV", "BZ", "CA", "CB", "CC"]);
    }

    #[test]
    fn blank_item_counts_are_none() {
        let body = format!(
            "64{}000{}{}AOx|AAy|AEz|",
            " ".repeat(14),
            "20260309    083015",
            " ".repeat(24)
        );
        let Response::PatronInformation(info) = parse(body.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(info.counts, ItemCounts::default());
        assert_eq!(info.patron.valid_patron, None);
    }

    #[test]
    fn a_patron_status_answer_is_read() {
        let frame = b"24              00020260309    083015AONO-2030000|AA10000002|AEOla|BLN|CQN|AFUkjent|AY7AZEAA3";
        let Response::PatronStatus(status) = parse(frame).unwrap() else {
            panic!()
        };
        assert_eq!(status.status, PatronStatus::default());
        assert_eq!(status.patron.valid_patron, Some(false));
        assert_eq!(status.patron.screen_messages, ["Ukjent"]);
    }

    #[test]
    fn login_answers_say_ok_or_not() {
        assert_eq!(
            parse(b"941AY0AZFDFD").unwrap(),
            Response::Login(LoginResponse { ok: true })
        );
        assert_eq!(
            parse(b"940AY3AZFDFB").unwrap(),
            Response::Login(LoginResponse { ok: false })
        );
        assert!(matches!(
            parse(b"94X"),
            Err(Sip2Error::MalformedResponse(_))
        ));
    }

    #[test]
    fn an_acs_status_answer_tells_whether_the_ils_is_online() {
        let frame =
            b"98YYYNYN03000320260309    0830152.00AONO-2030000|AMDeichman|BXYYYYYYYYYYYYYYYY|";
        let Response::AcsStatus(acs) = parse(frame).unwrap() else {
            panic!()
        };
        assert!(acs.online);
        assert_eq!(acs.protocol_version, "2.00");
        assert_eq!(acs.library_name.as_deref(), Some("Deichman"));
    }

    #[test]
    fn a_truncated_answer_is_malformed_and_the_error_does_not_quote_it() {
        let err = parse(b"64Y   Y   10000001").unwrap_err();
        assert!(matches!(err, Sip2Error::MalformedResponse(_)));
        assert!(!err.to_string().contains("10000001"), "{err}");
    }

    #[test]
    fn debug_output_hides_card_number_name_and_birth_date() {
        let Response::PatronInformation(info) = parse(KOHA_64).unwrap() else {
            panic!()
        };
        let shown = format!("{info:?}");
        for secret in ["10000001", "Kari", "19900517", "kari@example.no"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn unknown_commands_are_kept_as_other() {
        assert_eq!(parse(b"36Y").unwrap(), Response::Other("36".into()));
        assert_eq!(parse(b"96AZFEF6").unwrap(), Response::Resend);
    }
}
