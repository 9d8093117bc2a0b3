//! The test harness: each test gets a fresh database and cache, and the real app on a random
//! port of 127.0.0.1.
//!
//! By default the database is a new SQLite file and the cache is in memory. When
//! `TILGANG_TEST_DATABASE_URL` is set (a PostgreSQL URL) each test gets a schema of its own in
//! that database; when `TILGANG_TEST_REDIS_URL` is set, the cache is Redis under a key prefix of
//! its own. No fixed ports, no order between tests.

pub mod ils;
pub mod peer;

pub mod browser;

use std::net::TcpListener;
use std::sync::Arc;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use tilgang_kernel::{ManualClock, Principal, SharedSecretTokens, VendorId};
use tilgang_store::{DatabaseCheck, KvCheck, ServiceContext};
use tilgang_web::{Hub, Module};

/// The issuer of test tokens.
pub const ISSUER: &str = "http://tilgang.test";
/// The secret test tokens are signed with; a provider with it as its root secret issues
/// service tokens that the test hubs accept.
pub const SECRET: &[u8] = b"test secret, thirty-two bytes at least";

/// A fresh database, cache and clock for one test.
pub struct TestEnv {
    /// What services are built from.
    pub ctx: ServiceContext,
    /// The clock, to move in tests.
    pub clock: ManualClock,
    tokens: Arc<SharedSecretTokens>,
    _dir: Option<tempfile::TempDir>,
}

impl TestEnv {
    /// Sets up a fresh database and cache.
    pub async fn new() -> Self {
        let unique = format!("t_{}", uuid::Uuid::new_v4().simple());
        let (db, dir) = match std::env::var("TILGANG_TEST_DATABASE_URL") {
            Ok(url) => (postgres_schema(&url, &unique).await, None),
            Err(_) => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}/tilgang.db", dir.path().display());
                (
                    tilgang_store::connect(&url, 4, None)
                        .await
                        .expect("SQLite opens"),
                    Some(dir),
                )
            }
        };
        let kv_url = std::env::var("TILGANG_TEST_REDIS_URL").unwrap_or_else(|_| "memory".into());
        let kv = tilgang_store::connect_kv(&kv_url, &format!("{unique}:"))
            .await
            .expect("the cache opens");
        let clock = ManualClock::new(chrono::Utc::now());
        let ctx = ServiceContext {
            db,
            kv,
            clock: Arc::new(clock.clone()),
        };
        Self {
            ctx,
            clock,
            tokens: Arc::new(SharedSecretTokens::new(ISSUER, SECRET)),
            _dir: dir,
        }
    }

    /// The database.
    pub fn db(&self) -> &DatabaseConnection {
        &self.ctx.db
    }

    /// Serves `modules` on a random port, as the binary would.
    pub async fn spawn(&self, modules: Vec<Arc<dyn Module>>) -> TestApp {
        self.spawn_on(reserve(), modules).await
    }

    /// Serves `modules` on a port reserved with [`reserve`] (for modules that must know their
    /// own address before they are built).
    pub async fn spawn_on(
        &self,
        (listener, address): (TcpListener, String),
        modules: Vec<Arc<dyn Module>>,
    ) -> TestApp {
        let checks: Vec<Arc<dyn tilgang_kernel::ReadinessCheck>> = vec![
            Arc::new(DatabaseCheck(self.ctx.db.clone())),
            Arc::new(KvCheck(self.ctx.kv.clone())),
        ];
        let hub = Arc::new(Hub::new(modules, self.tokens.clone(), checks));
        let server = hub
            .serve(listener, 1, std::time::Duration::from_secs(1))
            .expect("the server starts");
        tokio::spawn(server);
        TestApp {
            address,
            client: http_client().build().expect("an HTTP client"),
            tokens: self.tokens.clone(),
        }
    }
}

/// A random free port of 127.0.0.1, and its `http://` address.
pub fn reserve() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    (listener, address)
}

async fn postgres_schema(url: &str, schema: &str) -> DatabaseConnection {
    let admin = tilgang_store::connect(url, 1, None)
        .await
        .expect("PostgreSQL answers");
    admin
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("a fresh schema");
    admin.close().await.ok();
    tilgang_store::connect(url, 4, Some(schema))
        .await
        .expect("PostgreSQL answers")
}

/// An HTTP client builder for tests, with the process's TLS provider installed.
pub fn http_client() -> reqwest::ClientBuilder {
    tilgang_web::tls::install_crypto_provider();
    reqwest::Client::builder()
}

/// A running app and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// An HTTP client.
    pub client: reqwest::Client,
    tokens: Arc<SharedSecretTokens>,
}

/// An answer: status and JSON body (or `Value::Null` when the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// Content-Type header.
    pub content_type: String,
    /// The body as JSON.
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl Answer {
    /// The problem `code` of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

impl TestApp {
    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A bearer token for `principal`, valid for an hour.
    pub fn token(&self, principal: &Principal) -> String {
        self.tokens
            .mint(principal, chrono::Utc::now(), chrono::Duration::hours(1))
    }

    /// A token for a consortium admin.
    pub fn consortium_admin(&self) -> String {
        self.token(&Principal::ConsortiumAdmin {
            subject: "consortium-admin".into(),
        })
    }

    /// A token for the admin of the libraries `isils`.
    pub fn library_admin(&self, isils: &[&str]) -> String {
        let isils = isils
            .iter()
            .map(|i| i.parse().expect("a valid ISIL"))
            .collect();
        self.token(&Principal::LibraryAdmin {
            subject: "library-admin".into(),
            isils,
        })
    }

    /// A token for the vendor `vendor`.
    pub fn vendor(&self, vendor: VendorId) -> String {
        self.token(&Principal::Vendor {
            subject: "vendor-api".into(),
            vendor,
        })
    }

    /// Sends a request with an optional token and JSON body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        Self::answer(request.send().await.expect("the app answers")).await
    }

    /// Reads a response.
    pub async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("a body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            content_type,
            body,
            text,
        }
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    /// POST JSON with a token.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(token), Some(body))
            .await
    }

    /// PATCH JSON with a token.
    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// PUT JSON with a token.
    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Answer {
        self.send(reqwest::Method::PUT, path, Some(token), Some(body))
            .await
    }

    /// DELETE with a token.
    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, Some(token), None)
            .await
    }
}
