//! Staff sessions. The portal is an OpenID Connect client of the hub's own provider (client
//! [`PORTAL_CLIENT_ID`], through [`tilgang_rp`]): `/admin/login` sends the browser to
//! `/oauth2/authorize`, `/admin/callback` exchanges the code and verifies the ID token, whose
//! claims name the staff member's role and scope. The session lives in the shared store
//! (memory or Redis) behind an HttpOnly, SameSite=Lax cookie, `Secure` when the hub is
//! served over https; every form carries the session's CSRF token, and `/admin/logout` ends
//! the portal's session and the provider's.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, get, post, web};
use serde::{Deserialize, Serialize};
use tilgang_kernel::Principal;
use tilgang_kernel::staff::{PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID, StaffIdentity};
use tilgang_rp::{ProviderClient, RelyingParty, Secrets};

use super::{State, see_other};

/// The staff session cookie.
pub const SESSION_COOKIE: &str = "tg_admin";
/// The cookie binding a begun login to the browser that began it.
const LOGIN_COOKIE: &str = "tg_admin_login";
/// How long a staff member has to log in at the provider.
const LOGIN_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a session lasts without a new login: a working day.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);

/// How the portal logs staff in.
pub struct StaffLogin {
    /// The relying party (its back channel may go to the provider's internal address).
    pub rp: RelyingParty,
    /// The portal's client at the provider.
    pub client: ProviderClient,
    /// The hub's public URL.
    pub issuer: String,
    /// Whether cookies are `Secure`.
    pub secure: bool,
    /// Keys the store's session keys, so a leaked store gives no usable cookie.
    pub keys: tilgang_kernel::secrets::Keyed,
}

impl StaffLogin {
    /// The portal's login at the provider `issuer` (the hub's public URL), reached for the
    /// back channel at `internal_url`, with the client secret derived from `root_secret`.
    pub fn new(issuer: &str, internal_url: &str, root_secret: &[u8]) -> Self {
        let issuer = issuer.trim_end_matches('/').to_owned();
        let http = tilgang_rp::OidcHttp::new(Duration::from_secs(10))
            .routed(&issuer, internal_url.trim_end_matches('/'));
        Self {
            rp: RelyingParty::new(http),
            client: ProviderClient {
                issuer: issuer.clone(),
                client_id: PORTAL_CLIENT_ID.to_owned(),
                client_secret: tilgang_kernel::staff::portal_client_secret(root_secret),
                scopes: Vec::new(),
                redirect_uri: format!("{issuer}{PORTAL_CALLBACK_PATH}"),
            },
            secure: issuer.starts_with("https://"),
            keys: tilgang_kernel::secrets::Keyed::derive(root_secret, "portal sessions"),
            issuer,
        }
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("portal:{kind}:{}", self.keys.pseudonym(&[kind, id]))
    }

    fn cookie(&self, name: &'static str, value: &str, path: &'static str) -> Cookie<'static> {
        Cookie::build(name, value.to_owned())
            .path(path)
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .finish()
    }
}

/// A staff member's session in the portal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// Who they are.
    pub identity: StaffIdentity,
    /// The token every form of the session carries.
    pub csrf: String,
}

/// A random token of 244 bits.
fn random() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// A logged-in staff member: a handler that takes one only runs for a valid session;
/// without one the browser is sent to log in and brought back.
pub struct Staff {
    /// Their session.
    pub session: Session,
    /// Who they act as.
    pub principal: Principal,
}

impl Staff {
    /// Whether a form's CSRF token is the session's.
    pub fn sent(&self, csrf: &str) -> bool {
        let (a, b) = (self.session.csrf.as_bytes(), csrf.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }
}

/// Why a staff page was not shown: no session (log in first) or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum NoStaff {
    /// Log in, then come back to the path.
    #[error("log in first")]
    LogIn(String),
    /// The session store did not answer.
    #[error("the session store is unavailable")]
    Unavailable,
}

