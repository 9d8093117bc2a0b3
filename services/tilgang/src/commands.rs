//! What each command does.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use secrecy::ExposeSecret;
use tilgang_kernel::{Principal, SharedSecretTokens, SystemClock, VendorId};
use tilgang_store::{DatabaseCheck, KvCheck, ServiceContext};
use tilgang_web::Hub;

use crate::cli::{Cli, Command, ImportFormat, RoleArg, ServeArgs, TokenArgs, TokenCommand};
use crate::config::{ConfigError, Settings};
use crate::demo_vendor;
use crate::services;

type Failure = Box<dyn std::error::Error>;

/// Runs one command.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Openapi => {
            print!("{}", crate::openapi_json());
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create(args),
        } => {
            println!("{}", mint(&settings, &args)?);
            Ok(())
        }
        Command::Migrate => {
            init_tracing(&settings);
            let ctx = context(&settings).await?;
            let all = services::select("all")?;
            services::migrate(&all, &ctx).await?;
            tilgang_sso::prepare_keys(&ctx, &settings.sso()?).await?;
            tracing::info!(services = ?all, "migrations are up to date");
            Ok(())
        }
        Command::Import { format, file } => {
            init_tracing(&settings);
            let ctx = context(&settings).await?;
            tilgang_registry::migrate(&ctx.db).await?;
            let body =
                std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let format = match format {
                ImportFormat::Basebibliotek => "basebibliotek",
                ImportFormat::Csv => "csv",
            };
            let report = tilgang_registry::import::run(&ctx.db, format, &body, Utc::now())
                .await
                .map_err(|e| match e {
                    tilgang_registry::domain::RegistryError::ImportInvalid(records) => {
                        format!(
                            "nothing was imported; invalid records: {}",
                            serde_json::to_string_pretty(&records).unwrap_or_default()
                        )
                    }
                    other => other.to_string(),
                })?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Serve(args) => serve(settings, args).await,
        Command::Demo(args) => serve(settings, ServeArgs { demo: true, ..args }).await,
    }
}

