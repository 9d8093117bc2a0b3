//! Hashes of secrets people type (patrons' PINs, staff passwords): argon2id at the OWASP
//! settings (19 MiB, 2 passes, 1 lane). Both functions are slow on purpose; call them off the
//! async threads (`spawn_blocking` or a pool of one's own).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2id parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `secret`, with a fresh salt.
pub fn hash(secret: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2id hashes any input")
        .to_string()
}

/// A stand-in hash, so checking a secret for an unknown account costs the same.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Ryz3F1zY7bXQ2IO0Dq3O2gAafV7Gp3hJ4U9Ss1m3Fs";

/// Whether `secret` matches `hash`; with no hash, does the same work and says no.
pub fn verify(hash: Option<&str>, secret: &str) -> bool {
    let known = hash.is_some();
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or(DECOY)) else {
        return false;
    };
    known && hasher().verify_password(secret.as_bytes(), &parsed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_against_its_own_hash_only() {
        let hashed = hash("4711");
        assert!(hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(&hashed), "4711"));
        assert!(!verify(Some(&hashed), "4712"));
        assert!(!verify(None, "4711"));
    }
}
