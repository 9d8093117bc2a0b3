//! The official COUNTER 5.1 sample reports are accepted and read; broken variants of them are
//! refused, each with where and what.

use std::path::PathBuf;

use serde_json::{Value, json};
use tilgang_counter::{ReportKind, header, rows, validate};

const SAMPLES: [(&str, ReportKind); 8] = [
    ("PR_sample_r51.json", ReportKind::Pr),
    ("PRP1_sample_r51.json", ReportKind::PrP1),
    ("DR_sample_r51.json", ReportKind::Dr),
    ("DRD1_sample_r51.json", ReportKind::DrD1),
    ("TR_sample_r51.json", ReportKind::Tr),
    ("TRB1_sample_r51.json", ReportKind::TrB1),
    ("TRB3_sample_r51.json", ReportKind::TrB3),
    ("IR_sample_r51.json", ReportKind::Ir),
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn sample(file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join(file)).unwrap()).unwrap()
}

#[test]
fn every_official_sample_is_accepted_as_its_kind() {
    for (file, kind) in SAMPLES {
        assert_eq!(validate(&sample(file)), Ok(kind), "{file}");
    }
}

#[test]
fn the_samples_here_are_the_official_ones() {
    let official =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/counter");
    if !official.exists() {
        eprintln!(
            "skipping: {} is absent (it is outside a user's clone)",
            official.display()
        );
        return;
    }
    for (file, _) in SAMPLES {
        assert_eq!(
            std::fs::read(fixtures().join(file)).unwrap(),
            std::fs::read(official.join(file)).unwrap(),
            "{file}"
        );
    }
    assert_eq!(
        std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/COUNTER_API-5.1.0.1.json")
        )
        .unwrap(),
        std::fs::read(official.join("COUNTER_API-5.1.0.1.json")).unwrap(),
    );
}

#[test]
fn a_broken_report_is_refused_with_where_and_what() {
    let pr = sample("PR_sample_r51.json");
    let break_it = |pointer: &str, value: Value| {
        let mut report = pr.clone();
        *report.pointer_mut(pointer).expect(pointer) = value;
        report
    };
    let cases = [
        (
            break_it(
                "/Report_Items/0/Attribute_Performance/0/Performance/Total_Item_Requests/2022-01",
                json!(-3),
            ),
            "/Report_Items/0/Attribute_Performance/0/Performance/Total_Item_Requests/2022-01",
        ),
        (
            break_it(
                "/Report_Items/0/Attribute_Performance/0/Performance/Total_Item_Requests/2022-01",
                json!("many"),
            ),
            "/Report_Items/0/Attribute_Performance/0/Performance/Total_Item_Requests/2022-01",
        ),
        (
            break_it("/Report_Header/Release", json!("5")),
            "/Report_Header/Release",
        ),
        (
            break_it("/Report_Items/0/Platform", json!(42)),
            "/Report_Items/0/Platform",
        ),
        (
            break_it(
                "/Report_Header/Report_Filters/Begin_Date",
                json!("last year"),
            ),
            "/Report_Header/Report_Filters/Begin_Date",
        ),
    ];
    for (report, pointer) in cases {
        let problems = validate(&report).expect_err(pointer);
        assert!(
            problems.iter().any(|p| p.pointer == pointer),
            "{pointer}: {problems:?}"
        );
    }
}

#[test]
fn a_report_without_a_known_kind_says_which_field_is_wrong() {
    let mut report = sample("PR_sample_r51.json");
    report["Report_Header"]["Report_ID"] = json!("TR_J1");
    let problems = validate(&report).unwrap_err();
    assert_eq!(problems[0].pointer, "/Report_Header/Report_ID");
    assert!(problems[0].message.contains("TR_J1"), "{problems:?}");
    let problems = validate(&json!({"Report_Items": []})).unwrap_err();
    assert_eq!(problems[0].pointer, "/Report_Header/Report_ID");
}

#[test]
fn a_platform_report_reads_as_one_row_per_attribute_set_metric_and_month() {
    let pr = sample("PR_sample_r51.json");
    let h = header(&pr).unwrap();
    assert_eq!(h.kind, ReportKind::Pr);
    assert_eq!(h.begin.to_string(), "2022-01-01");
    assert_eq!(h.end.to_string(), "2022-12-31");
    assert_eq!(
        h.institution_ids,
        [("ISNI".to_owned(), "1234123412341234".to_owned())]
    );
    let all = rows(&pr);
    let first = &all[0];
    assert_eq!(first.platform, "Platform 1");
    assert_eq!(first.data_type.as_deref(), Some("Article"));
    assert_eq!(first.access_method.as_deref(), Some("Regular"));
    let january: u64 = all
        .iter()
        .filter(|r| {
            r.metric == "Total_Item_Requests"
                && r.month == "2022-01"
                && r.data_type.as_deref() == Some("Article")
                && r.access_method.as_deref() == Some("Regular")
        })
        .map(|r| r.count)
        .sum();
    assert_eq!(january, 877);
}

#[test]
fn an_item_report_keeps_the_title_each_item_belongs_to() {
    let ir = sample("IR_sample_r51.json");
    let all = rows(&ir);
    assert!(!all.is_empty());
    let title = ir["Report_Items"][0]["Title"].as_str().unwrap();
    let item = ir["Report_Items"][0]["Items"][0]["Item"].as_str().unwrap();
    assert!(
        all.iter()
            .any(|r| r.parent.as_deref() == Some(title) && r.name.as_deref() == Some(item)),
        "{:?}",
        &all[..3]
    );
}

#[test]
fn a_problem_says_what_is_wrong_without_repeating_the_report() {
    let mut pr = sample("PR_sample_r51.json");
    pr["Report_Items"][0]["Attribute_Performance"][0]["Performance"]["Total_Item_Requests"]["2022-01"] =
        json!(-3);
    let problems = validate(&pr).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("minimum"), "{problems:?}");
    assert!(
        !problems[0].message.contains("1461"),
        "no copy of the report: {problems:?}"
    );
}
