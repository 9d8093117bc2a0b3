//! The HTTP client the `openidconnect` crate calls through: reqwest over rustls with ring and
//! the public web roots, no redirects followed (an identity provider that redirects its token
//! endpoint is misconfigured, and following would let it point us anywhere).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

/// A reqwest client for OpenID Connect calls.
#[derive(Clone)]
pub struct OidcHttp {
    client: reqwest::Client,
}

impl OidcHttp {
    /// A client that gives up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let client = tilgang_web::tls::client()
            .timeout(timeout)
            .build()
            .expect("the HTTP client builds");
        Self { client }
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await?;
        let mut answer = openidconnect::http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            answer = answer.header(name, value);
        }
        let body = response.bytes().await?.to_vec();
        Ok(answer.body(body).expect("a response from valid parts"))
    }
}

impl<'c> AsyncHttpClient<'c> for OidcHttp {
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}
