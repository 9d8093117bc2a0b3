//! The services this binary can run, and what each needs.

use std::sync::Arc;

use tilgang_store::ServiceContext;
use tilgang_web::Module;

/// A service the binary knows.
pub struct Known {
    /// Its name in `--services`.
    pub name: &'static str,
    /// Its OpenAPI document (no database needed).
    pub openapi: fn() -> utoipa::openapi::OpenApi,
}

/// Every service, in start order.
pub const KNOWN: &[Known] = &[Known {
    name: "registry",
    openapi: tilgang_registry::openapi,
}];

/// Parses `--services`: `all` or a comma-separated list of known names.
pub fn select(list: &str) -> Result<Vec<&'static str>, String> {
    if list.trim() == "all" {
        return Ok(KNOWN.iter().map(|k| k.name).collect());
    }
    let mut chosen = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let known = KNOWN.iter().find(|k| k.name == name).ok_or_else(|| {
            let names: Vec<_> = KNOWN.iter().map(|k| k.name).collect();
            format!("unknown service {name:?}; known: all, {}", names.join(", "))
        })?;
        if !chosen.contains(&known.name) {
            chosen.push(known.name);
        }
    }
    if chosen.is_empty() {
        return Err("--services names no service".into());
    }
    Ok(chosen)
}

/// Brings the tables of the chosen services up to date.
pub async fn migrate(names: &[&str], ctx: &ServiceContext) -> Result<(), sea_orm::DbErr> {
    for name in names {
        if *name == "registry" {
            tilgang_registry::migrate(&ctx.db).await?;
        }
    }
    Ok(())
}

/// Builds the chosen services.
pub fn build(names: &[&str], ctx: &ServiceContext) -> Vec<Arc<dyn Module>> {
    names
        .iter()
        .filter_map(|name| match *name {
            "registry" => Some(Arc::new(tilgang_registry::Registry::new(ctx)) as Arc<dyn Module>),
            _ => None,
        })
        .collect()
}
