//! The demo vendor site, mounted at `/demo/vendor` by `tilgang demo`: a relying party built
//! with the `openidconnect` crate (through the hub's own relying-party module,
//! `tilgang_sso::upstream`, as a vendor could use it), registered at the hub like any vendor's client, that shows
//! what identity and claims it received. It also receives the demo products' `/go` hand-offs:
//! signed links (verified against the hub's JWKS, each token once) and the IP/referrer
//! product's landing page. Nothing in the provider treats it specially.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, web};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};
use tilgang_rp::{OidcHttp, ProviderClient, RelyingParty, Secrets};
use tilgang_web::Module;

/// Where the site is mounted.
pub const PATH: &str = "/demo/vendor";
const STATE_COOKIE: &str = "dv_state";

/// The demo vendor site.
pub struct DemoVendor {
    site: web::Data<Site>,
}

struct Site {
    issuer: String,
    /// One client per product (slug), as the register models them; the first is the default.
    clients: Vec<(String, ProviderClient)>,
    /// The vendor id signed links must be addressed to, by product slug.
    audiences: HashMap<String, String>,
    rp: RelyingParty,
    reqwest: reqwest::Client,
    /// Begun logins by state: their secrets and the client they use.
    pending: Mutex<HashMap<String, (Secrets, usize)>>,
    used_links: Mutex<HashSet<String>>,
}

impl DemoVendor {
    /// The site at `{issuer}/demo/vendor`, logging patrons in to each product with its client
    /// (`(slug, client id, client secret)`, the first for logins that name no product);
    /// `audiences` maps product slugs to the vendor ids their signed links carry.
    pub fn new(
        issuer: &str,
        clients: Vec<(String, String, String)>,
        audiences: HashMap<String, String>,
    ) -> Self {
        Self {
            site: web::Data::new(Site {
                issuer: issuer.to_owned(),
                clients: clients
                    .into_iter()
                    .map(|(slug, client_id, client_secret)| {
                        let client = ProviderClient {
                            issuer: issuer.to_owned(),
                            client_id,
                            client_secret,
                            scopes: Vec::new(),
                            redirect_uri: format!("{issuer}{PATH}/callback"),
                        };
                        (slug, client)
                    })
                    .collect(),
                audiences,
                rp: RelyingParty::new(OidcHttp::new(Duration::from_secs(10))),
                reqwest: reqwest::Client::new(),
                pending: Mutex::new(HashMap::new()),
                used_links: Mutex::new(HashSet::new()),
            }),
        }
    }
}

impl Module for DemoVendor {
    fn name(&self) -> &'static str {
        "demo-vendor"
    }

    fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.service(
            web::scope(PATH)
                .app_data(self.site.clone())
                .route("/", web::get().to(home))
                .route("/login", web::get().to(login))
                .route("/callback", web::get().to(callback))
                .route("/{product}/", web::get().to(product)),
        );
    }

    fn openapi(&self) -> utoipa::openapi::OpenApi {
        utoipa::openapi::OpenApiBuilder::new().build()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: actix_web::http::StatusCode, title: &str, body: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} – demo vendor</title><style>body{{font-family:system-ui,sans-serif;\
             max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:\
             collapse}}td,th{{border:1px solid #999;padding:.3rem .6rem;text-align:left}}</style>\
             </head><body><main><h1>{title}</h1>{body}</main></body></html>",
            title = escape(title)
        ))
}

fn ok(title: &str, body: &str) -> HttpResponse {
    page(actix_web::http::StatusCode::OK, title, body)
}

fn refused(title: &str, why: &str) -> HttpResponse {
    page(
        actix_web::http::StatusCode::BAD_REQUEST,
        title,
        &format!(
            "<p>{}</p><p><a href=\"{PATH}/\">Start again</a></p>",
            escape(why)
        ),
    )
}

fn claims_table(claims: &Map<String, Value>) -> String {
    let rows: String = claims
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(k),
                escape(&v)
            )
        })
        .collect();
    format!("<table><caption>What the hub told us</caption>{rows}</table>")
}

async fn home() -> HttpResponse {
    ok(
        "Nordlys (demo vendor)",
        &format!(
            "<p>This is a vendor's website, built with the Rust <code>openidconnect</code> crate. \
             It logs patrons in through the library hub and shows exactly what it received.</p>\
             <p><a href=\"{PATH}/login\">Log in with your library</a></p>\
             <p>Or start from a library's link, as a library website would: \
             <a href=\"/go/NO-2030000/nordlys-ebok\">Deichman → Nordlys e-bøker</a>, \
             <a href=\"/go/NO-2030000/avisarkivet\">Deichman → Avisarkivet (signed link)</a>.</p>\
             <p>Demo patron: card <code>demo</code>, PIN <code>2468</code> at Deichman or Tampere.</p>"
        ),
    )
}

/// Third-party initiated login (OIDC Core 4), also the "Log in" link.
#[derive(Debug, Deserialize)]
struct InitiateLogin {
    iss: Option<String>,
    login_hint: Option<String>,
    target_link_uri: Option<String>,
}

