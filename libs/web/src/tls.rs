//! The process's TLS crypto provider: ring, installed once before any HTTP client is built
//! (reqwest is built without a provider of its own, so the hub links one crypto library).

/// Installs ring as the process-wide rustls provider; calling it again does nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A reqwest client builder for calls to other parties (identity providers, webhook
/// endpoints): rustls with ring and the public web roots, no redirects followed (a peer that
/// redirects is misconfigured, and following would let it point the hub anywhere).
pub fn client() -> reqwest::ClientBuilder {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
}