impl ResponseError for NoStaff {
    fn error_response(&self) -> HttpResponse {
        match self {
            Self::LogIn(then) => HttpResponse::SeeOther()
                .insert_header(("Location", format!("/admin/login?then={}", urlencode(then))))
                .insert_header(("Cache-Control", "no-store"))
                .finish(),
            Self::Unavailable => super::library::failure(self),
        }
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

impl FromRequest for Staff {
    type Error = NoStaff;
    type Future = Pin<Box<dyn Future<Output = Result<Self, NoStaff>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<State>>().cloned();
        let cookie = req.cookie(SESSION_COOKIE);
        let path = req.path().to_owned();
        Box::pin(async move {
            let state = state.ok_or(NoStaff::Unavailable)?;
            let login = NoStaff::LogIn(path);
            let Some(cookie) = cookie else {
                return Err(login);
            };
            let key = state.staff.key("session", cookie.value());
            let stored = state.kv.get(&key).await.map_err(|_| NoStaff::Unavailable)?;
            let session: Session = stored
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .ok_or(login)?;
            // The register decides what the account may do now: a deactivated account or a
            // changed scope takes effect on the next page, not at the session's end.
            let current = state
                .ports
                .staff
                .current(&session.identity.subject)
                .await
                .map_err(|_| NoStaff::Unavailable)?;
            let Some((principal, name)) = current else {
                let _ = state.kv.delete(&key).await;
                return Err(NoStaff::LogIn("/admin".into()));
            };
            let mut session = session;
            session.identity = StaffIdentity::new(&principal, &name);
            if session.identity.principal().is_none() {
                return Err(NoStaff::LogIn("/admin".into()));
            }
            Ok(Self { session, principal })
        })
    }
}

/// Only paths of the portal's staff pages are gone back to after a login (no open redirect).
fn then_path(then: Option<&str>) -> String {
    then.filter(|t| t.starts_with("/admin") && !t.starts_with("//") && !t.contains("://"))
        .unwrap_or("/admin")
        .to_owned()
}

/// What a begun login keeps until the browser is back.
#[derive(Serialize, Deserialize)]
struct Pending {
    secrets: Secrets,
    then: String,
}

/// The query of `/admin/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    then: Option<String>,
}

/// Whether `asked` is another loopback name for `public` (`127.0.0.1:8080` for
/// `localhost:8080`): a browser that came that way has its cookies under another host.
fn loopback_alias(public: &str, asked: &str) -> bool {
    let split = |host: &str| {
        host.rsplit_once(':')
            .map(|(name, port)| (name.to_owned(), port.to_owned()))
    };
    let loopback = |name: &str| matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    match (split(public), split(asked)) {
        (Some((a, port_a)), Some((b, port_b))) => {
            a != b && port_a == port_b && loopback(&a) && loopback(&b)
        }
        _ => false,
    }
}

