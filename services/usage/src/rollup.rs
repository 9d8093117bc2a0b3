//! The roll-up job: counts each day's events per library and product into `usage_daily`,
//! each month's numbers and unique users into `usage_monthly`, and then deletes raw events (and
//! the salts of their months) older than the retention period. It redoes today and every
//! day since the last complete one, so it catches up after downtime and is safe to run on
//! several replicas at once (each writes the same numbers).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate};
use tilgang_kernel::Clock;
use uuid::Uuid;

use crate::domain::UsageError;
use crate::domain::time::{day_of, month_of};
use crate::storage::rollups::{self, DayRow, NO_PRODUCT};
use crate::storage::{events, salts};

/// Rolls up and forgets.
pub struct Rollup {
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    retention_days: u64,
}

impl Rollup {
    /// A roll-up over `db` that keeps raw events `retention_days`.
    pub fn new(
        db: &sea_orm::DatabaseConnection,
        clock: Arc<dyn Clock>,
        retention_days: u64,
    ) -> Self {
        Self {
            db: db.clone(),
            clock,
            retention_days,
        }
    }

    /// Rolls up every day from the last complete one to today, then deletes what the
    /// retention period has passed; returns how many raw events were deleted.
    pub async fn run_once(&self) -> Result<u64, UsageError> {
        let today = day_of(self.clock.now());
        let from = match rollups::watermark(&self.db).await? {
            Some(mark) => mark.succ_opt().unwrap_or(mark),
            None => events::earliest_day(&self.db).await?.unwrap_or(today),
        };
        let mut months = BTreeSet::new();
        let mut day = from.min(today);
        while day <= today {
            self.roll_day(day).await?;
            months.insert(first_of_month(day));
            day = day.succ_opt().expect("a next day");
        }
        for first in months {
            self.roll_month(first, today).await?;
        }
        rollups::set_watermark(&self.db, today.pred_opt().unwrap_or(today)).await?;
        let keep_from = today - Days::new(self.retention_days);
        let forgotten = events::delete_before(&self.db, keep_from).await?;
        salts::forget_before(&self.db, &month_of(keep_from)).await?;
        Ok(forgotten)
    }

    async fn roll_day(&self, day: NaiveDate) -> Result<(), UsageError> {
        let mut rows: HashMap<(String, Uuid), DayRow> = HashMap::new();
        for t in events::tally(&self.db, day).await? {
            let product = t.product_id.unwrap_or(NO_PRODUCT);
            let row = rows
                .entry((t.isil_key.clone(), product))
                .or_insert_with(|| DayRow {
                    period: day,
                    isil: t.isil.clone(),
                    product,
                    vendor: t.vendor_id,
                    logins: 0,
                    sessions: 0,
                    turnaways: 0,
                    unique_users: 0,
                });
            match t.outcome.as_str() {
                "login" => row.logins += t.n,
                "granted" => row.sessions += t.n,
                _ => row.turnaways += t.n,
            }
        }
        for u in events::users(&self.db, day, day).await? {
            if let Some(row) = rows.get_mut(&(u.isil_key, u.product_id.unwrap_or(NO_PRODUCT))) {
                row.unique_users = u.n;
            }
        }
        let tx = tilgang_store::write(&self.db).await?;
        rollups::replace_day(&tx, day, rows.into_values().collect()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn roll_month(&self, first: NaiveDate, today: NaiveDate) -> Result<(), UsageError> {
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.pred_opt())
            .expect("a month has a last day")
            .min(today);
        let month = month_of(first);
        let mut rows = rollups::sum_days(&self.db, &month, first, last).await?;
        let users: HashMap<(String, Uuid), i64> = events::users(&self.db, first, last)
            .await?
            .into_iter()
            .map(|u| ((u.isil_key, u.product_id.unwrap_or(NO_PRODUCT)), u.n))
            .collect();
        for row in &mut rows {
            let key = (row.isil.to_ascii_lowercase(), row.product);
            row.unique_users = users.get(&key).copied().unwrap_or(0);
        }
        let tx = tilgang_store::write(&self.db).await?;
        rollups::replace_month(&tx, &month, rows).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day0(0).expect("every month has a first day")
}
