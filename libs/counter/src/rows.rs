//! What a valid report says: its header, and its usage as one row per item, attribute set,
//! metric and month (the shape every report kind shares once its nesting is undone).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::ReportKind;

/// A report's header, as far as the hub uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// The kind.
    pub kind: ReportKind,
    /// `Created_By`.
    pub created_by: String,
    /// The institution's identifiers as (type, value), such as `("ISIL", "NO-2030000")`.
    pub institution_ids: Vec<(String, String)>,
    /// First day of the reporting period.
    pub begin: NaiveDate,
    /// Last day of the reporting period.
    pub end: NaiveDate,
}

/// One number of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageRow {
    /// The platform.
    pub platform: String,
    /// The database, title or item counted (none in platform reports).
    pub name: Option<String>,
    /// The title an item belongs to (item reports).
    pub parent: Option<String>,
    /// `Data_Type`, when shown.
    pub data_type: Option<String>,
    /// `Access_Type`, when shown.
    pub access_type: Option<String>,
    /// `Access_Method`, when shown.
    pub access_method: Option<String>,
    /// `YOP`, when shown.
    pub yop: Option<String>,
    /// The metric, such as `Unique_Item_Requests`.
    pub metric: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The count.
    pub count: u64,
}

/// The header of a report that passed [`crate::validate`]; `None` if it lacks what the hub
/// needs (a kind it takes, and a reporting period).
pub fn header(report: &Value) -> Option<Header> {
    let h = report.get("Report_Header")?;
    let kind = ReportKind::parse(h.get("Report_ID")?.as_str()?)?;
    let filters = h.get("Report_Filters")?;
    let institution_ids = h
        .get("Institution_ID")
        .and_then(Value::as_object)
        .map(|ids| {
            ids.iter()
                .flat_map(|(kind, values)| {
                    let values: Vec<String> = match values {
                        Value::Array(list) => list
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect(),
                        Value::String(one) => vec![one.clone()],
                        _ => Vec::new(),
                    };
                    values.into_iter().map(move |v| (kind.clone(), v))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Header {
        kind,
        created_by: text(h, "Created_By").unwrap_or_default(),
        institution_ids,
        begin: day(filters.get("Begin_Date")?.as_str()?, false)?,
        end: day(filters.get("End_Date")?.as_str()?, true)?,
    })
}

/// `YYYY-MM-DD`, or `YYYY-MM` meaning its first (or, for an end, last) day.
fn day(text: &str, end: bool) -> Option<NaiveDate> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(day);
    }
    let first = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok()?;
    if !end {
        return Some(first);
    }
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
}

/// Every number of a report that passed [`crate::validate`], item by item.
pub fn rows(report: &Value) -> Vec<UsageRow> {
    let mut out = Vec::new();
    for item in report
        .get("Report_Items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk(item, &Context::default(), &mut out);
    }
    out
}

/// What an item and its parents say about the numbers below them.
#[derive(Debug, Clone, Default)]
struct Context {
    platform: Option<String>,
    name: Option<String>,
    parent: Option<String>,
    data_type: Option<String>,
    access_type: Option<String>,
    access_method: Option<String>,
    yop: Option<String>,
}

impl Context {
    /// This context with what `value` adds.
    fn with(&self, value: &Value) -> Self {
        let mut next = self.clone();
        let set = |slot: &mut Option<String>, key: &str| {
            if let Some(v) = text(value, key) {
                *slot = Some(v);
            }
        };
        set(&mut next.platform, "Platform");
        for key in ["Database", "Title", "Item"] {
            set(&mut next.name, key);
        }
        set(&mut next.data_type, "Data_Type");
        set(&mut next.access_type, "Access_Type");
        set(&mut next.access_method, "Access_Method");
        set(&mut next.yop, "YOP");
        next
    }
}

fn walk(item: &Value, above: &Context, out: &mut Vec<UsageRow>) {
    let here = above.with(item);
    if let Some(children) = item.get("Items").and_then(Value::as_array) {
        let mut under = here.clone();
        under.parent = here.name.clone();
        under.name = None;
        for child in children {
            walk(child, &under, out);
        }
    }
    for attributes in item
        .get("Attribute_Performance")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let set = here.with(attributes);
        let Some(performance) = attributes.get("Performance").and_then(Value::as_object) else {
            continue;
        };
        for (metric, months) in performance {
            for (month, count) in months.as_object().into_iter().flatten() {
                out.push(UsageRow {
                    platform: set.platform.clone().unwrap_or_default(),
                    name: set.name.clone(),
                    parent: set.parent.clone(),
                    data_type: set.data_type.clone(),
                    access_type: set.access_type.clone(),
                    access_method: set.access_method.clone(),
                    yop: set.yop.clone(),
                    metric: metric.clone(),
                    month: month.clone(),
                    count: count.as_u64().unwrap_or(0),
                });
            }
        }
    }
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}
