//! The `UsageReports` port: a library's months per product from the monthly roll-up and its
//! cost per use, for the portal's usage page; and vendors' COUNTER reports uploaded in the portal, checked by the
//! same [`Push`] as the API's, with each problem's line in the file.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;
use tilgang_kernel::ports::{
    GroupUsage, NationalUsage, PortError, Prices, ProductCost, ReceivedReport, Refusal,
    ReportProblem, UploadOutcome, UsageMonth, UsageReports,
};
use tilgang_kernel::{Isil, Principal, ProductId};

use crate::domain::UsageError;
use crate::domain::report::{Granularity, Grouping, TotalRow};
use crate::push::Push;
use crate::storage::counter_reports::{self, StoredReport};
use crate::storage::rollups::ReportFilter;

/// Reports from this service's database.
pub struct StoredReports {
    db: DatabaseConnection,
    push: Arc<Push>,
    prices: Arc<dyn Prices>,
}

impl StoredReports {
    /// Reports from `db`; uploads taken by `push`; what was paid from `prices`.
    pub fn new(db: &DatabaseConnection, push: Arc<Push>, prices: Arc<dyn Prices>) -> Self {
        Self {
            db: db.clone(),
            push,
            prices,
        }
    }
}

fn received(r: StoredReport) -> ReceivedReport {
    ReceivedReport {
        id: r.id,
        product: ProductId(r.product),
        isil: r.isil,
        kind: r.kind,
        begin: r.begin,
        end: r.end,
        rows: r.rows,
        received_at: r.received_at,
        replaced_at: r.replaced_at,
    }
}

/// A problem at `pointer` in `text`, on its line.
fn problem(text: &str, pointer: String, code: &str, message: String) -> ReportProblem {
    ReportProblem {
        line: tilgang_counter::line_of(text, &pointer),
        pointer,
        code: code.to_owned(),
        message,
    }
}

/// What became of `text`, or why the caller may not upload it.
fn outcome(
    text: &str,
    result: Result<crate::push::Accepted, UsageError>,
) -> Result<Result<UploadOutcome, Refusal>, PortError> {
    let problems = match result {
        Ok(accepted) => {
            return Ok(Ok(UploadOutcome::Stored {
                replaced: accepted.replaced.is_some(),
                report: received(accepted.report),
            }));
        }
        Err(UsageError::CounterInvalid(found)) => found
            .into_iter()
            .map(|p| problem(text, p.pointer, "counter_invalid", p.message))
            .collect(),
        Err(UsageError::Refused {
            pointer,
            code,
            reason,
        }) => vec![problem(text, pointer, code, reason)],
        Err(UsageError::Invalid { code, reason, .. }) => {
            let line = serde_json::from_str::<serde_json::Value>(text)
                .err()
                .map(|e| e.line());
            vec![ReportProblem {
                line,
                pointer: String::new(),
                code: code.to_owned(),
                message: reason,
            }]
        }
        Err(e @ (UsageError::Unavailable(_) | UsageError::Storage(_))) => {
            return Err(PortError::new("usage", e));
        }
        Err(e) => return Ok(Err(refusal(&e))),
    };
    let mut problems: Vec<ReportProblem> = problems;
    problems.sort_by_key(|p| p.line);
    Ok(Ok(UploadOutcome::Refused(problems)))
}

/// The months of `rows` added up per group; a group's libraries are those of its busiest month.
fn per_group(rows: Vec<TotalRow>) -> Vec<GroupUsage> {
    let mut groups: std::collections::BTreeMap<String, GroupUsage> = Default::default();
    for r in rows {
        let g = groups.entry(r.group.clone()).or_insert_with(|| GroupUsage {
            group: r.group.clone(),
            libraries: 0,
            logins: 0,
            sessions: 0,
            turnaways: 0,
        });
        g.libraries = g.libraries.max(r.libraries);
        g.logins += r.logins;
        g.sessions += r.sessions;
        g.turnaways += r.turnaways;
    }
    groups.into_values().collect()
}

/// Every product of one library from `from` to `to`.
fn library_filter(isil: &Isil, from: NaiveDate, to: NaiveDate) -> ReportFilter {
    ReportFilter {
        isil_keys: Some(vec![isil.key()]),
        vendor: None,
        product: None,
        from,
        to,
    }
}

