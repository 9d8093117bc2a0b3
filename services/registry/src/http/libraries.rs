//! `/api/v1/libraries`: the register of libraries.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use tilgang_kernel::{ConsortiumId, Isil};
use tilgang_web::{ApiError, Authenticated, Page, PageParams};

use super::input::{CreateLibrary, UpdateLibrary};
use super::{State, path_isil};
use crate::domain::RegistryError;
use crate::domain::library::{
    self, Library, LibraryChanges, LibraryKind, LibraryStatus, NewLibrary, parse_country,
};
use crate::import::ImportReport;
use crate::storage::libraries::{self as repo, LibraryFilter};

/// Largest import file accepted (32 MiB; a national BaseBibliotek export is about 10 MiB).
pub const IMPORT_LIMIT: usize = 32 << 20;

/// Filters for the library list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LibraryQuery {
    /// ISO 3166-1 alpha-2 country code.
    country: Option<String>,
    /// Kind of library.
    kind: Option<String>,
    /// `active` or `suspended`.
    status: Option<String>,
    /// Consortium or region id.
    consortium: Option<ConsortiumId>,
    /// Text in the name, municipality or ISIL.
    q: Option<String>,
}

impl TryFrom<LibraryQuery> for LibraryFilter {
    type Error = RegistryError;
    fn try_from(q: LibraryQuery) -> Result<Self, RegistryError> {
        Ok(LibraryFilter {
            country: q
                .country
                .map(|c| parse_country("country", &c))
                .transpose()?,
            kind: q.kind.map(|k| LibraryKind::parse("kind", &k)).transpose()?,
            status: q
                .status
                .map(|s| LibraryStatus::parse("status", &s))
                .transpose()?,
            consortium: q.consortium,
            query: q.q,
        })
    }
}

/// Lists libraries, by ISIL. Vendors may not list the register.
#[utoipa::path(
    tag = "libraries",
    params(LibraryQuery, PageParams),
    responses((status = 200, body = Page<Library>), (status = 403, description = "Vendors look libraries up by ISIL"))
)]
#[get("/api/v1/libraries")]
pub async fn list(
    state: web::Data<State>,
    caller: Authenticated,
    query: web::Query<LibraryQuery>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Page<Library>>, ApiError> {
    library::authorize_list(&caller)?;
    let filter = LibraryFilter::try_from(query.into_inner())?;
    let (items, total) = repo::list(&state.db, &filter, page.limit(), page.offset()).await?;
    Ok(web::Json(Page::new(items, total, *page)))
}

/// Registers a library (consortium admins).
#[utoipa::path(
    tag = "libraries",
    request_body = CreateLibrary,
    responses(
        (status = 201, body = Library),
        (status = 409, description = "The ISIL is registered already, in some letter case"),
        (status = 422, description = "A field is invalid; `code` and `field` say which"),
    )
)]
#[post("/api/v1/libraries")]
pub async fn create(
    state: web::Data<State>,
    caller: Authenticated,
    body: web::Json<CreateLibrary>,
) -> Result<HttpResponse, ApiError> {
    library::authorize_register(&caller)?;
    let new = NewLibrary::try_from(body.into_inner())?;
    let library = repo::create(&state.db, new, state.clock.now()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/api/v1/libraries/{}", library.isil)))
        .json(library))
}

/// Looks a library up by ISIL, in any letter case.
#[utoipa::path(
    tag = "libraries",
    params(("isil" = String, Path, description = "ISIL, any letter case")),
    responses((status = 200, body = Library), (status = 404), (status = 422, description = "Not an ISIL"))
)]
#[get("/api/v1/libraries/{isil}")]
pub async fn get(
    state: web::Data<State>,
    _caller: Authenticated,
    isil: web::Path<String>,
) -> Result<web::Json<Library>, ApiError> {
    let isil = path_isil(&isil)?;
    Ok(web::Json(repo::get(&state.db, &isil).await?))
}

/// Changes a library. Library admins may change their own libraries' websites, IP ranges,
/// contacts and language; consortium admins everything.
#[utoipa::path(
    tag = "libraries",
    params(("isil" = String, Path, description = "ISIL, any letter case")),
    request_body = UpdateLibrary,
    responses((status = 200, body = Library), (status = 403), (status = 404), (status = 422))
)]
#[patch("/api/v1/libraries/{isil}")]
pub async fn update(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
    body: web::Json<UpdateLibrary>,
) -> Result<web::Json<Library>, ApiError> {
    let isil = path_isil(&isil)?;
    let library = change(
        &state.db,
        &caller,
        &isil,
        body.into_inner(),
        state.clock.now(),
    )
    .await?;
    Ok(web::Json(library))
}

/// Applies `body` to the library `isil` for `caller` at `at`, with every rule of the API
/// (the portal's settings page comes through here too).
pub(crate) async fn change(
    db: &sea_orm::DatabaseConnection,
    caller: &tilgang_kernel::Principal,
    isil: &Isil,
    body: UpdateLibrary,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Library, RegistryError> {
    let changes = LibraryChanges::try_from(body)?;
    changes.authorize(caller, isil)?;
    let mut library = repo::get(db, isil).await?;
    changes.apply(&mut library);
    library.updated_at = at;
    repo::save(db, &library).await?;
    Ok(library)
}

/// Removes a library from the register (consortium admins). To stop a library's access but keep
/// its data, set its status to `suspended` instead.
#[utoipa::path(
    tag = "libraries",
    params(("isil" = String, Path, description = "ISIL, any letter case")),
    responses((status = 204), (status = 403), (status = 404))
)]
#[delete("/api/v1/libraries/{isil}")]
pub async fn remove(
    state: web::Data<State>,
    caller: Authenticated,
    isil: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    library::authorize_register(&caller)?;
    let isil = path_isil(&isil)?;
    repo::delete(&state.db, &isil).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Import file format.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `basebibliotek` or `csv`; by default taken from the Content-Type (`application/xml` or
    /// `text/csv`).
    format: Option<String>,
}

/// Imports libraries from a BaseBibliotek XML export or a CSV file (consortium admins).
///
/// Known ISILs are updated, new ones registered, all in one transaction. Records with no ISIL or
/// an invalid one are skipped and listed; any other invalid record refuses the whole file.
#[utoipa::path(
    post,
    path = "/api/v1/libraries:import",
    tag = "libraries",
    params(ImportQuery),
    request_body(content = String, content_type = "application/xml", description = "BaseBibliotek XML or CSV"),
    responses(
        (status = 200, body = ImportReport),
        (status = 403),
        (status = 413, description = "Over 32 MiB"),
        (status = 422, description = "Unreadable file, or invalid records (listed in `errors`); nothing was imported"),
    )
)]
pub async fn import(
    state: web::Data<State>,
    caller: Authenticated,
    request: HttpRequest,
    query: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<web::Json<ImportReport>, ApiError> {
    library::authorize_register(&caller)?;
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = match query.format.as_deref() {
        Some(format) => format,
        None if content_type.contains("csv") => "csv",
        None => "basebibliotek",
    };
    Ok(web::Json(
        crate::import::run(&state.db, format, &body, state.clock.now()).await?,
    ))
}
