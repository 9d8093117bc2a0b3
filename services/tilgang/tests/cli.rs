//! The binary as a user runs it: no configuration, the demo, import, tokens and the OpenAPI file.
//!
//! With `TILGANG_TEST_DATABASE_URL` set, each test gets a fresh PostgreSQL database and, with
//! `TILGANG_TEST_REDIS_URL`, Redis as its cache; otherwise the binary runs with no configuration.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tilgang");

struct Hub {
    child: Child,
    base: String,
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A command in `dir`, on a fresh PostgreSQL database and Redis when the test run asks for them.
fn tilgang(dir: &Path, backend: &Backend) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("TILGANG_CONFIG")
        .env("RUST_LOG", "warn");
    if let Some(url) = &backend.database {
        command.env("TILGANG_DATABASE_URL", url).env(
            "TILGANG_AUTH_TOKEN_SECRET",
            "a test secret of at least thirty-two bytes",
        );
    }
    if let Some(url) = &backend.cache {
        command.env("TILGANG_CACHE_URL", url);
    }
    command
}

struct Backend {
    database: Option<String>,
    cache: Option<String>,
}

fn backend() -> Backend {
    let database = std::env::var("TILGANG_TEST_DATABASE_URL").ok().map(|url| {
        let name = format!(
            "t_{}",
            std::process::id() as u64 * 1000 + u64::from(free_port())
        );
        let status = Command::new("psql")
            .args([url.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
            .status()
            .expect("psql runs");
        assert!(status.success(), "a fresh database is created");
        let (base, _) = url.rsplit_once('/').expect("a database URL");
        format!("{base}/{name}")
    });
    Backend {
        database,
        cache: std::env::var("TILGANG_TEST_REDIS_URL").ok(),
    }
}

fn start(dir: &Path, backend: &Backend, args: &[&str]) -> Hub {
    let port = free_port();
    let child = tilgang(dir, backend)
        .args(args)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    Hub {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

async fn ready_within(hub: &Hub, limit: Duration) -> Duration {
    let started = Instant::now();
    let client = tilgang_testkit::http_client().build().unwrap();
    loop {
        let response = client
            .get(format!("{}/health/ready", hub.base))
            .send()
            .await;
        if response.is_ok_and(|r| r.status().is_success()) {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "not ready within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn token(dir: &Path, backend: &Backend, args: &[&str]) -> String {
    let output = succeed(tilgang(dir, backend).args(["token", "create"]).args(args));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The first page of the register, read with `token`.
async fn libraries(hub: &Hub, token: &str) -> serde_json::Value {
    let response = tilgang_testkit::http_client()
        .build()
        .unwrap()
        .get(format!("{}/api/v1/libraries", hub.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Runs a command and expects it to succeed.
fn succeed(command: &mut Command) -> std::process::Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test]
async fn serve_with_no_configuration_is_ready_and_answers_the_register_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend();
    let hub = start(dir.path(), &backend, &["serve"]);
    let took = ready_within(&hub, Duration::from_secs(10)).await;
    eprintln!("ready after {took:?}");
    if backend.database.is_none() {
        assert!(
            dir.path().join("data/tilgang.db").exists(),
            "SQLite lives under ./data"
        );
    }
    let admin = token(dir.path(), &backend, &["--role", "consortium-admin"]);
    assert_eq!(libraries(&hub, &admin).await["total"], 0);
}

#[tokio::test]
async fn the_demo_loads_real_nordic_libraries_once_and_prints_working_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend();
    let mut hub = start(dir.path(), &backend, &["demo"]);
    ready_within(&hub, Duration::from_secs(10)).await;
    let mut stdout = hub.child.stdout.take().unwrap();
    let mut printed = String::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !printed.contains("vendor (Nordlys Forlag):") && Instant::now() < deadline {
        let mut buffer = [0u8; 4096];
        let n = std::io::Read::read(&mut stdout, &mut buffer).unwrap();
        printed.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    let token_after = |label: &str| {
        let line = printed
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} in {printed}"));
        line.rsplit(' ').next().unwrap().to_owned()
    };
    let consortium_admin = token_after("consortium admin:");
    assert_eq!(libraries(&hub, &consortium_admin).await["total"], 13);
    let vendor_token = token_after("vendor (Nordlys Forlag):");
    let product = tilgang_testkit::http_client()
        .build()
        .unwrap()
        .patch(format!("{}/api/v1/products/nordlys-ebok", hub.base))
        .bearer_auth(&vendor_token)
        .json(&serde_json::json!({"trial": {"days": 60}}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        product.status(),
        200,
        "the demo vendor manages its own product"
    );
    drop(hub);

    let again = start(dir.path(), &backend, &["demo"]);
    ready_within(&again, Duration::from_secs(10)).await;
    let admin = token(dir.path(), &backend, &["--role", "consortium-admin"]);
    assert_eq!(
        libraries(&again, &admin).await["total"],
        13,
        "a second start does not load the demo twice"
    );
}

#[test]
fn import_reads_a_basebibliotek_file_and_reports_the_record_without_isil() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../registry/tests/fixtures");
    let output = succeed(
        tilgang(dir.path(), &backend)
            .args(["import", "basebibliotek"])
            .arg(fixtures.join("basebibliotek_incremental_no_isil.xml")),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["skipped"][0]["code"], "isil_missing");
    assert!(String::from_utf8_lossy(&output.stderr).contains("skipped a record"));

    let output = succeed(
        tilgang(dir.path(), &backend)
            .args(["import", "basebibliotek"])
            .arg(fixtures.join("bb_2062200.xml")),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["created"], 1);
}

#[test]
fn a_bad_setting_stops_the_start_with_a_plain_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .current_dir(dir.path())
        .env("TILGANG_CACHE_URL", "memcached://x")
        .args(["migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cache.url must be"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = Command::new(BIN)
        .current_dir(dir.path())
        .env("TILGANG_DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
        .args(["token", "create", "--role", "consortium-admin"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("auth.token_secret"),
        "PostgreSQL needs a shared token secret"
    );
}

#[test]
fn the_checked_in_openapi_document_matches_the_code() {
    let output = Command::new(BIN).arg("openapi").output().unwrap();
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/tilgang.openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        generated == checked_in,
        "openapi/tilgang.openapi.json is out of date; run: cargo run -q -- openapi > openapi/tilgang.openapi.json"
    );
}
