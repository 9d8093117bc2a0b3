//! Libraries in `registry_libraries`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set, SqlErr,
};
use tilgang_isil::Isil;
use tilgang_kernel::{ConsortiumId, LibraryId};

use super::entities::{library, member};
use super::{contains, from_json, page, search_text, stored, to_json};
use crate::domain::RegistryError;
use crate::domain::common::Lang;
use crate::domain::import::ImportBatch;
use crate::domain::library::{Library, LibraryKind, LibraryStatus, NewLibrary};

/// Which libraries a list shows.
#[derive(Debug, Clone, Default)]
pub struct LibraryFilter {
    /// Only this country.
    pub country: Option<String>,
    /// Only this kind.
    pub kind: Option<LibraryKind>,
    /// Only this status.
    pub status: Option<LibraryStatus>,
    /// Only members of this consortium or region.
    pub consortium: Option<ConsortiumId>,
    /// Name, municipality or ISIL contains this text (any case).
    pub query: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Libraries registered anew.
    pub created: usize,
    /// Registered libraries whose data changed.
    pub updated: usize,
    /// Registered libraries whose data was already the same.
    pub unchanged: usize,
}

fn to_domain(m: library::Model) -> Result<Library, RegistryError> {
    Ok(Library {
        id: LibraryId(m.id),
        isil: m.isil,
        name: from_json(m.name)?,
        kind: stored(LibraryKind::parse("kind", &m.kind))?,
        parent: m
            .parent_isil
            .map(|p| Isil::parse(&p))
            .transpose()
            .map_err(|e| RegistryError::Storage(Box::new(e)))?,
        municipality: m.municipality,
        country: m.country,
        websites: from_json(m.websites)?,
        ip_ranges: from_json(m.ip_ranges)?,
        contacts: from_json(m.contacts)?,
        language: stored(Lang::parse("language", &m.language))?,
        status: stored(LibraryStatus::parse("status", &m.status))?,
        logo_at: m.logo_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_row(l: &Library) -> library::ActiveModel {
    let names = l.name.0.values().map(String::as_str);
    library::ActiveModel {
        id: Set(l.id.0),
        isil: Set(l.isil.clone()),
        isil_key: Set(l.isil.key()),
        name: Set(to_json(&l.name)),
        kind: Set(l.kind.as_str().to_owned()),
        parent_isil: Set(l.parent.as_ref().map(ToString::to_string)),
        municipality: Set(l.municipality.clone()),
        country: Set(l.country.clone()),
        websites: Set(to_json(&l.websites)),
        ip_ranges: Set(to_json(&l.ip_ranges)),
        contacts: Set(to_json(&l.contacts)),
        language: Set(l.language.as_str().to_owned()),
        status: Set(l.status.as_str().to_owned()),
        search: Set(search_text(
            names.chain([l.isil.as_str(), l.municipality.as_deref().unwrap_or("")]),
        )),
        // Only `set_logo_at` writes it, so a settings save never undoes a logo set meanwhile.
        logo_at: sea_orm::NotSet,
        created_at: Set(l.created_at),
        updated_at: Set(l.updated_at),
    }
}

fn from_new(new: NewLibrary, now: DateTime<Utc>) -> Library {
    Library {
        id: LibraryId::new(),
        isil: new.isil,
        name: new.name,
        kind: new.kind,
        parent: new.parent,
        municipality: new.municipality,
        country: new.country,
        websites: new.websites,
        ip_ranges: new.ip_ranges,
        contacts: new.contacts,
        language: new.language,
        status: LibraryStatus::Active,
        logo_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// The library with `isil` (any letter case).
pub async fn find(
    db: &impl ConnectionTrait,
    isil: &Isil,
) -> Result<Option<Library>, RegistryError> {
    library::Entity::find()
        .filter(library::Column::IsilKey.eq(isil.key()))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// The library with `isil`, or `library_not_found`.
pub async fn get(db: &impl ConnectionTrait, isil: &Isil) -> Result<Library, RegistryError> {
    find(db, isil)
        .await?
        .ok_or_else(|| RegistryError::LibraryNotFound(isil.clone()))
}

/// Registers a library; an ISIL already registered in any letter case is `library_exists`.
pub async fn create(
    db: &DatabaseConnection,
    new: NewLibrary,
    now: DateTime<Utc>,
) -> Result<Library, RegistryError> {
    if find(db, &new.isil).await?.is_some() {
        return Err(RegistryError::LibraryExists(new.isil));
    }
    let library = from_new(new, now);
    match to_row(&library).insert(db).await {
        Ok(_) => Ok(library),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(RegistryError::LibraryExists(library.isil))
        }
        Err(e) => Err(e.into()),
    }
}

/// A page of libraries matching `filter`, ordered by ISIL, and the number matching in all.
pub async fn list(
    db: &DatabaseConnection,
    filter: &LibraryFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Library>, u64), RegistryError> {
    let mut query = library::Entity::find();
    if let Some(country) = &filter.country {
        query = query.filter(library::Column::Country.eq(country.to_ascii_uppercase()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(library::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(library::Column::Status.eq(status.as_str()));
    }
    if let Some(consortium) = filter.consortium {
        query = query.filter(
            library::Column::Id.in_subquery(
                Query::select()
                    .column(member::Column::LibraryId)
                    .from(member::Entity)
                    .and_where(member::Column::ConsortiumId.eq(consortium.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(q) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
        query = query.filter(contains(Expr::col(library::Column::Search), q));
    }
    page(
        db,
        query,
        library::Column::IsilKey,
        limit,
        offset,
        to_domain,
    )
    .await
}

/// Records that the logo of `library` was set at `at` (none: removed), and nothing else.
pub async fn set_logo_at(
    db: &impl ConnectionTrait,
    library: LibraryId,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), RegistryError> {
    library::Entity::update_many()
        .col_expr(library::Column::LogoAt, Expr::value(at))
        .col_expr(library::Column::UpdatedAt, Expr::value(now))
        .filter(library::Column::Id.eq(library.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Writes every field of `library` but when its logo was set.
pub async fn save(db: &impl ConnectionTrait, library: &Library) -> Result<(), RegistryError> {
    let mut row = to_row(library);
    row.id = sea_orm::Unchanged(library.id.0);
    row.update(db).await?;
    Ok(())
}

/// Removes the library with `isil`.
pub async fn delete(db: &DatabaseConnection, isil: &Isil) -> Result<(), RegistryError> {
    let result = library::Entity::delete_many()
        .filter(library::Column::IsilKey.eq(isil.key()))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(RegistryError::LibraryNotFound(isil.clone()));
    }
    Ok(())
}

/// The ids of the libraries with these ISILs, and the ISILs not registered.
pub async fn ids_of(
    db: &impl ConnectionTrait,
    isils: &[Isil],
) -> Result<(Vec<LibraryId>, Vec<Isil>), RegistryError> {
    let keys: Vec<String> = isils.iter().map(Isil::key).collect();
    let rows: Vec<(uuid::Uuid, String)> = library::Entity::find()
        .select_only()
        .column(library::Column::Id)
        .column(library::Column::IsilKey)
        .filter(library::Column::IsilKey.is_in(keys))
        .into_tuple()
        .all(db)
        .await?;
    let missing = isils
        .iter()
        .filter(|i| !rows.iter().any(|(_, key)| *key == i.key()))
        .cloned()
        .collect();
    Ok((
        rows.into_iter().map(|(id, _)| LibraryId(id)).collect(),
        missing,
    ))
}

/// Writes an import in one transaction: new ISILs are registered, known ones updated.
///
/// An import owns the register's facts (name, kind, parent, municipality, country); websites and
/// contacts belong to the library, so an import fills them only while the library has none.
pub async fn import(
    db: &DatabaseConnection,
    batch: &ImportBatch,
    now: DateTime<Utc>,
) -> Result<ImportCounts, RegistryError> {
    let accepted = batch.accepted()?;
    let txn = tilgang_store::write(db).await?;
    let mut counts = ImportCounts::default();
    for new in accepted {
        match find(&txn, &new.isil).await? {
            None => {
                to_row(&from_new(new.clone(), now)).insert(&txn).await?;
                counts.created += 1;
            }
            Some(existing) => {
                let mut library = existing.clone();
                library.name = new.name.clone();
                library.kind = new.kind;
                library.parent = new.parent.clone();
                library.municipality = new.municipality.clone();
                library.country = new.country.clone();
                if library.websites.is_empty() {
                    library.websites = new.websites.clone();
                }
                if library.contacts.is_empty() {
                    library.contacts = new.contacts.clone();
                }
                if library == existing {
                    counts.unchanged += 1;
                } else {
                    library.updated_at = now;
                    save(&txn, &library).await?;
                    counts.updated += 1;
                }
            }
        }
    }
    txn.commit().await?;
    Ok(counts)
}
