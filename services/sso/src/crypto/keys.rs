//! Signing key material: generation, and the JOSE keys made from it.

use std::sync::Arc;

use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey};
use p256::pkcs8::EncodePrivateKey;
use rand::RngCore;
use rsa::pkcs1::EncodeRsaPrivateKey;

use super::jws::{BadKey, SigningKey};
use crate::domain::client::SigningAlg;

/// A private key as DER (PKCS#8 for EC, PKCS#1 for RSA).
pub struct PrivateDer(pub Vec<u8>);

/// A new private key for `alg`.
pub fn generate(alg: SigningAlg) -> PrivateDer {
    match alg {
        SigningAlg::ES256 => loop {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            // A random 256-bit value is a valid P-256 scalar with overwhelming probability.
            if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&bytes) {
                let der = key.to_pkcs8_der().expect("P-256 keys encode");
                break PrivateDer(der.as_bytes().to_vec());
            }
        },
        SigningAlg::RS256 => {
            let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
                .expect("RSA key generation");
            let der = key.to_pkcs1_der().expect("RSA keys encode");
            PrivateDer(der.as_bytes().to_vec())
        }
    }
}

/// A key ready to sign and verify, with its public JWK.
pub struct JoseKey {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Signs and verifies.
    pub key: Arc<SigningKey>,
    /// The public key as published.
    pub jwk: Jwk,
}

/// Why a stored key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `ring` refused it.
    #[error(transparent)]
    Bad(#[from] BadKey),
    /// Its public JWK could not be made.
    #[error("no JWK for the key: {0}")]
    Jwk(#[from] jsonwebtoken::errors::Error),
}

/// The JOSE algorithm of `alg`.
pub fn algorithm(alg: SigningAlg) -> Algorithm {
    match alg {
        SigningAlg::ES256 => Algorithm::ES256,
        SigningAlg::RS256 => Algorithm::RS256,
    }
}

impl JoseKey {
    /// The key from its private DER; fails on a damaged key.
    pub fn new(kid: &str, alg: SigningAlg, der: &PrivateDer) -> Result<Self, KeyError> {
        let key = Arc::new(SigningKey::from_der(alg, &der.0)?);
        let encoding = match alg {
            SigningAlg::ES256 => EncodingKey::from_ec_der(&der.0),
            SigningAlg::RS256 => EncodingKey::from_rsa_der(&der.0),
        };
        let mut jwk = Jwk::from_encoding_key(&encoding, algorithm(alg))?;
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(Self {
            kid: kid.to_owned(),
            alg,
            key,
            jwk,
        })
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{DecodingKey, Validation};
    use serde_json::{Value, json};

    use super::super::jws;
    use super::*;

    /// A token signed with `alg` and checked by jsonwebtoken against the published JWK only.
    fn signed_and_checked_by_another_library(alg: SigningAlg) {
        let key = JoseKey::new("k1", alg, &generate(alg)).unwrap();
        let claims = json!({"sub": "x", "exp": 4_000_000_000u64});
        let token = jws::encode(&key.key, "k1", "JWT", &claims);
        let published = DecodingKey::from_jwk(&key.jwk).unwrap();
        let mut validation = Validation::new(algorithm(alg));
        validation.validate_aud = false;
        let checked = jsonwebtoken::decode::<Value>(&token, &published, &validation).unwrap();
        assert_eq!(checked.header.kid.as_deref(), Some("k1"));
        assert_eq!(checked.claims, claims);
        let json = serde_json::to_value(&key.jwk).unwrap();
        assert!(json.get("d").is_none(), "no private part in the JWK");
    }

    #[test]
    fn an_es256_token_verifies_against_its_published_jwk() {
        signed_and_checked_by_another_library(SigningAlg::ES256);
    }

    #[test]
    fn an_rs256_token_verifies_against_its_published_jwk() {
        signed_and_checked_by_another_library(SigningAlg::RS256);
    }
}
