//! Calendar days in the consortium's time zone. Trials and subscriptions are agreed in whole
//! days, and a day starts and ends at midnight in Europe/Oslo (the same in Stockholm and
//! Copenhagen; Helsinki is an hour ahead, and its libraries are told so in the portal).

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The time zone whose midnights end trials and subscriptions.
pub const ZONE: Tz = chrono_tz::Europe::Oslo;

/// The instant `date` begins in [`ZONE`].
pub fn midnight(date: NaiveDate) -> DateTime<Utc> {
    let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Oslo changes its clocks at 02:00 and 03:00, so midnight is never skipped or repeated.
    ZONE.from_local_datetime(&local)
        .earliest()
        .expect("midnight exists in Europe/Oslo")
        .with_timezone(&Utc)
}

/// The calendar day of `at` in [`ZONE`].
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ZONE).date_naive()
}

/// The instant `date` ends (the next midnight).
pub fn end_of(date: NaiveDate) -> DateTime<Utc> {
    midnight(date + Days::new(1))
}

/// The last day of a period from `starts_on` to `ends_on` that is stopped at `now`: today,
/// or the day before the first when it had not begun (so it never gives access).
pub fn last_day_if_stopped(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: DateTime<Utc>,
) -> NaiveDate {
    if now < midnight(starts_on) {
        starts_on.pred_opt().unwrap_or(starts_on)
    } else {
        ends_on.min(day_of(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_ends_at_midnight_in_oslo_summer_and_winter() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        assert_eq!(end_of(winter).to_rfc3339(), "2026-01-10T23:00:00+00:00");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 10).unwrap();
        assert_eq!(end_of(summer).to_rfc3339(), "2026-07-10T22:00:00+00:00");
    }

    #[test]
    fn the_day_of_an_instant_is_the_day_in_oslo() {
        let late = DateTime::parse_from_rfc3339("2026-01-10T23:30:00Z").unwrap();
        assert_eq!(
            day_of(late.into()),
            NaiveDate::from_ymd_opt(2026, 1, 11).unwrap()
        );
    }
}
