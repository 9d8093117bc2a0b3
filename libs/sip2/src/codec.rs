//! The SIP2 wire format: frames, fields, sequence numbers, checksums and dates.
//!
//! A message is a two-digit command, fixed-length fields, then variable fields, each a two-letter
//! identifier, its value and a `|`. With error detection on (always, for requests built here) the
//! message ends `AY<sequence digit>AZ<four hex digits>` and a carriage return. The checksum is the
//! two's complement of the 16-bit sum of every byte from the first through the `AZ`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Sip2Error;

/// Ends every variable-length field.
pub const DELIMITER: u8 = b'|';
/// Ends every message we send.
pub const TERMINATOR: u8 = b'\r';
/// The longest value a variable-length field may carry, in bytes (SIP2 2.00).
pub const MAX_FIELD_LEN: usize = 255;

/// The checksum of `bytes`: the two's complement of their sum, modulo 2¹⁶.
pub fn checksum(bytes: &[u8]) -> u16 {
    let sum = bytes
        .iter()
        .fold(0u16, |acc, b| acc.wrapping_add(u16::from(*b)));
    0u16.wrapping_sub(sum)
}

/// A SIP2 date, `YYYYMMDDZZZZHHMMSS`, in universal time (`ZZZZ` = three blanks and `Z`).
pub fn format_date(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d   Z%H%M%S").to_string()
}

/// A calendar date as ILSes send it in extension fields such as `PB` (birth date):
/// `YYYYMMDD`, `YYYY-MM-DD` or a full SIP2 date. Anything else is `None`.
pub fn parse_day(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let digits = value
        .get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    match digits {
        Some(d) if value.len() == 8 || value.len() == 18 => {
            NaiveDate::parse_from_str(d, "%Y%m%d").ok()
        }
        _ => NaiveDate::parse_from_str(value, "%Y-%m-%d").ok(),
    }
}

/// Checks that `value` may travel as a variable-length field: no `|`, no control characters
/// (which would end or corrupt the frame) and at most [`MAX_FIELD_LEN`] bytes.
///
/// `field` names the value in the error; the value itself is never shown.
pub fn check_value(field: &'static str, value: &str) -> Result<(), Sip2Error> {
    let problem = if value.bytes().any(|b| b == DELIMITER) {
        Some("contains '|', which SIP2 uses to separate fields")
    } else if value.chars().any(char::is_control) {
        Some("contains a control character (such as a line break)")
    } else if value.len() > MAX_FIELD_LEN {
        Some("is longer than the 255 bytes SIP2 allows")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Sip2Error::InvalidField { field, problem }),
        None => Ok(()),
    }
}

/// Sequence numbers `AY`: 0 to 9, then 0 again.
#[derive(Debug, Clone, Default)]
pub struct SequenceCounter {
    next: u8,
}

impl SequenceCounter {
    /// Returns the number for the next message and advances.
    pub fn next_number(&mut self) -> u8 {
        let current = self.next;
        self.next = (self.next + 1) % 10;
        current
    }
}

/// An encoded request, ready to send. It may hold a PIN or password, so it does not show its bytes.
pub struct Frame(Vec<u8>);

impl Frame {
    /// The bytes to write, terminator included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Frame({} bytes)", self.0.len())
    }
}

/// Builds one request: command, fixed fields, variable fields, then the `AY`/`AZ` trailer.
pub struct FrameBuilder {
    bytes: Vec<u8>,
}

impl FrameBuilder {
    /// Starts a message with its two-digit command identifier.
    pub fn new(command: &str) -> Self {
        debug_assert!(command.len() == 2 && command.bytes().all(|b| b.is_ascii_digit()));
        Self {
            bytes: command.as_bytes().to_vec(),
        }
    }

    /// Appends a fixed-length field, which must be exactly `width` ASCII bytes.
    pub fn fixed(mut self, value: &str, width: usize) -> Self {
        debug_assert!(
            value.len() == width && value.is_ascii(),
            "fixed field of wrong width"
        );
        self.bytes.extend_from_slice(value.as_bytes());
        self
    }

    /// Appends a variable-length field `<id><value>|`, refusing values [`check_value`] refuses.
    pub fn field(mut self, id: &str, name: &'static str, value: &str) -> Result<Self, Sip2Error> {
        check_value(name, value)?;
        self.bytes.extend_from_slice(id.as_bytes());
        self.bytes.extend_from_slice(value.as_bytes());
        self.bytes.push(DELIMITER);
        Ok(self)
    }

    /// Appends the field when there is a value.
    pub fn optional(
        self,
        id: &str,
        name: &'static str,
        value: Option<&str>,
    ) -> Result<Self, Sip2Error> {
        match value {
            Some(value) => self.field(id, name, value),
            None => Ok(self),
        }
    }

