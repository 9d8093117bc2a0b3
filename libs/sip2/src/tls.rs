//! TLS for SIP2: public roots plus the library's own CA, ring as the only crypto provider.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use crate::config::TlsSettings;
use crate::error::Sip2Error;

/// What a TLS connection needs: the connector and the name the certificate must carry.
#[derive(Clone)]
pub(crate) struct Tls {
    pub(crate) connector: TlsConnector,
    pub(crate) server_name: ServerName<'static>,
}

impl Tls {
    /// Builds the client configuration once, at pool creation, so bad settings show up early.
    pub(crate) fn new(settings: &TlsSettings, host: &str) -> Result<Self, Sip2Error> {
        let invalid = |setting, problem: String| Sip2Error::InvalidConfig { setting, problem };
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(pem) = &settings.extra_ca_pem {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| invalid("extra CA certificate", e.to_string()))?;
                roots
                    .add(cert)
                    .map_err(|e| invalid("extra CA certificate", e.to_string()))?;
                added += 1;
            }
            if added == 0 {
                let problem = "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
                return Err(invalid("extra CA certificate", problem.to_owned()));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid("tls", e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = settings.server_name.as_deref().unwrap_or(host);
        let server_name = ServerName::try_from(name.to_owned()).map_err(|_| {
            invalid(
                "TLS server name",
                "it is neither a host name nor an IP address".to_owned(),
            )
        })?;
        Ok(Self {
            connector: TlsConnector::from(Arc::new(config)),
            server_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extra_ca_that_is_not_pem_is_refused_at_start() {
        let settings = TlsSettings {
            extra_ca_pem: Some("not a cert".into()),
            server_name: None,
        };
        let err = Tls::new(&settings, "localhost").err().unwrap();
        assert_eq!(err.code(), "sip2_invalid_config");
        assert!(err.to_string().contains("extra CA certificate"), "{err}");
    }

    #[test]
    fn public_roots_alone_are_enough_to_build_a_connector() {
        assert!(Tls::new(&TlsSettings::default(), "sip.bib.no").is_ok());
        assert!(Tls::new(&TlsSettings::default(), "127.0.0.1").is_ok());
    }
}
