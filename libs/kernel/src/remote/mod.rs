//! The ports over HTTP, for services that run in other processes.
//!
//! A port call is `POST {peer}/internal/v1/{port}/{method}` with the arguments as a JSON array
//! and the answer as JSON, authenticated with a short-lived service token that `sso` issues
//! (client credentials, scope [`INTERNAL_SCOPE`]). [`Peer`] is the calling side; the clients in
//! [`registry`], [`sso`], [`subscriptions`] and [`usage`] implement the ports with it. On the answering
//! side each port has a [`Dispatch`] that turns a call back into a method of the in-process
//! implementation.

pub mod registry;
pub mod sso;
pub mod subscriptions;
pub mod tokens;
pub mod usage;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::ports::PortError;
pub use tokens::{ServiceTokens, service_client_id, service_client_secret};

/// The scope of service tokens: the internal port endpoints accept nothing else.
pub const INTERNAL_SCOPE: &str = "internal";

/// How long a port call may take before the caller gives up.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a call that carries a large file (a vendor's report, a register import) may take:
/// sending up to 32 MiB, validating and storing it.
pub const FILE_CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// Another service, reached over HTTP.
#[derive(Clone)]
pub struct Peer {
    service: &'static str,
    base: String,
    http: reqwest::Client,
    tokens: Arc<ServiceTokens>,
}

impl Peer {
    /// The service `service` at `base` (such as `http://registry:8080`), called with tokens
    /// from `tokens`.
    pub fn new(service: &'static str, base: &str, tokens: Arc<ServiceTokens>) -> Self {
        Self {
            service,
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .timeout(CALL_TIMEOUT)
                .build()
                .expect("an HTTP client without TLS settings builds"),
            tokens,
        }
    }

    /// The service's name.
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The service's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Calls `method` of `port` with `args` (a tuple, sent as a JSON array). A refused token
    /// is fetched again once, as the peer may have been given a new secret.
    pub async fn call<A, R>(&self, port: &str, method: &str, args: &A) -> Result<R, PortError>
    where
        A: Serialize + Sync + ?Sized,
        R: DeserializeOwned,
    {
        self.call_within(CALL_TIMEOUT, port, method, args).await
    }

    /// [`call`](Self::call), allowed `timeout` instead of the usual 10 s.
    pub async fn call_within<A, R>(
        &self,
        timeout: Duration,
        port: &str,
        method: &str,
        args: &A,
    ) -> Result<R, PortError>
    where
        A: Serialize + Sync + ?Sized,
        R: DeserializeOwned,
    {
        let url = format!("{}/internal/v1/{port}/{method}", self.base);
        let mut retried = false;
        loop {
            let token = self.tokens.bearer().await?;
            let response = self
                .http
                .post(&url)
                .timeout(timeout)
                .bearer_auth(&token)
                .json(args)
                .send()
                .await
                .map_err(|e| self.failed(format!("{port}.{method}: {}", without_url(&e))))?;
            let status = response.status();
            if status == reqwest::StatusCode::UNAUTHORIZED && !retried {
                self.tokens.forget(&token);
                retried = true;
                continue;
            }
            if !status.is_success() {
                let body = response.text().await.unwrap_or_default();
                let detail = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_default();
                return Err(self.failed(format!("{port}.{method} answered {status} {detail}")));
            }
            return response
                .json()
                .await
                .map_err(|e| self.failed(format!("{port}.{method} answered nonsense: {e}")));
        }
    }

    /// Whether the peer answers `/health/live`.
    pub async fn live(&self) -> Result<(), String> {
        let url = format!("{}/health/live", self.base);
        match self.http.get(&url).send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!(
                "{} at {} answered {}",
                self.service,
                self.base,
                r.status()
            )),
            Err(e) => Err(format!(
                "{} at {} does not answer: {}",
                self.service,
                self.base,
                without_url(&e)
            )),
        }
    }

    fn failed(&self, reason: String) -> PortError {
        PortError::new(self.service, reason)
    }
}

/// A reqwest error's message without its URL (the URL is said once, by the caller).
fn without_url(e: &reqwest::Error) -> String {
    let mut e = e.to_string();
    if let Some(start) = e.find(" for url (") {
        e.truncate(start);
    }
    e
}

/// Why an internal call could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The port has no such method.
    #[error("no method {0}")]
    UnknownMethod(String),
    /// The arguments do not fit the method.
    #[error("the arguments do not fit: {0}")]
    BadArguments(String),
    /// The port failed.
    #[error(transparent)]
    Port(#[from] PortError),
}

/// One port of this process, answering calls from other processes.
#[async_trait]
pub trait Dispatch: Send + Sync + 'static {
    /// The port's name in the path (`directory`, `entitlements`).
    fn port(&self) -> &'static str;
    /// Runs `method` with `args` (a JSON array) and returns its answer as JSON.
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError>;
}

/// Decodes a call's arguments.
pub(crate) fn arguments<A: DeserializeOwned>(args: Value) -> Result<A, CallError> {
    serde_json::from_value(args).map_err(|e| CallError::BadArguments(e.to_string()))
}

/// Encodes a method's answer.
pub(crate) fn answer<R: Serialize>(result: Result<R, PortError>) -> Result<Value, CallError> {
    let value = result?;
    serde_json::to_value(value).map_err(|e| CallError::BadArguments(e.to_string()))
}

#[async_trait]
impl crate::ReadinessCheck for Peer {
    fn name(&self) -> &'static str {
        self.service
    }
    async fn check(&self) -> Result<(), String> {
        self.live().await
    }
}
