//! Configuration: defaults, then `tilgang.toml`, then `TILGANG_...` environment variables, then
//! the command line. With no configuration at all the hub runs on SQLite under `./data` with an
//! in-memory cache.
//!
//! Environment variables name a section and a key: `TILGANG_DATABASE_URL` sets `database.url`,
//! `TILGANG_CACHE_URL` sets `cache.url`, `TILGANG_AUTH_TOKEN_SECRET` sets `auth.token_secret`.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Every setting.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// HTTP server.
    pub server: Server,
    /// Database.
    pub database: Database,
    /// Cache, sessions and rate limits.
    pub cache: Cache,
    /// API tokens.
    pub auth: Auth,
    /// Patron single sign-on.
    pub sso: Sso,
    /// E-mail.
    pub mail: Mail,
    /// Usage statistics.
    pub usage: UsageSettings,
    /// The portal.
    pub portal: PortalSettings,
    /// Where the services that do not run in this process are.
    pub peers: Peers,
    /// Logging.
    pub log: Log,
    /// Where local files (the SQLite database, a generated token secret) live.
    pub data_dir: DataDir,
}

/// `server.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Server {
    /// Address to listen on.
    pub bind: String,
    /// The hub's public base URL (the issuer of its tokens).
    pub public_url: String,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// On SIGTERM or SIGINT, how long in-flight requests and the event consumers may take to
    /// finish before the process exits anyway (default 30).
    pub shutdown_seconds: u64,
}

impl Default for Server {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            public_url: "http://localhost:8080".into(),
            workers: 0,
            shutdown_seconds: 30,
        }
    }
}

/// `database.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Database {
    /// `sqlite://data/tilgang.db` (default) or `postgres://user@host/db`.
    pub url: SecretString,
    /// Connections in the pool.
    pub max_connections: u32,
    /// Run migrations when `serve` starts (on by default; production may run `tilgang migrate`
    /// as a separate step and turn this off).
    pub migrate_on_start: bool,
}

impl Default for Database {
    fn default() -> Self {
        Self {
            url: SecretString::from("sqlite://data/tilgang.db"),
            max_connections: 10,
            migrate_on_start: true,
        }
    }
}

/// `cache.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cache {
    /// `memory` (default, one process) or `redis://host:6379`.
    pub url: SecretString,
    /// Prefix of every Redis key.
    pub prefix: String,
}

impl Default for Cache {
    fn default() -> Self {
        Self {
            url: SecretString::from("memory"),
            prefix: "tilgang:".into(),
        }
    }
}

/// `auth.*`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Auth {
    /// Secret that signs API tokens (at least 32 bytes). Required with PostgreSQL, so replicas
    /// share it; on SQLite one is generated into the data folder when missing.
    pub token_secret: Option<SecretString>,
}

/// `sso.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sso {
    /// How long a new signing key is published before it signs (default one day). Clients
    /// cache the JWKS for up to 5 minutes, so anything under 300 seconds is for tests only.
    pub key_publish_lead_seconds: u64,
    /// How long a signing key signs before the next takes over (default 30 days).
    pub key_lifetime_days: u64,
    /// The issuer of the consortium's own OpenID Connect provider for staff (unset: staff log
    /// in with a password only). Register `{public_url}/login/staff/upstream/callback` there.
    pub staff_idp_issuer: Option<String>,
    /// The name on its login button.
    pub staff_idp_name: String,
    /// The hub's client id there.
    pub staff_idp_client_id: Option<String>,
    /// The hub's client secret there.
    pub staff_idp_client_secret: Option<SecretString>,
    /// The ID token claim with the staff member's e-mail address.
    pub staff_idp_email_claim: String,
    /// Trust that claim without `email_verified: true` (only for a claim users cannot change,
    /// such as Entra ID's `upn`; default false).
    pub staff_idp_trust_email: bool,
}

impl Default for Sso {
    fn default() -> Self {
        Self {
            key_publish_lead_seconds: 86_400,
            key_lifetime_days: 30,
            staff_idp_issuer: None,
            staff_idp_name: "Consortium login".into(),
            staff_idp_client_id: None,
            staff_idp_client_secret: None,
            staff_idp_email_claim: "email".into(),
            staff_idp_trust_email: false,
        }
    }
}

/// `mail.*`: the SMTP server that e-mails notices to libraries (optional).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mail {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or
    /// `smtps://user:pass@host:465`; without it notices are only shown in the portal and API.
    pub smtp_url: Option<SecretString>,
    /// The sender of the hub's mail.
    pub from: String,
}

