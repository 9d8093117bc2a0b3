//! Signing key rotation: a new key is published in the JWKS `lead` before it signs anything, so
//! clients that cached the JWKS keep working; a retired key stays published until every token it
//! signed has expired.

use chrono::{DateTime, Duration, Utc};

use super::client::SigningAlg;

/// The life of one signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTimes {
    /// Key id.
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Published from.
    pub created_at: DateTime<Utc>,
    /// Signs from.
    pub activates_at: DateTime<Utc>,
    /// Signs until.
    pub retires_at: DateTime<Utc>,
    /// Published until.
    pub expires_at: DateTime<Utc>,
}

impl KeyTimes {
    /// Whether the key signs at `now`.
    pub fn signs_at(&self, now: DateTime<Utc>) -> bool {
        self.activates_at <= now && now < self.retires_at
    }

    /// Whether the key is in the JWKS at `now`.
    pub fn published_at(&self, now: DateTime<Utc>) -> bool {
        self.created_at <= now && now < self.expires_at
    }
}

/// How keys rotate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    /// How long a new key is published before it signs (at least 5 minutes in production).
    pub lead: Duration,
    /// How long a key signs.
    pub lifetime: Duration,
    /// How long a retired key stays published (longer than any token it signed lives).
    pub keep: Duration,
}

impl Default for RotationPolicy {
    /// Publish a day ahead, sign for 30 days, keep for 2 days after.
    fn default() -> Self {
        Self {
            lead: Duration::hours(24),
            lifetime: Duration::days(30),
            keep: Duration::days(2),
        }
    }
}

/// A change to the key set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Make a new key with these times.
    Create {
        /// Algorithm.
        alg: SigningAlg,
        /// Signs from.
        activates_at: DateTime<Utc>,
        /// Signs until.
        retires_at: DateTime<Utc>,
        /// Published until.
        expires_at: DateTime<Utc>,
    },
    /// Let a key sign until a later or earlier time.
    Retire {
        /// Key id.
        kid: String,
        /// Signs until.
        retires_at: DateTime<Utc>,
        /// Published until.
        expires_at: DateTime<Utc>,
    },
}

/// The key that signs with `alg` at `now`: the most recently activated one.
pub fn signer(keys: &[KeyTimes], alg: SigningAlg, now: DateTime<Utc>) -> Option<&KeyTimes> {
    keys.iter()
        .filter(|k| k.alg == alg && k.signs_at(now))
        .max_by_key(|k| (k.activates_at, k.kid.clone()))
}

/// What keeps `alg` signing without a gap: the first key at once (nobody can have cached a
/// JWKS without it), later keys `lead` before the current one retires. After downtime the
/// current key signs on until its successor has been published for `lead`.
pub fn plan(
    keys: &[KeyTimes],
    alg: SigningAlg,
    now: DateTime<Utc>,
    policy: RotationPolicy,
) -> Vec<Step> {
    let upcoming = keys.iter().any(|k| k.alg == alg && k.activates_at > now);
    // The signing key, or after downtime the last one that signed (it signs on).
    let current = signer(keys, alg, now).or_else(|| {
        keys.iter()
            .filter(|k| k.alg == alg && k.activates_at <= now)
            .max_by_key(|k| (k.activates_at, k.kid.clone()))
    });
    let Some(current) = current else {
        if upcoming {
            return Vec::new();
        }
        return vec![create(alg, now, policy)];
    };
    if upcoming || current.retires_at - now > policy.lead {
        return Vec::new();
    }
    let starts = current.retires_at.max(now + policy.lead);
    let mut steps = vec![create(alg, starts, policy)];
    if starts > current.retires_at {
        steps.push(retire(current, starts, policy));
    }
    steps
}

/// Rotates now: a new key signs after `lead`, and the current one stops then.
pub fn rotate(
    keys: &[KeyTimes],
    alg: SigningAlg,
    now: DateTime<Utc>,
    policy: RotationPolicy,
) -> Vec<Step> {
    let starts = now + policy.lead;
    let mut steps = vec![create(alg, starts, policy)];
    for key in keys
        .iter()
        .filter(|k| k.alg == alg && k.retires_at > starts)
    {
        if key.activates_at < starts {
            steps.push(retire(key, starts, policy));
        }
    }
    steps
}

fn create(alg: SigningAlg, activates_at: DateTime<Utc>, policy: RotationPolicy) -> Step {
    let retires_at = activates_at + policy.lifetime;
    Step::Create {
        alg,
        activates_at,
        retires_at,
        expires_at: retires_at + policy.keep,
    }
}

fn retire(key: &KeyTimes, retires_at: DateTime<Utc>, policy: RotationPolicy) -> Step {
    Step::Retire {
        kid: key.kid.clone(),
        retires_at,
        expires_at: retires_at + policy.keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn apply(keys: &mut Vec<KeyTimes>, steps: Vec<Step>, now: DateTime<Utc>) {
        for step in steps {
            match step {
                Step::Create {
                    alg,
                    activates_at,
                    retires_at,
                    expires_at,
                } => keys.push(KeyTimes {
                    kid: format!("k{}", keys.len()),
                    alg,
                    created_at: now,
                    activates_at,
                    retires_at,
                    expires_at,
                }),
                Step::Retire {
                    kid,
                    retires_at,
                    expires_at,
                } => {
                    let key = keys.iter_mut().find(|k| k.kid == kid).unwrap();
                    key.retires_at = retires_at;
                    key.expires_at = expires_at;
                }
            }
        }
    }

    /// Runs the planner every `step` for `span` and checks the invariants at every tick.
    fn simulate(step: Duration, span: Duration) -> Vec<KeyTimes> {
        let policy = RotationPolicy::default();
        let mut keys = Vec::new();
        let mut now = t0();
        while now < t0() + span {
            let steps = plan(&keys, SigningAlg::ES256, now, policy);
            apply(&mut keys, steps, now);
            let signing = signer(&keys, SigningAlg::ES256, now).expect("a key signs");
            if signing.kid != "k0" {
                assert!(
                    signing.created_at + policy.lead <= now,
                    "published for lead"
                );
            }
            now += step;
        }
        keys
    }

    #[test]
    fn the_first_key_signs_at_once() {
        let steps = plan(&[], SigningAlg::ES256, t0(), RotationPolicy::default());
        assert!(matches!(&steps[..], [Step::Create { activates_at, .. }] if *activates_at == t0()));
    }

    #[test]
    fn a_new_key_is_published_a_lead_before_it_signs_and_nothing_goes_unsigned() {
        let keys = simulate(Duration::hours(1), Duration::days(100));
        assert!(keys.len() >= 4);
    }

    #[test]
    fn after_downtime_the_old_key_signs_on_until_the_new_one_is_published_long_enough() {
        let keys = simulate(Duration::days(7), Duration::days(100));
        assert!(keys.len() >= 3);
    }

    #[test]
    fn a_manual_rotation_waits_the_lead_and_keeps_the_old_key_published() {
        let policy = RotationPolicy::default();
        let mut keys = Vec::new();
        let steps = plan(&keys, SigningAlg::ES256, t0(), policy);
        apply(&mut keys, steps, t0());
        let later = t0() + Duration::days(3);
        let steps = rotate(&keys, SigningAlg::ES256, later, policy);
        apply(&mut keys, steps, later);
        assert_eq!(signer(&keys, SigningAlg::ES256, later).unwrap().kid, "k0");
        let after = later + policy.lead;
        assert_eq!(signer(&keys, SigningAlg::ES256, after).unwrap().kid, "k1");
        assert!(keys[0].published_at(after));
    }
}
