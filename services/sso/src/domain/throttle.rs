//! Login throttling: failed attempts counted per card and per client address in fixed windows.

use std::time::Duration;

/// How many failures are allowed in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failed attempts allowed per card (or username) at one library.
    pub per_card: i64,
    /// Failed attempts allowed per client IP address.
    pub per_address: i64,
    /// The window.
    pub window: Duration,
}

impl Default for Limits {
    /// 5 failures per card and 50 per address in 15 minutes: a patron who mistypes a few times
    /// is not locked out for long, and guessing a 4-digit PIN takes years.
    fn default() -> Self {
        Self {
            per_card: 5,
            per_address: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}
