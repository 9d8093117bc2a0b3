//! What a COUNTER API request asks for: the customer, the months and the filters, checked
//! as COUNTER API 5.1 says (missing dates are 1030, bad ones 3020; a bad filter or attribute
//! value is named in the report's exceptions and otherwise ignored).

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde_json::{Map, Value, json};
use tilgang_counter::{DATA_TYPES, ITEM_METRICS, ReportKind};

use super::exception::Exception;

/// The parameters every request may carry besides a report's own.
const COMMON: [&str; 4] = ["customer_id", "requestor_id", "api_key", "platform"];

/// The parameters `/reports/pr` takes besides [`COMMON`].
const PR_PARAMETERS: [&str; 10] = [
    "begin_date",
    "end_date",
    "metric_type",
    "data_type",
    "access_method",
    "attributes_to_show",
    "granularity",
    "attributed",
    "country_code",
    "subdivision_code",
];

/// A platform report request, checked.
#[derive(Debug, Clone)]
pub struct PlatformRequest {
    /// The first month's first day.
    pub begin: NaiveDate,
    /// The last month's last day.
    pub end: NaiveDate,
    /// Only this platform (any case).
    pub platform: Option<String>,
    /// Only these metrics.
    pub metrics: Option<Vec<String>>,
    /// Only these data types.
    pub data_types: Option<Vec<String>>,
    /// Only these access methods.
    pub access_methods: Option<Vec<String>>,
    /// Whether `Access_Method` is shown.
    pub show_access_method: bool,
    /// The filters as they go in the header's `Report_Filters`.
    pub filters: Map<String, Value>,
    /// Exceptions to list in the header.
    pub exceptions: Vec<Exception>,
}

impl PlatformRequest {
    /// Reads `query` for a report of `kind`.
    pub fn read(kind: ReportKind, query: &HashMap<String, String>) -> Result<Self, Exception> {
        let (begin, end) = period(query)?;
        let mut request = Self {
            begin,
            end,
            platform: given(query, "platform").map(str::to_owned),
            metrics: None,
            data_types: None,
            access_methods: None,
            show_access_method: false,
            filters: Map::new(),
            exceptions: Vec::new(),
        };
        if let Some(platform) = &request.platform {
            request.filters.insert("Platform".into(), json!(platform));
        }
        let known: Vec<&str> = match kind {
            ReportKind::PrP1 => COMMON.iter().chain(&PR_PARAMETERS[..2]).copied().collect(),
            _ => COMMON.iter().chain(&PR_PARAMETERS).copied().collect(),
        };
        let mut unknown: Vec<&str> = query
            .keys()
            .map(String::as_str)
            .filter(|k| !known.contains(k))
            .collect();
        unknown.sort_unstable();
        for name in unknown {
            request
                .exceptions
                .push(Exception::new(3050, format!("{name} is not taken here")));
        }
        if kind == ReportKind::Pr {
            request.read_pr_options(query);
        }
        Ok(request)
    }

    fn read_pr_options(&mut self, query: &HashMap<String, String>) {
        let searches = ["Searches_Platform"];
        let metrics: Vec<&str> = searches.iter().chain(&ITEM_METRICS).copied().collect();
        self.metrics = self.filter(query, "metric_type", "Metric_Type", &metrics);
        self.data_types = self.filter(query, "data_type", "Data_Type", &DATA_TYPES);
        self.access_methods =
            self.filter(query, "access_method", "Access_Method", &["Regular", "TDM"]);
        for attribute in list(query, "attributes_to_show") {
            if attribute == "Access_Method" {
                self.show_access_method = true;
            } else {
                self.exceptions.push(Exception::new(
                    3062,
                    format!("attributes_to_show: {attribute} is not shown by this hub"),
                ));
            }
        }
        if let Some(granularity) = given(query, "granularity").filter(|g| *g != "Month") {
            self.exceptions.push(Exception::new(
                3062,
                format!("granularity: {granularity} is not offered; counts are per month"),
            ));
        }
    }

    /// A `|`-separated filter whose values must be among `allowed`; bad values are listed as
    /// exception 3060 and the filter is ignored.
    fn filter(
        &mut self,
        query: &HashMap<String, String>,
        parameter: &str,
        name: &str,
        allowed: &[&str],
    ) -> Option<Vec<String>> {
        let values = list(query, parameter);
        if values.is_empty() {
            return None;
        }
        if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
            self.exceptions.push(Exception::new(
                3060,
                format!("{parameter}: {bad} is not a value"),
            ));
            return None;
        }
        self.filters.insert(name.into(), json!(values));
        Some(values)
    }

    /// Whether a count passes the filters.
    pub fn keeps(&self, platform: &str, data_type: &str, method: &str, metric: &str) -> bool {
        let within =
            |f: &Option<Vec<String>>, v: &str| f.as_ref().is_none_or(|f| f.iter().any(|x| x == v));
        self.platform
            .as_ref()
            .is_none_or(|p| p.eq_ignore_ascii_case(platform))
            && within(&self.metrics, metric)
            && within(&self.data_types, data_type)
            && within(&self.access_methods, method)
    }
}

/// A parameter's value, when given and not empty.
pub fn given<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn list(query: &HashMap<String, String>, name: &str) -> Vec<String> {
    given(query, name)
        .map(|v| {
            v.split('|')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `begin_date` and `end_date` (`YYYY-MM` or `YYYY-MM-DD`) as the first day of the first
/// month and the last day of the last.
fn period(query: &HashMap<String, String>) -> Result<(NaiveDate, NaiveDate), Exception> {
    let (Some(begin), Some(end)) = (given(query, "begin_date"), given(query, "end_date")) else {
        return Err(Exception::new(1030, "begin_date and end_date are required"));
    };
    let month = |text: &str| {
        NaiveDate::parse_from_str(&format!("{}-01", text.get(..7).unwrap_or(text)), "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 7 || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok())
    };
    let (Some(first), Some(last)) = (month(begin), month(end)) else {
        return Err(Exception::new(
            3020,
            "dates are written YYYY-MM or YYYY-MM-DD",
        ));
    };
    if first > last {
        return Err(Exception::new(3020, "begin_date is after end_date"));
    }
    let end = last
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .ok_or_else(|| Exception::new(3020, "end_date is out of range"))?;
    Ok((first, end))
}
