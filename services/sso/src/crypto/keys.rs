//! Signing key material: generation, and the JOSE keys made from it.

use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use p256::pkcs8::EncodePrivateKey;
use rand::RngCore;
use rsa::pkcs1::EncodeRsaPrivateKey;

use crate::domain::client::SigningAlg;

/// A private key as DER (PKCS#8 for EC, PKCS#1 for RSA), as jsonwebtoken expects.
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
#[derive(Clone)]
pub struct JoseKey {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Signs.
    pub encoding: EncodingKey,
    /// Verifies.
    pub decoding: DecodingKey,
    /// The public key as published.
    pub jwk: Jwk,
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
    pub fn new(
        kid: &str,
        alg: SigningAlg,
        der: &PrivateDer,
    ) -> Result<Self, jsonwebtoken::errors::Error> {
        let encoding = match alg {
            SigningAlg::ES256 => EncodingKey::from_ec_der(&der.0),
            SigningAlg::RS256 => EncodingKey::from_rsa_der(&der.0),
        };
        let mut jwk = Jwk::from_encoding_key(&encoding, algorithm(alg))?;
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let decoding = DecodingKey::from_jwk(&jwk)?;
        Ok(Self {
            kid: kid.to_owned(),
            alg,
            encoding,
            decoding,
            jwk,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_es256_key_signs_what_its_jwk_verifies() {
        let key = JoseKey::new("k1", SigningAlg::ES256, &generate(SigningAlg::ES256)).unwrap();
        let mut header = jsonwebtoken::Header::new(Algorithm::ES256);
        header.kid = Some("k1".into());
        let claims = serde_json::json!({"sub": "x", "exp": 4_000_000_000u64});
        let token = jsonwebtoken::encode(&header, &claims, &key.encoding).unwrap();
        let published = DecodingKey::from_jwk(&key.jwk).unwrap();
        let mut validation = jsonwebtoken::Validation::new(Algorithm::ES256);
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        assert!(jsonwebtoken::decode::<serde_json::Value>(&token, &published, &validation).is_ok());
        let json = serde_json::to_value(&key.jwk).unwrap();
        assert_eq!(json["kid"], "k1");
        assert!(json.get("d").is_none(), "no private part in the JWK");
    }
}
