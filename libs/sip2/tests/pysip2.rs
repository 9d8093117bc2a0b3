//! Interop: this client against a SIP2 server we did not write — pysip2's, run by
//! `tests/interop/sip2/ils.py` with a small fake patron database.
//!
//! Needs Python with pysip2 (`pip install -r tests/interop/sip2/requirements.txt`); the
//! interpreter is `$TILGANG_PYTHON` or `python3`. Without pysip2 each test says it is skipping
//! and passes, unless `TILGANG_REQUIRE_INTEROP=1`, which makes it fail instead.

use std::time::{Duration, Instant};

use secrecy::SecretString;
use tilgang_sip2::{PatronFlag, Sip2Config, Sip2Error, Sip2Pool, TlsSettings};

use tilgang_testkit::ils::{BLOCKED, GOOD, INSTITUTION, Ils, LOST};
use tilgang_testkit::peer::PythonPeer;

/// How these tests use the fake library system.
trait Client {
    fn config(&self) -> Sip2Config;
    fn pool(&self) -> Sip2Pool;
    fn connections_seen(&self, expected: usize) -> usize;
}

impl Client for PythonPeer {
    fn config(&self) -> Sip2Config {
        let mut config = Sip2Config::new(format!("127.0.0.1:{}", self.port), INSTITUTION);
        config.login_user = Some("tilgang".into());
        config.login_password = Some(SecretString::from("sip-secret"));
        config.timeout = Duration::from_secs(10);
        config
    }

    fn pool(&self) -> Sip2Pool {
        Sip2Pool::new(self.config()).expect("valid settings")
    }

    /// How many connections the server has accepted: waits (briefly) until it has reported at
    /// least `expected`, then a moment more for any further report still in the pipe.
    fn connections_seen(&self, expected: usize) -> usize {
        let count = || {
            self.lines
                .lock()
                .unwrap()
                .iter()
                .filter(|l| l.starts_with("OPEN "))
                .count()
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while count() < expected && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(200));
        count()
    }
}

#[tokio::test]
async fn a_valid_patron_with_the_right_pin_is_accepted() {
    let Some(ils) = Ils::start(&[]) else { return };
    let check = ils.pool().verify_patron(GOOD.0, GOOD.1).await.unwrap();
    assert!(
        check.valid_patron && check.valid_pin && !check.blocked,
        "{check:?}"
    );
    assert!(check.accepted());
    assert_eq!(check.home_institution.as_deref(), Some(INSTITUTION));
}

#[tokio::test]
async fn a_wrong_pin_is_not_accepted() {
    let Some(ils) = Ils::start(&[]) else { return };
    let check = ils.pool().verify_patron(GOOD.0, "9999").await.unwrap();
    assert!(check.valid_patron);
    assert!(!check.valid_pin);
    assert!(!check.accepted());
}

#[tokio::test]
async fn a_blocked_patron_is_not_accepted() {
    let Some(ils) = Ils::start(&[]) else { return };
    let check = ils
        .pool()
        .verify_patron(BLOCKED.0, BLOCKED.1)
        .await
        .unwrap();
    assert!(check.valid_patron && check.valid_pin);
    assert!(check.blocked);
    assert!(check.status.is_set(PatronFlag::ChargePrivilegesDenied));
    assert_eq!(check.screen_message.as_deref(), Some("Kortet er sperret"));
    assert!(!check.accepted());
}

#[tokio::test]
async fn a_card_reported_lost_is_not_accepted() {
    let Some(ils) = Ils::start(&[]) else { return };
    let check = ils.pool().verify_patron(LOST.0, LOST.1).await.unwrap();
    assert!(check.blocked && check.status.is_set(PatronFlag::CardReportedLost));
    assert!(!check.accepted());
}

#[tokio::test]
async fn an_unknown_card_is_not_accepted() {
    let Some(ils) = Ils::start(&[]) else { return };
    let check = ils.pool().verify_patron("99999999", "1234").await.unwrap();
    assert!(!check.valid_patron && !check.accepted());
    // pysip2 runs with UTF-8 here; the screen message arrives intact.
    assert_eq!(check.screen_message.as_deref(), Some("Ukjent lånekort"));
}

#[tokio::test]
async fn a_wrong_sip2_login_password_is_reported_as_a_refused_login() {
    let Some(ils) = Ils::start(&[]) else { return };
    let mut config = ils.config();
    config.login_password = Some(SecretString::from("wrong"));
    let pool = Sip2Pool::new(config).unwrap();

    let err = pool.verify_patron(GOOD.0, GOOD.1).await.unwrap_err();
    assert!(matches!(err, Sip2Error::LoginRefused), "{err:?}");
    assert!(err.to_string().contains("refused the SIP2 login"), "{err}");
    let err = pool.test_connection().await.unwrap_err();
    assert_eq!(err.code(), "sip2_login_refused");
    assert_eq!(pool.stats().idle, 0, "a refused connection is not kept");
}

