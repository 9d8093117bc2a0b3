//! The services this binary can run, and what each needs.

use std::sync::Arc;

use tilgang_kernel::ReadinessCheck;
use tilgang_kernel::ports::{
    Catalogue, Clients, Entitlements, LibraryDirectory, LibraryEditor, LibrarySearch, LoginSetup,
    Oversight, PatronLogins, Prices, StaffDirectory, Trials, UsageReports, UsageSink,
};
use tilgang_kernel::remote::registry::{
    CatalogueServer, DirectoryServer, EditorServer, RegistryClient, SearchServer, StaffServer,
};
use tilgang_kernel::remote::sso::{ClientsServer, LoginSetupServer, PatronLoginsServer, SsoClient};
use tilgang_kernel::remote::subscriptions::{
    EntitlementsServer, OversightServer, PricesServer, SubscriptionsClient, TrialsServer,
};
use tilgang_kernel::remote::usage::{ReportsServer, UsageClient};
use tilgang_kernel::remote::{Dispatch, Peer, ServiceTokens};
use tilgang_store::ServiceContext;
use tilgang_store::stream::{ACCESS_EVENTS, EventStream, StreamSink};
use tilgang_web::Module;
use tilgang_web::internal::Internal;

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
    /// Readiness of the services this process asks over HTTP.
    pub peers: Vec<Arc<dyn ReadinessCheck>>,
    /// Background work to let finish on shutdown (the access-event consumer).
    pub draining: Vec<tokio::task::JoinHandle<()>>,
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
    /// Where the other services are, and how to reach them.
    pub remote: Remote,
}

/// How this process reaches services that run elsewhere.
pub struct Remote {
    /// Base URL per service (`peers.*`).
    pub peers: crate::config::Peers,
    /// This process's own base URL (for the token endpoint when `sso` runs here).
    pub local: String,
    /// The hub's issuer (its public URL without a trailing slash), which service tokens name.
    pub issuer: String,
    /// The root secret, from which service-client secrets derive.
    pub root_secret: Vec<u8>,
    /// The Redis URL and key prefix, when the cache is Redis (event streams need it).
    pub redis: Option<(String, String)>,
    /// A name unique to this process (a stream consumer's name).
    pub instance: String,
    /// Turns true when the process shuts down.
    pub stop: tokio::sync::watch::Receiver<bool>,
}

/// Each port, from the service in this process when it runs here, else over HTTP.
struct Wiring<'a> {
    names: &'a [&'a str],
    remote: &'a Remote,
    tokens: Option<Arc<ServiceTokens>>,
    registry: Option<Arc<tilgang_registry::Registry>>,
    subscriptions: Option<Arc<tilgang_subscriptions::Subscriptions>>,
    usage: Option<Arc<tilgang_usage::Usage>>,
    sso: Option<Arc<tilgang_sso::Sso>>,
    used: Vec<Peer>,
}

