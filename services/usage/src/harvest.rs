//! The harvester: asks each library's account at each product's COUNTER API (the product's
//! `sushi_url` in the register, https outside development) for each month's
//! Platform Report, from the account's first month to the last complete one, and stores what
//! it gets through the same checks as a pushed report. Each month is claimed with a lease, so
//! replicas never ask twice at once; what each answer means is in [`crate::domain::harvest`].
//! Every attempt is logged (`GET /api/v1/usage/harvest/log`); no API key reaches the log or
//! the service's own log lines.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Datelike, Duration};
use serde_json::Value;
use tilgang_kernel::secrets::Sealer;
use tilgang_kernel::{Isil, ProductId};

use crate::domain::UsageError;
use crate::domain::harvest::{Outcome, classify};
use crate::domain::time::{day_of, months};
use crate::push::Push;
use crate::storage::harvests::{self, Account, Due, LogEntry};

/// Months asked for per run.
const BATCH: u64 = 50;

/// How long a claimed month is this process's.
const LEASE: Duration = Duration::minutes(5);

/// How long the vendor has to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(60);

/// The largest report taken (as for pushed ones).
const MOST_BYTES: usize = 32 * 1024 * 1024;

/// What an attempt came to: the outcome, HTTP status, exception code, what happened, and the
/// server's `Retry-After` in seconds.
type Answer = (Outcome, Option<i32>, Option<i32>, String, Option<u64>);

/// Harvests vendors' COUNTER APIs.
pub struct Harvester {
    push: Arc<Push>,
    sealer: Sealer,
    client: reqwest::Client,
    allow_http: bool,
}

/// Whether the hub asks a COUNTER API at `url`: https, or http where allowed (development).
pub fn usable(url: &str, allow_http: bool) -> bool {
    url.starts_with("https://") || (allow_http && url.starts_with("http://"))
}

impl Harvester {
    /// A harvester storing through `push`, opening API keys with `sealer`; plain http APIs
    /// only when `allow_http`.
    pub fn new(push: Arc<Push>, sealer: Sealer, allow_http: bool) -> Self {
        let client = tilgang_web::tls::client()
            .timeout(TIMEOUT)
            .user_agent("Tilgang COUNTER harvester")
            .build()
            .expect("the HTTP client builds");
        Self {
            push,
            sealer,
            client,
            allow_http,
        }
    }

