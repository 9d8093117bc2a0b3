//! The HTTP client the `openidconnect` crate calls through: reqwest over rustls with ring and
//! the public web roots, no redirects followed (an identity provider that redirects its token
//! endpoint is misconfigured, and following would let it point us anywhere). A client may
//! send the calls for one base URL to another: the portal reaches the hub's provider by its
//! internal address while the issuer stays the public URL.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

/// A reqwest client for OpenID Connect calls.
#[derive(Clone)]
pub struct OidcHttp {
    client: reqwest::Client,
    route: Option<(String, String)>,
}

impl OidcHttp {
    /// A client that gives up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let client = tilgang_web::tls::client()
            .timeout(timeout)
            .build()
            .expect("the HTTP client builds");
        Self {
            client,
            route: None,
        }
    }

    /// The same client, sending requests for URLs under `public` to `internal` instead (both
    /// base URLs without a trailing slash).
    pub fn routed(mut self, public: &str, internal: &str) -> Self {
        if public != internal {
            self.route = Some((public.to_owned(), internal.to_owned()));
        }
        self
    }

    fn target(&self, url: String) -> String {
        match &self.route {
            Some((public, internal)) => match url.strip_prefix(public.as_str()) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                    format!("{internal}{rest}")
                }
                _ => url,
            },
            None => url,
        }
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .request(parts.method, self.target(parts.uri.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_routed_client_sends_the_public_base_to_the_internal_one_and_nothing_else() {
        let http = OidcHttp::new(Duration::from_secs(1))
            .routed("http://hub.example", "http://127.0.0.1:9000");
        assert_eq!(
            http.target("http://hub.example/oauth2/token".into()),
            "http://127.0.0.1:9000/oauth2/token"
        );
        assert_eq!(
            http.target("http://hub.example.evil/x".into()),
            "http://hub.example.evil/x"
        );
        assert_eq!(
            http.target("https://idp.example/".into()),
            "https://idp.example/"
        );
    }
}
