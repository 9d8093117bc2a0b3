//! Cards and PINs checked with the library system over SIP2, one small connection pool per
//! library, rebuilt when the library changes its setup.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tilgang_kernel::Isil;
use tilgang_sip2::{Sip2Config, Sip2Error, Sip2Pool, TlsSettings};

use crate::storage::setups::Sip2Setup;
use tilgang_kernel::secrets::Sealer;

/// The sealing context of a library's SIP2 password.
pub fn seal_context(isil: &Isil) -> String {
    format!("sip2:{}", isil.key())
}

/// A pool and the setup version it was built from.
type Versioned = (Option<DateTime<Utc>>, Sip2Pool);

/// Pools by library.
#[derive(Default)]
pub struct Pools {
    pools: Mutex<HashMap<String, Versioned>>,
}

impl Pools {
    /// The pool for `isil` with `setup` (changed at `updated`), built on first use or change.
    pub fn pool(
        &self,
        sealer: &Sealer,
        isil: &Isil,
        setup: &Sip2Setup,
        updated: Option<DateTime<Utc>>,
    ) -> Result<Sip2Pool, Sip2Error> {
        let mut pools = self.pools.lock().expect("SIP2 pools lock");
        if let Some((at, pool)) = pools.get(&isil.key())
            && *at == updated
        {
            return Ok(pool.clone());
        }
        let pool = Sip2Pool::new(config(sealer, isil, setup))?;
        pools.insert(isil.key(), (updated, pool.clone()));
        Ok(pool)
    }
}

/// The client configuration of a stored setup.
pub fn config(sealer: &Sealer, isil: &Isil, setup: &Sip2Setup) -> Sip2Config {
    let mut config = Sip2Config::new(setup.address.clone(), setup.institution_id.clone());
    config.login_user = setup.login_user.clone();
    config.login_password = setup
        .login_password_sealed
        .as_deref()
        .and_then(|sealed| sealer.open_text(sealed, &seal_context(isil)).ok())
        .map(SecretString::from);
    config.location_code = setup.location_code.clone();
    config.timeout = Duration::from_secs(setup.timeout_seconds.clamp(1, 30));
    if setup.tls {
        config.tls = Some(TlsSettings {
            extra_ca_pem: setup.ca_pem.clone(),
            server_name: None,
        });
    }
    config
}
