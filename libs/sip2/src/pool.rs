//! A small pool of logged-in connections to one library's SIP2 server.
//!
//! At most `max_connections` requests run at once, so at most that many connections are open.
//! After a request its connection waits for the next one, unless `max_idle` connections already
//! wait or it has waited longer than `idle_lifetime`. A connection on which anything went wrong is
//! closed. A request that fails because a reused connection turned out to be broken (the server
//! closed it while it waited) is tried once more on a new connection.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use secrecy::ExposeSecret;
use tokio::sync::Semaphore;

use crate::client::{Connection, within};
use crate::codec::check_value;
use crate::config::Sip2Config;
use crate::error::Sip2Error;
use crate::message::{LoginRequest, PatronQuery};
use crate::patron::PatronCheck;
use crate::tls::Tls;

/// Checks patrons against one library's ILS over SIP2. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Sip2Pool {
    inner: Arc<Inner>,
}

struct Inner {
    config: Sip2Config,
    address: Arc<str>,
    tls: Option<Tls>,
    idle: Mutex<Vec<Idle>>,
    permits: Semaphore,
    opened: AtomicU64,
    reused: AtomicU64,
}

struct Idle {
    connection: Connection,
    since: Instant,
}

/// How the pool has used connections since it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections opened (and logged in).
    pub connections_opened: u64,
    /// Requests that ran on a connection kept from an earlier request.
    pub connections_reused: u64,
    /// Connections waiting for the next request now.
    pub idle: usize,
}

/// The operations the pool runs on a connection.
enum Operation<'a> {
    PatronInformation(PatronQuery<'a>),
    Status,
}

enum Outcome {
    PatronInformation(Box<crate::response::PatronInformationResponse>),
    Status(crate::response::AcsStatusResponse),
}

impl Sip2Pool {
    /// Checks the settings (address, values, TLS certificates) and creates the pool. No
    /// connection is opened until the first request.
    pub fn new(config: Sip2Config) -> Result<Self, Sip2Error> {
        config.validate()?;
        let tls = match &config.tls {
            Some(settings) => Some(Tls::new(settings, config.host()?)?),
            None => None,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                address: Arc::from(config.address.as_str()),
                tls,
                idle: Mutex::new(Vec::new()),
                permits: Semaphore::new(config.max_connections),
                opened: AtomicU64::new(0),
                reused: AtomicU64::new(0),
                config,
            }),
        })
    }

    /// Asks the ILS (63 Patron Information) whether `card` is a patron and `pin` their PIN.
    ///
    /// An unknown card, a wrong PIN or a blocked patron is an `Ok` answer that is not
    /// [accepted](PatronCheck::accepted); an `Err` means the ILS could not be asked or understood.
    pub async fn verify_patron(&self, card: &str, pin: &str) -> Result<PatronCheck, Sip2Error> {
        check_value("card number", card)?;
        check_value("PIN", pin)?;
        if card.trim().is_empty() {
            return Err(Sip2Error::InvalidField {
                field: "card number",
                problem: "is empty",
            });
        }
        let config = &self.inner.config;
        let query = PatronQuery {
            institution_id: &config.institution_id,
            patron_id: card,
            terminal_password: config.terminal_password.as_ref().map(|p| p.expose_secret()),
            patron_password: Some(pin),
        };
        match self
            .run(&Operation::PatronInformation(query), false)
            .await?
        {
            Outcome::PatronInformation(info) => {
                let check = PatronCheck::from_information(&info);
                tracing::debug!(
                    address = %self.inner.address,
                    accepted = check.accepted(),
                    "sip2 patron information answered"
                );
                Ok(check)
            }
            Outcome::Status(_) => unreachable!("a patron information request gets its answer"),
        }
    }

    /// Opens a new connection, logs in and asks the ILS for its status (99), as the portal's
    /// "test connection" button does. `Err` explains what failed in an administrator's words.
    pub async fn test_connection(&self) -> Result<(), Sip2Error> {
        match self.run(&Operation::Status, true).await? {
            Outcome::Status(status) if status.online => Ok(()),
            Outcome::Status(_) => Err(Sip2Error::Offline),
            Outcome::PatronInformation(_) => unreachable!("a status request gets its answer"),
        }
    }

    /// Connection counts, for tests and metrics.
    pub fn stats(&self) -> PoolStats {
        PoolStats {
            connections_opened: self.inner.opened.load(Ordering::Relaxed),
            connections_reused: self.inner.reused.load(Ordering::Relaxed),
            idle: self.idle().len(),
        }
    }

    async fn run(&self, operation: &Operation<'_>, fresh: bool) -> Result<Outcome, Sip2Error> {
        let inner = &self.inner;
        let _permit = within(
            &inner.address,
            inner.config.timeout,
            "waiting for a free connection",
            inner.permits.acquire(),
        )
        .await?
        .expect("the pool never closes its semaphore");

        let reused = if fresh { None } else { self.take_idle() };
        let was_reused = reused.is_some();
        let mut connection = match reused {
            Some(connection) => connection,
            None => self.open().await?,
        };
        match perform(&mut connection, operation).await {
            Ok(outcome) => {
                self.put_idle(connection);
                Ok(outcome)
            }
            Err(error) if was_reused && error.is_stale_connection() => {
                tracing::debug!(address = %inner.address, "sip2 idle connection was broken; retrying");
                drop(connection);
                let mut connection = self.open().await?;
                let outcome = perform(&mut connection, operation).await?;
                self.put_idle(connection);
                Ok(outcome)
            }
            Err(error) => Err(error),
        }
    }

    async fn open(&self) -> Result<Connection, Sip2Error> {
        let inner = &self.inner;
        let config = &inner.config;
        let mut connection =
            Connection::connect(inner.address.clone(), inner.tls.as_ref(), config.timeout).await?;
        inner.opened.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(address = %inner.address, tls = inner.tls.is_some(), "sip2 connection opened");
        if let Some(user) = &config.login_user {
            let login = LoginRequest {
                user_id: user,
                password: config
                    .login_password
                    .as_ref()
                    .map_or("", |p| p.expose_secret()),
                location_code: config.location_code.as_deref(),
            };
            connection.login(&login).await?;
            tracing::debug!(address = %inner.address, "sip2 login accepted");
        }
        Ok(connection)
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        // The lock guards no invariant a panic could break; a poisoned list is still a list.
        self.inner
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn take_idle(&self) -> Option<Connection> {
        let lifetime = self.inner.config.idle_lifetime;
        let mut idle = self.idle();
        while let Some(entry) = idle.pop() {
            if entry.since.elapsed() <= lifetime {
                self.inner.reused.fetch_add(1, Ordering::Relaxed);
                return Some(entry.connection);
            }
        }
        None
    }

    fn put_idle(&self, connection: Connection) {
        let mut idle = self.idle();
        let lifetime = self.inner.config.idle_lifetime;
        idle.retain(|entry| entry.since.elapsed() <= lifetime);
        if idle.len() < self.inner.config.max_idle {
            idle.push(Idle {
                connection,
                since: Instant::now(),
            });
        }
    }
}

async fn perform(
    connection: &mut Connection,
    operation: &Operation<'_>,
) -> Result<Outcome, Sip2Error> {
    Ok(match operation {
        Operation::PatronInformation(query) => {
            Outcome::PatronInformation(Box::new(connection.patron_information(query).await?))
        }
        Operation::Status => Outcome::Status(connection.sc_status().await?),
    })
}

impl std::fmt::Debug for Sip2Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sip2Pool")
            .field("config", &self.inner.config)
            .field("stats", &self.stats())
            .finish()
    }
}
