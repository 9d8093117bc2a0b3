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
pub const KNOWN: &[Known] = &[
    Known {
        name: "registry",
        openapi: tilgang_registry::openapi,
    },
    Known {
        name: "subscriptions",
        openapi: tilgang_subscriptions::openapi,
    },
    Known {
        name: "usage",
        openapi: tilgang_usage::openapi,
    },
    Known {
        name: "sso",
        openapi: tilgang_sso::openapi,
    },
    Known {
        name: "portal",
        openapi: tilgang_portal::openapi,
    },
];

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
        match *name {
            "registry" => tilgang_registry::migrate(&ctx.db).await?,
            "subscriptions" => tilgang_subscriptions::migrate(&ctx.db).await?,
            "usage" => tilgang_usage::migrate(&ctx.db).await?,
            "sso" => tilgang_sso::migrate(&ctx.db).await?,
            "portal" => tilgang_portal::migrate(&ctx.db).await?,
            _ => {}
        }
    }
    Ok(())
}

/// The chosen services, built and started.
pub struct Built {
    /// The modules to mount.
    pub modules: Vec<Arc<dyn Module>>,
    /// The provider, when it runs here.
    pub sso: Option<Arc<tilgang_sso::Sso>>,
    /// Trials and subscriptions, when they run here.
    pub subscriptions: Option<Arc<tilgang_subscriptions::Subscriptions>>,
}

/// What the services need from the configuration.
pub struct ServiceSettings {
    /// The provider's.
    pub sso: tilgang_sso::Settings,
    /// Trials' and subscriptions'.
    pub subscriptions: tilgang_subscriptions::Settings,
    /// Usage statistics'.
    pub usage: tilgang_usage::Settings,
    /// The portal's.
    pub portal: tilgang_portal::Settings,
}

/// Builds the chosen services and starts their background work. Until the ports have HTTP
/// clients, `subscriptions` runs only in a process that also runs `registry`, and `sso` and
/// `usage` only in one that runs both.
pub async fn build(
    names: &[&str],
    ctx: &ServiceContext,
    settings: ServiceSettings,
) -> Result<Built, Box<dyn std::error::Error>> {
    let registry = Arc::new(tilgang_registry::Registry::new(ctx));
    let mut built = Built {
        modules: Vec::new(),
        sso: None,
        subscriptions: None,
    };
    let needs = |name: &str, others: &[&str]| -> Result<(), String> {
        if others.iter().all(|o| names.contains(o)) {
            Ok(())
        } else {
            Err(format!(
                "{name} needs {} in the same process (run --services {},{name})",
                others.join(" and "),
                others.join(",")
            ))
        }
    };
    if names.contains(&"registry") {
        built.modules.push(registry.clone());
    }
    if names.contains(&"subscriptions") {
        needs("subscriptions", &["registry"])?;
        let ports = tilgang_subscriptions::Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
        };
        let service = Arc::new(tilgang_subscriptions::Subscriptions::new(
            ctx,
            settings.subscriptions,
            ports,
        )?);
        service.start().await?;
        service.spawn_jobs();
        built.subscriptions = Some(service.clone());
        built.modules.push(service);
    }
    let mut usage: Option<Arc<dyn tilgang_kernel::ports::UsageSink>> = None;
    let mut usage_reports = None;
    if names.contains(&"usage") {
        needs("usage", &["registry", "subscriptions"])?;
        let subscriptions = built
            .subscriptions
            .as_ref()
            .ok_or("usage needs subscriptions")?;
        let ports = tilgang_usage::Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            prices: subscriptions.prices(),
        };
        let service = Arc::new(tilgang_usage::Usage::new(ctx, settings.usage, ports));
        service.spawn_jobs();
        usage = Some(service.sink());
        usage_reports = Some(service.reports());
        built.modules.push(service);
    }
    if names.contains(&"sso") {
        needs("sso", &["registry", "subscriptions"])?;
        let entitlements = built
            .subscriptions
            .as_ref()
            .map(|s| s.entitlements())
            .ok_or("sso needs subscriptions")?;
        let ports = tilgang_sso::Ports {
            directory: registry.directory(),
            search: registry.library_search(),
            catalogue: registry.catalogue(),
            entitlements,
            // Without `usage` in the process, the latest events are kept in memory only.
            usage: usage.unwrap_or_else(|| Arc::new(tilgang_sso::usage::RecentEvents::new(10_000))),
            staff: registry.staff(),
        };
        let provider = Arc::new(tilgang_sso::Sso::new(ctx, settings.sso, ports));
        provider.start().await?;
        built.sso = Some(provider.clone());
        built.modules.push(provider);
    }
    if names.contains(&"portal") {
        needs("portal", &["registry", "subscriptions"])?;
        let subscriptions = built
            .subscriptions
            .as_ref()
            .ok_or("portal needs subscriptions")?;
        let ports = tilgang_portal::Ports {
            directory: registry.directory(),
            catalogue: registry.catalogue(),
            entitlements: subscriptions.entitlements(),
            search: registry.library_search(),
            trials: subscriptions.trials(),
            staff: registry.staff(),
            usage: usage_reports,
        };
        built.modules.push(Arc::new(tilgang_portal::Portal::new(
            ctx,
            ports,
            settings.portal,
        )));
    }
    Ok(built)
}
