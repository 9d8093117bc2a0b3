//! Secrets derived from the hub's root secret: keyed pseudonyms ([`Keyed`]) and encryption of
//! secrets at rest ([`Sealer`], AES-256-GCM), shared by every service that stores one.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

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
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Seals and opens secrets. The sealed form is base64 of nonce ‖ ciphertext.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

/// A sealed value that does not open: wrong key or tampered data.
#[derive(Debug, thiserror::Error)]
#[error("a stored secret cannot be decrypted (was the root secret changed?)")]
pub struct Unseal;

impl Sealer {
    /// A sealer keyed from `key`.
    pub fn new(key: &Keyed) -> Self {
        Self {
            cipher: Aes256Gcm::new_from_slice(key.bytes()).expect("32-byte key"),
        }
    }

    /// Encrypts `plain`; `context` (such as the row id) is bound to it, so a sealed value cannot
    /// be moved to another row.
    pub fn seal(&self, plain: &[u8], context: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let payload = aes_gcm::aead::Payload {
            msg: plain,
            aad: context.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), payload)
            .expect("AES-GCM encrypts any length we store");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        STANDARD.encode(out)
    }

    /// Decrypts what [`Sealer::seal`] made with the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, Unseal> {
        let bytes = STANDARD.decode(sealed).map_err(|_| Unseal)?;
        if bytes.len() < 12 {
            return Err(Unseal);
        }
        let (nonce, data) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| Unseal)?;
        let payload = aes_gcm::aead::Payload {
            msg: data,
            aad: context.as_bytes(),
        };
        self.cipher
            .decrypt(&Nonce::from(nonce), payload)
            .map_err(|_| Unseal)
    }

    /// [`Sealer::open`] for a sealed text (a password or client secret).
    pub fn open_text(&self, sealed: &str, context: &str) -> Result<String, Unseal> {
        String::from_utf8(self.open(sealed, context)?).map_err(|_| Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let sealer = Sealer::new(&Keyed::derive(b"root", "seal"));
        let sealed = sealer.seal(b"sip2-password", "library:NO-2030000");
        assert!(!sealed.contains("sip2"));
        assert_eq!(
            sealer.open(&sealed, "library:NO-2030000").unwrap(),
            b"sip2-password"
        );
        assert!(sealer.open(&sealed, "library:NO-0000000").is_err());
        let other = Sealer::new(&Keyed::derive(b"other", "seal"));
        assert!(other.open(&sealed, "library:NO-2030000").is_err());
    }
}
