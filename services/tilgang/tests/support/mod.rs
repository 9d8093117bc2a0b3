//! Running the binary as a user does: in a fresh directory, with no configuration, or on a
//! fresh PostgreSQL database (`TILGANG_TEST_DATABASE_URL`) and Redis (`TILGANG_TEST_REDIS_URL`).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tilgang");

pub struct Hub {
    pub child: Child,
    pub base: String,
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A command in `dir`, on a fresh PostgreSQL database and Redis when the test run asks for them.
pub fn tilgang(dir: &Path, backend: &Backend) -> Command {
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

pub struct Backend {
    pub database: Option<String>,
    pub cache: Option<String>,
}

pub fn backend() -> Backend {
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

pub fn start(dir: &Path, backend: &Backend, args: &[&str]) -> Hub {
    start_with(dir, backend, args, false)
}

/// As [`start`]; with `own_url`, the hub's public URL (its issuer) is the address it listens on,
/// so pages it links to itself work (tokens minted by `tilgang token create` then do not).
pub fn start_with(dir: &Path, backend: &Backend, args: &[&str], own_url: bool) -> Hub {
    let port = free_port();
    let mut command = tilgang(dir, backend);
    if own_url {
        command.env(
            "TILGANG_SERVER_PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        );
    }
    let child = command
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

pub async fn ready_within(hub: &Hub, limit: Duration) -> Duration {
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

pub fn token(dir: &Path, backend: &Backend, args: &[&str]) -> String {
    let output = succeed(tilgang(dir, backend).args(["token", "create"]).args(args));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// The first page of the register, read with `token`.
pub async fn libraries(hub: &Hub, token: &str) -> serde_json::Value {
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
pub fn succeed(command: &mut Command) -> std::process::Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
