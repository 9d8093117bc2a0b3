//! Readiness: each backing service a process needs says whether it answers.

use async_trait::async_trait;

/// One dependency of a process (a database, Redis, another service) that must answer before the
/// process is ready for traffic.
#[async_trait]
pub trait ReadinessCheck: Send + Sync + 'static {
    /// A short name shown in `/health/ready` (`database`, `cache`).
    fn name(&self) -> &'static str;
    /// `Ok` when the dependency answers; otherwise a plain reason, free of secrets.
    async fn check(&self) -> Result<(), String>;
}
