//! The SIP2 requests this client sends: 93 login, 23 patron status, 63 patron information and
//! 99 SC status. Every request carries a sequence number and a checksum.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::codec::{Frame, FrameBuilder, format_date};
use crate::error::Sip2Error;

/// Language code "000": unknown, i.e. the ILS's default language.
pub const LANGUAGE_UNSPECIFIED: &str = "000";
/// The protocol version this client speaks.
pub const PROTOCOL_VERSION: &str = "2.00";

/// 93 Login: the account the library created for us on its SIP2 server.
pub struct LoginRequest<'a> {
    /// `CN`, the login user id.
    pub user_id: &'a str,
    /// `CO`, the login password.
    pub password: &'a str,
    /// `CP`, the location code, when the library gave one.
    pub location_code: Option<&'a str>,
}

impl LoginRequest<'_> {
    /// Encodes the request with plain-text user id and password (algorithms `0`).
    pub fn encode(&self, sequence: u8) -> Result<Frame, Sip2Error> {
        Ok(FrameBuilder::new("93")
            .fixed("0", 1)
            .fixed("0", 1)
            .field("CN", "SIP2 login user", self.user_id)?
            .field("CO", "SIP2 login password", self.password)?
            .optional("CP", "SIP2 location code", self.location_code)?
            .finish(sequence))
    }
}

impl fmt::Debug for LoginRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .field("location_code", &self.location_code)
            .finish()
    }
}

/// Which patron we ask about, and on whose behalf: the content of requests 23 and 63.
pub struct PatronQuery<'a> {
    /// `AO`, the library's institution id on its SIP2 server.
    pub institution_id: &'a str,
    /// `AA`, the patron's card number.
    pub patron_id: &'a str,
    /// `AC`, the terminal password, when the library set one.
    pub terminal_password: Option<&'a str>,
    /// `AD`, the patron's PIN, to have the ILS check it.
    pub patron_password: Option<&'a str>,
}

impl PatronQuery<'_> {
    /// 23 Patron Status Request. `AC` and `AD` are required there, and sent empty when unset.
    pub fn encode_patron_status(
        &self,
        sequence: u8,
        now: DateTime<Utc>,
    ) -> Result<Frame, Sip2Error> {
        Ok(FrameBuilder::new("23")
            .fixed(LANGUAGE_UNSPECIFIED, 3)
            .fixed(&format_date(now), 18)
            .field("AO", "institution id", self.institution_id)?
            .field("AA", "card number", self.patron_id)?
            .field(
                "AC",
                "terminal password",
                self.terminal_password.unwrap_or(""),
            )?
            .field("AD", "PIN", self.patron_password.unwrap_or(""))?
            .finish(sequence))
    }

    /// 63 Patron Information Request with a blank summary (no item lists asked for).
    pub fn encode_patron_information(
        &self,
        sequence: u8,
        now: DateTime<Utc>,
    ) -> Result<Frame, Sip2Error> {
        Ok(FrameBuilder::new("63")
            .fixed(LANGUAGE_UNSPECIFIED, 3)
            .fixed(&format_date(now), 18)
            .fixed("          ", 10)
            .field("AO", "institution id", self.institution_id)?
            .field("AA", "card number", self.patron_id)?
            .optional("AC", "terminal password", self.terminal_password)?
            .optional("AD", "PIN", self.patron_password)?
            .finish(sequence))
    }
}

impl fmt::Debug for PatronQuery<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatronQuery")
            .field("institution_id", &self.institution_id)
            .field("patron_id", &"<redacted>")
            .field(
                "terminal_password",
                &self.terminal_password.map(|_| "<redacted>"),
            )
            .field(
                "patron_password",
                &self.patron_password.map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// 99 SC Status: "status OK, print width 0 (no printer), protocol 2.00"; the ILS answers 98.
pub fn encode_sc_status(sequence: u8) -> Frame {
    FrameBuilder::new("99")
        .fixed("0", 1)
        .fixed("000", 3)
        .fixed(PROTOCOL_VERSION, 4)
        .finish(sequence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{checksum, decode};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 9, 7, 5, 1).unwrap()
    }

    fn query<'a>(pin: Option<&'a str>) -> PatronQuery<'a> {
        PatronQuery {
            institution_id: "NO-2030000",
            patron_id: "10000001",
            terminal_password: None,
            patron_password: pin,
        }
    }

    #[test]
    fn a_login_carries_user_password_and_location() {
        let frame = LoginRequest {
            user_id: "tilgang",
            password: "s3cret",
            location_code: Some("hq"),
        }
        .encode(0)
        .unwrap();
        let bytes = frame.as_bytes();
        assert!(bytes.starts_with(b"9300CNtilgang|COs3cret|CPhq|AY0AZ"));
        assert_eq!(
            checksum(&bytes[..bytes.len() - 5]),
            0xF492 /* as pysip2 computes it */
        );
        assert_eq!(decode(&bytes[..bytes.len() - 1]).unwrap().command, "93");
    }

    #[test]
    fn a_patron_information_request_has_a_blank_summary_and_the_pin() {
        let frame = query(Some("1234"))
            .encode_patron_information(3, now())
            .unwrap();
        assert_eq!(
            frame.as_bytes(),
            b"6300020260309   Z070501          AONO-2030000|AA10000001|AD1234|AY3AZF16C\r"
        );
    }

    #[test]
    fn a_patron_status_request_always_carries_terminal_password_and_pin_fields() {
        let frame = query(None).encode_patron_status(9, now()).unwrap();
        assert_eq!(
            frame.as_bytes(),
            b"2300020260309   Z070501AONO-2030000|AA10000001|AC|AD|AY9AZF274\r"
        );
    }

    #[test]
    fn an_sc_status_request_asks_for_protocol_2_00() {
        // Checksum as pysip2 0.1.0 computes it; pysip2 decodes the frame as SCStatusRequest.
        assert_eq!(encode_sc_status(1).as_bytes(), b"9900002.00AY1AZFCA8\r");
    }

    #[test]
    fn a_pin_with_a_pipe_is_refused_before_anything_is_sent() {
        let err = query(Some("12|4"))
            .encode_patron_information(0, now())
            .unwrap_err();
        assert_eq!(err.code(), "sip2_invalid_field");
        assert_eq!(
            err.to_string(),
            "the PIN cannot be sent over SIP2: it contains '|', which SIP2 uses to separate fields"
        );
    }

    #[test]
    fn debug_output_hides_card_number_and_secrets() {
        let shown = format!("{:?}", query(Some("1234")));
        assert!(
            !shown.contains("10000001") && !shown.contains("1234"),
            "{shown}"
        );
        let login = LoginRequest {
            user_id: "u",
            password: "s3cret",
            location_code: None,
        };
        assert!(!format!("{login:?}").contains("s3cret"));
    }
}
