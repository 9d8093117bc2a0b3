//! The client against a scripted in-process server that misbehaves on purpose: line endings
//! other than CR, damaged checksums, silence, resend requests and no server at all.

use std::time::Duration;

use tilgang_sip2::codec::checksum;
use tilgang_sip2::{Sip2Config, Sip2Error, Sip2Pool};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CARD: &str = "10000001";
const PIN: &str = "1234";

/// A 64 answer for a patron in good standing, with sequence number `seq` and a checksum.
fn answer_64(seq: u8) -> Vec<u8> {
    let mut frame = format!(
        "64{}00020260309    083015{}AONO-2030000|AA{CARD}|AEKari|BLY|CQY|AY{seq}AZ",
        " ".repeat(14),
        " ".repeat(24)
    )
    .into_bytes();
    frame.extend(format!("{:04X}", checksum(&frame)).bytes());
    frame
}

/// How the scripted server answers the n-th request it reads.
type Script = fn(usize, u8) -> Option<Vec<u8>>;

/// Serves one connection: for each request read, sends what `script` returns (nothing for
/// `None`). Returns the address to connect to.
async fn scripted(script: Script) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut pending = Vec::new();
        let mut served = 0;
        let mut chunk = [0u8; 1024];
        loop {
            let Ok(n) = socket.read(&mut chunk).await else {
                return;
            };
            if n == 0 {
                return;
            }
            pending.extend_from_slice(&chunk[..n]);
            while let Some(end) = pending.iter().position(|b| *b == b'\r') {
                let request: Vec<u8> = pending.drain(..=end).collect();
                // The request's sequence number is the digit after AY.
                let at = request.windows(2).rposition(|w| w == b"AY").unwrap();
                if let Some(answer) = script(served, request[at + 2] - b'0') {
                    socket.write_all(&answer).await.unwrap();
                }
                served += 1;
            }
        }
    });
    address
}

fn pool(address: String) -> Sip2Pool {
    let mut config = Sip2Config::new(address, "NO-2030000");
    config.timeout = Duration::from_millis(500);
    Sip2Pool::new(config).unwrap()
}

fn shows_no_secret(err: &Sip2Error) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(CARD) && !text.contains(PIN), "{text}");
    }
}

#[tokio::test]
async fn answers_ending_in_crlf_or_lf_are_understood() {
    let address = scripted(|n, seq| {
        let ending: &[u8] = if n == 0 { b"\r\n" } else { b"\n" };
        Some([answer_64(seq), ending.to_vec()].concat())
    })
    .await;
    let pool = pool(address);
    assert!(pool.verify_patron(CARD, PIN).await.unwrap().accepted());
    assert!(pool.verify_patron(CARD, PIN).await.unwrap().accepted());
    assert_eq!(pool.stats().connections_opened, 1);
}

#[tokio::test]
async fn an_answer_with_a_damaged_checksum_is_refused() {
    let address = scripted(|_, seq| {
        let mut answer = answer_64(seq);
        let name = answer.windows(6).position(|w| w == b"AEKari").unwrap();
        answer[name + 2] = b'k';
        answer.push(b'\r');
        Some(answer)
    })
    .await;
    let pool = pool(address);
    let err = pool.verify_patron(CARD, PIN).await.unwrap_err();
    assert!(
        matches!(
            err,
            Sip2Error::ChecksumMismatch {
                direction: "answer"
            }
        ),
        "{err:?}"
    );
    shows_no_secret(&err);
    assert_eq!(pool.stats().idle, 0, "a connection that failed is not kept");
}

#[tokio::test]
async fn a_resend_request_is_answered_by_sending_again() {
    let address = scripted(|n, seq| {
        if n == 0 {
            Some(b"96AZFEF6\r".to_vec())
        } else {
            Some([answer_64(seq), b"\r".to_vec()].concat())
        }
    })
    .await;
    assert!(
        pool(address)
            .verify_patron(CARD, PIN)
            .await
            .unwrap()
            .accepted()
    );
}

#[tokio::test]
async fn an_ils_that_keeps_asking_for_a_resend_gives_a_checksum_error() {
    let address = scripted(|_, _| Some(b"96AZFEF6\r".to_vec())).await;
    let err = pool(address).verify_patron(CARD, PIN).await.unwrap_err();
    assert!(
        matches!(
            err,
            Sip2Error::ChecksumMismatch {
                direction: "request"
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_answer_to_another_request_is_refused() {
    let address =
        scripted(|_, seq| Some([answer_64((seq + 1) % 10), b"\r".to_vec()].concat())).await;
    let err = pool(address).verify_patron(CARD, PIN).await.unwrap_err();
    assert!(matches!(err, Sip2Error::MalformedResponse(_)), "{err:?}");
    assert!(err.to_string().contains("out of step"), "{err}");
}

#[tokio::test]
async fn an_ils_that_never_answers_times_out() {
    let address = scripted(|_, _| None).await;
    let err = pool(address).verify_patron(CARD, PIN).await.unwrap_err();
    assert!(
        matches!(
            err,
            Sip2Error::Timeout {
                phase: "waiting for an answer",
                ..
            }
        ),
        "{err:?}"
    );
    shows_no_secret(&err);
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_an_admin_can_act_on() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    let err = pool(address.clone()).test_connection().await.unwrap_err();
    assert_eq!(err.code(), "sip2_connect_failed", "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&address) && text.contains("firewall"),
        "{text}"
    );
}

#[tokio::test]
async fn a_pin_with_a_pipe_is_refused_before_connecting() {
    let pool = pool("127.0.0.1:9".into());
    let err = pool.verify_patron(CARD, "12|4").await.unwrap_err();
    assert!(
        matches!(err, Sip2Error::InvalidField { field: "PIN", .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("12|4"));
    assert_eq!(pool.stats().connections_opened, 0);
}
