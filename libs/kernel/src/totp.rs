//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, six digits, 30-second steps) for the
//! staff's two-step login. A staff member's secret is stored sealed with a key derived from the
//! root secret, so the portal (which enrols it) and `sso` (which checks codes) both open it and
//! the register only keeps it. A code is accepted one step early or late, and a step is used at
//! most once (the register remembers the last one).

use chrono::{DateTime, Utc};
use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::secrets::{Keyed, Sealer};

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;

/// A new secret: 20 random bytes, as base32 (what authenticator apps take).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => unreachable!("to_encoded gives an encoded secret"),
    }
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECONDS, bytes).ok()
}

fn seconds(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// The step of `code` for `secret` at `at` (allowing one step either way), or `None` when it
/// is not right.
pub fn verify(secret: &str, code: &str, at: DateTime<Utc>) -> Option<i64> {
    let totp = totp(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let now = seconds(at);
    [now, now.saturating_sub(STEP_SECONDS), now + STEP_SECONDS]
        .into_iter()
        .find(|t| totp.check(&code, *t))
        .and_then(|t| i64::try_from(t / STEP_SECONDS).ok())
}

/// The code of `secret` at `at` (what an authenticator app shows).
pub fn code(secret: &str, at: DateTime<Utc>) -> Option<String> {
    Some(totp(secret)?.generate(seconds(at)))
}

/// The `otpauth://` address an authenticator app takes for `secret`, labelled with `account`
/// at `issuer`.
pub fn uri(secret: &str, account: &str, issuer: &str) -> String {
    let escape = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
        escape(issuer),
        escape(account),
        escape(issuer)
    )
}

/// Seals and opens staff members' secrets.
#[derive(Clone)]
pub struct SecretBox(Sealer);

impl SecretBox {
    /// The box of the hub with `root_secret`.
    pub fn new(root_secret: &[u8]) -> Self {
        Self(Sealer::new(&Keyed::derive(root_secret, "staff totp")))
    }

    /// `secret` sealed for the staff member `subject`.
    pub fn seal(&self, subject: &str, secret: &str) -> String {
        self.0.seal(secret.as_bytes(), &context(subject))
    }

    /// The secret `sealed` for `subject`, if it opens.
    pub fn open(&self, subject: &str, sealed: &str) -> Option<String> {
        self.0.open_text(sealed, &context(subject)).ok()
    }
}

fn context(subject: &str) -> String {
    format!("staff totp {subject}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn the_rfc_6238_sha1_vector_is_met() {
        // RFC 6238 appendix B: the ASCII key "12345678901234567890", T = 59 s → 94287082
        // (eight digits); its last six are the six-digit code.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(code(&secret, at(59)).as_deref(), Some("287082"));
        assert_eq!(verify(&secret, "287 082", at(59)), Some(1));
    }

    #[test]
    fn a_code_is_taken_one_step_either_way_and_not_two() {
        let secret = new_secret();
        let now = at(1_800_000_000);
        let current = code(&secret, now).unwrap();
        let step = 1_800_000_000 / 30;
        assert_eq!(verify(&secret, &current, now), Some(step));
        assert_eq!(verify(&secret, &current, at(1_800_000_030)), Some(step));
        assert_eq!(verify(&secret, &current, at(1_800_000_090)), None);
        assert_eq!(verify(&secret, "000000x", now), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_staff_member() {
        let sealed = SecretBox::new(b"root").seal("staff:1", "ABC");
        assert_eq!(
            SecretBox::new(b"root").open("staff:1", &sealed).as_deref(),
            Some("ABC")
        );
        assert_eq!(SecretBox::new(b"root").open("staff:2", &sealed), None);
        assert_eq!(SecretBox::new(b"other").open("staff:1", &sealed), None);
    }

    #[test]
    fn the_uri_escapes_the_label() {
        let uri = uri("ABC", "kari@deichman.no", "Tilgang test");
        assert_eq!(
            uri,
            "otpauth://totp/Tilgang%20test:kari%40deichman.no?secret=ABC&issuer=Tilgang%20test&algorithm=SHA1&digits=6&period=30"
        );
    }
}
