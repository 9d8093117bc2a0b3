//! Patron login: library-issued logins (argon2id), with failed attempts throttled per card and
//! per address and the same answer for an unknown card and a wrong PIN.

pub mod pin;

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
}

/// Checks patrons' cards and PINs.
pub struct Logins {
    db: DatabaseConnection,
    kv: Arc<dyn Kv>,
    keys: Keyed,
    limits: Limits,
}

impl Logins {
    /// Logins over `db`, counting failures in `kv`; `keys` makes the keyed hashes.
    pub fn new(db: &DatabaseConnection, kv: Arc<dyn Kv>, keys: Keyed, limits: Limits) -> Self {
        Self {
            db: db.clone(),
            kv,
            keys,
            limits,
        }
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
        let login = storage::patron_logins::find_by_key(&self.db, &key).await?;
        let hash = login.as_ref().map(|l| l.pin_hash.clone());
        // An unknown card costs the same argon2 work as a known one, so timing tells nothing.
        let pin_ok = pin::verify(hash, pin.to_owned()).await;
        match login {
            Some(login) if pin_ok && !login.disabled => {
                self.kv.delete(&card_counter).await?;
                Ok(Ok(Patron {
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
                }))
            }
            _ => {
                self.kv.incr(&card_counter, 1, window).await?;
                self.kv.incr(&address_counter, 1, window).await?;
                Ok(Err(Refusal::WrongCredentials))
            }
        }
    }
}

/// Usernames and card numbers compare without case and surrounding space.
pub fn normalise(username: &str) -> String {
    username.trim().to_lowercase()
}
