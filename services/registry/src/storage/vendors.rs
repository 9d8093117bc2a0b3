//! Vendors in `registry_vendors`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use tilgang_kernel::VendorId;

use super::entities::{product, vendor};
use super::{contains, from_json, page, stored_url, to_json};
use crate::domain::RegistryError;
use crate::domain::common::WebUrl;
use crate::domain::vendor::{Vendor, VendorFields};

fn to_domain(m: vendor::Model) -> Result<Vendor, RegistryError> {
    Ok(Vendor {
        id: VendorId(m.id),
        name: m.name,
        organisation_number: m.organisation_number,
        contacts: from_json(m.contacts)?,
        support_url: stored_url(m.support_url)?,
        privacy_url: stored_url(m.privacy_url)?,
        dpa_url: stored_url(m.dpa_url)?,
        accessibility_url: stored_url(m.accessibility_url)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_row(v: &Vendor) -> vendor::ActiveModel {
    let text = |u: &Option<WebUrl>| u.as_ref().map(|u| u.as_str().to_owned());
    vendor::ActiveModel {
        id: Set(v.id.0),
        name: Set(v.name.clone()),
        organisation_number: Set(v.organisation_number.clone()),
        contacts: Set(to_json(&v.contacts)),
        support_url: Set(text(&v.support_url)),
        privacy_url: Set(text(&v.privacy_url)),
        dpa_url: Set(text(&v.dpa_url)),
        accessibility_url: Set(text(&v.accessibility_url)),
        created_at: Set(v.created_at),
        updated_at: Set(v.updated_at),
    }
}

/// Registers a vendor from complete fields.
pub async fn create(
    db: &DatabaseConnection,
    fields: VendorFields,
    now: DateTime<Utc>,
) -> Result<Vendor, RegistryError> {
    let mut vendor = Vendor {
        id: VendorId::new(),
        name: String::new(),
        organisation_number: None,
        contacts: Vec::new(),
        support_url: None,
        privacy_url: None,
        dpa_url: None,
        accessibility_url: None,
        created_at: now,
        updated_at: now,
    };
    fields.apply(&mut vendor);
    to_row(&vendor).insert(db).await?;
    Ok(vendor)
}

/// The vendor with `id`, or `vendor_not_found`.
pub async fn get(db: &DatabaseConnection, id: VendorId) -> Result<Vendor, RegistryError> {
    let row = vendor::Entity::find_by_id(id.0).one(db).await?;
    row.map(to_domain)
        .transpose()?
        .ok_or_else(|| RegistryError::VendorNotFound(id.to_string()))
}

/// A page of vendors, by name, optionally whose name contains `query`.
pub async fn list(
    db: &DatabaseConnection,
    query: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Vendor>, u64), RegistryError> {
    let mut select = vendor::Entity::find();
    if let Some(q) = query.filter(|q| !q.trim().is_empty()) {
        select = select.filter(contains(
            Expr::expr(Func::lower(Expr::col(vendor::Column::Name))),
            q,
        ));
    }
    page(db, select, vendor::Column::Name, limit, offset, to_domain).await
}

/// Writes every field of `vendor`.
pub async fn save(db: &DatabaseConnection, vendor: &Vendor) -> Result<(), RegistryError> {
    let mut row = to_row(vendor);
    row.id = sea_orm::Unchanged(vendor.id.0);
    row.update(db).await?;
    Ok(())
}

/// Removes a vendor that has no products.
pub async fn delete(db: &DatabaseConnection, id: VendorId) -> Result<(), RegistryError> {
    let products = product::Entity::find()
        .filter(product::Column::VendorId.eq(id.0))
        .count(db)
        .await?;
    if products > 0 {
        return Err(RegistryError::VendorHasProducts(products));
    }
    let result = vendor::Entity::delete_by_id(id.0).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(RegistryError::VendorNotFound(id.to_string()));
    }
    Ok(())
}