impl Default for Mail {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Tilgang <noreply@localhost>".into(),
        }
    }
}

/// `usage.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UsageSettings {
    /// Days raw access events are kept before only the roll-ups remain (default 90).
    pub retention_days: u64,
}

impl Default for UsageSettings {
    fn default() -> Self {
        Self { retention_days: 90 }
    }
}

/// `portal.*`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortalSettings {
    /// Where the portal reaches the provider's token endpoint and keys (default: this process
    /// itself when it runs `sso`, else `server.public_url`).
    pub provider_url: Option<String>,
}

/// `peers.*`: the base URL of each service that runs in another process, such as
/// `http://registry:8080` (`TILGANG_PEERS_REGISTRY`). A service that runs here needs none; one
/// that is needed, neither here nor named, stops the start with a message saying so.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Peers {
    /// The library register, catalogue and staff accounts.
    pub registry: Option<String>,
    /// Entitlements, prices and trials.
    pub subscriptions: Option<String>,
    /// Usage reports.
    pub usage: Option<String>,
    /// The provider, which issues the service tokens.
    pub sso: Option<String>,
}

impl Peers {
    /// The base URL of the service `name`, if set.
    pub fn of(&self, name: &str) -> Option<&str> {
        match name {
            "registry" => self.registry.as_deref(),
            "subscriptions" => self.subscriptions.as_deref(),
            "usage" => self.usage.as_deref(),
            "sso" => self.sso.as_deref(),
            _ => None,
        }
    }
}

/// `log.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Log {
    /// `text` or `json`.
    pub format: String,
    /// Filter such as `info` or `info,tilgang_registry=debug` (`RUST_LOG` wins when set).
    pub level: String,
}

impl Default for Log {
    fn default() -> Self {
        Self {
            format: "text".into(),
            level: "info".into(),
        }
    }
}

/// The data folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct DataDir(pub PathBuf);

impl Default for DataDir {
    fn default() -> Self {
        Self(PathBuf::from("data"))
    }
}

/// A setting that cannot work, said plainly.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

