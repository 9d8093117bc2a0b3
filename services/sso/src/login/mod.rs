//! Patron login: library-issued logins (argon2id) first, then the library system over SIP2,
//! with failed attempts throttled per card and per address and the same answer for an unknown
//! card and a wrong PIN.

pub mod background;
pub mod pin;
pub mod sip2;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tilgang_kernel::Isil;
use tilgang_store::Kv;

use crate::crypto::Keyed;
use crate::domain::SsoError;
use crate::domain::claims::PatronAttributes;
use crate::domain::flow::LoginMethod;
use crate::domain::throttle::Limits;
use crate::storage;
use crate::storage::patron_logins::PatronLogin;
use tilgang_kernel::secrets::Sealer;

/// A patron the library vouched for.
#[derive(Debug, Clone, PartialEq)]
pub struct Patron {
    /// A keyed hash of the patron's identity at the library (stable, never a card number).
    pub handle: String,
    /// How the patron logged in.
    pub method: LoginMethod,
    /// What the library said about the patron.
    pub attributes: PatronAttributes,
}

/// Why a login failed; the patron sees the same words for the first two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown card or wrong PIN.
    WrongCredentials,
    /// The library system says the patron may not borrow.
    Blocked,
    /// Too many failed attempts for this card or from this address.
    Throttled,
    /// The library system did not answer.
    Unavailable,
}

/// Checks patrons' cards and PINs.
pub struct Logins {
    db: DatabaseConnection,
    kv: Arc<dyn Kv>,
    keys: Keyed,
    limits: Limits,
    sealer: Sealer,
    pools: sip2::Pools,
}

impl Logins {
    /// Logins over `db`, counting failures in `kv`; `keys` makes the keyed hashes.
    pub fn new(
        db: &DatabaseConnection,
        kv: Arc<dyn Kv>,
        keys: Keyed,
        limits: Limits,
        sealer: Sealer,
    ) -> Self {
        Self {
            db: db.clone(),
            kv,
            keys,
            limits,
            sealer,
            pools: sip2::Pools::default(),
        }
    }

    /// Seals secrets of the login setup (the SIP2 password).
    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The patron an upstream provider (`issuer`) vouched for under `key`; the same person at
    /// the same provider is the same patron, whichever library they came through.
    pub fn upstream_patron(&self, issuer: &str, key: &str, attributes: PatronAttributes) -> Patron {
        Patron {
            handle: self.keys.pseudonym(&["patron", "upstream", issuer, key]),
            method: LoginMethod::Upstream,
            attributes,
        }
    }

    /// Changes the PIN of a library-issued login after checking the current one exactly as a
    /// login would (throttled, same answer for an unknown card). `Ok(Ok(false))`: the card and
    /// PIN are right but belong to the library system, where the PIN must be changed.
    pub async fn change_pin(
        &self,
        isil: &Isil,
        username: &str,
        current: &str,
        new: &str,
        address: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Result<bool, Refusal>, SsoError> {
        pin::validate(new)?;
        match self.check(isil, username, current, address).await? {
            Ok(patron) if patron.method == LoginMethod::Issued => {}
            Ok(_) => return Ok(Ok(false)),
            Err(refusal) => return Ok(Err(refusal)),
        }
        let key = self.login_key(isil, username);
        let Some(mut login) = storage::patron_logins::find_by_key(&self.db, &key).await? else {
            return Ok(Err(Refusal::WrongCredentials));
        };
        login.pin_hash = pin::hash(new.to_owned()).await?;
        login.updated_at = now;
        storage::patron_logins::save(&self.db, &login).await?;
        Ok(Ok(true))
    }

    /// The keyed hash under which a library-issued login is stored.
    pub fn login_key(&self, isil: &Isil, username: &str) -> String {
        self.keys
            .pseudonym(&["issued", &isil.key(), &normalise(username)])
    }

    /// Checks `username` and `pin` at library `isil`, as asked from `address`.
    pub async fn check(
        &self,
        isil: &Isil,
        username: &str,
        pin: &str,
        address: &str,
    ) -> Result<Result<Patron, Refusal>, SsoError> {
        let key = self.login_key(isil, username);
        let card_counter = format!("sso:fail:card:{key}");
        let address_counter = format!("sso:fail:ip:{address}");
        let window = self.limits.window;
        if self.kv.incr(&card_counter, 0, window).await? >= self.limits.per_card
            || self.kv.incr(&address_counter, 0, window).await? >= self.limits.per_address
        {
            return Ok(Err(Refusal::Throttled));
        }
        let outcome = match storage::patron_logins::find_by_key(&self.db, &key).await? {
            Some(login) => self.check_issued(login, pin).await,
            None => self.check_library_system(isil, username, pin).await?,
        };
        match &outcome {
            Ok(_) => self.kv.delete(&card_counter).await?,
            Err(Refusal::WrongCredentials) => {
                self.kv.incr(&card_counter, 1, window).await?;
                self.kv.incr(&address_counter, 1, window).await?;
            }
            Err(_) => {}
        }
        Ok(outcome)
    }

    async fn check_issued(&self, login: PatronLogin, pin: &str) -> Result<Patron, Refusal> {
        if !pin::verify(Some(login.pin_hash.clone()), pin.to_owned()).await || login.disabled {
            return Err(Refusal::WrongCredentials);
        }
        Ok(Patron {
            handle: self
                .keys
                .pseudonym(&["patron", "issued", &login.id.to_string()]),
            method: LoginMethod::Issued,
            attributes: PatronAttributes {
                category: login.category,
                birth_year: login.birth_year,
                language: None,
                municipality: None,
            },
        })
    }

    async fn check_library_system(
        &self,
        isil: &Isil,
        card: &str,
        pin: &str,
    ) -> Result<Result<Patron, Refusal>, SsoError> {
        let setup = storage::setups::get(&self.db, isil).await?;
        let Some(sip2_setup) = setup.sip2 else {
            // No such login and no library system: the same argon2 work as a real check, so
            // timing does not tell an unknown card from a wrong PIN.
            pin::verify(None, pin.to_owned()).await;
            return Ok(Err(Refusal::WrongCredentials));
        };
        let pool = match self
            .pools
            .pool(&self.sealer, isil, &sip2_setup, setup.updated_at)
        {
            Ok(pool) => pool,
            Err(e) => {
                tracing::warn!(isil = %isil, error = %e, "the SIP2 setup is not usable");
                return Ok(Err(Refusal::Unavailable));
            }
        };
        let check = match pool.verify_patron(card.trim(), pin).await {
            Ok(check) => check,
            Err(e) => {
                tracing::warn!(isil = %isil, error = %e, "the library system did not answer");
                return Ok(Err(Refusal::Unavailable));
            }
        };
        if !(check.valid_patron && check.valid_pin) {
            return Ok(Err(Refusal::WrongCredentials));
        }
        if check.blocked {
            return Ok(Err(Refusal::Blocked));
        }
        use chrono::Datelike;
        Ok(Ok(Patron {
            handle: self
                .keys
                .pseudonym(&["patron", "sip2", &isil.key(), &normalise(card)]),
            method: LoginMethod::Sip2,
            attributes: PatronAttributes {
                category: check.category.clone(),
                birth_year: check.birth_date.map(|d| d.year()),
                language: None,
                municipality: None,
            },
        }))
    }
}

/// Usernames and card numbers compare without case and surrounding space.
pub fn normalise(username: &str) -> String {
    username.trim().to_lowercase()
}
