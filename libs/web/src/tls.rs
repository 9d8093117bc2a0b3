//! The process's TLS crypto provider: ring, installed once before any HTTP client is built
//! (reqwest is built without a provider of its own, so the hub links one crypto library).

/// Installs ring as the process-wide rustls provider; calling it again does nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
