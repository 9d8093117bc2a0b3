//! Logins a library issues to patrons who cannot use e-ID: issued, changed and listed for the
//! library's own staff and consortium admins. The API (`/api/v1/libraries/{isil}/patron-logins`)
//! and the portal (through the [`PatronLogins`] port) both come here, so the rules are one.

use actix_web::web;
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use tilgang_kernel::ports::{
    IssuedLogin, IssuedLoginChange, NewIssuedLogin, PatronLogins, PortError, Refusal,
};
use tilgang_kernel::{Isil, Principal};
use uuid::Uuid;

use crate::domain::SsoError;
use crate::http::State;
use crate::login::{normalise, pin};
use crate::storage::patron_logins::{self as repo, PatronLogin};

/// Whether `caller` manages the patron logins of the library `isil`.
pub(crate) fn may_manage(caller: &Principal, isil: &Isil) -> bool {
    caller.acts_for_all()
        || matches!(caller, Principal::LibraryAdmin { .. }) && caller.acts_for_library(isil)
}

fn check_birth_year(year: Option<i32>, now: DateTime<Utc>) -> Result<(), SsoError> {
    match year {
        Some(y) if !(1900..=now.year()).contains(&y) => Err(SsoError::invalid(
            "birth_year",
            "value_out_of_range",
            "a year from 1900 to this year",
        )),
        _ => Ok(()),
    }
}

/// Issues a login at the library `isil`.
pub(crate) async fn issue(
    state: &State,
    isil: &Isil,
    new: NewIssuedLogin,
) -> Result<PatronLogin, SsoError> {
    let username = normalise(&new.username);
    if !(3..=64).contains(&username.chars().count()) {
        return Err(SsoError::invalid(
            "username",
            "value_invalid",
            "a card number or username has 3 to 64 characters",
        ));
    }
    pin::validate(&new.pin)?;
    let now = state.clock.now();
    check_birth_year(new.birth_year, now)?;
    let chars: Vec<char> = username.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
    let login = PatronLogin {
        id: Uuid::now_v7(),
        hint: format!("…{tail}"),
        pin_hash: pin::hash(new.pin).await?,
        category: new.category,
        birth_year: new.birth_year,
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    let key = state.logins.login_key(isil, &username);
    repo::create(&state.db, isil, &key, &login).await?;
    Ok(login)
}

/// Changes the library's login `id`.
pub(crate) async fn change(
    state: &State,
    isil: &Isil,
    id: Uuid,
    change: IssuedLoginChange,
) -> Result<PatronLogin, SsoError> {
    let mut login = repo::get(&state.db, isil, id).await?;
    let now = state.clock.now();
    check_birth_year(change.birth_year, now)?;
    if let Some(new_pin) = change.pin {
        pin::validate(&new_pin)?;
        login.pin_hash = pin::hash(new_pin).await?;
    }
    if let Some(category) = change.category {
        login.category = Some(category);
    }
    if let Some(year) = change.birth_year {
        login.birth_year = Some(year);
    }
    if let Some(disabled) = change.disabled {
        login.disabled = disabled;
    }
    login.updated_at = now;
    repo::save(&state.db, &login).await?;
    Ok(login)
}

/// The [`PatronLogins`] port, answered from the provider's database.
pub struct InProcess(pub(crate) web::Data<State>);

fn summary(login: PatronLogin) -> IssuedLogin {
    IssuedLogin {
        id: login.id,
        hint: login.hint,
        category: login.category,
        birth_year: login.birth_year,
        disabled: login.disabled,
        created_at: login.created_at,
    }
}

/// A port answer: the value, a refusal for the caller, or the provider failing.
pub(crate) fn answer<T>(result: Result<T, SsoError>) -> Result<Result<T, Refusal>, PortError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(SsoError::Storage(e)) => Err(PortError::new("sso", e)),
        Err(refused) => Ok(Err(Refusal {
            code: refused.code().to_owned(),
            field: match &refused {
                SsoError::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            },
            message: refused.to_string(),
        })),
    }
}

pub(crate) fn scoped(caller: &Principal, isil: &Isil) -> Result<(), SsoError> {
    if may_manage(caller, isil) {
        Ok(())
    } else {
        Err(SsoError::Forbidden(
            "only this library's staff manage its patron logins".into(),
        ))
    }
}

#[async_trait]
impl PatronLogins for InProcess {
    async fn list(
        &self,
        caller: &Principal,
        isil: &Isil,
    ) -> Result<Result<Vec<IssuedLogin>, Refusal>, PortError> {
        let listed = async {
            scoped(caller, isil)?;
            repo::list(&self.0.db, isil).await
        }
        .await;
        answer(listed.map(|logins| logins.into_iter().map(summary).collect()))
    }

    async fn issue(
        &self,
        caller: &Principal,
        isil: &Isil,
        login: NewIssuedLogin,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError> {
        let issued = async {
            scoped(caller, isil)?;
            issue(&self.0, isil, login).await
        }
        .await;
        answer(issued.map(summary))
    }

    async fn change(
        &self,
        caller: &Principal,
        isil: &Isil,
        id: Uuid,
        change: IssuedLoginChange,
    ) -> Result<Result<IssuedLogin, Refusal>, PortError> {
        let changed = async {
            scoped(caller, isil)?;
            self::change(&self.0, isil, id, change).await
        }
        .await;
        answer(changed.map(summary))
    }
}
