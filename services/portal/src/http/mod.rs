//! The portal's routes: the e-library pages, the staff login and pages, the stylesheet, and
//! the highlights API.

mod access;
mod account;
pub mod admin;
mod agreements;
mod catalogue;
mod clients;
mod convert;
mod csv;
mod eid;
mod featured;
mod highlights;
mod home;
mod library;
mod login_setup;
mod logo;
mod oversight;
mod patrons;
mod products;
mod register;
mod reports;
mod requests;
mod settings;
pub mod staff;
mod staff_home;
mod statistics;
mod upload;
mod usage;
mod vendor;
mod vendors;
mod webhooks;

use std::sync::Arc;

use actix_web::{HttpResponse, get, web};
use tilgang_kernel::Clock;
use tilgang_web::i18n::Catalog;
use utoipa::OpenApi;

use crate::Ports;

/// What the handlers share.
pub struct State {
    /// The portal's database (its highlights).
    pub db: sea_orm::DatabaseConnection,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The other services.
    pub ports: Ports,
    /// Texts.
    pub catalog: Arc<Catalog>,
    /// Staff sessions and pending logins.
    pub kv: Arc<dyn tilgang_store::Kv>,
    /// The staff login at the hub's provider.
    pub staff: staff::StaffLogin,
    /// Seals staff members' two-step login secrets.
    pub staff_totp: tilgang_kernel::totp::SecretBox,
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<State>) {
    cfg.app_data(state)
        .service(stylesheet)
        .service(home::home)
        .service(catalogue::catalogue)
        .service(library::elibrary)
        .service(library::privacy)
        .service(library::widget)
        .service(staff::login_start)
        .service(staff::login_callback)
        .service(staff::logout_end)
        .service(account::account_page)
        .service(account::set_totp)
        .service(staff_home::home_page)
        .service(admin::library_page)
        .service(logo::logo_page)
        .service(logo::upload_logo)
        .service(logo::remove_logo)
        .service(logo::logo)
        .service(admin::trial)
        .service(admin::start_trial)
        .service(admin::cancel_trial)
        .service(featured::featured_page)
        .service(featured::save_featured)
        .service(convert::convert_page)
        .service(convert::convert)
        .service(eid::eid_page)
        .service(eid::save_eid)
        .service(eid::eid_action)
        .service(login_setup::setup_page)
        .service(login_setup::save_setup)
        .service(login_setup::test_setup)
        .service(patrons::patrons_page)
        .service(patrons::issue)
        .service(patrons::change)
        .service(settings::settings_page)
        .service(settings::save_settings)
        .service(statistics::statistics_page)
        .service(usage::usage_csv)
        .service(usage::usage_page)
        .service(vendor::home)
        .service(vendor::decide)
        .service(access::libraries_csv)
        .service(access::libraries_page)
        .service(clients::vendor_page)
        .service(clients::register)
        .service(clients::approvals_page)
        .service(clients::decide)
        .service(register::import_page)
        .service(register::import)
        .service(register::set_status)
        .service(products::products_page)
        .service(products::product_page)
        .service(products::save_product)
        .service(reports::reports_page)
        .service(reports::send)
        .service(webhooks::webhooks_page)
        .service(webhooks::add)
        .service(webhooks::act)
        .service(agreements::agreements_page)
        .service(agreements::make)
        .service(agreements::cancel)
        .service(vendors::vendors_page)
        .service(vendors::register)
        .service(vendors::vendor_page)
        .service(vendors::save)
        .service(vendors::add_product)
        .service(oversight::failures_page)
        .service(oversight::audit_page)
        .service(highlights::get)
        .service(highlights::put);
}

/// The pages' stylesheet.
#[get("/assets/tilgang.css")]
async fn stylesheet() -> HttpResponse {
    tilgang_web::chrome::stylesheet()
}

/// What a service's refusal says in the page's language (`refused-{code}`), or its own words
/// when the portal has none for the code.
fn refusal_text(
    t: &tilgang_web::i18n::Localizer,
    refusal: tilgang_kernel::ports::Refusal,
) -> String {
    let key = format!("refused-{}", refusal.code);
    let text = t.t(&key);
    if text == key { refusal.message } else { text }
}

/// A 303 to `location`, not cached.
fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

/// An HTML page with the portal's security headers; `frame_ancestors` says who may show it in
/// a frame (`'none'` for every page but the widget).
fn html(status: actix_web::http::StatusCode, body: String, frame_ancestors: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            format!(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                 base-uri 'none'; frame-ancestors {frame_ancestors}"
            ),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body)
}

/// The service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(highlights::get, highlights::put),
    tags((name = "portal", description = "The portal: what each library's e-library page features")),
    security(("bearer" = []))
)]
pub struct PortalApi;
