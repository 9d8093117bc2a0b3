//! `usage`'s ports over HTTP: the library's monthly report and cost per use, vendors' uploaded
//! reports and the national statistics. (Access events do not go over HTTP: they travel on a Redis stream, see
//! `tilgang_store::stream`.)

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::Value;
use tilgang_isil::Isil;

use super::{CallError, Dispatch, Peer, answer, arguments};
use crate::ports::{
    NationalUsage, PortError, ProductCost, ReceivedReport, Refusal, UploadOutcome, UsageMonth,
    UsageReports,
};
use crate::principal::Principal;

/// `usage` in another process.
#[derive(Clone)]
pub struct UsageClient(pub Peer);

#[async_trait]
impl UsageReports for UsageClient {
    async fn months(
        &self,
        isil: &Isil,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<UsageMonth>, PortError> {
        self.0.call("reports", "months", &(isil, from, to)).await
    }
    async fn costs(
        &self,
        isil: &Isil,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ProductCost>, PortError> {
        self.0.call("reports", "costs", &(isil, from, to)).await
    }
    async fn upload(
        &self,
        caller: &Principal,
        product: &str,
        text: String,
    ) -> Result<Result<UploadOutcome, Refusal>, PortError> {
        let args = (caller, product, text);
        let within = super::FILE_CALL_TIMEOUT;
        self.0.call_within(within, "reports", "upload", &args).await
    }
    async fn received(
        &self,
        caller: &Principal,
        limit: u64,
    ) -> Result<Result<Vec<ReceivedReport>, Refusal>, PortError> {
        self.0.call("reports", "received", &(caller, limit)).await
    }
    async fn national(
        &self,
        caller: &Principal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Result<NationalUsage, Refusal>, PortError> {
        let args = (caller, from, to);
        self.0.call("reports", "national", &args).await
    }
}

/// Answers [`UsageReports`] calls.
pub struct ReportsServer(pub Arc<dyn UsageReports>);

#[async_trait]
impl Dispatch for ReportsServer {
    fn port(&self) -> &'static str {
        "reports"
    }
    async fn call(&self, method: &str, args: Value) -> Result<Value, CallError> {
        match method {
            "months" => {
                let (isil, from, to): (Isil, NaiveDate, NaiveDate) = arguments(args)?;
                answer(self.0.months(&isil, from, to).await)
            }
            "costs" => {
                let (isil, from, to): (Isil, NaiveDate, NaiveDate) = arguments(args)?;
                answer(self.0.costs(&isil, from, to).await)
            }
            "upload" => {
                let (caller, product, text): (Principal, String, String) = arguments(args)?;
                answer(self.0.upload(&caller, &product, text).await)
            }
            "received" => {
                let (caller, limit): (Principal, u64) = arguments(args)?;
                answer(self.0.received(&caller, limit).await)
            }
            "national" => {
                let (caller, from, to): (Principal, NaiveDate, NaiveDate) = arguments(args)?;
                answer(self.0.national(&caller, from, to).await)
            }
            other => Err(CallError::UnknownMethod(other.to_owned())),
        }
    }
}
