//! Demo data: subscriptions of the demo libraries, so a newcomer's patron logins reach the
//! demo vendors. Every demo library subscribes to `nordlys-ebok`, `avisarkivet` and
//! `kunnskapsbasen` for this calendar year, renewing by itself; only Deichman (NO-2030000) and
//! Malmö (SE-3) subscribe to `nordlys-lydbok`, so the other libraries can start a trial of it
//! (and a patron sees the "not offered by your library" page). Loading twice adds nothing.

use chrono::{Datelike, NaiveDate};
use tilgang_isil::Isil;
use tilgang_kernel::Principal;

use crate::desk::Desk;
use crate::domain::SubscriptionsError;
use crate::domain::subscription::{Currency, Renewal, Terms};
use crate::domain::time::day_of;
use crate::storage::subscriptions;

/// The products every demo library subscribes to.
pub const EVERYWHERE: [&str; 3] = ["nordlys-ebok", "avisarkivet", "kunnskapsbasen"];
/// The product only some demo libraries subscribe to, and the libraries.
pub const SOME: (&str, [&str; 2]) = ("nordlys-lydbok", ["NO-2030000", "SE-3"]);

/// Subscribes the demo `libraries` to the demo products they lack.
pub async fn ensure(desk: &Desk, libraries: &[Isil]) -> Result<usize, SubscriptionsError> {
    let caller = Principal::Service {
        subject: "demo".into(),
    };
    let year = day_of(desk.clock.now()).year();
    let (first, last) = (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid date"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid date"),
    );
    let mut added = 0;
    for isil in libraries {
        let mut slugs = EVERYWHERE.to_vec();
        if SOME.1.contains(&isil.as_str()) {
            slugs.push(SOME.0);
        }
        for slug in slugs {
            let product = desk.product_ref(slug).await?;
            if !subscriptions::of(&desk.db, isil, product).await?.is_empty() {
                continue;
            }
            let terms = Terms::new(first, last, 1_200_000, currency(isil), Renewal::Auto)?;
            desk.subscribe(&caller, isil, product, terms).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// The currency of the library's country (the euro outside Norway, Sweden and Denmark).
fn currency(isil: &Isil) -> Currency {
    match isil.country() {
        Some("NO") => Currency::NOK,
        Some("SE") => Currency::SEK,
        Some("DK") => Currency::DKK,
        _ => Currency::EUR,
    }
}
