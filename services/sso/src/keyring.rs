//! The signing keys in use: loaded from the database, decrypted once, cached in memory, and
//! rotated by a background task on every replica (each change is idempotent; a replica sees
//! another's new key within a minute, long before the key may sign).

use std::sync::{Arc, RwLock};

use rand::RngCore;
use sea_orm::DatabaseConnection;
use tilgang_kernel::Clock;

use crate::crypto::keys::{JoseKey, PrivateDer, generate};
use crate::domain::SsoError;
use crate::domain::client::SigningAlg;
use crate::domain::keys::{self, KeyTimes, RotationPolicy, Step};
use crate::storage;
use tilgang_kernel::secrets::Sealer;

/// The keys in memory: their times, and each key ready to use.
type Loaded = Vec<(KeyTimes, Arc<JoseKey>)>;

/// The signing keys of the provider.
pub struct KeyRing {
    db: DatabaseConnection,
    sealer: Sealer,
    clock: Arc<dyn Clock>,
    policy: RotationPolicy,
    loaded: RwLock<Arc<Loaded>>,
}

impl KeyRing {
    /// A key ring over the database; call [`KeyRing::maintain`] before use.
    pub fn new(
        db: &DatabaseConnection,
        sealer: Sealer,
        clock: Arc<dyn Clock>,
        policy: RotationPolicy,
    ) -> Self {
        Self {
            db: db.clone(),
            sealer,
            clock,
            policy,
            loaded: RwLock::new(Arc::new(Vec::new())),
        }
    }

    fn snapshot(&self) -> Arc<Loaded> {
        self.loaded.read().expect("key cache lock").clone()
    }

    fn times(&self) -> Vec<KeyTimes> {
        self.snapshot().iter().map(|(t, _)| t.clone()).collect()
    }

    /// Creates, retires and purges keys as the rotation policy says, for ES256 and for every
    /// other algorithm that has keys, then reloads.
    pub async fn maintain(&self) -> Result<(), SsoError> {
        let now = self.clock.now();
        let stored = storage::keys::all(&self.db).await?;
        let times: Vec<KeyTimes> = stored.into_iter().map(|k| k.times).collect();
        let mut algs = vec![SigningAlg::ES256];
        if times.iter().any(|k| k.alg == SigningAlg::RS256) {
            algs.push(SigningAlg::RS256);
        }
        for alg in algs {
            self.apply(keys::plan(&times, alg, now, self.policy))
                .await?;
        }
        storage::keys::purge(&self.db, now).await?;
        self.reload().await
    }

    /// Makes sure `alg` has a key (a client asked for it).
    pub async fn ensure(&self, alg: SigningAlg) -> Result<(), SsoError> {
        let times = self.times();
        if times.iter().any(|k| k.alg == alg) {
            return Ok(());
        }
        self.apply(keys::plan(&times, alg, self.clock.now(), self.policy))
            .await?;
        self.reload().await
    }

    /// Starts a rotation now: a new key is published at once and signs after the lead time.
    pub async fn rotate(&self, alg: SigningAlg) -> Result<(), SsoError> {
        let times = self.times();
        self.apply(keys::rotate(&times, alg, self.clock.now(), self.policy))
            .await?;
        self.reload().await
    }

    async fn apply(&self, steps: Vec<Step>) -> Result<(), SsoError> {
        for step in steps {
            match step {
                Step::Create {
                    alg,
                    activates_at,
                    retires_at,
                    expires_at,
                } => {
                    let kid = new_kid();
                    let der = tokio::task::spawn_blocking(move || generate(alg))
                        .await
                        .map_err(|e| SsoError::Storage(Box::new(e)))?;
                    let key = storage::keys::StoredKey {
                        sealed: self.sealer.seal(&der.0, &kid),
                        times: KeyTimes {
                            kid,
                            alg,
                            created_at: self.clock.now(),
                            activates_at,
                            retires_at,
                            expires_at,
                        },
                    };
                    storage::keys::create(&self.db, &key).await?;
                    tracing::info!(kid = %key.times.kid, alg = alg.as_str(), activates_at = %activates_at, "signing key created");
                }
                Step::Retire {
                    kid,
                    retires_at,
                    expires_at,
                } => storage::keys::retire(&self.db, &kid, retires_at, expires_at).await?,
            }
        }
        Ok(())
    }

    /// Reloads the keys from the database.
    pub async fn reload(&self) -> Result<(), SsoError> {
        let cached = self.snapshot();
        let mut loaded = Vec::new();
        for stored in storage::keys::all(&self.db).await? {
            let kid = stored.times.kid.clone();
            let jose = match cached.iter().find(|(t, _)| t.kid == kid) {
                Some((_, jose)) => jose.clone(),
                None => {
                    let der = self
                        .sealer
                        .open(&stored.sealed, &kid)
                        .map_err(|e| SsoError::Storage(Box::new(e)))?;
                    Arc::new(
                        JoseKey::new(&kid, stored.times.alg, &PrivateDer(der))
                            .map_err(|e| SsoError::Storage(Box::new(e)))?,
                    )
                }
            };
            loaded.push((stored.times, jose));
        }
        *self.loaded.write().expect("key cache lock") = Arc::new(loaded);
        Ok(())
    }

    /// The key that signs with `alg` now.
    pub fn signer(&self, alg: SigningAlg) -> Option<Arc<JoseKey>> {
        let now = self.clock.now();
        let snapshot = self.snapshot();
        let times: Vec<KeyTimes> = snapshot.iter().map(|(t, _)| t.clone()).collect();
        let kid = keys::signer(&times, alg, now)?.kid.clone();
        snapshot
            .iter()
            .find(|(t, _)| t.kid == kid)
            .map(|(_, k)| k.clone())
    }

    /// The published key with id `kid`.
    pub fn verifier(&self, kid: &str) -> Option<Arc<JoseKey>> {
        let now = self.clock.now();
        self.snapshot()
            .iter()
            .find(|(t, _)| t.kid == kid && t.published_at(now))
            .map(|(_, k)| k.clone())
    }

    /// The JWKS document: every published public key.
    pub fn jwks(&self) -> serde_json::Value {
        let now = self.clock.now();
        let keys: Vec<_> = self
            .snapshot()
            .iter()
            .filter(|(t, _)| t.published_at(now))
            .map(|(_, k)| serde_json::to_value(&k.jwk).expect("JWKs serialise"))
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

fn new_kid() -> String {
    let mut bytes = [0u8; 12];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
