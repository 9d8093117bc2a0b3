//! One SIP2 connection: connect (TCP or TLS), then request and answer, one at a time.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::codec::{self, Frame, SequenceCounter};
use crate::error::Sip2Error;
use crate::message::{LoginRequest, PatronQuery, encode_sc_status};
use crate::response::{AcsStatusResponse, PatronInformationResponse, Response};
use crate::tls::Tls;

/// The longest answer accepted before the connection is given up, in bytes.
const MAX_FRAME: usize = 64 * 1024;

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// An open, possibly logged-in, connection to a SIP2 server.
pub(crate) struct Connection {
    io: Box<dyn Io>,
    buffer: Vec<u8>,
    sequence: SequenceCounter,
    address: Arc<str>,
    timeout: Duration,
}

impl Connection {
    /// Opens a TCP connection and, with `tls`, does the TLS handshake.
    pub(crate) async fn connect(
        address: Arc<str>,
        tls: Option<&Tls>,
        timeout: Duration,
    ) -> Result<Self, Sip2Error> {
        let tcp = within(
            &address,
            timeout,
            "connecting",
            TcpStream::connect(&*address),
        )
        .await?
        .map_err(|source| Sip2Error::Connect {
            address: address.to_string(),
            source,
        })?;
        // SIP2 messages are small and answered one at a time; do not hold them back.
        let _ = tcp.set_nodelay(true);
        let io: Box<dyn Io> = match tls {
            None => Box::new(tcp),
            Some(tls) => {
                let handshake = tls.connector.connect(tls.server_name.clone(), tcp);
                let stream = within(&address, timeout, "TLS handshake", handshake)
                    .await?
                    .map_err(|e| tls_failure(&address, &e))?;
                Box::new(stream)
            }
        };
        Ok(Self {
            io,
            buffer: Vec::new(),
            sequence: SequenceCounter::default(),
            address,
            timeout,
        })
    }

    /// 93 Login; a "not ok" answer is [`Sip2Error::LoginRefused`].
    pub(crate) async fn login(&mut self, request: &LoginRequest<'_>) -> Result<(), Sip2Error> {
        match self.exchange(|seq| request.encode(seq), "94").await? {
            Response::Login(login) if login.ok => Ok(()),
            _ => Err(Sip2Error::LoginRefused),
        }
    }

    /// 63 Patron Information.
    pub(crate) async fn patron_information(
        &mut self,
        query: &PatronQuery<'_>,
    ) -> Result<PatronInformationResponse, Sip2Error> {
        let now = chrono::Utc::now();
        match self
            .exchange(|seq| query.encode_patron_information(seq, now), "64")
            .await?
        {
            Response::PatronInformation(info) => Ok(info),
            _ => unreachable!("exchange checks the command"),
        }
    }

    /// 99 SC Status.
    pub(crate) async fn sc_status(&mut self) -> Result<AcsStatusResponse, Sip2Error> {
        match self.exchange(|seq| Ok(encode_sc_status(seq)), "98").await? {
            Response::AcsStatus(status) => Ok(status),
            _ => unreachable!("exchange checks the command"),
        }
    }

    /// Sends one request and reads its answer, which must be command `expect` with the same
    /// sequence number. A 96 ("resend") is answered by sending the request once more.
    async fn exchange(
        &mut self,
        encode: impl FnOnce(u8) -> Result<Frame, Sip2Error>,
        expect: &str,
    ) -> Result<Response, Sip2Error> {
        let sequence = self.sequence.next_number();
        let frame = encode(sequence)?;
        self.send(&frame).await?;
        let mut resent = false;
        loop {
            let raw = codec::decode(&self.receive().await?)?;
            let response = Response::parse(&raw)?;
            if response == Response::Resend {
                if resent {
                    return Err(Sip2Error::ChecksumMismatch {
                        direction: "request",
                    });
                }
                resent = true;
                self.send(&frame).await?;
                continue;
            }
            if response.command() != expect {
                let got = response.command();
                let detail = format!("expected answer {expect}, but got {got}");
                return Err(Sip2Error::malformed(detail));
            }
            if let Some(got) = raw.sequence.filter(|got| *got != sequence) {
                let detail = format!(
                    "the answer carries sequence number {got} but the request had {sequence}, \
                     so answers and requests are out of step"
                );
                return Err(Sip2Error::malformed(detail));
            }
            return Ok(response);
        }
    }

    async fn send(&mut self, frame: &Frame) -> Result<(), Sip2Error> {
        let write = async {
            self.io.write_all(frame.as_bytes()).await?;
            self.io.flush().await
        };
        within(&self.address, self.timeout, "sending a request", write)
            .await?
            .map_err(|e| lost(&self.address, &e.to_string()))
    }

    /// Reads one message, without its line ending. CR, LF and CRLF all end a message; the empty
    /// "message" between a CR and its LF is skipped.
    async fn receive(&mut self) -> Result<Vec<u8>, Sip2Error> {
        let address = self.address.clone();
        let read = async {
            loop {
                if let Some(end) = self.buffer.iter().position(|b| matches!(b, b'\r' | b'\n')) {
                    let mut frame: Vec<u8> = self.buffer.drain(..=end).collect();
                    frame.pop();
                    if frame.is_empty() {
                        continue;
                    }
                    return Ok(frame);
                }
                if self.buffer.len() > MAX_FRAME {
                    return Err(Sip2Error::malformed("an answer was longer than 64 KiB"));
                }
                let mut chunk = [0u8; 4096];
                let n = self
                    .io
                    .read(&mut chunk)
                    .await
                    .map_err(|e| lost(&address, &e.to_string()))?;
                if n == 0 {
                    return Err(lost(&address, "the library system closed the connection"));
                }
                self.buffer.extend_from_slice(&chunk[..n]);
            }
        };
        within(&self.address, self.timeout, "waiting for an answer", read).await?
    }
}

/// Runs `future`, or fails with [`Sip2Error::Timeout`] naming `phase`.
pub(crate) async fn within<T>(
    address: &str,
    after: Duration,
    phase: &'static str,
    future: impl Future<Output = T>,
) -> Result<T, Sip2Error> {
    tokio::time::timeout(after, future)
        .await
        .map_err(|_| Sip2Error::Timeout {
            address: address.to_owned(),
            phase,
            after,
        })
}

fn lost(address: &str, reason: &str) -> Sip2Error {
    Sip2Error::ConnectionLost {
        address: address.to_owned(),
        reason: reason.to_owned(),
    }
}

fn tls_failure(address: &str, error: &std::io::Error) -> Sip2Error {
    let detail = error.to_string();
    let reason = if detail.contains("certificate") {
        format!(
            "{detail}; if the library's SIP2 server uses its own certificate, \
             add it (or its CA) as the extra CA certificate"
        )
    } else {
        detail
    };
    Sip2Error::Tls {
        address: address.to_owned(),
        reason,
    }
}
