//! COUNTER Release 5.1 reports: which kind a report is, whether it is valid against the
//! official COUNTER API 5.1.0.1 schema (embedded), and the usage it holds as rows.
//!
//! The hub takes vendors' reports (`PR`, `PR_P1`, `DR`, `DR_D1`, `TR`, `TR_B1`, `TR_B3`, `IR`)
//! pushed to it or harvested over the COUNTER API, and serves its own platform reports
//! ([`platform_report`]).

mod kind;
mod locate;
mod platform;
mod rows;
mod validate;

pub use kind::ReportKind;
pub use locate::line_of;
pub use platform::{
    DATA_TYPES, ITEM_METRICS, P1_METRICS, PlatformCount, PlatformHeader, platform_report,
};
pub use rows::{Header, UsageRow, header, rows};
pub use validate::{Problem, validate};
