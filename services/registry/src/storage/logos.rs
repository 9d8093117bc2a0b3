//! Libraries' logos (`registry_library_logos`), apart from the libraries' rows so that lists of
//! libraries never read the images.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use tilgang_kernel::LibraryId;

use super::entities::library_logo;
use crate::domain::RegistryError;

/// Stores `bytes` of `content_type` as the logo of `library`, in place of any before.
pub async fn put(
    db: &impl ConnectionTrait,
    library: LibraryId,
    content_type: &str,
    bytes: Vec<u8>,
    at: DateTime<Utc>,
) -> Result<(), RegistryError> {
    remove(db, library).await?;
    library_logo::ActiveModel {
        library_id: Set(library.0),
        content_type: Set(content_type.to_owned()),
        bytes: Set(bytes),
        updated_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Removes the logo of `library`, if it has one.
pub async fn remove(db: &impl ConnectionTrait, library: LibraryId) -> Result<(), RegistryError> {
    library_logo::Entity::delete_by_id(library.0)
        .exec(db)
        .await?;
    Ok(())
}

/// The logo of `library`: its content type and bytes.
pub async fn get(
    db: &impl ConnectionTrait,
    library: LibraryId,
) -> Result<Option<(String, Vec<u8>)>, RegistryError> {
    let found = library_logo::Entity::find_by_id(library.0).one(db).await?;
    Ok(found.map(|m| (m.content_type, m.bytes)))
}
