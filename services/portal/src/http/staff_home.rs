//! `/admin`: where a staff member starts. A library admin of one library goes straight to it,
//! of several chooses one, and a vendor's staff go to `/vendor`. A consortium admin finds a
//! library by name, municipality or ISIL (`?q=`; without it every active library is listed)
//! and sees every suspended library apart, so one can be made active again from its page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use tilgang_kernel::Principal;
use tilgang_kernel::ports::LibrarySummary;
use tilgang_web::chrome::language;

use super::admin::{bar, chrome, page};
use super::library::failure;
use super::staff::Staff;
use super::{State, see_other};
use crate::pages::AdminHome;

/// The most libraries a consortium admin's search lists.
const MOST_FOUND: u64 = 200;

/// `?q=`: what a consortium admin looks for.
#[derive(Debug, Deserialize)]
pub struct Find {
    #[serde(default)]
    q: String,
}

/// `GET /admin`: a library admin of one library goes straight to it; others choose.
#[get("/admin")]
pub async fn home_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    find: web::Query<Find>,
) -> HttpResponse {
    let lang = language(&req, None, None);
    let query = find.q.trim();
    let directory = &state.ports.directory;
    let (libraries, suspended) = match &staff.principal {
        Principal::LibraryAdmin { isils, .. } if isils.len() == 1 => {
            return see_other(&format!("/admin/libraries/{}?lang={lang}", isils[0]));
        }
        Principal::LibraryAdmin { isils, .. } => {
            let mut found = Vec::new();
            for isil in isils {
                match directory.library(isil).await {
                    Ok(Some(l)) => found.push(l),
                    Ok(None) => {}
                    Err(e) => return failure(e),
                }
            }
            (found, Vec::new())
        }
        Principal::Vendor { .. } => return see_other(&format!("/vendor?lang={lang}")),
        Principal::ConsortiumAdmin { .. } => {
            let active = if query.is_empty() {
                directory.libraries().await
            } else {
                state.ports.search.search(query, MOST_FOUND).await
            };
            match (active, directory.suspended().await) {
                (Ok(active), Ok(suspended)) => (active, suspended),
                (Err(e), _) | (_, Err(e)) => return failure(e),
            }
        }
        _ => (Vec::new(), Vec::new()),
    };
    let chrome = chrome(&state, &req, "admin-title", "/admin");
    let bar = bar(&chrome, &staff);
    let listed = |libraries: Vec<LibrarySummary>| {
        libraries
            .into_iter()
            .map(|l| {
                (
                    format!("/admin/libraries/{}?lang={lang}", l.isil),
                    l.name,
                    l.isil.to_string(),
                )
            })
            .collect()
    };
    page(
        StatusCode::OK,
        &AdminHome {
            may_search: staff.principal.acts_for_all(),
            query: query.to_owned(),
            libraries: listed(libraries),
            suspended: listed(suspended),
            chrome,
            bar,
        },
    )
}
