//! SIP2 (3M Standard Interchange Protocol 2.00) client: checks a library patron's card number and
//! PIN against the library's ILS.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tilgang_sip2::Sip2Error> {
//! use tilgang_sip2::{Sip2Config, Sip2Pool};
//!
//! let mut config = Sip2Config::new("sip.bibliotek.no:6001", "NO-2030000");
//! config.login_user = Some("tilgang".into());
//! config.login_password = Some("from the library".into());
//! let pool = Sip2Pool::new(config)?;
//! let check = pool.verify_patron("10000001", "1234").await?;
//! if check.accepted() { /* log the patron in */ }
//! # Ok(()) }
//! ```
//!
//! [`Sip2Pool`] keeps a few logged-in connections (TCP or TLS) per library; [`codec`],
//! [`message`] and [`response`] are the wire format underneath. Card numbers, PINs and passwords
//! never appear in errors, `Debug` output or traces.

mod client;
pub mod codec;
mod config;
mod error;
pub mod message;
mod patron;
mod pool;
pub mod response;
mod status;
mod tls;

pub use config::{Sip2Config, TlsSettings};
pub use error::Sip2Error;
pub use patron::PatronCheck;
pub use pool::{PoolStats, Sip2Pool};
pub use status::{PatronFlag, PatronStatus};