fn refusal(e: &UsageError) -> Refusal {
    Refusal {
        code: e.code().to_owned(),
        message: e.to_string(),
        field: None,
    }
}

#[async_trait]
impl UsageReports for StoredReports {
    async fn months(
        &self,
        isil: &Isil,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<UsageMonth>, PortError> {
        let filter = library_filter(isil, from, to);
        let rows = crate::report::hub(&self.db, &filter, Granularity::Month)
            .await
            .map_err(|e| PortError::new("usage", e))?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(UsageMonth {
                    month: r.period,
                    product: r.product?,
                    sessions: r.sessions,
                    turnaways: r.turnaways,
                    unique_users: r.unique_users,
                })
            })
            .collect())
    }

    async fn costs(
        &self,
        isil: &Isil,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ProductCost>, PortError> {
        let filter = library_filter(isil, from, to);
        let rows = crate::cost::cost_per_use(&self.db, &*self.prices, &filter)
            .await
            .map_err(|e| PortError::new("usage", e))?;
        Ok(rows
            .into_iter()
            .flat_map(|row| {
                let product = row.product;
                row.paid
                    .into_iter()
                    .map(move |paid| ProductCost { product, paid })
            })
            .collect())
    }

    async fn upload(
        &self,
        caller: &Principal,
        product: &str,
        text: String,
    ) -> Result<Result<UploadOutcome, Refusal>, PortError> {
        if caller.own_vendor().is_none() {
            return Ok(Err(refusal(&UsageError::Forbidden(
                "reports are uploaded by vendors' staff".into(),
            ))));
        }
        let result = self.push.receive(caller, product, text.as_bytes()).await;
        outcome(&text, result)
    }

    async fn national(
        &self,
        caller: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Result<NationalUsage, Refusal>, PortError> {
        if !caller.acts_for_all() {
            return Ok(Err(refusal(&UsageError::Forbidden(
                "national statistics are the consortium's".into(),
            ))));
        }
        let filter = ReportFilter {
            isil_keys: None,
            vendor: None,
            product: None,
            from,
            to,
        };
        let counted = async {
            let directory = &*self.push.directory;
            let month = Granularity::Month;
            let totals = |by| crate::report::totals(&self.db, directory, &filter, month, by);
            let countries = per_group(totals(Grouping::Country).await?);
            let regions = per_group(totals(Grouping::Region).await?);
            let mut products: std::collections::HashMap<
                ProductId,
                (GroupUsage, std::collections::HashSet<String>),
            > = Default::default();
            for r in crate::report::hub(&self.db, &filter, month).await? {
                let Some(product) = r.product else { continue };
                let (g, libraries) = products.entry(product).or_insert_with(|| {
                    let group = GroupUsage {
                        group: product.0.to_string(),
                        libraries: 0,
                        logins: 0,
                        sessions: 0,
                        turnaways: 0,
                    };
                    (group, Default::default())
                });
                g.sessions += r.sessions;
                g.turnaways += r.turnaways;
                libraries.insert(r.isil);
            }
            let mut products: Vec<(ProductId, GroupUsage)> = products
                .into_iter()
                .map(|(id, (mut g, libraries))| {
                    g.libraries = i64::try_from(libraries.len()).unwrap_or(i64::MAX);
                    (id, g)
                })
                .collect();
            products.sort_by(|a, b| {
                b.1.sessions
                    .cmp(&a.1.sessions)
                    .then(a.1.group.cmp(&b.1.group))
            });
            Ok::<_, UsageError>(NationalUsage {
                countries,
                regions,
                products,
            })
        };
        match counted.await {
            Ok(usage) => Ok(Ok(usage)),
            Err(e) => Err(PortError::new("usage", e)),
        }
    }

    async fn received(
        &self,
        caller: &Principal,
        limit: u64,
    ) -> Result<Result<Vec<ReceivedReport>, Refusal>, PortError> {
        let Some(vendor) = caller.own_vendor() else {
            return Ok(Err(refusal(&UsageError::Forbidden(
                "a vendor's reports are its own staff's to see".into(),
            ))));
        };
        match counter_reports::list(&self.db, None, Some(vendor.0), Some(limit)).await {
            Ok(newest) => Ok(Ok(newest.into_iter().map(received).collect())),
            Err(e) => Err(PortError::new("usage", e)),
        }
    }
}