    /// Plans the months now due and asks for those whose time has come; returns how many
    /// were asked for.
    pub async fn run_once(&self) -> Result<usize, UsageError> {
        let db = &self.push.db;
        let now = self.push.clock.now();
        let accounts = harvests::accounts(db, None, None, None).await?;
        let mut sources: HashMap<uuid::Uuid, String> = HashMap::new();
        for account in &accounts {
            if let Entry::Vacant(slot) = sources.entry(account.product) {
                let url = self
                    .product(account.product)
                    .await
                    .and_then(|p| p.sushi_url);
                if let Some(url) = url.filter(|u| usable(u, self.allow_http)) {
                    slot.insert(url);
                }
            }
        }
        let today = day_of(now);
        let last = today
            .with_day(1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(today);
        for account in accounts.iter().filter(|a| sources.contains_key(&a.product)) {
            let Some(first) = chrono::NaiveDate::parse_from_str(
                &format!("{}-01", account.harvest_from),
                "%Y-%m-%d",
            )
            .ok()
            .filter(|first| *first <= last) else {
                continue;
            };
            let key = account.isil.to_ascii_lowercase();
            harvests::plan(db, account.product, &key, months(first, last), now).await?;
        }
        let mut asked = 0;
        for due in harvests::due(db, now, BATCH).await? {
            let lease = now + LEASE;
            if !harvests::claim(db, &due, lease).await? {
                continue;
            }
            let Some(account) = accounts.iter().find(|a| {
                a.product == due.product_id && a.isil.eq_ignore_ascii_case(&due.isil_key)
            }) else {
                continue;
            };
            let answer = match sources.get(&due.product_id) {
                Some(source) => self.ask(&due, account, source).await,
                None => (
                    Outcome::Error,
                    None,
                    None,
                    "the product has no https COUNTER API in the register".into(),
                    None,
                ),
            };
            let entry = self.entry(&due, account, answer);
            if harvests::record(db, &due, lease, &entry).await? {
                asked += 1;
            }
        }
        Ok(asked)
    }

    /// The log entry of an attempt that came to `answer`.
    fn entry(&self, due: &Due, account: &Account, answer: Answer) -> LogEntry {
        let (outcome, http_status, exception, message, retry_after) = answer;
        let at = self.push.clock.now();
        LogEntry {
            product: due.product_id,
            vendor: account.vendor,
            isil: account.isil.clone(),
            month: due.month.clone(),
            at,
            outcome,
            http_status,
            exception,
            message,
            next_at: outcome
                .wait(due.attempts + 1, retry_after)
                .map(|wait| at + wait),
        }
    }

    /// Asks for the month and stores the report: the outcome, HTTP status, exception code,
    /// what happened and the server's `Retry-After`.
    async fn ask(&self, due: &Due, account: &Account, base: &str) -> Answer {
        let base = base.trim_end_matches('/');
        let url = if base.ends_with("/r51") {
            format!("{base}/reports/pr")
        } else {
            format!("{base}/r51/reports/pr")
        };
        let mut query = vec![
            ("customer_id", account.customer_id.clone()),
            ("begin_date", due.month.clone()),
            ("end_date", due.month.clone()),
        ];
        if let Some(requestor) = &account.requestor_id {
            query.push(("requestor_id", requestor.clone()));
        }
        if let Some(platform) = &account.platform {
            query.push(("platform", platform.clone()));
        }
        if let Some(sealed) = &account.api_key_sealed {
            match self
                .sealer
                .open_text(sealed, &context(due.product_id, &account.isil))
            {
                Ok(key) => query.push(("api_key", key)),
                Err(_) => {
                    return (
                        Outcome::Error,
                        None,
                        None,
                        "the stored API key cannot be opened; set the account again".into(),
                        None,
                    );
                }
            }
        }
        let Ok(url) = reqwest::Url::parse_with_params(&url, &query) else {
            return (
                Outcome::Error,
                None,
                None,
                "the API's URL is not valid".into(),
                None,
            );
        };
        let response = match self.client.get(url).send().await {
            Ok(response) => response,
            Err(e) => {
                let e = e.without_url();
                return (Outcome::Error, None, None, format!("no answer: {e}"), None);
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = match response.bytes().await {
            Ok(body) if body.len() <= MOST_BYTES => body,
            Ok(_) => {
                return (
                    Outcome::Error,
                    Some(status.into()),
                    None,
                    "the report is over 32 MiB".into(),
                    None,
                );
            }
            Err(e) => {
                return (
                    Outcome::Error,
                    Some(status.into()),
                    None,
                    format!("the answer broke off: {}", e.without_url()),
                    retry_after,
                );
            }
        };
        let value: Option<Value> = serde_json::from_slice(&body).ok();
        let codes = value.as_ref().map(exceptions).unwrap_or_default();
        let first = codes.first().map(|c| i32::from(*c));
        if let Some(outcome) = classify(status, &codes) {
            let said = value
                .as_ref()
                .and_then(described)
                .unwrap_or_else(|| format!("HTTP {status}"));
            return (outcome, Some(status.into()), first, said, retry_after);
        }
        let Some(report) = value else {
            return (
                Outcome::Error,
                Some(status.into()),
                None,
                "the answer is not JSON".into(),
                None,
            );
        };
        let Some(product) = self.product(due.product_id).await else {
            return (
                Outcome::Error,
                Some(status.into()),
                first,
                "the product is not in the catalogue".into(),
                None,
            );
        };
        let isil = Isil::parse(&account.isil).ok();
        match self
            .push
            .accept(
                &product,
                isil.as_ref(),
                &report,
                &String::from_utf8_lossy(&body),
            )
            .await
        {
            Ok(accepted) => (
                Outcome::Harvested,
                Some(status.into()),
                first,
                format!(
                    "stored {} report with {} rows",
                    accepted.report.kind, accepted.report.rows
                ),
                None,
            ),
            Err(e) => (
                Outcome::Error,
                Some(status.into()),
                first,
                format!("the report was refused: {e}"),
                None,
            ),
        }
    }

    async fn product(&self, id: uuid::Uuid) -> Option<tilgang_kernel::ports::ProductSummary> {
        self.push
            .catalogue
            .product(ProductId(id))
            .await
            .ok()
            .flatten()
    }
}

/// The sealing context of an account's API key.
pub fn context(product: uuid::Uuid, isil: &str) -> String {
    format!("usage harvest {product} {}", isil.to_ascii_lowercase())
}

/// The COUNTER exception codes in an answer: a bare exception, a list of them, or a report
/// header's.
fn exceptions(value: &Value) -> Vec<u16> {
    let code = |e: &Value| {
        e.get("Code")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
    };
    if let Some(c) = code(value) {
        return vec![c];
    }
    let list = value
        .pointer("/Report_Header/Exceptions")
        .or_else(|| value.get("Exceptions"))
        .or(Some(value));
    list.and_then(Value::as_array)
        .map(|all| all.iter().filter_map(code).collect())
        .unwrap_or_default()
}

/// The first exception's message and data, in words.
fn described(value: &Value) -> Option<String> {
    let e = if value.get("Code").is_some() {
        value
    } else {
        value
            .pointer("/Report_Header/Exceptions/0")
            .or_else(|| value.pointer("/Exceptions/0"))
            .or_else(|| value.get(0))?
    };
    let message = e.get("Message").and_then(Value::as_str).unwrap_or("");
    let data = e.get("Data").and_then(Value::as_str).unwrap_or("");
    let code = e.get("Code")?;
    Some(
        format!("{code} {message} {data}")
            .trim()
            .chars()
            .take(500)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_apis_are_asked_outside_development() {
        assert!(usable("https://counter.nordlys.example/", false));
        assert!(!usable("http://counter.nordlys.example/", false));
        assert!(usable("http://127.0.0.1:8081/", true));
        assert!(!usable("ftp://counter.nordlys.example/", true));
    }

    #[test]
    fn exceptions_are_found_bare_listed_or_in_a_header() {
        let bare = serde_json::json!({"Code": 2020, "Message": "APIKey Invalid"});
        assert_eq!(exceptions(&bare), [2020]);
        let listed = serde_json::json!([{"Code": 1011}, {"Code": 3040}]);
        assert_eq!(exceptions(&listed), [1011, 3040]);
        let header = serde_json::json!({"Report_Header": {"Exceptions": [{"Code": 3031}]}});
        assert_eq!(exceptions(&header), [3031]);
        assert_eq!(described(&header).as_deref(), Some("3031"));
        let full = serde_json::json!({"Code": 3030, "Message": "No Usage", "Data": "2026-10"});
        assert_eq!(described(&full).as_deref(), Some("3030 No Usage 2026-10"));
    }
}
