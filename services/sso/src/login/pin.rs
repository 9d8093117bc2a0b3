//! PINs of library-issued logins: hashed as [`tilgang_kernel::passwords`] says, on the
//! [`background`](super::background) threads.

use super::background;
use crate::domain::SsoError;

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
    background::run(move || Ok(tilgang_kernel::passwords::hash(&pin))).await
}

/// Whether `pin` matches `hash`; with no hash, does the same work and says no.
pub async fn verify(hash: Option<String>, pin: String) -> bool {
    background::run(move || tilgang_kernel::passwords::verify(hash.as_deref(), &pin)).await
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
