//! Logins a library issued to patrons who cannot use e-ID.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tilgang_kernel::Isil;
use uuid::Uuid;

use super::entities::patron_login as row;
use crate::domain::SsoError;

/// A library-issued login. The card number or username is kept only as a keyed hash.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct PatronLogin {
    /// Id.
    pub id: Uuid,
    /// The last characters of the username, so staff can tell logins apart.
    pub hint: String,
    /// Argon2id hash of the PIN (never shown).
    #[serde(skip)]
    pub pin_hash: String,
    /// Patron category.
    pub category: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Whether the login is switched off.
    pub disabled: bool,
    /// When issued.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

fn to_domain(r: row::Model) -> PatronLogin {
    PatronLogin {
        id: r.id,
        hint: r.hint,
        pin_hash: r.pin_hash,
        category: r.category,
        birth_year: r.birth_year,
        disabled: r.disabled,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// Issues a login; `login_key` is the keyed hash of library and username.
pub async fn create(
    db: &DatabaseConnection,
    isil: &Isil,
    login_key: &str,
    login: &PatronLogin,
) -> Result<(), SsoError> {
    if find_by_key(db, login_key).await?.is_some() {
        return Err(SsoError::LoginExists);
    }
    row::ActiveModel {
        id: Set(login.id),
        isil_key: Set(isil.key()),
        login_key: Set(login_key.to_owned()),
        hint: Set(login.hint.clone()),
        pin_hash: Set(login.pin_hash.clone()),
        category: Set(login.category.clone()),
        birth_year: Set(login.birth_year),
        disabled: Set(login.disabled),
        created_at: Set(login.created_at),
        updated_at: Set(login.updated_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The login with this key.
pub async fn find_by_key(
    db: &DatabaseConnection,
    login_key: &str,
) -> Result<Option<PatronLogin>, SsoError> {
    Ok(row::Entity::find()
        .filter(row::Column::LoginKey.eq(login_key))
        .one(db)
        .await?
        .map(to_domain))
}

/// The library's login with this id.
pub async fn get(db: &DatabaseConnection, isil: &Isil, id: Uuid) -> Result<PatronLogin, SsoError> {
    row::Entity::find_by_id(id)
        .filter(row::Column::IsilKey.eq(isil.key()))
        .one(db)
        .await?
        .map(to_domain)
        .ok_or(SsoError::LoginNotFound)
}

/// The library's logins, newest first.
pub async fn list(db: &DatabaseConnection, isil: &Isil) -> Result<Vec<PatronLogin>, SsoError> {
    Ok(row::Entity::find()
        .filter(row::Column::IsilKey.eq(isil.key()))
        .order_by_desc(row::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// Writes the PIN hash, category, birth year and disabled flag.
pub async fn save(db: &DatabaseConnection, login: &PatronLogin) -> Result<(), SsoError> {
    row::ActiveModel {
        id: sea_orm::Unchanged(login.id),
        pin_hash: Set(login.pin_hash.clone()),
        category: Set(login.category.clone()),
        birth_year: Set(login.birth_year),
        disabled: Set(login.disabled),
        updated_at: Set(login.updated_at),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}
