//! Shared credentials: the login a library holds for a product that has no per-patron login,
//! shown only to the library's own logged-in patrons at `/go/{isil}/{product}`. The password
//! is stored sealed.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use tilgang_kernel::{Isil, ProductId};
use uuid::Uuid;

use super::entities::shared_credential as row;
use crate::domain::SsoError;

/// A library's login for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SharedCredential {
    /// The product.
    #[schema(value_type = String, format = Uuid)]
    pub product: Uuid,
    /// The username patrons type at the vendor.
    pub username: String,
    /// The password, sealed; never shown by the API.
    #[serde(skip)]
    pub password_sealed: String,
    /// A line for patrons, such as "Use the library's login; do not change the password".
    pub note: Option<String>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

fn to_domain(m: row::Model) -> SharedCredential {
    SharedCredential {
        product: m.product_id,
        username: m.username,
        password_sealed: m.password_sealed,
        note: m.note,
        updated_at: m.updated_at,
    }
}

/// The sealing context of a shared password.
pub fn seal_context(isil: &Isil, product: ProductId) -> String {
    format!("shared:{}:{}", isil.key(), product.0)
}

/// The library's credential for `product`, if it has one.
pub async fn get(
    db: &DatabaseConnection,
    isil: &Isil,
    product: ProductId,
) -> Result<Option<SharedCredential>, SsoError> {
    Ok(row::Entity::find_by_id((isil.key(), product.0))
        .one(db)
        .await?
        .map(to_domain))
}

/// Every credential of the library.
pub async fn list(db: &DatabaseConnection, isil: &Isil) -> Result<Vec<SharedCredential>, SsoError> {
    Ok(row::Entity::find()
        .filter(row::Column::IsilKey.eq(isil.key()))
        .order_by_asc(row::Column::ProductId)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Stores (or replaces) the library's credential.
pub async fn put(
    db: &DatabaseConnection,
    isil: &Isil,
    c: &SharedCredential,
) -> Result<(), SsoError> {
    row::Entity::insert(row::ActiveModel {
        isil_key: Set(isil.key()),
        product_id: Set(c.product),
        username: Set(c.username.clone()),
        password_sealed: Set(c.password_sealed.clone()),
        note: Set(c.note.clone()),
        updated_at: Set(c.updated_at),
    })
    .on_conflict(
        OnConflict::columns([row::Column::IsilKey, row::Column::ProductId])
            .update_columns([
                row::Column::Username,
                row::Column::PasswordSealed,
                row::Column::Note,
                row::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Removes the library's credential; `false` when there was none.
pub async fn delete(
    db: &DatabaseConnection,
    isil: &Isil,
    product: ProductId,
) -> Result<bool, SsoError> {
    let done = row::Entity::delete_by_id((isil.key(), product.0))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}
