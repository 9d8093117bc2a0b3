//! Usage is counted in Europe/Oslo days, the consortium's calendar (as trials and
//! subscriptions are).

use chrono::{DateTime, NaiveDate, Utc};

/// The consortium's time zone.
pub const ZONE: chrono_tz::Tz = chrono_tz::Europe::Oslo;

/// The day `at` falls on.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ZONE).date_naive()
}

/// The month of `day`, `YYYY-MM`.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The months (`YYYY-MM`) from `first`'s to `last`'s, in order.
pub fn months(first: NaiveDate, last: NaiveDate) -> Vec<String> {
    let mut all = Vec::new();
    let mut day = first;
    while month_of(day) <= month_of(last) {
        all.push(month_of(day));
        day = match day.checked_add_months(chrono::Months::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    all
}
