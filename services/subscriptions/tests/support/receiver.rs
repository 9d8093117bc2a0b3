//! A vendor's webhook receiver for tests: it records every request and answers with the status
//! it is told to (200 by default, 503 while "down").

use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: String,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    status: Arc<AtomicU16>,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts a receiver on a free loopback port.
    pub fn start() -> Self {
        let status = Arc::new(AtomicU16::new(200));
        let got = Arc::new(Mutex::new(Vec::new()));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let (answer, record) = (status.clone(), got.clone());
        let server = HttpServer::new(move || {
            let (answer, record) = (answer.clone(), record.clone());
            App::new().route(
                "/hooks",
                web::post().to(move |request: HttpRequest, body: String| {
                    let (answer, record) = (answer.clone(), record.clone());
                    async move {
                        let header = |name: &str| {
                            request
                                .headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        record.lock().unwrap().push(Received {
                            id: header("webhook-id"),
                            timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
                            signature: header("webhook-signature"),
                            body,
                        });
                        let status =
                            actix_web::http::StatusCode::from_u16(answer.load(Ordering::SeqCst))
                                .unwrap();
                        HttpResponse::build(status).finish()
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Self { url, status, got }
    }

    /// Answers every request with `status` from now on.
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}