    /// Appends `AY<sequence>AZ<checksum>` and the carriage return.
    pub fn finish(mut self, sequence: u8) -> Frame {
        debug_assert!(sequence < 10);
        self.bytes.extend_from_slice(b"AY");
        self.bytes.push(b'0' + sequence % 10);
        self.bytes.extend_from_slice(b"AZ");
        let sum = checksum(&self.bytes);
        self.bytes
            .extend_from_slice(format!("{sum:04X}").as_bytes());
        self.bytes.push(TERMINATOR);
        Frame(self.bytes)
    }
}

/// One received message with its trailer checked and removed.
#[derive(Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// The two-digit command identifier, e.g. `64`.
    pub command: String,
    /// Everything after the command and before the trailer: fixed fields, then variable fields.
    pub body: Vec<u8>,
    /// The `AY` sequence number, when the sender used error detection.
    pub sequence: Option<u8>,
}

impl std::fmt::Debug for RawMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body holds patron identifiers; show only its size.
        f.debug_struct("RawMessage")
            .field("command", &self.command)
            .field("body_len", &self.body.len())
            .field("sequence", &self.sequence)
            .finish()
    }
}

/// Decodes one message received without its line ending (CR, LF or CRLF, already removed).
///
/// A trailing `AZxxxx` is verified and a mismatch is [`Sip2Error::ChecksumMismatch`]; a message
/// without `AZ` is accepted as is, since error detection is optional in SIP2.
pub fn decode(frame: &[u8]) -> Result<RawMessage, Sip2Error> {
    let mut rest = frame;
    let mut sequence = None;
    if let Some(split) = rest.len().checked_sub(6)
        && rest[split..split + 2] == *b"AZ"
        && rest[split + 2..].iter().all(u8::is_ascii_hexdigit)
    {
        let text = std::str::from_utf8(&rest[split + 2..]).unwrap_or("");
        let sent =
            u16::from_str_radix(text, 16).map_err(|_| Sip2Error::malformed("bad checksum"))?;
        if checksum(&rest[..split + 2]) != sent {
            return Err(Sip2Error::ChecksumMismatch {
                direction: "answer",
            });
        }
        rest = &rest[..split];
        if let Some(at) = rest.len().checked_sub(3)
            && rest[at..at + 2] == *b"AY"
            && rest[at + 2].is_ascii_digit()
        {
            sequence = Some(rest[at + 2] - b'0');
            rest = &rest[..at];
        }
    }
    if rest.len() < 2 || !rest[..2].iter().all(u8::is_ascii_digit) {
        return Err(Sip2Error::malformed(
            "a message did not start with a two-digit command",
        ));
    }
    Ok(RawMessage {
        command: String::from_utf8_lossy(&rest[..2]).into_owned(),
        body: rest[2..].to_vec(),
        sequence,
    })
}

/// Text as sent by the ILS: UTF-8 when it is valid UTF-8, otherwise ISO 8859-1 (which older
/// Nordic systems use), so that no byte is lost.
pub fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Splits a body into its fixed-length part of `width` bytes (which must be ASCII) and the
/// variable fields after it.
pub fn split_fixed<'a>(
    body: &'a [u8],
    width: usize,
    what: &str,
) -> Result<(&'a str, &'a [u8]), Sip2Error> {
    let fixed = body
        .get(..width)
        .and_then(|fixed| std::str::from_utf8(fixed).ok().filter(|s| s.is_ascii()))
        .ok_or_else(|| {
            Sip2Error::malformed(format!("the {what} is shorter than its fixed-length part"))
        })?;
    Ok((fixed, &body[width..]))
}

