//! A library's trial requests on its page: those that wait for the vendor (with a button that
//! withdraws one) and the declined ones asked for in the last 90 days, so that a trial asked for is never
//! lost from sight between the click and the vendor's answer.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use tilgang_kernel::ProductId;
use tilgang_kernel::ports::{ProductSummary, TrialSummary};
use tilgang_web::i18n::{Args, Localizer};

use super::library::{date, today};
use crate::pages::AskedTrial;

/// How long after it was asked a declined request stays on the library's page.
const DECLINED_SHOWN_DAYS: i64 = 90;

/// The library's requested trials, and its declined ones asked in the last 90 days, newest first:
/// for each product only its newest trial counts (a declined request asked again is waiting).
pub(super) fn asked(
    t: &Localizer,
    lang: &str,
    trials: &[TrialSummary],
    products: &[ProductSummary],
    now: DateTime<Utc>,
) -> Vec<AskedTrial> {
    newest_per_product(trials)
        .filter_map(|trial| {
            let product = products.iter().find(|p| p.id == trial.product)?;
            let mut args = Args::new();
            args.set("date", date(lang, today(trial.requested_at)));
            args.set("vendor", product.vendor_name.as_str());
            let name = product.name(lang);
            let (state, withdraw) = match trial.state.as_str() {
                "requested" => (
                    t.ta("asked-waiting", &args),
                    Some(t.t1("trial-withdraw", "product", name)),
                ),
                "declined" if now - trial.requested_at < Duration::days(DECLINED_SHOWN_DAYS) => {
                    (t.ta("asked-declined", &args), None)
                }
                _ => return None,
            };
            Some(AskedTrial {
                name: name.to_owned(),
                slug: product.slug.clone(),
                state,
                withdraw,
            })
        })
        .collect()
}

/// The products whose newest trial waits for the vendor (they are not offered again).
pub(super) fn waiting(trials: &[TrialSummary]) -> HashSet<ProductId> {
    newest_per_product(trials)
        .filter(|trial| trial.state == "requested")
        .map(|trial| trial.product)
        .collect()
}

/// Of `trials` (newest first), each product's newest.
fn newest_per_product(trials: &[TrialSummary]) -> impl Iterator<Item = &TrialSummary> {
    let mut seen = HashSet::new();
    trials
        .iter()
        .filter(move |trial| seen.insert(trial.product))
}
