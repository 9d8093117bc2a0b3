//! Grants and their refresh tokens (rotated on every use; a reused one revokes the grant).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::{Map, Value};
use tilgang_kernel::Isil;
use uuid::Uuid;

use super::entities::{grant, refresh_token};
use super::{corrupt, from_json, to_json};
use crate::domain::SsoError;

/// What a patron's login granted a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// Id.
    pub id: Uuid,
    /// The client.
    pub client_id: String,
    /// The pairwise subject.
    pub subject: String,
    /// The patron's library.
    pub isil: Isil,
    /// Scopes, space-separated.
    pub scope: String,
    /// Claims released.
    pub claims: Map<String, Value>,
    /// How the patron logged in (the `amr` value).
    pub amr: String,
    /// When the patron logged in.
    pub auth_time: DateTime<Utc>,
    /// When revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What presenting a refresh token found.
pub enum Refresh {
    /// A live token of a live grant: it is now used, and the grant may be refreshed.
    Live(Grant),
    /// A token used before: the grant has been revoked.
    Reused,
    /// Unknown, expired, or its grant is revoked.
    Invalid,
}

/// Stores a grant.
pub async fn create(
    db: &DatabaseConnection,
    g: &Grant,
    now: DateTime<Utc>,
) -> Result<(), SsoError> {
    grant::ActiveModel {
        id: Set(g.id),
        client_id: Set(g.client_id.clone()),
        subject: Set(g.subject.clone()),
        isil: Set(g.isil.as_str().to_owned()),
        scope: Set(g.scope.clone()),
        claims: Set(to_json(&g.claims)),
        amr: Set(g.amr.clone()),
        auth_time: Set(g.auth_time),
        created_at: Set(now),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The grant with this id.
pub async fn find(db: &DatabaseConnection, id: Uuid) -> Result<Option<Grant>, SsoError> {
    let Some(row) = grant::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(Grant {
        id: row.id,
        client_id: row.client_id,
        subject: row.subject,
        isil: Isil::parse(&row.isil).map_err(|_| corrupt("ISIL"))?,
        scope: row.scope,
        claims: from_json(row.claims)?,
        amr: row.amr,
        auth_time: row.auth_time,
        revoked_at: row.revoked_at,
    }))
}

/// Revokes a grant (its refresh tokens stop working).
pub async fn revoke(db: &DatabaseConnection, id: Uuid, now: DateTime<Utc>) -> Result<(), SsoError> {
    grant::Entity::update_many()
        .col_expr(grant::Column::RevokedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(id))
        .filter(grant::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a new refresh token (by its digest) for a grant.
pub async fn add_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
    grant: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), SsoError> {
    refresh_token::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        grant_id: Set(grant),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Uses a refresh token: exactly one caller wins a live token; a second use is reuse and
/// revokes the grant (RFC 9700 §4.14.2).
pub async fn use_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Refresh, SsoError> {
    let Some(token) = refresh_token::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
    else {
        return Ok(Refresh::Invalid);
    };
    let Some(grant) = find(db, token.grant_id).await? else {
        return Ok(Refresh::Invalid);
    };
    if grant.client_id != client_id {
        return Ok(Refresh::Invalid);
    }
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        revoke(db, grant.id, now).await?;
        return Ok(Refresh::Reused);
    }
    if grant.revoked_at.is_some() || token.expires_at <= now {
        return Ok(Refresh::Invalid);
    }
    Ok(Refresh::Live(grant))
}

/// The grant of a refresh token, for revocation and introspection.
pub async fn grant_of_refresh_token(
    db: &DatabaseConnection,
    token_hash: &str,
) -> Result<Option<(Uuid, bool, DateTime<Utc>)>, SsoError> {
    Ok(refresh_token::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
        .map(|t| (t.grant_id, t.used_at.is_none(), t.expires_at)))
}
