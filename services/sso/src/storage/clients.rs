//! OAuth clients.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tilgang_kernel::{ProductId, VendorId};

use super::entities::client;
use super::{corrupt, from_json, to_json};
use crate::domain::SsoError;
use crate::domain::client::{ClientStatus, OAuthClient, SigningAlg};

fn to_domain(row: client::Model) -> Result<OAuthClient, SsoError> {
    Ok(OAuthClient {
        vendor: VendorId(row.vendor_id),
        product: row.product_id.map(ProductId),
        name: row.name,
        secret_hash: row.secret_hash,
        redirect_uris: from_json(row.redirect_uris)?,
        post_logout_redirect_uris: from_json(row.post_logout_redirect_uris)?,
        initiate_login_uri: row.initiate_login_uri,
        id_token_alg: SigningAlg::parse(&row.id_token_alg).ok_or_else(|| corrupt("algorithm"))?,
        scopes: from_json(row.scopes)?,
        status: ClientStatus::parse(&row.status).ok_or_else(|| corrupt("client status"))?,
        created_at: row.created_at,
        updated_at: row.updated_at,
        client_id: row.client_id,
    })
}

fn to_row(c: &OAuthClient) -> client::ActiveModel {
    client::ActiveModel {
        client_id: Set(c.client_id.clone()),
        vendor_id: Set(c.vendor.0),
        product_id: Set(c.product.map(|p| p.0)),
        name: Set(c.name.clone()),
        secret_hash: Set(c.secret_hash.clone()),
        redirect_uris: Set(to_json(&c.redirect_uris)),
        post_logout_redirect_uris: Set(to_json(&c.post_logout_redirect_uris)),
        initiate_login_uri: Set(c.initiate_login_uri.clone()),
        id_token_alg: Set(c.id_token_alg.as_str().to_owned()),
        scopes: Set(to_json(&c.scopes)),
        status: Set(c.status.as_str().to_owned()),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    }
}

/// Registers a client.
pub async fn create(db: &DatabaseConnection, c: &OAuthClient) -> Result<(), SsoError> {
    to_row(c).insert(db).await?;
    Ok(())
}

/// Writes every field of a client.
pub async fn save(db: &DatabaseConnection, c: &OAuthClient) -> Result<(), SsoError> {
    to_row(c).update(db).await?;
    Ok(())
}

/// The client with this id, if any.
pub async fn find(
    db: &DatabaseConnection,
    client_id: &str,
) -> Result<Option<OAuthClient>, SsoError> {
    client::Entity::find_by_id(client_id.to_owned())
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// Every client, or a vendor's, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    vendor: Option<VendorId>,
) -> Result<Vec<OAuthClient>, SsoError> {
    let mut query = client::Entity::find().order_by_asc(client::Column::CreatedAt);
    if let Some(vendor) = vendor {
        query = query.filter(client::Column::VendorId.eq(vendor.0));
    }
    query.all(db).await?.into_iter().map(to_domain).collect()
}

/// Deletes a client.
pub async fn delete(db: &DatabaseConnection, client_id: &str) -> Result<(), SsoError> {
    client::Entity::delete_by_id(client_id.to_owned())
        .exec(db)
        .await?;
    Ok(())
}