/// Variable-length fields in the order received. The same identifier may occur more than once
/// (screen messages, item lists). The last field may lack its `|`, as some servers send it.
pub fn parse_fields(mut rest: &[u8]) -> Result<Vec<(String, String)>, Sip2Error> {
    let mut fields = Vec::new();
    while !rest.is_empty() {
        if rest[0] == DELIMITER {
            // An empty field, as some servers send after the fixed part; nothing to keep.
            rest = &rest[1..];
            continue;
        }
        if rest.len() < 2 || !rest[..2].iter().all(u8::is_ascii_alphanumeric) {
            return Err(Sip2Error::malformed(
                "a field did not start with a two-letter identifier",
            ));
        }
        let id = String::from_utf8_lossy(&rest[..2]).into_owned();
        let value_and_rest = &rest[2..];
        let end = value_and_rest.iter().position(|&b| b == DELIMITER);
        let value = &value_and_rest[..end.unwrap_or(value_and_rest.len())];
        fields.push((id, text(value)));
        rest = match end {
            Some(end) => &value_and_rest[end + 1..],
            None => &[],
        };
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The SIP2 2.00 specification's checkin example, with its 18 blank return-date characters.
    const SPEC_CHECKIN: &[u8] = b"09N19980821    085721                  \
        APCertification Terminal Location|AOCertification Institute ID|AB3954|AC|AY1AZ";

    #[test]
    fn checksums_match_the_values_pysip2_computes() {
        // Expected values computed with pysip2 0.1.0's `calculate_checksum`.
        assert_eq!(checksum(SPEC_CHECKIN), 0xDD86);
        assert_eq!(checksum(b"9900302.00AY1AZ"), 0xFCA5);
        assert_eq!(checksum(b"9300CNuser|COpass|CPloc|AY0AZ"), 0xF5F1);
        assert_eq!(checksum(b"941AY0AZ"), 0xFDFD);
        assert_eq!(checksum(b"96AZ"), 0xFEF6);
    }

    #[test]
    fn a_checksum_makes_the_sum_of_the_message_zero() {
        let sum = SPEC_CHECKIN.iter().map(|&b| u32::from(b)).sum::<u32>();
        assert_eq!((sum + u32::from(checksum(SPEC_CHECKIN))) & 0xFFFF, 0);
    }

    #[test]
    fn the_spec_sc_status_example_is_encoded_byte_for_byte() {
        let frame = FrameBuilder::new("99")
            .fixed("0", 1)
            .fixed("030", 3)
            .fixed("2.00", 4)
            .finish(1);
        assert_eq!(frame.as_bytes(), b"9900302.00AY1AZFCA5\r");
    }

    #[test]
    fn sequence_numbers_cycle_from_zero_to_nine() {
        let mut counter = SequenceCounter::default();
        let numbers: Vec<u8> = (0..12).map(|_| counter.next_number()).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }

    #[test]
    fn dates_are_eighteen_characters_in_universal_time() {
        let at = Utc.with_ymd_and_hms(2026, 3, 9, 7, 5, 1).unwrap();
        assert_eq!(format_date(at), "20260309   Z070501");
        assert_eq!(format_date(at).len(), 18);
    }

    #[test]
    fn birth_dates_are_read_in_the_formats_ilses_use() {
        let day = NaiveDate::from_ymd_opt(1990, 5, 17);
        assert_eq!(parse_day("19900517"), day);
        assert_eq!(parse_day("1990-05-17"), day);
        assert_eq!(parse_day("19900517    000000"), day);
        assert_eq!(parse_day("17.05.1990"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn values_with_a_pipe_or_control_character_are_refused_without_showing_them() {
        for bad in ["12|34", "12\r34", "12\n34", "\u{0}", "a\u{7f}"] {
            let err = check_value("PIN", bad).unwrap_err();
            assert!(
                matches!(err, Sip2Error::InvalidField { field: "PIN", .. }),
                "{bad:?}"
            );
            assert!(!err.to_string().contains("12"), "{err}");
        }
        assert!(check_value("PIN", &"9".repeat(256)).is_err());
        assert!(check_value("name", "Åse Ødegård").is_ok());
        assert!(check_value("PIN", "").is_ok());
    }

    #[test]
    fn a_builder_refuses_a_bad_value_instead_of_sending_it() {
        let result = FrameBuilder::new("63").field("AA", "card number", "1|2");
        assert!(matches!(
            result,
            Err(Sip2Error::InvalidField {
                field: "card number",
                ..
            })
        ));
    }

    #[test]
    fn a_message_with_a_good_checksum_is_decoded_with_its_sequence_number() {
        let message = decode(b"941AY0AZFDFD").unwrap();
        assert_eq!(message.command, "94");
        assert_eq!(message.body, b"1");
        assert_eq!(message.sequence, Some(0));
    }

    #[test]
    fn a_message_with_a_wrong_checksum_is_refused() {
        let err = decode(b"941AY0AZFDFE").unwrap_err();
        assert!(matches!(err, Sip2Error::ChecksumMismatch { .. }), "{err:?}");
        assert_eq!(err.code(), "sip2_checksum_mismatch");
    }

    #[test]
    fn lower_case_checksum_digits_are_accepted() {
        assert!(decode(b"941AY0AZfdfd").is_ok());
    }

    #[test]
    fn a_message_without_error_detection_is_accepted() {
        let message = decode(b"941").unwrap();
        assert_eq!((message.command.as_str(), message.sequence), ("94", None));
    }

    #[test]
    fn a_message_without_a_command_is_malformed() {
        assert!(matches!(decode(b"X"), Err(Sip2Error::MalformedResponse(_))));
        assert!(matches!(
            decode(b"AZFF65"),
            Err(Sip2Error::MalformedResponse(_))
        ));
    }

    #[test]
    fn fields_keep_their_order_and_repeats_and_tolerate_a_missing_last_delimiter() {
        let fields = parse_fields(b"AOlib|AFone|AFtwo|AEKari").unwrap();
        let ids: Vec<&str> = fields.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["AO", "AF", "AF", "AE"]);
        assert_eq!(fields[3].1, "Kari");
        assert!(parse_fields(b"|x|").is_err());
        assert_eq!(
            parse_fields(b"|AOlib|").unwrap(),
            [("AO".into(), "lib".into())]
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_read_as_latin1() {
        assert_eq!(text("Ødegård".as_bytes()), "Ødegård");
        assert_eq!(text(b"\xd8deg\xe5rd"), "Ødegård");
    }
}
