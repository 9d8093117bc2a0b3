//! PINs of library-issued logins: argon2id at the OWASP settings (19 MiB, 2 passes, 1 lane),
//! computed on the [`background`](super::background) threads.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

use super::background;
use crate::domain::SsoError;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2id parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new PIN: 4 to 64 characters, not all the same character.
pub fn validate(pin: &str) -> Result<(), SsoError> {
    let count = pin.chars().count();
    if !(4..=64).contains(&count) {
        return Err(SsoError::invalid(
            "pin",
            "pin_invalid",
            "a PIN has 4 to 64 characters",
        ));
    }
    let first = pin.chars().next();
    if pin.chars().all(|c| Some(c) == first) {
        return Err(SsoError::invalid(
            "pin",
            "pin_too_simple",
            "a PIN may not repeat one character",
        ));
    }
    Ok(())
}

/// The PHC string of `pin`.
pub async fn hash(pin: String) -> Result<String, SsoError> {
    background::run(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
        hasher()
            .hash_password(pin.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| SsoError::Storage(e.to_string().into()))
    })
    .await
}

/// A stand-in hash, so checking a PIN for an unknown login costs the same.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Ryz3F1zY7bXQ2IO0Dq3O2gAafV7Gp3hJ4U9Ss1m3Fs";

/// Whether `pin` matches `hash`; with no hash, does the same work and says no.
pub async fn verify(hash: Option<String>, pin: String) -> bool {
    background::run(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY.to_owned());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        known && hasher().verify_password(pin.as_bytes(), &parsed).is_ok()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pin_verifies_against_its_own_hash_only() {
        let hash = hash("4711".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(hash.clone()), "4711".into()).await);
        assert!(!verify(Some(hash), "4712".into()).await);
        assert!(!verify(None, "4711".into()).await);
    }

    #[test]
    fn short_or_repetitive_pins_are_refused() {
        assert!(validate("123").is_err());
        assert!(validate("0000").is_err());
        assert!(validate("4711").is_ok());
    }
}
