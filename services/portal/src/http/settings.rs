//! `/admin/libraries/{isil}/settings`: what a library's own staff keep up to date in the
//! register — its websites, IP ranges, contacts and default language — through the register's
//! [`LibraryEditor`](tilgang_kernel::ports::LibraryEditor) port, with every rule of the API.
//! A refused form is shown again as entered, with the field at fault marked, and nothing is
//! changed.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use tilgang_kernel::ports::{ContactSummary, LibrarySettings, LibrarySummary, Refusal};

use super::State;
use super::admin::{acted_for, bar, chrome, page, posted_for};
use super::library::failure;
use super::staff::Staff;
use crate::pages::{Choice, ContactFields, SettingsPage};

/// The languages a library may choose as its default, each named in itself.
const LANGUAGES: &[(&str, &str)] = &[
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("se", "Davvisámegiella"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("fi", "Suomi"),
    ("en", "English"),
];

/// The contact roles offered (the register takes any short text; these are the usual ones).
const ROLES: &[&str] = &["general", "technical", "billing"];

/// At most this many contacts on the form.
const MOST_CONTACTS: usize = 6;

/// The form as entered (or as stored): lists as one entry per line.
struct Entered {
    websites: String,
    ip_ranges: String,
    language: String,
    contacts: Vec<ContactSummary>,
}

impl Entered {
    fn of(library: &LibrarySummary) -> Self {
        Self {
            websites: library.websites.join("\n"),
            ip_ranges: library.ip_ranges.join("\n"),
            language: library.language.clone(),
            contacts: library.contacts.clone(),
        }
    }

    fn from_form(form: &HashMap<String, String>) -> Self {
        let field = |name: &str| form.get(name).map(|v| v.trim().to_owned());
        let contacts = (0..MOST_CONTACTS)
            .map(|i| {
                let part = |p: &str| field(&format!("contact-{i}-{p}")).filter(|v| !v.is_empty());
                ContactSummary {
                    name: part("name"),
                    role: part("role"),
                    email: part("email"),
                    phone: part("phone"),
                }
            })
            .collect();
        Self {
            websites: field("websites").unwrap_or_default(),
            ip_ranges: field("ip_ranges").unwrap_or_default(),
            language: field("language").unwrap_or_default(),
            contacts,
        }
    }

    /// The settings to send: one entry per non-empty line, contacts with nothing but a role
    /// (the form's default) left out.
    fn settings(&self) -> LibrarySettings {
        let lines = |text: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        LibrarySettings {
            websites: lines(&self.websites),
            ip_ranges: lines(&self.ip_ranges),
            contacts: self
                .contacts
                .iter()
                .filter(|c| c.name.is_some() || c.email.is_some() || c.phone.is_some())
                .cloned()
                .collect(),
            language: self.language.clone(),
        }
    }
}

/// The field of a form input that a refusal names: `websites[0]` is the websites box,
/// `contacts[1].email` the second contact.
fn at_fault(refusal: &Refusal) -> String {
    let field = refusal.field.as_deref().unwrap_or_default();
    if field.starts_with("contacts[") {
        return field.split('.').next().unwrap_or(field).to_owned();
    }
    field.split('[').next().unwrap_or(field).to_owned()
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &State,
    req: &HttpRequest,
    staff: &Staff,
    library: &LibrarySummary,
    entered: &Entered,
    refusal: Option<&Refusal>,
    saved: bool,
    status: StatusCode,
) -> HttpResponse {
    let here = format!("/admin/libraries/{}/settings", library.isil);
    let mut chrome = chrome(state, req, "settings-title", &here);
    let lang = chrome.lang;
    chrome.title = chrome.t.t1("settings-title", "library", &library.name);
    let bad = refusal.map(at_fault).unwrap_or_default();
    let mut contacts: Vec<ContactSummary> = entered
        .contacts
        .iter()
        .filter(|c| c.name.is_some() || c.email.is_some() || c.phone.is_some())
        .cloned()
        .collect();
    let blanks = if contacts.len() < 2 {
        2 - contacts.len()
    } else {
        1
    };
    contacts.extend(std::iter::repeat_n(
        ContactSummary {
            name: None,
            role: None,
            email: None,
            phone: None,
        },
        blanks,
    ));
    contacts.truncate(MOST_CONTACTS);
    let contacts = contacts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let role = c.role.clone().unwrap_or_else(|| "general".into());
            let mut roles: Vec<Choice> = ROLES
                .iter()
                .map(|r| Choice {
                    code: (*r).to_owned(),
                    name: chrome.t.t(&format!("settings-role-{r}")),
                    selected: *r == role,
                })
                .collect();
            if !ROLES.contains(&role.as_str()) {
                roles.push(Choice {
                    name: role.clone(),
                    code: role,
                    selected: true,
                });
            }
            ContactFields {
                index: i,
                legend: chrome
                    .t
                    .t1("settings-contact", "number", &(i + 1).to_string()),
                name: c.name.unwrap_or_default(),
                email: c.email.unwrap_or_default(),
                phone: c.phone.unwrap_or_default(),
                roles,
                invalid: bad == format!("contacts[{i}]"),
            }
        })
        .collect();
    let languages = LANGUAGES
        .iter()
        .map(|(code, name)| Choice {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            selected: *code == entered.language,
        })
        .collect();
    let problem = refusal.map(|_| chrome.t.t("settings-refused"));
    let notice = saved.then(|| chrome.t.t("settings-saved"));
    let bar = bar(&chrome, staff);
    page(
        status,
        &SettingsPage {
            action: format!("{here}?lang={lang}"),
            back: format!("/admin/libraries/{}?lang={lang}", library.isil),
            chrome,
            bar,
            websites: entered.websites.clone(),
            ip_ranges: entered.ip_ranges.clone(),
            languages,
            contacts,
            problem,
            detail: refusal.map(|r| r.message.clone()),
            bad,
            notice,
        },
    )
}

/// `GET /admin/libraries/{isil}/settings`: the form, filled with the register's values.
#[get("/admin/libraries/{isil}/settings")]
pub async fn settings_page(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
) -> HttpResponse {
    let library = match acted_for(&state, &req, &staff, &isil).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let entered = Entered::of(&library);
    render(
        &state,
        &req,
        &staff,
        &library,
        &entered,
        None,
        false,
        StatusCode::OK,
    )
}

/// `POST /admin/libraries/{isil}/settings`: saves the form, or shows why not.
#[post("/admin/libraries/{isil}/settings")]
pub async fn save_settings(
    state: web::Data<State>,
    req: HttpRequest,
    staff: Staff,
    isil: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let library = match posted_for(&state, &req, &staff, &isil, &form).await {
        Ok(library) => library,
        Err(page) => return page,
    };
    let entered = Entered::from_form(&form);
    let changed = state
        .ports
        .editor
        .change_settings(
            &staff.principal,
            &library.isil,
            entered.settings(),
            state.clock.now(),
        )
        .await;
    match changed {
        Ok(Ok(library)) => {
            let stored = Entered::of(&library);
            render(
                &state,
                &req,
                &staff,
                &library,
                &stored,
                None,
                true,
                StatusCode::OK,
            )
        }
        Ok(Err(refusal)) => render(
            &state,
            &req,
            &staff,
            &library,
            &entered,
            Some(&refusal),
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => failure(e),
    }
}