async fn login(site: web::Data<Site>, query: web::Query<InitiateLogin>) -> HttpResponse {
    if query.iss.as_deref().is_some_and(|iss| iss != site.issuer) {
        return refused(
            "Login",
            "that login was started by an issuer we do not know",
        );
    }
    let extra: Vec<_> = query
        .login_hint
        .iter()
        .map(|hint| ("login_hint", hint.clone()))
        .collect();
    // The product the hub's hand-off names (`…/{slug}/`) logs in with its own client.
    let chosen = query
        .target_link_uri
        .as_deref()
        .and_then(|target| {
            site.clients
                .iter()
                .position(|(slug, _)| target.ends_with(&format!("/{slug}/")))
        })
        .unwrap_or(0);
    let Some((_, client)) = site.clients.get(chosen) else {
        return refused("Login", "this site has no client at the hub");
    };
    let (url, state, secrets) = match site.rp.begin(client, &extra).await {
        Ok(begun) => begun,
        Err(e) => return refused("Login", &e.to_string()),
    };
    site.pending
        .lock()
        .expect("pending lock")
        .insert(state.clone(), (secrets, chosen));
    let cookie = Cookie::build(STATE_COOKIE, state)
        .path(PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    HttpResponse::SeeOther()
        .insert_header(("Location", url))
        .cookie(cookie)
        .finish()
}

#[derive(Debug, Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(
    site: web::Data<Site>,
    req: HttpRequest,
    query: web::Query<Callback>,
) -> HttpResponse {
    if let Some(error) = &query.error {
        let why = format!(
            "{error}: {}",
            query.error_description.as_deref().unwrap_or("")
        );
        return refused("Not logged in", &why);
    }
    let (Some(code), Some(state)) = (&query.code, &query.state) else {
        return refused("Not logged in", "the answer has no code");
    };
    if req
        .cookie(STATE_COOKIE)
        .map(|c| c.value().to_owned())
        .as_deref()
        != Some(state)
    {
        return refused(
            "Not logged in",
            "this answer belongs to another browser (state mismatch)",
        );
    }
    let Some((secrets, chosen)) = site.pending.lock().expect("pending lock").remove(state) else {
        return refused(
            "Not logged in",
            "this login was already finished or never started",
        );
    };
    let Some((_, client)) = site.clients.get(chosen) else {
        return refused("Not logged in", "this site has no client at the hub");
    };
    let claims = match site.rp.finish(client, &secrets, code).await {
        Ok(identity) => identity.claims,
        Err(e) => return refused("Not logged in", &e.to_string()),
    };
    ok(
        "Welcome, patron",
        &format!(
            "<p>The hub vouched for a patron of <strong>{}</strong>. The ID token's signature, \
             issuer, audience, expiry and nonce were checked by the <code>openidconnect</code> crate.</p>{}\
             <p><a href=\"{PATH}/\">Back</a></p>",
            escape(
                claims
                    .get("library_name")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
            ),
            claims_table(&claims)
        ),
    )
}

#[derive(Debug, Deserialize)]
struct Landing {
    token: Option<String>,
}

/// A product's landing page: verifies a signed link if one came, else greets the visitor.
async fn product(
    site: web::Data<Site>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<Landing>,
) -> HttpResponse {
    let title = format!("{slug} (demo)");
    let Some(token) = &query.token else {
        let referrer = req
            .headers()
            .get("referer")
            .and_then(|r| r.to_str().ok())
            .unwrap_or("none");
        return ok(
            &title,
            &format!(
                "<p>Welcome. A real vendor would admit you here by your library's IP range or by \
                 the page you came from (referrer: <code>{}</code>).</p>",
                escape(referrer)
            ),
        );
    };
    match verify_link(&site, &slug, token).await {
        Ok(claims) => ok(
            &title,
            &format!(
                "<p>A signed link from the hub: signature checked against its JWKS, addressed to \
                 this vendor, unexpired, and not used before.</p>{}",
                claims_table(&claims)
            ),
        ),
        Err(why) => refused(&title, &why),
    }
}

async fn verify_link(site: &Site, slug: &str, token: &str) -> Result<Map<String, Value>, String> {
    let audience = site
        .audiences
        .get(slug)
        .ok_or("this site does not sell that product")?;
    let header = jsonwebtoken::decode_header(token).map_err(|e| format!("not a JWT: {e}"))?;
    let kid = header.kid.clone().ok_or("the token names no key")?;
    let jwks: JwkSet = site
        .reqwest
        .get(format!("{}/oauth2/jwks", site.issuer))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let jwk = jwks.find(&kid).ok_or("the hub does not publish that key")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[&site.issuer]);
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
        .map_err(|e| format!("the link did not verify: {e}"))?;
    let jti = data
        .claims
        .get("jti")
        .and_then(Value::as_str)
        .ok_or("the link has no jti")?;
    if !site
        .used_links
        .lock()
        .expect("links lock")
        .insert(jti.to_owned())
    {
        return Err("this link was already used".into());
    }
    Ok(data.claims)
}
