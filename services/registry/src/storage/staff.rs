//! Staff accounts in `registry_staff`, with their password hashes and failed-login counts.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use tilgang_kernel::VendorId;
use uuid::Uuid;

use super::entities::staff as row;
use super::{from_json, to_json};
use crate::domain::RegistryError;
use crate::domain::staff::{Staff, StaffRole};

/// How a login attempt stands for an account.
#[derive(Clone)]
pub struct Credentials {
    /// The account.
    pub staff: Staff,
    /// Its argon2id hash.
    pub password_hash: String,
    /// Wrong passwords in a row.
    pub failed_logins: i32,
    /// Locked until then, if locked.
    pub locked_until: Option<DateTime<Utc>>,
    /// The two-step login secret, sealed, if set.
    pub totp_sealed: Option<String>,
}

fn to_domain(m: row::Model) -> Result<Credentials, RegistryError> {
    Ok(Credentials {
        staff: Staff {
            id: m.id,
            email: m.email,
            name: m.name,
            role: StaffRole::parse("role", &m.role)?,
            isils: from_json(m.isils)?,
            vendor: m.vendor_id.map(VendorId),
            active: m.active,
            must_change_password: m.must_change_password,
            created_at: m.created_at,
            updated_at: m.updated_at,
        },
        password_hash: m.password_hash,
        failed_logins: m.failed_logins,
        locked_until: m.locked_until,
        totp_sealed: m.totp_sealed,
    })
}

/// Stores a new account with the hash of its one-time password.
pub async fn create(
    db: &DatabaseConnection,
    staff: &Staff,
    password_hash: String,
) -> Result<(), RegistryError> {
    if by_email(db, &staff.email).await?.is_some() {
        return Err(RegistryError::StaffEmailTaken(staff.email.clone()));
    }
    row::ActiveModel {
        id: Set(staff.id),
        email: Set(staff.email.clone()),
        name: Set(staff.name.clone()),
        role: Set(staff.role.as_str().into()),
        isils: Set(to_json(&staff.isils)),
        vendor_id: Set(staff.vendor.map(|v| v.0)),
        active: Set(staff.active),
        password_hash: Set(password_hash),
        must_change_password: Set(staff.must_change_password),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(staff.created_at),
        updated_at: Set(staff.updated_at),
        totp_sealed: Set(None),
        totp_step: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The account with this id.
pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<Staff, RegistryError> {
    row::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()?
        .map(|c| c.staff)
        .ok_or_else(|| RegistryError::StaffNotFound(id.to_string()))
}

/// The account that logs in with `email` (lower case), with its credentials.
pub async fn by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<Credentials>, RegistryError> {
    row::Entity::find()
        .filter(row::Column::Email.eq(email))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// Every account, by e-mail.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Staff>, RegistryError> {
    row::Entity::find()
        .order_by_asc(row::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_domain(m).map(|c| c.staff))
        .collect()
}

/// Writes an account's name, scope and state.
pub async fn save(db: &DatabaseConnection, staff: &Staff) -> Result<(), RegistryError> {
    row::ActiveModel {
        id: Set(staff.id),
        name: Set(staff.name.clone()),
        isils: Set(to_json(&staff.isils)),
        active: Set(staff.active),
        updated_at: Set(staff.updated_at),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Sets a password hash, whether it must be changed at the next login, and unlocks.
pub async fn set_password(
    db: &DatabaseConnection,
    id: Uuid,
    password_hash: String,
    must_change: bool,
    now: DateTime<Utc>,
) -> Result<(), RegistryError> {
    row::ActiveModel {
        id: Set(id),
        password_hash: Set(password_hash),
        must_change_password: Set(must_change),
        failed_logins: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Counts one more wrong password, in the database (so parallel guesses all count); returns
/// the count.
pub async fn count_failure(db: &DatabaseConnection, id: Uuid) -> Result<i32, RegistryError> {
    row::Entity::update_many()
        .col_expr(
            row::Column::FailedLogins,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(row::Column::FailedLogins),
                1,
            ),
        )
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    let m = row::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| RegistryError::StaffNotFound(id.to_string()))?;
    Ok(m.failed_logins)
}

/// Records the outcome of a login: the count of wrong passwords in a row, and a lock.
pub async fn record_login(
    db: &DatabaseConnection,
    id: Uuid,
    failed_logins: i32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), RegistryError> {
    row::ActiveModel {
        id: Set(id),
        failed_logins: Set(failed_logins),
        locked_until: Set(locked_until),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The account's sealed two-step login secret, if it exists and has one.
pub async fn totp(db: &DatabaseConnection, id: Uuid) -> Result<Option<String>, RegistryError> {
    Ok(row::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|m| m.totp_sealed))
}

/// Sets or removes the account's two-step login secret (and forgets the last step): whether
/// the account exists.
pub async fn set_totp(
    db: &DatabaseConnection,
    id: Uuid,
    sealed: Option<String>,
    at: DateTime<Utc>,
) -> Result<bool, RegistryError> {
    let done = row::Entity::update_many()
        .col_expr(
            row::Column::TotpSealed,
            sea_orm::sea_query::Expr::value(sealed),
        )
        .col_expr(
            row::Column::TotpStep,
            sea_orm::sea_query::Expr::value(Option::<i64>::None),
        )
        .col_expr(row::Column::UpdatedAt, sea_orm::sea_query::Expr::value(at))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Records that code step `step` was used, unless it or a later one was (one statement, so two
/// logins with the same code cannot both pass): whether it was recorded.
pub async fn claim_totp_step(
    db: &DatabaseConnection,
    id: Uuid,
    step: i64,
) -> Result<bool, RegistryError> {
    let done = row::Entity::update_many()
        .col_expr(row::Column::TotpStep, sea_orm::sea_query::Expr::value(step))
        .filter(row::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(row::Column::TotpStep.is_null())
                .add(row::Column::TotpStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
