//! Compact JWS (RFC 7515) for the tokens this provider issues, signed and verified with
//! `ring`: its P-256 is several times faster than a pure-Rust one, and the token and
//! introspection endpoints spend most of their time here.
//!
//! Only the provider's own keys are used, so the header is fixed: `alg`, `kid` and `typ`.
//! A token whose header names another algorithm than its key's, or carries `crit`, is refused.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair, UnparsedPublicKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::domain::client::SigningAlg;

/// The private half of a signing key, ready to sign.
pub struct SigningKey {
    private: Private,
    public: Vec<u8>,
    rng: SystemRandom,
}

enum Private {
    Ec(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

/// A key that `ring` refused.
#[derive(Debug, thiserror::Error)]
#[error("the signing key is damaged: {0}")]
pub struct BadKey(String);

impl SigningKey {
    /// The key from its DER: PKCS#8 with the public key for ES256, PKCS#1 for RS256.
    pub fn from_der(alg: SigningAlg, der: &[u8]) -> Result<Self, BadKey> {
        let rng = SystemRandom::new();
        let private = match alg {
            SigningAlg::ES256 => Private::Ec(
                EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
                    .map_err(|e| BadKey(e.to_string()))?,
            ),
            SigningAlg::RS256 => {
                Private::Rsa(RsaKeyPair::from_der(der).map_err(|e| BadKey(e.to_string()))?)
            }
        };
        let public = match &private {
            Private::Ec(pair) => pair.public_key().as_ref().to_vec(),
            Private::Rsa(pair) => pair.public_key().as_ref().to_vec(),
        };
        Ok(Self {
            private,
            public,
            rng,
        })
    }

    fn alg(&self) -> SigningAlg {
        match self.private {
            Private::Ec(_) => SigningAlg::ES256,
            Private::Rsa(_) => SigningAlg::RS256,
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.private {
            Private::Ec(pair) => pair
                .sign(&self.rng, message)
                .expect("ECDSA signing does not fail with a system RNG")
                .as_ref()
                .to_vec(),
            Private::Rsa(pair) => {
                let mut out = vec![0; pair.public().modulus_len()];
                pair.sign(&signature::RSA_PKCS1_SHA256, &self.rng, message, &mut out)
                    .expect("RSA signing does not fail with a system RNG");
                out
            }
        }
    }

    /// Whether `sig` is this key's signature of `message`.
    fn verifies(&self, message: &[u8], sig: &[u8]) -> bool {
        let public: &dyn signature::VerificationAlgorithm = match self.private {
            Private::Ec(_) => &signature::ECDSA_P256_SHA256_FIXED,
            Private::Rsa(_) => &signature::RSA_PKCS1_2048_8192_SHA256,
        };
        UnparsedPublicKey::new(public, &self.public)
            .verify(message, sig)
            .is_ok()
    }
}

/// The protected header of a token.
#[derive(Serialize, Deserialize)]
pub struct JwsHeader {
    /// Algorithm.
    pub alg: String,
    /// Key id.
    pub kid: Option<String>,
    /// Token type (`at+jwt`, `JWT`, …).
    pub typ: Option<String>,
    /// Critical extensions: never issued here, so a token with them is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    crit: Option<serde_json::Value>,
}

/// `claims` signed by `key` (id `kid`), typed `typ`.
pub fn encode(key: &SigningKey, kid: &str, typ: &str, claims: &impl Serialize) -> String {
    let header = JwsHeader {
        alg: key.alg().as_str().to_owned(),
        kid: Some(kid.to_owned()),
        typ: Some(typ.to_owned()),
        crit: None,
    };
    let mut token = part(&header);
    token.push('.');
    token.push_str(&part(claims));
    let sig = key.sign(token.as_bytes());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(sig));
    token
}

fn part(value: &impl Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("token parts serialise"))
}

/// The header and claims of `token` if one of our keys (`key_of(kid)`) signed it; nothing
/// else (expiry, issuer, audience) is checked here.
pub fn decode<T: DeserializeOwned, K: std::ops::Deref<Target = SigningKey>>(
    token: &str,
    key_of: impl FnOnce(&str) -> Option<K>,
) -> Option<(JwsHeader, T)> {
    let (signed, sig) = token.rsplit_once('.')?;
    let (header, payload) = signed.split_once('.')?;
    let header: JwsHeader = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.crit.is_some() {
        return None;
    }
    let key = key_of(header.kid.as_deref()?)?;
    if header.alg != key.alg().as_str() {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    if !key.verifies(signed.as_bytes(), &sig) {
        return None;
    }
    let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    Some((header, claims))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::crypto::keys::generate;

    fn es256() -> SigningKey {
        SigningKey::from_der(SigningAlg::ES256, &generate(SigningAlg::ES256).0).unwrap()
    }

    /// A token with this header and these claims, signed by `key` whatever the header says.
    fn token_with(key: &SigningKey, header: Value, claims: Value) -> String {
        let signed = format!("{}.{}", part(&header), part(&claims));
        format!(
            "{signed}.{}",
            URL_SAFE_NO_PAD.encode(key.sign(signed.as_bytes()))
        )
    }

    #[test]
    fn a_token_decodes_with_the_key_that_signed_it() {
        let key = es256();
        let token = encode(&key, "k1", "at+jwt", &json!({"sub": "x"}));
        let (header, claims) =
            decode::<Value, _>(&token, |kid| (kid == "k1").then_some(&key)).unwrap();
        assert_eq!(
            (header.typ.as_deref(), claims),
            (Some("at+jwt"), json!({"sub": "x"}))
        );
    }

    #[test]
    fn a_token_does_not_decode_with_another_key_or_unknown_kid() {
        let token = encode(&es256(), "k1", "JWT", &json!({"sub": "x"}));
        let other = es256();
        assert!(decode::<Value, _>(&token, |_| Some(&other)).is_none());
        assert!(decode::<Value, &SigningKey>(&token, |_| None).is_none());
    }

    #[test]
    fn changed_claims_break_the_signature() {
        let key = es256();
        let token = encode(&key, "k1", "JWT", &json!({"sub": "x"}));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = part(&json!({"sub": "y"}));
        parts[1] = &forged;
        assert!(decode::<Value, _>(&parts.join("."), |_| Some(&key)).is_none());
    }

    #[test]
    fn a_header_naming_another_algorithm_or_critical_extensions_is_refused() {
        let key = es256();
        let claims = json!({"sub": "x"});
        let honest = token_with(&key, json!({"alg": "ES256", "kid": "k1"}), claims.clone());
        assert!(decode::<Value, _>(&honest, |_| Some(&key)).is_some());
        for header in [
            json!({"alg": "RS256", "kid": "k1"}),
            json!({"alg": "none", "kid": "k1"}),
            json!({"alg": "ES256", "kid": "k1", "crit": ["exp"]}),
        ] {
            let token = token_with(&key, header.clone(), claims.clone());
            assert!(
                decode::<Value, _>(&token, |_| Some(&key)).is_none(),
                "{header}"
            );
        }
    }
}