fn init_tracing(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log.level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if settings.log.format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Connects the database (retrying for a while, as a database in the same Compose file may
/// still be starting) and the cache.
async fn context(settings: &Settings) -> Result<ServiceContext, Failure> {
    let url = settings.database.url.expose_secret();
    let mut attempt = 1;
    let db = loop {
        match tilgang_store::connect(url, settings.database.max_connections, None).await {
            Ok(db) => break db,
            Err(e) if attempt < 10 => {
                tracing::warn!(attempt, error = %e, "the database does not answer yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
                attempt += 1;
            }
            Err(e) => return Err(format!("cannot connect to the database: {e}").into()),
        }
    };
    let kv = tilgang_store::connect_kv(settings.cache.url.expose_secret(), &settings.cache.prefix)
        .await?;
    Ok(ServiceContext {
        db,
        kv,
        clock: Arc::new(SystemClock),
    })
}

fn tokens(settings: &Settings) -> Result<SharedSecretTokens, ConfigError> {
    Ok(SharedSecretTokens::new(
        &settings.server.public_url,
        &settings.token_secret()?,
    ))
}

fn mint(settings: &Settings, args: &TokenArgs) -> Result<String, Failure> {
    let subject = args.subject.clone();
    let principal = match args.role {
        RoleArg::ConsortiumAdmin => Principal::ConsortiumAdmin { subject },
        RoleArg::Service => Principal::Service { subject },
        RoleArg::LibraryAdmin => {
            if args.isil.is_empty() {
                return Err("a library admin token needs at least one --isil".into());
            }
            let isils = args
                .isil
                .iter()
                .map(|i| i.parse())
                .collect::<Result<Vec<_>, _>>()?;
            Principal::LibraryAdmin { subject, isils }
        }
        RoleArg::Vendor => {
            let vendor: VendorId = args
                .vendor
                .as_deref()
                .ok_or("a vendor token needs --vendor ID")?
                .parse()?;
            Principal::Vendor { subject, vendor }
        }
    };
    Ok(tokens(settings)?.mint(&principal, Utc::now(), chrono::Duration::days(args.days)))
}

async fn serve(mut settings: Settings, args: ServeArgs) -> Result<(), Failure> {
    if let Some(bind) = args.bind {
        settings.server.bind = bind;
    }
    init_tracing(&settings);
    let names = services::select(&args.services)?;
    let tokens = Arc::new(tokens(&settings)?);
    let ctx = context(&settings).await?;
    if settings.database.migrate_on_start {
        services::migrate(&names, &ctx).await?;
    }
    let listener = TcpListener::bind(&settings.server.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", settings.server.bind))?;
    let address = listener.local_addr()?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let cache = settings.cache.url.expose_secret();
    let service_settings = services::ServiceSettings {
        sso: settings.sso()?,
        subscriptions: settings.subscriptions()?,
        usage: settings.usage()?,
        portal: settings.portal(address, names.contains(&"sso"))?,
        remote: services::Remote {
            peers: settings.peers.clone(),
            local: format!("http://{address}"),
            issuer: settings.server.public_url.trim_end_matches('/').to_owned(),
            root_secret: settings.token_secret()?,
            redis: cache
                .starts_with("redis")
                .then(|| (cache.to_owned(), settings.cache.prefix.clone())),
            instance: instance_name(address),
            stop: stopping,
        },
    };
    let mut built = services::build(&names, &ctx, service_settings).await?;
    if args.demo {
        let (vendor, loaded) = tilgang_registry::demo::ensure(&ctx.db, Utc::now()).await?;
        if let Some(subscriptions) = &built.subscriptions {
            tilgang_subscriptions::demo::ensure(
                &subscriptions.desk(),
                &tilgang_registry::demo::isils(),
            )
            .await?;
        }
        if let Some(sso) = &built.sso {
            sso.load_demo(Utc::now()).await?;
            let issuer = settings.server.public_url.trim_end_matches('/');
            let site = format!("{issuer}{}", demo_vendor::PATH);
            let vendors = tilgang_registry::demo::point_at(&ctx.db, &site, Utc::now()).await?;
            // One client per product, as a vendor registers them: the e-book client for
            // logins that name no product, the audiobook client for its `/go` links (a trial
            // of it is the demo's story).
            let mut clients = Vec::new();
            for slug in ["nordlys-ebok", "nordlys-lydbok"] {
                if let Some((id, secret)) = sso.demo_vendor_client(slug, &site).await? {
                    clients.push((slug.to_owned(), id, secret));
                }
            }
            if !clients.is_empty() {
                let audiences = vendors
                    .into_iter()
                    .map(|(slug, vendor)| (slug, vendor.0.to_string()))
                    .collect();
                built.modules.push(Arc::new(demo_vendor::DemoVendor::new(
                    issuer, clients, audiences,
                )));
            }
        }
        print_demo(
            &format!("http://{address}"),
            &settings.server.public_url,
            &tokens,
            vendor,
            loaded.is_some(),
        );
    }
    let mut checks: Vec<Arc<dyn tilgang_kernel::ReadinessCheck>> = vec![
        Arc::new(DatabaseCheck(ctx.db.clone())),
        Arc::new(KvCheck(ctx.kv.clone())),
    ];
    checks.extend(built.peers);
    let whole = tilgang_web::hub::openapi(services::KNOWN.iter().map(|s| (s.openapi)()));
    let hub = Arc::new(Hub::new(built.modules, tokens, checks).describing(whole));
    let workers = match settings.server.workers {
        0 => std::thread::available_parallelism().map_or(2, usize::from),
        n => n,
    };
    let grace = Duration::from_secs(settings.server.shutdown_seconds);
    tracing::info!(%address, services = ?names, workers, "Tilgang is listening");
    // On SIGTERM or SIGINT the server stops taking connections and lets in-flight requests
    // finish; the event consumers are told at the same moment, so they store and acknowledge
    // the batch in hand meanwhile. Both get the grace time, counted from the signal.
    let stop = Arc::new(stop);
    let signalled: Arc<std::sync::OnceLock<std::time::Instant>> = Arc::default();
    tokio::spawn({
        let (stop, signalled) = (stop.clone(), signalled.clone());
        async move {
            stop_signal().await;
            let _ = signalled.set(std::time::Instant::now());
            let _ = stop.send(true);
        }
    });
    hub.serve(listener, workers, grace)?.await?;
    let _ = stop.send(true);
    let since = signalled.get().map_or(Duration::ZERO, |at| at.elapsed());
    let left = grace.saturating_sub(since).max(Duration::from_secs(1));
    let drain = async {
        for task in built.draining {
            let _ = task.await;
        }
    };
    if tokio::time::timeout(left, drain).await.is_err() {
        tracing::warn!("background work did not finish within the shutdown time");
    }
    tracing::info!("Tilgang stopped");
    Ok(())
}

/// Waits for SIGTERM (or SIGINT, such as Ctrl-C).
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// A name for this process that no other has: host, address and process id.
fn instance_name(address: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}-{address}-{}", host.trim(), std::process::id())
}

fn print_demo(
    base: &str,
    public_url: &str,
    tokens: &SharedSecretTokens,
    vendor: VendorId,
    loaded_now: bool,
) {
    let now = Utc::now();
    let month = chrono::Duration::days(30);
    let consortium = tokens.mint(
        &Principal::ConsortiumAdmin {
            subject: "demo-consortium-admin".into(),
        },
        now,
        month,
    );
    let library = tokens.mint(
        &Principal::LibraryAdmin {
            subject: "demo-library-admin".into(),
            isils: vec!["NO-2030000".parse().expect("valid")],
        },
        now,
        month,
    );
    let vendor_token = tokens.mint(
        &Principal::Vendor {
            subject: "demo-vendor".into(),
            vendor,
        },
        now,
        month,
    );
    let state = if loaded_now {
        "Demo data loaded"
    } else {
        "Demo data was already loaded"
    };
    println!(
        "\n{state}: 13 Nordic libraries, a consortium, four regions, two vendors and four products.\n\n\
         Try:\n  {base}/l/NO-2030000   (Deichman's e-library page, as its patrons see it)\n  \
         {base}/health/ready\n  {base}/openapi.json\n\n\
         Staff pages: {public}/admin   (password {password} for every demo account)\n  \
         tampere@tilgang.demo    Tampere's library admin (FI-Tam): try Nordlys lydbøker there\n  \
         deichman@tilgang.demo   Deichman's library admin (NO-2030000)\n  \
         konsortium@tilgang.demo the consortium's admin\n\n\
         Demo patron: card demo, PIN 2468, at Tampere or Deichman.\n\n\
         Tokens (valid 30 days):\n  consortium admin: {consortium}\n  library admin (Deichman, NO-2030000): {library}\n  \
         vendor (Nordlys Forlag): {vendor_token}\n\n\
         For example:\n  curl -H \"Authorization: Bearer $TOKEN\" {base}/api/v1/libraries?country=NO\n",
        password = tilgang_registry::demo::STAFF_PASSWORD,
        public = public_url.trim_end_matches('/'),
    );
}