impl Wiring<'_> {
    /// The peer `service`, for `caller`; remembered for readiness.
    fn peer(&mut self, service: &'static str, caller: &str) -> Result<Peer, String> {
        if let Some(peer) = self.used.iter().find(|p| p.service() == service) {
            return Ok(peer.clone());
        }
        let base = self.remote.peers.of(service).ok_or_else(|| {
            format!(
                "{caller} needs {service}: run it in this process (--services {service},{caller}) \
                 or say where it is (peers.{service}, TILGANG_PEERS_{})",
                service.to_uppercase()
            )
        })?;
        let tokens = match &self.tokens {
            Some(tokens) => tokens.clone(),
            None => {
                let sso = if self.names.contains(&"sso") {
                    self.remote.local.as_str()
                } else {
                    self.remote.peers.sso.as_deref().ok_or_else(|| {
                        format!(
                            "{caller} asks {service} with service tokens from sso: run sso here \
                             or set peers.sso (TILGANG_PEERS_SSO)"
                        )
                    })?
                };
                let name = self.names.first().copied().unwrap_or("service");
                let tokens = Arc::new(ServiceTokens::new(sso, name, &self.remote.root_secret));
                self.tokens = Some(tokens.clone());
                tokens
            }
        };
        let peer = Peer::new(service, base, tokens);
        self.used.push(peer.clone());
        Ok(peer)
    }

    fn registry(&mut self, caller: &str) -> Result<Registered, String> {
        if let Some(registry) = &self.registry {
            return Ok(Registered {
                directory: registry.directory(),
                search: registry.library_search(),
                catalogue: registry.catalogue(),
                staff: registry.staff(),
                editor: registry.editor(),
            });
        }
        let client = RegistryClient(self.peer("registry", caller)?);
        Ok(Registered {
            directory: Arc::new(client.clone()),
            search: Arc::new(client.clone()),
            catalogue: Arc::new(client.clone()),
            staff: Arc::new(client.clone()),
            editor: Arc::new(client),
        })
    }

    fn subscriptions(&mut self, caller: &str) -> Result<Subscribed, String> {
        if let Some(subscriptions) = &self.subscriptions {
            return Ok(Subscribed {
                entitlements: subscriptions.entitlements(),
                prices: subscriptions.prices(),
                trials: subscriptions.trials(),
                oversight: subscriptions.oversight(),
            });
        }
        let client = SubscriptionsClient(self.peer("subscriptions", caller)?);
        Ok(Subscribed {
            entitlements: Arc::new(client.clone()),
            prices: Arc::new(client.clone()),
            trials: Arc::new(client.clone()),
            oversight: Arc::new(client),
        })
    }

    /// Where access events go: `usage` here, else its stream in Redis, else (one process
    /// without `usage`, as in tests) the latest events in memory.
    async fn usage_sink(&self) -> Result<Arc<dyn UsageSink>, String> {
        if let Some(usage) = &self.usage {
            return Ok(usage.sink());
        }
        match &self.remote.redis {
            Some((url, prefix)) => {
                let stream = EventStream::connect(url, prefix, ACCESS_EVENTS)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Arc::new(StreamSink(stream)))
            }
            None => {
                tracing::warn!(
                    "usage does not run here and the cache is not Redis: access events are kept in memory only"
                );
                Ok(Arc::new(tilgang_sso::usage::RecentEvents::new(10_000)))
            }
        }
    }

    /// The logins libraries issue to patrons: `sso` here, else over HTTP.
    fn patron_logins(&mut self, caller: &str) -> Result<Arc<dyn PatronLogins>, String> {
        if let Some(sso) = &self.sso {
            return Ok(sso.patron_logins());
        }
        Ok(Arc::new(SsoClient(self.peer("sso", caller)?)))
    }

    /// How libraries' patrons log in: `sso` here, else over HTTP.
    fn login_setup(&mut self, caller: &str) -> Result<Arc<dyn LoginSetup>, String> {
        if let Some(sso) = &self.sso {
            return Ok(sso.login_setup());
        }
        Ok(Arc::new(SsoClient(self.peer("sso", caller)?)))
    }

    /// Vendors' OpenID Connect clients: `sso` here, else over HTTP.
    fn clients(&mut self, caller: &str) -> Result<Arc<dyn Clients>, String> {
        if let Some(sso) = &self.sso {
            return Ok(sso.clients());
        }
        Ok(Arc::new(SsoClient(self.peer("sso", caller)?)))
    }

    /// Usage reports: `usage` here, or where `peers.usage` says; none otherwise.
    fn usage_reports(&mut self, caller: &str) -> Option<Arc<dyn UsageReports>> {
        if let Some(usage) = &self.usage {
            return Some(usage.reports());
        }
        self.remote.peers.usage.as_ref()?;
        let peer = self.peer("usage", caller).ok()?;
        Some(Arc::new(UsageClient(peer)))
    }
}

/// `registry`'s ports.
struct Registered {
    directory: Arc<dyn LibraryDirectory>,
    search: Arc<dyn LibrarySearch>,
    catalogue: Arc<dyn Catalogue>,
    staff: Arc<dyn StaffDirectory>,
    editor: Arc<dyn LibraryEditor>,
}

/// `subscriptions`' ports.
struct Subscribed {
    entitlements: Arc<dyn Entitlements>,
    prices: Arc<dyn Prices>,
    trials: Arc<dyn Trials>,
    oversight: Arc<dyn Oversight>,
}