#[tokio::test]
async fn test_connection_logs_in_and_asks_for_the_ils_status() {
    let Some(ils) = Ils::start(&[]) else { return };
    let pool = ils.pool();
    pool.test_connection().await.unwrap();
    assert_eq!(pool.stats().connections_opened, 1);
}

#[tokio::test]
async fn sequential_checks_reuse_one_connection() {
    let Some(ils) = Ils::start(&[]) else { return };
    let pool = ils.pool();
    // Twelve requests: the sequence number wraps from 9 back to 0 on the same connection.
    for round in 0..4 {
        assert!(
            pool.verify_patron(GOOD.0, GOOD.1).await.unwrap().accepted(),
            "round {round}"
        );
        assert!(!pool.verify_patron(GOOD.0, "0000").await.unwrap().accepted());
        assert!(
            !pool
                .verify_patron(BLOCKED.0, BLOCKED.1)
                .await
                .unwrap()
                .accepted()
        );
    }
    let stats = pool.stats();
    assert_eq!(
        (stats.connections_opened, stats.connections_reused),
        (1, 11),
        "{stats:?}"
    );
    assert_eq!(stats.idle, 1);
    assert_eq!(ils.connections_seen(1), 1, "the server saw one connection");
}

#[tokio::test]
async fn concurrent_checks_open_no_more_than_max_connections() {
    let Some(ils) = Ils::start(&[]) else { return };
    let mut config = ils.config();
    config.max_connections = 2;
    config.max_idle = 2;
    let pool = Sip2Pool::new(config).unwrap();
    let checks: Vec<_> = (0..8)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { pool.verify_patron(GOOD.0, GOOD.1).await })
        })
        .collect();
    for check in checks {
        assert!(check.await.unwrap().unwrap().accepted());
    }
    assert!(pool.stats().connections_opened <= 2, "{:?}", pool.stats());
    assert!(ils.connections_seen(1) <= 2);
}

#[tokio::test]
async fn a_connection_the_ils_closed_while_idle_is_replaced_without_an_error() {
    let Some(ils) = Ils::start(&["--idle-timeout", "0.3"]) else {
        return;
    };
    let pool = ils.pool();
    assert!(pool.verify_patron(GOOD.0, GOOD.1).await.unwrap().accepted());
    // pysip2 closes connections idle for 0.3 s; the pool still holds this one.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(pool.stats().idle, 1);
    assert!(pool.verify_patron(GOOD.0, GOOD.1).await.unwrap().accepted());
    let stats = pool.stats();
    assert_eq!(
        (stats.connections_opened, stats.connections_reused),
        (2, 1),
        "{stats:?}"
    );
}

/// A self-signed certificate for 127.0.0.1 and localhost, written where ils.py can read it.
fn self_signed(dir: &tempfile::TempDir) -> (String, String, String) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .expect("a certificate");
    let cert_pem = certified.cert.pem();
    let cert = dir.path().join("ils.crt");
    let key = dir.path().join("ils.key");
    std::fs::write(&cert, &cert_pem).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (
        cert.display().to_string(),
        key.display().to_string(),
        cert_pem,
    )
}

#[tokio::test]
async fn over_tls_the_librarys_own_certificate_is_trusted_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, cert_pem) = self_signed(&dir);
    let Some(ils) = Ils::start(&["--tls-cert", &cert, "--tls-key", &key]) else {
        return;
    };
    let mut config = ils.config();
    config.tls = Some(TlsSettings {
        extra_ca_pem: Some(cert_pem),
        server_name: None,
    });
    let pool = Sip2Pool::new(config).unwrap();

    pool.test_connection().await.unwrap();
    assert!(pool.verify_patron(GOOD.0, GOOD.1).await.unwrap().accepted());
    assert!(
        !pool
            .verify_patron(BLOCKED.0, BLOCKED.1)
            .await
            .unwrap()
            .accepted()
    );
    assert_eq!(pool.stats().connections_opened, 1);
}

#[tokio::test]
async fn over_tls_an_untrusted_certificate_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, _) = self_signed(&dir);
    let Some(ils) = Ils::start(&["--tls-cert", &cert, "--tls-key", &key]) else {
        return;
    };
    let mut config = ils.config();
    config.tls = Some(TlsSettings::default());
    let pool = Sip2Pool::new(config).unwrap();

    let err = pool.test_connection().await.unwrap_err();
    assert_eq!(err.code(), "sip2_tls_failed", "{err:?}");
    assert!(err.to_string().contains("extra CA certificate"), "{err}");
}
