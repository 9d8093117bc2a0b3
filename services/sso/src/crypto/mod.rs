//! The cryptography of the provider: random tokens, digests and keyed pseudonyms, encryption of
//! secrets at rest, and the signing keys behind the JWKS.

pub mod jws;
pub mod keys;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
pub use tilgang_kernel::secrets::Keyed;

/// A fresh random token of 256 bits, base64url without padding (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of `text`, base64url: how tokens, codes and client secrets are stored, so a leaked
/// table or cache gives nothing away. Secrets have 256 bits of entropy, so a fast hash suffices.
pub fn digest(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

/// Whether two strings are equal, in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// The PKCE S256 challenge of `verifier` (RFC 7636).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The `at_hash` of an access token for ES256/RS256 ID tokens: the left half of its SHA-256.
pub fn at_hash(token: &str) -> String {
    let full = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(&full[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_the_rfc_7636_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn pseudonyms_differ_per_key_and_per_part_boundary() {
        let a = Keyed::derive(b"root", "a");
        let b = Keyed::derive(b"root", "b");
        assert_ne!(a.pseudonym(&["x"]), b.pseudonym(&["x"]));
        assert_ne!(a.pseudonym(&["ab", "c"]), a.pseudonym(&["a", "bc"]));
        assert_eq!(a.pseudonym(&["x"]), a.pseudonym(&["x"]));
    }

    #[test]
    fn random_tokens_are_long_and_unique() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
