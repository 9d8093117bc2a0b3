//! Vendors' COUNTER reports pushed to the hub: checked against the COUNTER 5.1 schema and the
//! register before anything is stored. Refused: another vendor's product, a report that is not
//! valid COUNTER 5.1, an institution that is not a registered ISIL, a library without access
//! to the product in the period, a period that has not ended. A report for a period already
//! sent replaces the earlier one, which is kept for audit.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use tilgang_kernel::ports::{Catalogue, Entitlements, LibraryDirectory};
use tilgang_kernel::{Clock, Isil, Principal};
use uuid::Uuid;

use crate::domain::UsageError;
use crate::domain::time::day_of;
use crate::storage::counter_reports::{self, StoredReport};
use crate::storage::institutions;

/// Takes pushed reports.
pub struct Push {
    /// The service's database.
    pub db: sea_orm::DatabaseConnection,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The register of libraries.
    pub directory: Arc<dyn LibraryDirectory>,
    /// The product catalogue.
    pub catalogue: Arc<dyn Catalogue>,
    /// Who may use what when.
    pub entitlements: Arc<dyn Entitlements>,
}

/// What was stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// The report.
    #[serde(flatten)]
    pub report: StoredReport,
    /// The report for the same period it replaced, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub replaced: Option<Uuid>,
}

impl Push {
    /// Checks and stores a report the caller sends for `product` (id or slug).
    pub async fn receive(
        &self,
        caller: &Principal,
        product: &str,
        body: &[u8],
    ) -> Result<Accepted, UsageError> {
        let product = self.product(product).await?;
        if !caller.acts_for_vendor(product.vendor) {
            return Err(UsageError::Forbidden(
                "a vendor sends reports for its own products only".into(),
            ));
        }
        let report: Value = serde_json::from_slice(body).map_err(|e| {
            UsageError::invalid(
                "body",
                "json_invalid",
                format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
            )
        })?;
        self.accept(&product, None, &report, &String::from_utf8_lossy(body))
            .await
    }

    /// The product with this id or slug.
    pub async fn product(
        &self,
        key: &str,
    ) -> Result<tilgang_kernel::ports::ProductSummary, UsageError> {
        match key.parse::<Uuid>() {
            Ok(id) => self.catalogue.product(tilgang_kernel::ProductId(id)).await,
            Err(_) => self.catalogue.product_by_slug(key).await,
        }
        .map_err(UsageError::unavailable)?
        .ok_or_else(|| UsageError::NotFound("product_not_found", format!("no product {key}")))
    }

    /// Checks and stores a report of `product`, about the library `isil` when the hub knows
    /// whom it asked for (a harvest), or else the one its `Institution_ID` names.
    pub async fn accept(
        &self,
        product: &tilgang_kernel::ports::ProductSummary,
        isil: Option<&Isil>,
        report: &Value,
        body: &str,
    ) -> Result<Accepted, UsageError> {
        tilgang_counter::validate(report).map_err(UsageError::CounterInvalid)?;
        let header = tilgang_counter::header(report).ok_or_else(|| {
            UsageError::refused(
                "/Report_Header",
                "header_unusable",
                "the header has no reporting period",
            )
        })?;
        let institution = "/Report_Header/Institution_ID";
        let library = match isil {
            Some(isil) => self.library(isil, institution).await?,
            None => self.institution(product.vendor.0, &header).await?,
        };
        let now = self.clock.now();
        if header.end > day_of(now) {
            return Err(UsageError::refused(
                "/Report_Header/Report_Filters/End_Date",
                "period_in_future",
                format!("the period ends on {}, after today", header.end),
            ));
        }
        if !self
            .had_access(&library.isil, product.id, header.begin, header.end)
            .await?
        {
            return Err(UsageError::refused(
                institution,
                "no_access",
                format!(
                    "{} had no access to {} from {} to {}",
                    library.isil, product.slug, header.begin, header.end
                ),
            ));
        }
        let rows = tilgang_counter::rows(report);
        let stored = StoredReport {
            id: Uuid::now_v7(),
            vendor: product.vendor.0,
            product: product.id.0,
            isil: library.isil.as_str().to_owned(),
            kind: header.kind.id().to_owned(),
            begin: header.begin,
            end: header.end,
            received_at: now,
            replaced_at: None,
            rows: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        };
        let tx = tilgang_store::write(&self.db).await?;
        let replaced = counter_reports::insert(&tx, &stored, body, &rows).await?;
        tx.commit().await?;
        Ok(Accepted {
            report: stored,
            replaced,
        })
    }

