//! How to reach one library's SIP2 server, and how it is checked before use.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::codec::check_value;
use crate::error::Sip2Error;

/// The SIP2 settings of one library. Build with [`Sip2Config::new`] and set what the library
/// gave; [`Sip2Pool::new`](crate::Sip2Pool::new) checks them.
///
/// `Debug` shows no secret: passwords are [`SecretString`]s.
#[derive(Debug, Clone)]
pub struct Sip2Config {
    /// `host:port` of the SIP2 server (`[::1]:6001` for IPv6).
    pub address: String,
    /// TLS settings, when the server speaks SIP2 over TLS; `None` for plain TCP.
    pub tls: Option<TlsSettings>,
    /// `CN`: the SIP2 login user. With `None`, no login (93) is sent.
    pub login_user: Option<String>,
    /// `CO`: the SIP2 login password (empty when unset).
    pub login_password: Option<SecretString>,
    /// `CP`: the location code of the login, when the library gave one.
    pub location_code: Option<String>,
    /// `AO`: the library's institution id on the SIP2 server.
    pub institution_id: String,
    /// `AC`: the terminal password, when the library set one.
    pub terminal_password: Option<SecretString>,
    /// How long to wait for each step: connecting, the TLS handshake, sending, each answer.
    pub timeout: Duration,
    /// How many connections are kept open between requests.
    pub max_idle: usize,
    /// How many requests may run at once (and so how many connections may be open).
    pub max_connections: usize,
    /// How long an unused connection is kept before it is closed rather than reused.
    pub idle_lifetime: Duration,
}

impl Sip2Config {
    /// Settings with no TLS, no login, a 10-second timeout, up to 4 connections of which 2 are
    /// kept idle for at most a minute.
    pub fn new(address: impl Into<String>, institution_id: impl Into<String>) -> Self {
        Self {
            address: address.into(),
            tls: None,
            login_user: None,
            login_password: None,
            location_code: None,
            institution_id: institution_id.into(),
            terminal_password: None,
            timeout: Duration::from_secs(10),
            max_idle: 2,
            max_connections: 4,
            idle_lifetime: Duration::from_secs(60),
        }
    }

    /// The host part of [`address`](Self::address), without IPv6 brackets.
    pub(crate) fn host(&self) -> Result<&str, Sip2Error> {
        let invalid = |problem: &str| Sip2Error::InvalidConfig {
            setting: "address",
            problem: problem.to_owned(),
        };
        let (host, port) = self
            .address
            .rsplit_once(':')
            .ok_or_else(|| invalid("it must be host:port"))?;
        port.parse::<u16>()
            .map_err(|_| invalid("the port must be a number from 0 to 65535"))?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        if host.is_empty() {
            return Err(invalid("the host is missing"));
        }
        Ok(host)
    }

    /// Checks everything that can be checked without connecting.
    pub(crate) fn validate(&self) -> Result<(), Sip2Error> {
        self.host()?;
        let invalid = |setting, problem: &str| {
            Err(Sip2Error::InvalidConfig {
                setting,
                problem: problem.to_owned(),
            })
        };
        if self.institution_id.is_empty() {
            return invalid("institution id", "it is empty");
        }
        if self.login_user.is_none() && self.login_password.is_some() {
            return invalid("login user", "a login password is set, but no login user");
        }
        if self.max_connections == 0 {
            return invalid("max connections", "at least one connection is needed");
        }
        if self.timeout.is_zero() {
            return invalid("timeout", "it must be longer than zero");
        }
        check_value("institution id", &self.institution_id)?;
        if let Some(user) = &self.login_user {
            check_value("SIP2 login user", user)?;
        }
        if let Some(password) = &self.login_password {
            check_value("SIP2 login password", password.expose_secret())?;
        }
        if let Some(location) = &self.location_code {
            check_value("SIP2 location code", location)?;
        }
        if let Some(password) = &self.terminal_password {
            check_value("terminal password", password.expose_secret())?;
        }
        Ok(())
    }
}

/// SIP2 over TLS. The server's certificate must chain to a public root (webpki-roots) or to
/// [`extra_ca_pem`](Self::extra_ca_pem), and name the host (or [`server_name`](Self::server_name)).
#[derive(Debug, Clone, Default)]
pub struct TlsSettings {
    /// One or more PEM certificates to trust besides the public roots, for a library whose ILS
    /// has a self-signed certificate or a private CA.
    pub extra_ca_pem: Option<String>,
    /// The name to expect in the certificate, when it differs from the host of the address.
    pub server_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_read_from_ipv4_ipv6_and_names() {
        assert_eq!(
            Sip2Config::new("10.0.0.1:6001", "x").host().unwrap(),
            "10.0.0.1"
        );
        assert_eq!(Sip2Config::new("[::1]:6001", "x").host().unwrap(), "::1");
        assert_eq!(
            Sip2Config::new("sip.bib.no:6001", "x").host().unwrap(),
            "sip.bib.no"
        );
    }

    #[test]
    fn an_address_without_a_port_is_refused_with_a_plain_message() {
        let err = Sip2Config::new("sip.bib.no", "x").validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "the SIP2 setting \"address\" is invalid: it must be host:port"
        );
    }

    #[test]
    fn a_login_password_with_a_pipe_is_refused_without_showing_it() {
        let mut config = Sip2Config::new("localhost:6001", "NO-2030000");
        config.login_user = Some("tilgang".into());
        config.login_password = Some(SecretString::from("ab|cd"));
        let err = config.validate().unwrap_err();
        assert_eq!(err.code(), "sip2_invalid_field");
        assert!(!err.to_string().contains("ab|cd"));
        assert!(!format!("{config:?}").contains("ab|cd"));
    }

    #[test]
    fn a_password_without_a_user_is_refused() {
        let mut config = Sip2Config::new("localhost:6001", "NO-2030000");
        config.login_password = Some(SecretString::from("pw"));
        assert_eq!(config.validate().unwrap_err().code(), "sip2_invalid_config");
    }
}