impl Settings {
    /// Reads defaults, the file (`path`, or `./tilgang.toml` when present) and the environment.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        // Every section has serde defaults, so a missing file or key falls back to them.
        let mut figment = Figment::new();
        match path {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!(
                    "the file {} does not exist",
                    path.display()
                )));
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file("tilgang.toml")),
        }
        let env = Env::prefixed("TILGANG_")
            .ignore(&[
                "CONFIG",
                "TEST_DATABASE_URL",
                "TEST_REDIS_URL",
                "REQUIRE_INTEROP",
                "INTEROP_DATABASE_URL",
                "INTEROP_REDIS_URL",
                "PYTHON",
                "BIN",
            ])
            .map(|key| key.as_str().replacen('_', ".", 1).into());
        let settings: Settings = figment
            .merge(env)
            .extract()
            .map_err(|e| ConfigError(e.to_string()))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let db = self.database.url.expose_secret();
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(ConfigError(
                "database.url must start with sqlite: or postgres://".into(),
            ));
        }
        let cache = self.cache.url.expose_secret();
        if !(cache == "memory" || cache.starts_with("redis://") || cache.starts_with("rediss://")) {
            return Err(ConfigError(
                "cache.url must be 'memory' or start with redis://".into(),
            ));
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(ConfigError("log.format must be 'text' or 'json'".into()));
        }
        if self.sso.key_publish_lead_seconds == 0 || self.sso.key_lifetime_days == 0 {
            return Err(ConfigError(
                "sso.key_publish_lead_seconds and sso.key_lifetime_days must be at least 1".into(),
            ));
        }
        if self.usage.retention_days == 0 {
            return Err(ConfigError(
                "usage.retention_days must be at least 1".into(),
            ));
        }
        for (name, url) in [
            ("registry", &self.peers.registry),
            ("subscriptions", &self.peers.subscriptions),
            ("usage", &self.peers.usage),
            ("sso", &self.peers.sso),
        ] {
            if let Some(url) = url
                && !(url.starts_with("http://") || url.starts_with("https://"))
            {
                return Err(ConfigError(format!(
                    "peers.{name} must be an http:// or https:// URL, not {url:?}"
                )));
            }
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError(
                "database.max_connections must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The settings of the sso service.
    pub fn sso(&self) -> Result<tilgang_sso::Settings, ConfigError> {
        let mut sso = tilgang_sso::Settings::new(&self.server.public_url, &self.token_secret()?);
        sso.rotation.lead = chrono::Duration::seconds(self.sso.key_publish_lead_seconds as i64);
        sso.rotation.lifetime = chrono::Duration::days(self.sso.key_lifetime_days as i64);
        let idp = &self.sso;
        sso.staff_idp = match (
            &idp.staff_idp_issuer,
            &idp.staff_idp_client_id,
            &idp.staff_idp_client_secret,
        ) {
            (None, _, _) => None,
            (Some(issuer), Some(client_id), Some(secret)) => Some(tilgang_sso::StaffIdp {
                issuer: issuer.trim_end_matches('/').to_owned(),
                display_name: idp.staff_idp_name.clone(),
                client_id: client_id.clone(),
                client_secret: secret.expose_secret().to_owned(),
                email_claim: idp.staff_idp_email_claim.clone(),
                trust_email: idp.staff_idp_trust_email,
            }),
            _ => {
                return Err(ConfigError(
                    "sso.staff_idp_issuer needs sso.staff_idp_client_id and sso.staff_idp_client_secret".into(),
                ));
            }
        };
        if self.sso.key_publish_lead_seconds < 300 {
            tracing::warn!(
                "sso.key_publish_lead_seconds is under 300: clients with a cached JWKS may fail to verify new tokens"
            );
        }
        Ok(sso)
    }

    /// The settings of the portal in a process listening on `local`: it reaches the provider
    /// at `portal.provider_url`, else at `local` when `sso` runs in the same process, else at
    /// the public URL.
    pub fn portal(
        &self,
        local: std::net::SocketAddr,
        sso_here: bool,
    ) -> Result<tilgang_portal::Settings, ConfigError> {
        let issuer = self.server.public_url.trim_end_matches('/').to_owned();
        let provider_url = match (&self.portal.provider_url, sso_here) {
            (Some(url), _) => url.trim_end_matches('/').to_owned(),
            (None, true) => {
                let mut local = local;
                if local.ip().is_unspecified() {
                    local.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
                }
                format!("http://{local}")
            }
            (None, false) => issuer.clone(),
        };
        Ok(tilgang_portal::Settings {
            issuer,
            provider_url,
            root_secret: self.token_secret()?,
        })
    }

    /// The settings of the usage service. Vendors' COUNTER APIs may use plain `http://` only
    /// in development, when the hub itself is not served over HTTPS.
    pub fn usage(&self) -> Result<tilgang_usage::Settings, ConfigError> {
        Ok(tilgang_usage::Settings {
            retention_days: self.usage.retention_days,
            root_secret: self.token_secret()?,
            allow_http_harvest: !self.server.public_url.starts_with("https://"),
        })
    }

    /// The settings of the subscriptions service. Webhook URLs may use plain `http://` only
    /// in development, when the hub itself is not served over HTTPS.
    pub fn subscriptions(&self) -> Result<tilgang_subscriptions::Settings, ConfigError> {
        Ok(tilgang_subscriptions::Settings {
            root_secret: self.token_secret()?,
            allow_http_webhooks: !self.server.public_url.starts_with("https://"),
            smtp: self
                .mail
                .smtp_url
                .as_ref()
                .map(|url| tilgang_subscriptions::Smtp {
                    url: url.expose_secret().to_owned(),
                    from: self.mail.from.clone(),
                }),
        })
    }

    /// Whether the database is PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database.url.expose_secret().starts_with("postgres")
    }

    /// The secret that signs API tokens: the configured one, or on SQLite one kept in the data
    /// folder (made on first use, readable by the owner only).
    pub fn token_secret(&self) -> Result<Vec<u8>, ConfigError> {
        if let Some(secret) = &self.auth.token_secret {
            let bytes = secret.expose_secret().as_bytes().to_vec();
            if bytes.len() < 32 {
                return Err(ConfigError(
                    "auth.token_secret must be at least 32 bytes".into(),
                ));
            }
            return Ok(bytes);
        }
        if self.on_postgres() {
            return Err(ConfigError(
                "auth.token_secret (TILGANG_AUTH_TOKEN_SECRET) is required with PostgreSQL, so every replica shares it".into(),
            ));
        }
        let path = self.data_dir.0.join("token-secret");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Ok(text.trim().as_bytes().to_vec());
        }
        std::fs::create_dir_all(&self.data_dir.0).map_err(|e| {
            ConfigError(format!("cannot create {}: {e}", self.data_dir.0.display()))
        })?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&path, &text)
            .map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
        Ok(text.into_bytes())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