/// Builds the chosen services and starts their background work. A port of a service that runs
/// here is answered in-process; one of a service elsewhere goes over HTTP to `peers.*`.
pub async fn build(
    names: &[&str],
    ctx: &ServiceContext,
    settings: ServiceSettings,
) -> Result<Built, Box<dyn std::error::Error>> {
    let remote = &settings.remote;
    let mut wiring = Wiring {
        names,
        remote,
        tokens: None,
        registry: None,
        subscriptions: None,
        usage: None,
        sso: None,
        used: Vec::new(),
    };
    let mut built = Built {
        modules: Vec::new(),
        sso: None,
        subscriptions: None,
        peers: Vec::new(),
        draining: Vec::new(),
    };
    let mut answered: Vec<Arc<dyn Dispatch>> = Vec::new();
    if names.contains(&"registry") {
        let registry = Arc::new(tilgang_registry::Registry::new(ctx));
        answered.push(Arc::new(DirectoryServer(registry.directory())));
        answered.push(Arc::new(SearchServer(registry.library_search())));
        answered.push(Arc::new(CatalogueServer(registry.catalogue())));
        answered.push(Arc::new(StaffServer(registry.staff())));
        answered.push(Arc::new(EditorServer(registry.editor())));
        built.modules.push(registry.clone());
        wiring.registry = Some(registry);
    }
    if names.contains(&"subscriptions") {
        let registered = wiring.registry("subscriptions")?;
        let ports = tilgang_subscriptions::Ports {
            directory: registered.directory,
            catalogue: registered.catalogue,
        };
        let service = Arc::new(tilgang_subscriptions::Subscriptions::new(
            ctx,
            settings.subscriptions,
            ports,
        )?);
        service.start().await?;
        service.spawn_jobs();
        answered.push(Arc::new(EntitlementsServer(service.entitlements())));
        answered.push(Arc::new(PricesServer(service.prices())));
        answered.push(Arc::new(TrialsServer(service.trials())));
        answered.push(Arc::new(OversightServer(service.oversight())));
        built.subscriptions = Some(service.clone());
        built.modules.push(service.clone());
        wiring.subscriptions = Some(service);
    }
    if names.contains(&"usage") {
        let registered = wiring.registry("usage")?;
        let subscribed = wiring.subscriptions("usage")?;
        let ports = tilgang_usage::Ports {
            directory: registered.directory,
            catalogue: registered.catalogue,
            entitlements: subscribed.entitlements,
            prices: subscribed.prices,
        };
        let service = Arc::new(tilgang_usage::Usage::new(ctx, settings.usage, ports));
        service.spawn_jobs();
        if let Some((url, prefix)) = &remote.redis {
            let stream = EventStream::connect(url, prefix, ACCESS_EVENTS).await?;
            let name = remote.instance.clone();
            built
                .draining
                .push(service.consume(stream, name, remote.stop.clone()));
        }
        answered.push(Arc::new(ReportsServer(service.reports())));
        built.modules.push(service.clone());
        wiring.usage = Some(service);
    }
    if names.contains(&"sso") {
        let registered = wiring.registry("sso")?;
        let subscribed = wiring.subscriptions("sso")?;
        let ports = tilgang_sso::Ports {
            directory: registered.directory,
            search: registered.search,
            catalogue: registered.catalogue,
            entitlements: subscribed.entitlements,
            usage: wiring.usage_sink().await?,
            staff: registered.staff,
        };
        let provider = Arc::new(tilgang_sso::Sso::new(ctx, settings.sso, ports));
        provider.start().await?;
        answered.push(Arc::new(PatronLoginsServer(provider.patron_logins())));
        answered.push(Arc::new(LoginSetupServer(provider.login_setup())));
        answered.push(Arc::new(ClientsServer(provider.clients())));
        built.sso = Some(provider.clone());
        built.modules.push(provider.clone());
        wiring.sso = Some(provider);
    }
    if names.contains(&"portal") {
        let registered = wiring.registry("portal")?;
        let subscribed = wiring.subscriptions("portal")?;
        let ports = tilgang_portal::Ports {
            directory: registered.directory,
            catalogue: registered.catalogue,
            entitlements: subscribed.entitlements,
            search: registered.search,
            trials: subscribed.trials,
            oversight: subscribed.oversight,
            staff: registered.staff,
            editor: registered.editor,
            logins: wiring.patron_logins("portal")?,
            setup: wiring.login_setup("portal")?,
            clients: wiring.clients("portal")?,
            usage: wiring.usage_reports("portal"),
        };
        built.modules.push(Arc::new(tilgang_portal::Portal::new(
            ctx,
            ports,
            settings.portal,
        )));
    }
    if !answered.is_empty() {
        let verifier =
            tilgang_kernel::SharedSecretTokens::internal(&remote.issuer, &remote.root_secret);
        built
            .modules
            .push(Arc::new(Internal::new(answered, Arc::new(verifier))));
    }
    built.peers = wiring
        .used
        .into_iter()
        .map(|peer| Arc::new(peer) as Arc<dyn ReadinessCheck>)
        .collect();
    Ok(built)
}