    /// The library a report is about: its ISIL in `Institution_ID`, or else a `Proprietary` id
    /// the vendor has mapped to an ISIL (`PUT /api/v1/usage/institutions/{id}`).
    async fn institution(
        &self,
        vendor: Uuid,
        header: &tilgang_counter::Header,
    ) -> Result<tilgang_kernel::ports::LibrarySummary, UsageError> {
        let base = "/Report_Header/Institution_ID";
        let isil_given = header
            .institution_ids
            .iter()
            .find(|(kind, _)| kind == "ISIL");
        let (text, pointer) = match isil_given {
            Some((_, text)) => (text.clone(), format!("{base}/ISIL/0")),
            None => {
                let proprietary = header
                    .institution_ids
                    .iter()
                    .find(|(kind, _)| kind == "Proprietary")
                    .ok_or_else(|| {
                        UsageError::refused(base, "institution_without_isil", "Institution_ID carries neither an ISIL nor an id of yours mapped to one")
                    })?;
                let pointer = format!("{base}/Proprietary/0");
                let isil = institutions::isil_of(&self.db, vendor, &proprietary.1)
                    .await?
                    .ok_or_else(|| {
                        UsageError::refused(&pointer, "institution_unknown", format!("{} is not mapped to an ISIL; map it with PUT /api/v1/usage/institutions/{{id}}", proprietary.1))
                    })?;
                (isil, pointer)
            }
        };
        let isil = Isil::parse(&text)
            .map_err(|e| UsageError::refused(&pointer, "isil_invalid", format!("{text}: {e}")))?;
        self.library(&isil, &pointer).await
    }

    /// The registered library with this ISIL; refused at `pointer` if there is none.
    async fn library(
        &self,
        isil: &Isil,
        pointer: &str,
    ) -> Result<tilgang_kernel::ports::LibrarySummary, UsageError> {
        self.directory
            .library(isil)
            .await
            .map_err(UsageError::unavailable)?
            .ok_or_else(|| {
                UsageError::refused(
                    pointer,
                    "library_unknown",
                    format!("no library with ISIL {isil} is registered"),
                )
            })
    }

    /// Maps a vendor's own id for a library to the library's ISIL (the vendor itself, or
    /// consortium admins naming the vendor).
    pub async fn map_institution(
        &self,
        caller: &Principal,
        vendor: Option<tilgang_kernel::VendorId>,
        proprietary: &str,
        isil: &str,
    ) -> Result<institutions::Mapping, UsageError> {
        let vendor = acting_vendor(caller, vendor)?;
        let proprietary = proprietary.trim();
        if proprietary.is_empty() || proprietary.chars().count() > 200 {
            return Err(UsageError::invalid(
                "id",
                "value_length",
                "1 to 200 characters",
            ));
        }
        let isil = Isil::parse(isil)
            .map_err(|e| UsageError::invalid("isil", "isil_invalid", e.to_string()))?;
        let library = self
            .directory
            .library(&isil)
            .await
            .map_err(UsageError::unavailable)?
            .ok_or_else(|| {
                UsageError::NotFound(
                    "library_not_found",
                    format!("no library with ISIL {isil} is registered"),
                )
            })?;
        institutions::put(&self.db, vendor.0, proprietary, library.isil.as_str()).await?;
        Ok(institutions::Mapping {
            proprietary: proprietary.to_owned(),
            isil: library.isil.as_str().to_owned(),
        })
    }

    /// The caller's mappings (a vendor's own; consortium admins name the vendor).
    pub async fn institutions(
        &self,
        caller: &Principal,
        vendor: Option<tilgang_kernel::VendorId>,
    ) -> Result<Vec<institutions::Mapping>, UsageError> {
        let vendor = acting_vendor(caller, vendor)?;
        institutions::of(&self.db, vendor.0).await
    }

    /// Whether the library had access on some day of the period: its first and last day and
    /// the first of each month between are asked.
    async fn had_access(
        &self,
        isil: &Isil,
        product: tilgang_kernel::ProductId,
        begin: NaiveDate,
        end: NaiveDate,
    ) -> Result<bool, UsageError> {
        let mut days = vec![begin, end];
        let mut month = begin.with_day(1).unwrap_or(begin);
        while month < end {
            days.push(month);
            month = month + chrono::Months::new(1);
        }
        for day in days {
            let at = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
            let answer = self
                .entitlements
                .check(isil, product, at)
                .await
                .map_err(UsageError::unavailable)?;
            if answer.granted() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The vendor a caller acts for: a vendor's own (naming another is refused), or the one a
/// consortium admin names.
fn acting_vendor(
    caller: &Principal,
    asked: Option<tilgang_kernel::VendorId>,
) -> Result<tilgang_kernel::VendorId, UsageError> {
    caller
        .vendor_acted_for(asked)
        .map_err(|refusal| match refusal {
            tilgang_kernel::VendorRefusal::Unnamed => {
                UsageError::invalid("vendor", "field_required", "name the vendor")
            }
            tilgang_kernel::VendorRefusal::NotYours => {
                UsageError::Forbidden("a vendor manages its own institution ids only".into())
            }
        })
}