/// `GET /admin/login`: sends the browser to the provider's staff login. A browser that came
/// by another loopback name than the public URL's goes there first, so the cookies of the
/// login and of the session are the public URL's.
#[get("/admin/login")]
pub async fn login_start(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let staff = &state.staff;
    let public_host = staff.issuer.split_once("://").map(|(_, rest)| rest);
    if public_host.is_some_and(|host| loopback_alias(host, req.connection_info().host())) {
        let then = urlencode(&then_path(query.then.as_deref()));
        return see_other(&format!("{}/admin/login?then={then}", staff.issuer));
    }
    let (url, login_state, secrets) = match staff.rp.begin(&staff.client, &[]).await {
        Ok(begun) => begun,
        Err(e) => return super::library::failure(e),
    };
    let pending = Pending {
        secrets,
        then: then_path(query.then.as_deref()),
    };
    let bytes = serde_json::to_vec(&pending).expect("logins serialise");
    if let Err(e) = state
        .kv
        .set(&staff.key("login", &login_state), &bytes, LOGIN_TTL)
        .await
    {
        return super::library::failure(e);
    }
    let mut response = see_other(&url);
    let _ = response.add_cookie(&staff.cookie(LOGIN_COOKIE, &login_state, "/admin"));
    response
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /admin/callback`: exchanges the code, verifies the ID token and starts the session.
#[get("/admin/callback")]
pub async fn login_callback(
    state: web::Data<State>,
    req: HttpRequest,
    query: web::Query<CallbackQuery>,
) -> HttpResponse {
    let staff = &state.staff;
    let refused = |why: &str| {
        tracing::warn!(why, "a staff login came back refused");
        see_other("/admin/login")
    };
    let (Some(code), Some(login_state)) = (&query.code, &query.state) else {
        return refused(query.error.as_deref().unwrap_or("no code"));
    };
    let bound = req
        .cookie(LOGIN_COOKIE)
        .is_some_and(|c| c.value() == login_state);
    if !bound {
        return refused("the login was begun in another browser");
    }
    let pending: Pending = match state.kv.take(&staff.key("login", login_state)).await {
        Ok(Some(bytes)) => match serde_json::from_slice(&bytes) {
            Ok(pending) => pending,
            Err(e) => return super::library::failure(e),
        },
        Ok(None) => return refused("the login expired or was used"),
        Err(e) => return super::library::failure(e),
    };
    let identity = match staff.rp.finish(&staff.client, &pending.secrets, code).await {
        Ok(identity) => identity,
        Err(e) => return super::library::failure(e),
    };
    // An identity without a usable scope (a library admin without libraries) would only be
    // sent back to log in again, and again: it is refused here instead.
    let Some(identity) =
        StaffIdentity::from_claims(&identity.claims).filter(|i| i.principal().is_some())
    else {
        return refused("the ID token names no staff member with a scope");
    };
    let id = random();
    let session = Session {
        identity,
        csrf: random(),
    };
    let bytes = serde_json::to_vec(&session).expect("sessions serialise");
    if let Err(e) = state
        .kv
        .set(&staff.key("session", &id), &bytes, SESSION_TTL)
        .await
    {
        return super::library::failure(e);
    }
    let mut response = see_other(&pending.then);
    let _ = response.add_cookie(&staff.cookie(SESSION_COOKIE, &id, "/"));
    let mut gone = staff.cookie(LOGIN_COOKIE, "", "/admin");
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    response
}

/// The logout form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `POST /admin/logout`: ends the portal's session, then the provider's (RP-initiated logout),
/// which comes back to the hub's front page.
#[post("/admin/logout")]
pub async fn logout_end(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<LogoutForm>,
) -> HttpResponse {
    if !staff.sent(&form.csrf) {
        return super::admin::forbidden(&state, &req);
    }
    let login = &state.staff;
    if let Some(cookie) = req.cookie(SESSION_COOKIE)
        && let Err(e) = state.kv.delete(&login.key("session", cookie.value())).await
    {
        return super::library::failure(e);
    }
    let target = format!(
        "{issuer}/oauth2/logout?client_id={PORTAL_CLIENT_ID}&post_logout_redirect_uri={back}",
        issuer = login.issuer,
        back = urlencode(&format!("{}/", login.issuer)),
    );
    let mut response = see_other(&target);
    let mut gone = login.cookie(SESSION_COOKIE, "", "/");
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_another_loopback_name_of_the_public_host_counts_as_an_alias() {
        assert!(loopback_alias("localhost:8080", "127.0.0.1:8080"));
        assert!(!loopback_alias("localhost:8080", "localhost:8080"));
        assert!(!loopback_alias("localhost:8080", "127.0.0.1:9090"));
        assert!(!loopback_alias("hub.example", "127.0.0.1:8080"));
        assert!(!loopback_alias("tilgang.test", "127.0.0.1:4000"));
    }

    #[test]
    fn a_login_goes_back_only_to_staff_pages_of_the_portal() {
        assert_eq!(
            then_path(Some("/admin/libraries/NO-2030000")),
            "/admin/libraries/NO-2030000"
        );
        assert_eq!(then_path(Some("https://evil.example/admin")), "/admin");
        assert_eq!(then_path(Some("//evil.example/admin")), "/admin");
        assert_eq!(then_path(Some("/l/NO-2030000")), "/admin");
        assert_eq!(then_path(None), "/admin");
    }
}
