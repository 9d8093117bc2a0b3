//! Consortia and regions in `registry_consortia` and `registry_consortium_members`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tilgang_isil::Isil;
use tilgang_kernel::ConsortiumId;

use super::entities::{consortium, library, member};
use super::{libraries, stored};
use crate::domain::RegistryError;
use crate::domain::consortium::{Consortium, ConsortiumKind};

async fn members(db: &DatabaseConnection, id: uuid::Uuid) -> Result<Vec<Isil>, RegistryError> {
    let library_ids: Vec<uuid::Uuid> = member::Entity::find()
        .select_only()
        .column(member::Column::LibraryId)
        .filter(member::Column::ConsortiumId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let isils: Vec<Isil> = library::Entity::find()
        .select_only()
        .column(library::Column::Isil)
        .filter(library::Column::Id.is_in(library_ids))
        .order_by_asc(library::Column::IsilKey)
        .into_tuple()
        .all(db)
        .await?;
    Ok(isils)
}

async fn to_domain(
    db: &DatabaseConnection,
    m: consortium::Model,
) -> Result<Consortium, RegistryError> {
    Ok(Consortium {
        id: ConsortiumId(m.id),
        members: members(db, m.id).await?,
        name: m.name,
        kind: stored(ConsortiumKind::parse("kind", &m.kind))?,
        created_at: m.created_at,
    })
}

/// Creates a consortium or region with no members.
pub async fn create(
    db: &DatabaseConnection,
    name: String,
    kind: ConsortiumKind,
    now: DateTime<Utc>,
) -> Result<Consortium, RegistryError> {
    let id = ConsortiumId::new();
    consortium::ActiveModel {
        id: Set(id.0),
        name: Set(name.clone()),
        kind: Set(kind.as_str().to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Consortium {
        id,
        name,
        kind,
        members: Vec::new(),
        created_at: now,
    })
}

/// Every consortium and region, by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Consortium>, RegistryError> {
    let rows = consortium::Entity::find()
        .order_by_asc(consortium::Column::Name)
        .all(db)
        .await?;
    let mut all = Vec::with_capacity(rows.len());
    for row in rows {
        all.push(to_domain(db, row).await?);
    }
    Ok(all)
}

/// The consortium with `id`, or `consortium_not_found`.
pub async fn get(db: &DatabaseConnection, id: ConsortiumId) -> Result<Consortium, RegistryError> {
    match consortium::Entity::find_by_id(id.0).one(db).await? {
        Some(row) => to_domain(db, row).await,
        None => Err(RegistryError::ConsortiumNotFound(id.to_string())),
    }
}

/// Renames a consortium or changes its kind.
pub async fn update(
    db: &DatabaseConnection,
    id: ConsortiumId,
    name: Option<String>,
    kind: Option<ConsortiumKind>,
) -> Result<Consortium, RegistryError> {
    let current = get(db, id).await?;
    consortium::ActiveModel {
        id: sea_orm::Unchanged(id.0),
        name: Set(name.unwrap_or(current.name)),
        kind: Set(kind.unwrap_or(current.kind).as_str().to_owned()),
        created_at: sea_orm::Unchanged(current.created_at),
    }
    .update(db)
    .await?;
    get(db, id).await
}

/// Replaces the members; every ISIL must be registered, or nothing changes.
pub async fn set_members(
    db: &DatabaseConnection,
    id: ConsortiumId,
    isils: &[Isil],
) -> Result<Consortium, RegistryError> {
    get(db, id).await?;
    let txn = tilgang_store::write(db).await?;
    let (ids, missing) = libraries::ids_of(&txn, isils).await?;
    if !missing.is_empty() {
        return Err(RegistryError::UnknownMembers(missing));
    }
    member::Entity::delete_many()
        .filter(member::Column::ConsortiumId.eq(id.0))
        .exec(&txn)
        .await?;
    if !ids.is_empty() {
        let rows = ids.into_iter().map(|library| member::ActiveModel {
            consortium_id: Set(id.0),
            library_id: Set(library.0),
        });
        member::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    get(db, id).await
}

/// Removes a consortium (its libraries stay).
pub async fn delete(db: &DatabaseConnection, id: ConsortiumId) -> Result<(), RegistryError> {
    let result = consortium::Entity::delete_by_id(id.0).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(RegistryError::ConsortiumNotFound(id.to_string()));
    }
    Ok(())
}
