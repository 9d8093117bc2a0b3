//! Products in `registry_products`.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, SqlErr,
};
use tilgang_kernel::{ProductId, VendorId};

use super::entities::product;
use super::{contains, from_json, page, search_text, stored, stored_url, to_json};
use crate::domain::RegistryError;
use crate::domain::common::WebUrl;
use crate::domain::product::{
    IntegrationMethod, PriceModel, Product, ProductKind, StatisticsCapability,
};

/// Which products a list shows.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Only this vendor's.
    pub vendor: Option<VendorId>,
    /// Only this kind.
    pub kind: Option<ProductKind>,
    /// Name or slug contains this text.
    pub query: Option<String>,
}

fn to_domain(m: product::Model) -> Result<Product, RegistryError> {
    Ok(Product {
        id: ProductId(m.id),
        vendor: VendorId(m.vendor_id),
        slug: m.slug,
        name: from_json(m.name)?,
        description: m.description.map(from_json).transpose()?,
        kind: stored(ProductKind::parse("kind", &m.kind))?,
        integration: stored(IntegrationMethod::parse("integration", &m.integration))?,
        trial: from_json(m.trial)?,
        statistics: stored(StatisticsCapability::parse("statistics", &m.statistics))?,
        price_model: stored(PriceModel::parse("price_model", &m.price_model))?,
        sushi_url: stored_url(m.sushi_url)?,
        my_pages_url: stored_url(m.my_pages_url)?,
        access_url: stored_url(m.access_url)?,
        training: from_json(m.training)?,
        claims: from_json(m.claims)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_row(p: &Product) -> product::ActiveModel {
    let text = |u: &Option<WebUrl>| u.as_ref().map(|u| u.as_str().to_owned());
    product::ActiveModel {
        id: Set(p.id.0),
        vendor_id: Set(p.vendor.0),
        slug: Set(p.slug.clone()),
        name: Set(to_json(&p.name)),
        description: Set(p.description.as_ref().map(to_json)),
        kind: Set(p.kind.as_str().to_owned()),
        integration: Set(p.integration.as_str().to_owned()),
        trial: Set(to_json(&p.trial)),
        statistics: Set(p.statistics.as_str().to_owned()),
        price_model: Set(p.price_model.as_str().to_owned()),
        sushi_url: Set(text(&p.sushi_url)),
        my_pages_url: Set(text(&p.my_pages_url)),
        access_url: Set(text(&p.access_url)),
        training: Set(to_json(&p.training)),
        claims: Set(to_json(&p.claims)),
        search: Set(search_text(
            p.name
                .0
                .values()
                .map(String::as_str)
                .chain([p.slug.as_str()]),
        )),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    }
}

fn slug_taken(e: sea_orm::DbErr, slug: &str) -> RegistryError {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        RegistryError::ProductSlugTaken(slug.to_owned())
    } else {
        e.into()
    }
}

/// Registers a complete product.
pub async fn create(db: &DatabaseConnection, product: &Product) -> Result<(), RegistryError> {
    to_row(product)
        .insert(db)
        .await
        .map_err(|e| slug_taken(e, &product.slug))?;
    Ok(())
}

/// The product with this id or slug, or `product_not_found`.
pub async fn get(db: &DatabaseConnection, id_or_slug: &str) -> Result<Product, RegistryError> {
    let select = match id_or_slug.parse::<uuid::Uuid>() {
        Ok(id) => product::Entity::find_by_id(id),
        Err(_) => product::Entity::find().filter(product::Column::Slug.eq(id_or_slug)),
    };
    let row = select.one(db).await?;
    row.map(to_domain)
        .transpose()?
        .ok_or_else(|| RegistryError::ProductNotFound(id_or_slug.to_owned()))
}

/// A page of products matching `filter`, by slug.
pub async fn list(
    db: &DatabaseConnection,
    filter: &ProductFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Product>, u64), RegistryError> {
    let mut select = product::Entity::find();
    if let Some(vendor) = filter.vendor {
        select = select.filter(product::Column::VendorId.eq(vendor.0));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(product::Column::Kind.eq(kind.as_str()));
    }
    if let Some(q) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
        select = select.filter(contains(Expr::col(product::Column::Search), q));
    }
    page(db, select, product::Column::Slug, limit, offset, to_domain).await
}

/// Writes every field of `product`.
pub async fn save(db: &DatabaseConnection, product: &Product) -> Result<(), RegistryError> {
    let mut row = to_row(product);
    row.id = sea_orm::Unchanged(product.id.0);
    row.update(db)
        .await
        .map_err(|e| slug_taken(e, &product.slug))?;
    Ok(())
}

/// Removes a product.
pub async fn delete(db: &DatabaseConnection, id: ProductId) -> Result<(), RegistryError> {
    product::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}
