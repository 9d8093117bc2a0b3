//! Vendors' own institution ids (COUNTER `Institution_ID` of type `Proprietary`, such as
//! `nordlys:4711`), each mapped to an ISIL by the vendor, in `usage_institution_ids`.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use uuid::Uuid;

use super::entities::institution as row;
use crate::domain::UsageError;

/// A vendor's id for a library, and the library's ISIL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mapping {
    /// The vendor's id, as in its reports.
    pub proprietary: String,
    /// The library's ISIL.
    pub isil: String,
}

/// Maps the vendor's `proprietary` id to `isil` (replacing an earlier mapping).
pub async fn put(
    db: &impl ConnectionTrait,
    vendor: Uuid,
    proprietary: &str,
    isil: &str,
) -> Result<(), UsageError> {
    row::Entity::insert(row::ActiveModel {
        vendor_id: Set(vendor),
        proprietary: Set(proprietary.to_owned()),
        isil: Set(isil.to_owned()),
    })
    .on_conflict(
        OnConflict::columns([row::Column::VendorId, row::Column::Proprietary])
            .update_column(row::Column::Isil)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The ISIL the vendor mapped `proprietary` to.
pub async fn isil_of(
    db: &impl ConnectionTrait,
    vendor: Uuid,
    proprietary: &str,
) -> Result<Option<String>, UsageError> {
    Ok(row::Entity::find_by_id((vendor, proprietary.to_owned()))
        .one(db)
        .await?
        .map(|m| m.isil))
}

/// The vendor's mappings, by id.
pub async fn of(db: &impl ConnectionTrait, vendor: Uuid) -> Result<Vec<Mapping>, UsageError> {
    Ok(row::Entity::find()
        .filter(row::Column::VendorId.eq(vendor))
        .order_by_asc(row::Column::Proprietary)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Mapping {
            proprietary: m.proprietary,
            isil: m.isil,
        })
        .collect())
}
