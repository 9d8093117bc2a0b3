//! Writing platform reports (`PR` and its standard view `PR_P1`) from usage counts, as the
//! hub's COUNTER API serves them.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ReportKind;

/// The item metrics a platform report may carry (besides `Searches_Platform`).
pub const ITEM_METRICS: [&str; 6] = [
    "Total_Item_Investigations",
    "Total_Item_Requests",
    "Unique_Item_Investigations",
    "Unique_Item_Requests",
    "Unique_Title_Investigations",
    "Unique_Title_Requests",
];

/// The data types a platform report may show.
pub const DATA_TYPES: [&str; 25] = [
    "Article",
    "Audiovisual",
    "Book",
    "Book_Segment",
    "Conference",
    "Conference_Item",
    "Database_Full_Item",
    "Dataset",
    "Image",
    "Interactive_Resource",
    "Journal",
    "Multimedia",
    "News_Item",
    "Newspaper_or_Newsletter",
    "Other",
    "Patent",
    "Platform",
    "Reference_Item",
    "Reference_Work",
    "Report",
    "Software",
    "Sound",
    "Standard",
    "Thesis_or_Dissertation",
    "Unspecified",
];

/// The metrics of `PR_P1`, in the order its header lists them.
pub const P1_METRICS: [&str; 4] = [
    "Searches_Platform",
    "Total_Item_Requests",
    "Unique_Item_Requests",
    "Unique_Title_Requests",
];

/// One count for a platform report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformCount {
    /// The platform.
    pub platform: String,
    /// `Data_Type` (`Platform` for `Searches_Platform`).
    pub data_type: String,
    /// `Access_Method` (`Regular` or `TDM`).
    pub access_method: String,
    /// The metric.
    pub metric: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The count.
    pub count: u64,
}

/// What a report's header says besides its kind.
#[derive(Debug, Clone)]
pub struct PlatformHeader {
    /// `Institution_Name`.
    pub institution_name: String,
    /// The institution's ISIL.
    pub isil: String,
    /// `Created`, RFC 3339.
    pub created: String,
    /// `Created_By`.
    pub created_by: String,
    /// `Begin_Date`, `YYYY-MM-DD`.
    pub begin: String,
    /// `End_Date`, `YYYY-MM-DD`.
    pub end: String,
    /// Filters the request applied (`Platform`, `Metric_Type`, …) as they go in
    /// `Report_Filters` (`PR` only).
    pub filters: Map<String, Value>,
    /// Whether `Access_Method` is shown (`PR` only).
    pub show_access_method: bool,
    /// `Exceptions`, each `{Code, Message, Data}`.
    pub exceptions: Vec<Value>,
}

/// A `PR` or `PR_P1` with `counts`: one item per platform, one performance entry per data type
/// (and access method when shown). Counts of other access methods or metrics are left out of
/// `PR_P1`; an entry with a single item metric (the schema asks for two) is left out and named
/// in the second value, so the caller can report the data as partial.
pub fn platform_report(
    kind: ReportKind,
    header: &PlatformHeader,
    counts: &[PlatformCount],
) -> (Value, Vec<String>) {
    let p1 = kind == ReportKind::PrP1;
    let show_method = header.show_access_method && !p1;
    type Entry = BTreeMap<String, BTreeMap<String, u64>>;
    let mut platforms: BTreeMap<&str, BTreeMap<(&str, &str), Entry>> = BTreeMap::new();
    for c in counts {
        if p1 && (c.access_method != "Regular" || !P1_METRICS.contains(&c.metric.as_str())) {
            continue;
        }
        let method = if show_method {
            c.access_method.as_str()
        } else {
            ""
        };
        *platforms
            .entry(c.platform.as_str())
            .or_default()
            .entry((c.data_type.as_str(), method))
            .or_default()
            .entry(c.metric.clone())
            .or_default()
            .entry(c.month.clone())
            .or_default() += c.count;
    }
    let mut left_out = Vec::new();
    let mut items = Vec::new();
    for (platform, entries) in platforms {
        let mut performances = Vec::new();
        for ((data_type, method), metrics) in entries {
            let searches = data_type == "Platform";
            let metrics: Entry = metrics
                .into_iter()
                .filter(|(m, _)| (m == "Searches_Platform") == searches)
                .collect();
            if metrics.is_empty() || (!searches && metrics.len() < 2) {
                if !metrics.is_empty() {
                    left_out.push(format!("{platform} {data_type}"));
                }
                continue;
            }
            let mut entry = Map::new();
            entry.insert("Data_Type".into(), json!(data_type));
            if show_method {
                entry.insert("Access_Method".into(), json!(method));
            }
            entry.insert("Performance".into(), json!(metrics));
            performances.push(Value::Object(entry));
        }
        if !performances.is_empty() {
            items.push(json!({"Platform": platform, "Attribute_Performance": performances}));
        }
    }
    (
        json!({"Report_Header": header_of(kind, header), "Report_Items": items}),
        left_out,
    )
}

fn header_of(kind: ReportKind, h: &PlatformHeader) -> Value {
    let mut filters = Map::new();
    filters.insert("Begin_Date".into(), json!(h.begin));
    filters.insert("End_Date".into(), json!(h.end));
    let mut header = Map::new();
    if kind == ReportKind::PrP1 {
        filters.insert("Access_Method".into(), json!(["Regular"]));
        filters.insert("Metric_Type".into(), json!(P1_METRICS));
        header.insert("Report_Name".into(), json!("Platform Usage"));
    } else {
        filters.extend(h.filters.clone());
        header.insert("Report_Name".into(), json!("Platform Report"));
        let mut attributes = json!({"Granularity": "Month"});
        if h.show_access_method {
            attributes["Attributes_To_Show"] = json!(["Access_Method"]);
        }
        header.insert("Report_Attributes".into(), attributes);
    }
    header.insert("Report_ID".into(), json!(kind.id()));
    header.insert("Release".into(), json!("5.1"));
    header.insert("Institution_Name".into(), json!(h.institution_name));
    header.insert("Institution_ID".into(), json!({"ISIL": [h.isil]}));
    header.insert("Report_Filters".into(), Value::Object(filters));
    header.insert("Created".into(), json!(h.created));
    header.insert("Created_By".into(), json!(h.created_by));
    header.insert("Registry_Record".into(), json!(""));
    if !h.exceptions.is_empty() {
        header.insert("Exceptions".into(), json!(h.exceptions));
    }
    Value::Object(header)
}
