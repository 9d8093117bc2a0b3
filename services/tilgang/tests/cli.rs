//! The binary as a user runs it: no configuration, the demo, import, tokens and the OpenAPI file.
//!
//! With `TILGANG_TEST_DATABASE_URL` set, each test gets a fresh PostgreSQL database and, with
//! `TILGANG_TEST_REDIS_URL`, Redis as its cache; otherwise the binary runs with no configuration.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::*;

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
fn a_service_started_alone_without_its_peers_says_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let run = |envs: &[(&str, &str)]| {
        let output = Command::new(BIN)
            .current_dir(dir.path())
            .envs(envs.iter().copied())
            .args(["serve", "--services", "portal", "--bind", "127.0.0.1:0"])
            .output()
            .unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };

    let alone = run(&[]);
    assert!(
        alone.contains("portal needs registry") && alone.contains("TILGANG_PEERS_REGISTRY"),
        "{alone}"
    );
    let without_sso = run(&[("TILGANG_PEERS_REGISTRY", "http://127.0.0.1:9")]);
    assert!(without_sso.contains("TILGANG_PEERS_SSO"), "{without_sso}");
    let not_a_url = run(&[("TILGANG_PEERS_REGISTRY", "registry:8080")]);
    assert!(
        not_a_url.contains("peers.registry must be an http:// or https:// URL"),
        "{not_a_url}"
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
