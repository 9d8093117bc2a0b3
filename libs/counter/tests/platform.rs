//! Platform reports written by the hub are valid COUNTER 5.1 and carry exactly the counts
//! they were given.

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use tilgang_counter::{
    PlatformCount, PlatformHeader, ReportKind, UsageRow, platform_report, rows, validate,
};

fn sample_rows() -> Vec<UsageRow> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/PR_sample_r51.json");
    let report: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    rows(&report)
}

fn counts(rows: &[UsageRow]) -> Vec<PlatformCount> {
    rows.iter()
        .map(|r| PlatformCount {
            platform: r.platform.clone(),
            data_type: r.data_type.clone().unwrap_or_default(),
            access_method: r.access_method.clone().unwrap_or("Regular".into()),
            metric: r.metric.clone(),
            month: r.month.clone(),
            count: r.count,
        })
        .collect()
}

fn header(show_access_method: bool) -> PlatformHeader {
    PlatformHeader {
        institution_name: "Deichman".into(),
        isil: "NO-2030000".into(),
        created: "2026-11-22T10:00:00Z".into(),
        created_by: "Tilgang".into(),
        begin: "2022-01-01".into(),
        end: "2022-12-31".into(),
        filters: Map::new(),
        show_access_method,
        exceptions: vec![],
    }
}

fn total(rows: &[UsageRow], metric: &str) -> u64 {
    rows.iter()
        .filter(|r| r.metric == metric)
        .map(|r| r.count)
        .sum()
}

#[test]
fn a_written_pr_is_valid_and_holds_every_count() {
    let given = sample_rows();
    let (report, left_out) = platform_report(ReportKind::Pr, &header(true), &counts(&given));
    assert_eq!(validate(&report), Ok(ReportKind::Pr));
    assert!(left_out.is_empty());
    let read = rows(&report);
    assert_eq!(read.len(), given.len());
    for metric in [
        "Searches_Platform",
        "Unique_Item_Requests",
        "Total_Item_Investigations",
    ] {
        assert_eq!(total(&read, metric), total(&given, metric), "{metric}");
    }
}

#[test]
fn without_access_method_the_methods_are_added_up() {
    let given = sample_rows();
    let (report, _) = platform_report(ReportKind::Pr, &header(false), &counts(&given));
    assert_eq!(validate(&report), Ok(ReportKind::Pr));
    let read = rows(&report);
    assert!(read.len() < given.len());
    assert_eq!(
        total(&read, "Unique_Item_Requests"),
        total(&given, "Unique_Item_Requests")
    );
}

#[test]
fn a_written_pr_p1_keeps_only_regular_requests_and_searches() {
    let given = sample_rows();
    let (report, _) = platform_report(ReportKind::PrP1, &header(true), &counts(&given));
    assert_eq!(validate(&report), Ok(ReportKind::PrP1));
    let read = rows(&report);
    assert_eq!(total(&read, "Total_Item_Investigations"), 0);
    let regular: Vec<UsageRow> = given
        .into_iter()
        .filter(|r| r.access_method.as_deref() == Some("Regular"))
        .collect();
    assert_eq!(
        total(&read, "Unique_Item_Requests"),
        total(&regular, "Unique_Item_Requests")
    );
}

#[test]
fn an_entry_with_one_item_metric_is_left_out_and_named() {
    let one = PlatformCount {
        platform: "Nordlys".into(),
        data_type: "Book".into(),
        access_method: "Regular".into(),
        metric: "Total_Item_Requests".into(),
        month: "2022-01".into(),
        count: 3,
    };
    let mut h = header(false);
    h.exceptions = vec![json!({"Code": 3040, "Message": "Partial Data Returned"})];
    let (report, left_out) = platform_report(ReportKind::Pr, &h, &[one]);
    assert_eq!(left_out, ["Nordlys Book"]);
    assert_eq!(report["Report_Items"], json!([]));
    assert_eq!(validate(&report), Ok(ReportKind::Pr));
}
