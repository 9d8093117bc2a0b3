//! The background work of a process running the service: follow other processes' changes to
//! the entitlement index, run the lifecycle (trials and subscriptions starting and ending on
//! time), and deliver webhooks. Every replica runs it; the claims in the lifecycle and the
//! dispatcher make sure each item is handled once.

use std::sync::Arc;
use std::time::Duration;

use crate::desk::Desk;
use crate::dispatch::Dispatcher;
use crate::index::FOLLOW_EVERY;

/// How often the lifecycle runs: a trial ends for `sso` at its exact instant (the index holds
/// intervals); this only decides how soon after it the audit entry and webhook follow.
pub const LIFECYCLE_EVERY: Duration = Duration::from_secs(15);
/// How often due webhook deliveries are looked for.
pub const DISPATCH_EVERY: Duration = Duration::from_secs(1);

/// Starts the background work on the current runtime.
pub fn spawn(desk: Arc<Desk>, dispatcher: Arc<Dispatcher>) {
    tokio::spawn(async move {
        let mut follow = tokio::time::interval(FOLLOW_EVERY);
        let mut lifecycle = tokio::time::interval(LIFECYCLE_EVERY);
        let mut dispatch = tokio::time::interval(DISPATCH_EVERY);
        for timer in [&mut follow, &mut lifecycle, &mut dispatch] {
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        }
        loop {
            tokio::select! {
                _ = follow.tick() => {
                    if let Err(e) = desk.index.follow().await {
                        tracing::warn!(error = %tilgang_web::error::cause_chain(&e), "could not look for entitlement changes");
                    }
                }
                _ = lifecycle.tick() => {
                    if let Err(e) = desk.run_lifecycle().await {
                        tracing::warn!(error = %tilgang_web::error::cause_chain(&e), "the trial and subscription lifecycle failed");
                    }
                }
                _ = dispatch.tick() => {
                    if let Err(e) = dispatcher.run_once().await {
                        tracing::warn!(error = %tilgang_web::error::cause_chain(&e), "webhook delivery failed");
                    }
                }
            }
        }
    });
}
