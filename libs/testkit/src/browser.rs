//! A browser for tests: no JavaScript, a cookie jar, and every redirect shown rather than
//! followed, so each step of a login can be checked.

use std::collections::HashMap;

use reqwest::StatusCode;

/// A form body of `form`.
pub fn form_body(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

/// What a browser got back.
pub struct Page {
    /// The status.
    pub status: StatusCode,
    /// Where a redirect points.
    pub location: Option<String>,
    /// The body.
    pub body: String,
}

impl Page {
    /// The value of the hidden input `name`.
    pub fn input(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no input {name} in {}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }

    /// A query parameter of the redirect.
    pub fn param(&self, name: &str) -> Option<String> {
        let url = url::Url::parse(self.location.as_deref()?).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// A browser without JavaScript that keeps cookies and shows each redirect.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    /// The cookies it holds, by name.
    pub cookies: HashMap<String, String>,
}

impl Browser {
    /// A browser whose relative paths go to `base` (`http://127.0.0.1:PORT`).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            http: crate::http_client()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client"),
            cookies: HashMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let response = request
            .header("Cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for set in response.headers().get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status(),
            location: response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned()),
            body: response.text().await.unwrap(),
        }
    }

    fn url(&self, path: &str) -> String {
        // The test issuer's URLs are this app's: the browser resolves the issuer's name here.
        if let Some(rest) = path.strip_prefix(crate::ISSUER) {
            format!("{}{rest}", self.base)
        } else if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// GETs `path` (relative to the base, or absolute).
    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(self.url(path));
        self.send(request).await
    }

    /// POSTs the form `form` to `path`.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_body(path, form_body(form)).await
    }

    /// POSTs a form body made with [`form_body`] to `path`.
    pub async fn post_body(&mut self, path: &str, body: String) -> Page {
        let request = self
            .http
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// POSTs `fields` and the file `file` (field name, file name, contents) to `path` as
    /// `multipart/form-data`, as a browser sends a form with a file input.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Page {
        const BOUNDARY: &str = "tilgang-test-boundary-7d3f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        let (name, filename, contents) = file;
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/json\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(contents);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let request = self
            .http
            .post(self.url(path))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body);
        self.send(request).await
    }
}

impl Browser {
    /// Goes a patron's way on from `page`: follows redirects (except to a location `stop`
    /// picks), logs in with `card` and `pin` at a card form and goes on at a notice; returns the
    /// page where none of these applies.
    pub async fn walk(
        &mut self,
        mut page: Page,
        card: &str,
        pin: &str,
        stop: impl Fn(&str) -> bool,
    ) -> Page {
        for _ in 0..12 {
            if let Some(next) = page.location.clone().filter(|l| !stop(l)) {
                page = self.get(&next).await;
            } else if page.status == StatusCode::OK && page.body.contains("name=\"pin\"") {
                let flow = page.input("flow");
                let form = [("flow", flow.as_str()), ("card", card), ("pin", pin)];
                page = self.post("/login", &form).await;
            } else if page.status == StatusCode::OK && page.body.contains("/login/consent") {
                let flow = page.input("flow");
                page = self.post("/login/consent", &[("flow", &flow)]).await;
            } else {
                return page;
            }
        }
        panic!("more than 12 steps from {}", self.base);
    }
}
