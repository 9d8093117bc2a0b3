//! `/admin/libraries/{isil}/highlights`: the library's admins choose and order the products
//! its e-library page features first (at most twelve), as `PUT
//! /admin/api/libraries/{isil}/highlights` does for scripts. Each product the library has gets
//! a position field; empty leaves it out. A form with a position that is not 1 to 12, or with
//! more than twelve, is refused on the page and changes nothing.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::ports::{LibrarySummary, ProductSummary};

use super::State;
use super::admin::{acted_for, bar, chrome, page, posted_for};
use super::highlights::MOST;
use super::library::failure;
use super::staff::Staff;
use crate::pages::{FeaturedField, FeaturedPage};

/// The products the library has now, by name.
async fn held(
    state: &State,
    library: &LibrarySummary,
    lang: &str,
) -> Result<Vec<ProductSummary>, HttpResponse> {
    let granted = state
        .ports
        .entitlements
        .granted(&library.isil, state.clock.now())
        .await
        .map_err(failure)?;
    let mut products: Vec<ProductSummary> = state
        .ports
        .catalogue
        .products()
        .await
        .map_err(failure)?
        .into_iter()
        .filter(|p| granted.iter().any(|(id, _)| *id == p.id))
        .collect();
    products.sort_by_key(|p| p.name(lang).to_lowercase());
    Ok(products)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    positions: &HashMap<String, String>,
    problem: Option<String>,
    saved: bool,
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/highlights", library.isil);
    let mut chrome = chrome(state, req, "featured-title", &here);
    let lang = chrome.lang;
    chrome.title = chrome.t.t1("featured-title", "library", &library.name);
    let products = match held(state, library, lang).await {
        Ok(products) => products,
        Err(page) => return page,
    };
    let fields = products
        .iter()
        .map(|p| FeaturedField {
            name: format!("rank-{}", p.slug),
            label: p.name(lang).to_owned(),
            value: positions
                .get(&format!("rank-{}", p.slug))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let notice = saved.then(|| chrome.t.t("featured-saved"));
    let bar = bar(&chrome, staff);
    page(
        status,
        &FeaturedPage {
            action: format!("{here}?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            chrome,
            bar,
            fields,
            problem,
            notice,
        },
    )
}

/// `GET /admin/libraries/{isil}/highlights`: the form, filled with what is featured now.
#[get("/admin/libraries/{isil}/highlights")]
pub async fn featured_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let featured = match crate::storage::highlights(&state.db, &library.isil.key()).await {
        Ok(featured) => featured,
        Err(e) => return failure(e),
    };
    let products = match state.ports.catalogue.products().await {
        Ok(products) => products,
        Err(e) => return failure(e),
    };
    let positions = featured
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let p = products.iter().find(|p| p.id.0 == *id)?;
            Some((format!("rank-{}", p.slug), (i + 1).to_string()))
        })
        .collect();
    render(
        &state,
        &req,
        &staff,
        &library,
        &positions,
        None,
        false,
        StatusCode::OK,
    )
    .await
}

/// The chosen products in order, from `rank-{slug}` fields: empty leaves a product out, ties
/// go by the order of `products`; the key of the message when a position is not 1 to 12 or
/// more than twelve are chosen.
fn chosen(
    products: &[ProductSummary],
    form: &HashMap<String, String>,
) -> Result<Vec<uuid::Uuid>, &'static str> {
    let mut ranked = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let text = form
            .get(&format!("rank-{}", p.slug))
            .map(|v| v.trim())
            .unwrap_or("");
        if text.is_empty() {
            continue;
        }
        let rank: usize = text.parse().map_err(|_| "featured-invalid")?;
        if !(1..=MOST).contains(&rank) {
            return Err("featured-invalid");
        }
        ranked.push((rank, i, p.id.0));
    }
    if ranked.len() > MOST {
        return Err("featured-too-many");
    }
    ranked.sort();
    Ok(ranked.into_iter().map(|(_, _, id)| id).collect())
}

/// `POST /admin/libraries/{isil}/highlights`: saves the order.
#[post("/admin/libraries/{isil}/highlights")]
pub async fn save_featured(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let lang = tilgang_web::chrome::language(&req, None, None);
    let products = match held(&state, &library, lang).await {
        Ok(products) => products,
        Err(page) => return page,
    };
    match chosen(&products, &form) {
        Ok(ids) => {
            if let Err(e) =
                crate::storage::set_highlights(&state.db, &library.isil.key(), &ids).await
            {
                return failure(e);
            }
            render(
                &state,
                &req,
                &staff,
                &library,
                &form,
                None,
                true,
                StatusCode::OK,
            )
            .await
        }
        Err(key) => {
            let problem = state.catalog.localizer(lang).t(key);
            render(
                &state,
                &req,
                &staff,
                &library,
                &form,
                Some(problem),
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
