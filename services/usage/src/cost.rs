//! Cost per use, per library and product: the priced periods from `subscriptions` (through
//! the `Prices` port) against the hub's sessions on those days and the vendors' COUNTER
//! `Unique_Item_Requests` in those months.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use tilgang_kernel::ports::{EntitlementBasis, PricedPeriod, Prices};
use uuid::Uuid;

use crate::domain::UsageError;
use crate::domain::cost::{CostRow, PaidUse, TrialUse, per, share};
use crate::domain::time::{month_of, months};
use crate::storage::counter_reports;
use crate::storage::rollups::{self, ReportFilter};

type Key = (String, Uuid);

/// Cost per use for `filter`'s libraries, vendor and product, over its days.
pub async fn cost_per_use(
    db: &sea_orm::DatabaseConnection,
    prices: &dyn Prices,
    filter: &ReportFilter,
) -> Result<Vec<CostRow>, UsageError> {
    let periods: Vec<PricedPeriod> = prices
        .periods(filter.isil_keys.clone(), filter.from, filter.to)
        .await
        .map_err(UsageError::unavailable)?
        .into_iter()
        .filter(|p| filter.vendor.is_none_or(|v| p.vendor.0 == v))
        .filter(|p| filter.product.is_none_or(|x| p.product.0 == x))
        .collect();
    let requests = unique_item_requests(db, filter).await?;
    let mut sessions: HashMap<(NaiveDate, NaiveDate), HashMap<Key, i64>> = HashMap::new();
    let mut rows: BTreeMap<Key, CostRow> = BTreeMap::new();
    let mut counted: HashSet<(Key, String, String)> = HashSet::new();
    for p in periods {
        let (first, last) = (p.starts_on.max(filter.from), p.ends_on.min(filter.to));
        let key = (p.isil.key(), p.product.0);
        if let Entry::Vacant(slot) = sessions.entry((first, last)) {
            slot.insert(
                rollups::sessions_between(db, filter.isil_keys.as_deref(), first, last).await?,
            );
        }
        let used = sessions[&(first, last)].get(&key).copied().unwrap_or(0);
        let currency = p.currency.clone().unwrap_or_default();
        // A month's requests count once per library, product and currency, however many
        // paid periods touch it.
        let fresh: Vec<String> = months(first, last)
            .into_iter()
            .filter(|m| {
                p.basis == EntitlementBasis::Trial
                    || counted.insert((key.clone(), currency.clone(), m.clone()))
            })
            .collect();
        let asked = fresh
            .iter()
            .filter_map(|m| requests.get(&(key.0.clone(), key.1, m.clone())))
            .copied()
            .reduce(|a, b| a + b);
        let days = (last - first).num_days() + 1;
        let row = rows.entry(key).or_insert_with(|| CostRow {
            isil: p.isil.as_str().to_owned(),
            product: p.product,
            paid: Vec::new(),
            trials: Vec::new(),
        });
        if p.basis == EntitlementBasis::Trial {
            row.trials.push(TrialUse {
                starts_on: p.starts_on,
                ends_on: p.ends_on,
                days,
                sessions: used,
                unique_item_requests: asked,
            });
            continue;
        }
        let index = match row.paid.iter().position(|u| u.currency == currency) {
            Some(i) => i,
            None => {
                row.paid.push(PaidUse {
                    currency,
                    days: 0,
                    cost_minor: 0,
                    sessions: 0,
                    cost_per_session_minor: None,
                    unique_item_requests: None,
                    cost_per_unique_item_request_minor: None,
                });
                row.paid.len() - 1
            }
        };
        let paid = &mut row.paid[index];
        let period_days = (p.ends_on - p.starts_on).num_days() + 1;
        paid.days += days;
        paid.cost_minor += share(p.price_minor, days, period_days);
        paid.sessions += used;
        paid.unique_item_requests = match (paid.unique_item_requests, asked) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }
    for row in rows.values_mut() {
        for paid in &mut row.paid {
            paid.cost_per_session_minor = per(paid.cost_minor, paid.sessions);
            paid.cost_per_unique_item_request_minor = paid
                .unique_item_requests
                .and_then(|n| per(paid.cost_minor, n));
        }
    }
    Ok(rows.into_values().collect())
}

/// The vendors' `Unique_Item_Requests` by (ISIL key, product, month).
async fn unique_item_requests(
    db: &sea_orm::DatabaseConnection,
    filter: &ReportFilter,
) -> Result<HashMap<(String, Uuid, String), i64>, UsageError> {
    let rows = counter_reports::current_rows(
        db,
        filter.isil_keys.as_deref(),
        &month_of(filter.from),
        &month_of(filter.to),
    )
    .await?;
    let mut sums = HashMap::new();
    for r in counter_reports::best_kind(rows) {
        if r.metric == "Unique_Item_Requests" {
            *sums.entry((r.isil_key, r.product_id, r.month)).or_insert(0) += r.count;
        }
    }
    Ok(sums)
}
