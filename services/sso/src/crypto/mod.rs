//! The cryptography of the provider: random tokens, digests and keyed pseudonyms, encryption of
//! secrets at rest, and the signing keys behind the JWKS.

pub mod keys;
pub mod seal;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

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

/// A key for HMAC-SHA256 pseudonyms and for deriving other keys.
#[derive(Clone)]
pub struct Keyed([u8; 32]);

impl std::fmt::Debug for Keyed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyed(..)")
    }
}

impl Keyed {
    /// A key derived from `root` for one `purpose`, so one root secret gives independent keys.
    pub fn derive(root: &[u8], purpose: &str) -> Self {
        Self(mac(root, &[purpose.as_bytes()]))
    }

    /// The raw key bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256 over the `parts` (separated, so `("ab","c")` differs from `("a","bc")`),
    /// base64url: a stable pseudonym that cannot be reversed or linked without the key.
    pub fn pseudonym(&self, parts: &[&str]) -> String {
        let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
        URL_SAFE_NO_PAD.encode(mac(&self.0, &parts))
    }
}

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
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
