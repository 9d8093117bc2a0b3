//! The service's tables (prefix `subscriptions_`) and the repositories over them. sea-orm
//! entities never leave this module.

pub mod agreements;
pub mod audit;
mod entities;
pub mod fingerprints;
mod migration;
pub mod notices;
pub mod outbox;
pub mod subscriptions;
pub mod trials;

pub use migration::Migrator;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};
use tilgang_kernel::{ProductId, VendorId};

use crate::domain::SubscriptionsError;

/// Which rows a list may show: some libraries, one vendor's products, one product (`None`:
/// no limit).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Only these libraries (ISIL keys).
    pub isil_keys: Option<Vec<String>>,
    /// Only this vendor's products.
    pub vendor: Option<VendorId>,
    /// Only this product.
    pub product: Option<ProductId>,
}

impl Scope {
    /// `query` limited to the scope, given the table's ISIL key, vendor and product columns.
    fn limit<E: EntityTrait>(
        &self,
        mut query: Select<E>,
        isil_key: Option<E::Column>,
        vendor: E::Column,
        product: E::Column,
    ) -> Select<E> {
        if let (Some(keys), Some(column)) = (&self.isil_keys, isil_key) {
            query = query.filter(column.is_in(keys.clone()));
        }
        if let Some(v) = self.vendor {
            query = query.filter(vendor.eq(v.0));
        }
        if let Some(p) = self.product {
            query = query.filter(product.eq(p.0));
        }
        query
    }
}

fn corrupt(what: &str) -> SubscriptionsError {
    SubscriptionsError::Storage(format!("a stored {what} is not valid").into())
}
