//! Staff accounts: each role makes and sees only the accounts it manages, a new account gets a
//! one-time password shown once, and logging in counts wrong passwords towards a lock.

mod common;

use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tilgang_kernel::ports::{StaffDirectory, StaffLogin};
use tilgang_kernel::{Principal, VendorId};
use tilgang_registry::Registry;
use tilgang_testkit::{TestApp, TestEnv};

/// The register with Deichman and Tampere, and a vendor.
async fn register() -> (TestEnv, TestApp, Arc<dyn StaffDirectory>, VendorId) {
    let env = TestEnv::new().await;
    tilgang_registry::migrate(env.db()).await.unwrap();
    let registry = Arc::new(Registry::new(&env.ctx));
    let staff = registry.staff();
    let app = env.spawn(vec![registry]).await;
    let admin = app.consortium_admin();
    for (isil, name) in [("NO-2030000", "Deichman"), ("FI-Tam", "Tampere")] {
        let made = app
            .post("/api/v1/libraries", &admin, &common::library(isil, name))
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
    }
    let vendor = app
        .post("/api/v1/vendors", &admin, &json!({"name": "Nordlys"}))
        .await;
    let vendor = vendor.body["id"].as_str().unwrap().parse().unwrap();
    (env, app, staff, vendor)
}

fn account(email: &str, role: &str, isils: &[&str]) -> Value {
    json!({"email": email, "name": "Kari Nordmann", "role": role, "isils": isils})
}

#[tokio::test]
async fn a_new_account_gets_a_one_time_password_that_logs_in_once_shown() {
    let (_env, app, staff, _) = register().await;
    let made = app
        .post(
            "/api/v1/staff",
            &app.consortium_admin(),
            &account(" Kari@Deichman.no ", "library_admin", &["no-2030000"]),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["email"], "kari@deichman.no");
    assert_eq!(made.body["isils"], json!(["NO-2030000"]));
    assert_eq!(made.body["must_change_password"], true);
    let password = made.body["password"].as_str().unwrap().to_owned();
    assert_eq!(password.len(), 19, "four groups of four: {password}");

    let listed = app.get("/api/v1/staff", &app.consortium_admin()).await;
    assert!(
        !listed.text.contains(&password),
        "the password is shown once"
    );
    assert!(!listed.text.contains("argon2"), "no hash is shown");

    match staff
        .authenticate("KARI@deichman.no", &password, Utc::now())
        .await
        .unwrap()
    {
        StaffLogin::Valid {
            principal,
            must_change_password,
            ..
        } => {
            assert!(must_change_password);
            assert!(
                matches!(principal, Principal::LibraryAdmin { ref isils, .. } if isils.len() == 1)
            );
        }
        other => panic!("{other:?}"),
    }
    let taken = app
        .post(
            "/api/v1/staff",
            &app.consortium_admin(),
            &account("kari@deichman.no", "consortium_admin", &[]),
        )
        .await;
    assert_eq!(taken.status, 409);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let (_env, app, staff, _) = register().await;
    let made = app
        .post(
            "/api/v1/staff",
            &app.consortium_admin(),
            &account("ola@example.no", "consortium_admin", &[]),
        )
        .await;
    let password = made.body["password"].as_str().unwrap().to_owned();
    let now = Utc::now();
    for _ in 0..4 {
        assert_eq!(
            staff
                .authenticate("ola@example.no", "guess", now)
                .await
                .unwrap(),
            StaffLogin::Invalid
        );
    }
    let locked = staff
        .authenticate("ola@example.no", "guess", now)
        .await
        .unwrap();
    assert_eq!(
        locked,
        StaffLogin::Locked {
            until: now + Duration::minutes(15)
        }
    );
    assert!(
        matches!(
            staff
                .authenticate("ola@example.no", &password, now)
                .await
                .unwrap(),
            StaffLogin::Locked { .. }
        ),
        "even the right password waits"
    );
    let later = now + Duration::minutes(16);
    assert!(matches!(
        staff
            .authenticate("ola@example.no", &password, later)
            .await
            .unwrap(),
        StaffLogin::Valid { .. }
    ));
    assert_eq!(
        staff
            .authenticate("nobody@example.no", &password, later)
            .await
            .unwrap(),
        StaffLogin::Invalid,
        "an unknown address is refused like a wrong password"
    );

    let id = made.body["id"].as_str().unwrap();
    let off = app
        .patch(
            &format!("/api/v1/staff/{id}"),
            &app.consortium_admin(),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(off.status, 200);
    assert_eq!(
        staff
            .authenticate("ola@example.no", &password, later)
            .await
            .unwrap(),
        StaffLogin::Invalid
    );
    let reset = app
        .post(
            &format!("/api/v1/staff/{id}/password"),
            &app.consortium_admin(),
            &json!({}),
        )
        .await;
    assert_eq!(reset.status, 200);
    assert_ne!(reset.body["password"], password.as_str());
}

#[tokio::test]
async fn each_role_manages_only_its_own_accounts() {
    let (_env, app, _, vendor) = register().await;
    let deichman = app.library_admin(&["NO-2030000"]);
    let own = app
        .post(
            "/api/v1/staff",
            &deichman,
            &account("per@deichman.no", "library_admin", &["NO-2030000"]),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text);
    for (body, status) in [
        (account("x@tampere.fi", "library_admin", &["FI-Tam"]), 403),
        (account("x@deichman.no", "consortium_admin", &[]), 403),
        (account("x@deichman.no", "library_admin", &[]), 422),
        (
            account("x@deichman.no", "library_admin", &["NO-9999999"]),
            403,
        ),
        (
            account("not-an-address", "library_admin", &["NO-2030000"]),
            422,
        ),
    ] {
        let refused = app.post("/api/v1/staff", &deichman, &body).await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
    }
    let unregistered = app
        .post(
            "/api/v1/staff",
            &app.consortium_admin(),
            &account("x@example.no", "library_admin", &["NO-9999999"]),
        )
        .await;
    assert_eq!(
        unregistered.status, 404,
        "only those who may ask learn what is registered"
    );
    let vendor_token = app.vendor(vendor);
    let vendor_staff = app
        .post(
            "/api/v1/staff",
            &vendor_token,
            &json!({"email": "eva@nordlys.example", "name": "Eva", "role": "vendor"}),
        )
        .await;
    assert_eq!(vendor_staff.status, 201, "{}", vendor_staff.text);
    assert_eq!(vendor_staff.body["vendor"], vendor.to_string());
    let other_vendor = app
        .post(
            "/api/v1/staff",
            &app.vendor(VendorId::new()),
            &json!({"email": "eve@other.example", "name": "Eve", "role": "vendor", "vendor": vendor.0}),
        )
        .await;
    assert_eq!(other_vendor.status, 403);

    let emails = |answer: tilgang_testkit::Answer| -> Vec<String> {
        answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["email"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        emails(app.get("/api/v1/staff", &deichman).await),
        ["per@deichman.no"]
    );
    assert_eq!(
        emails(app.get("/api/v1/staff", &vendor_token).await),
        ["eva@nordlys.example"]
    );
    assert!(
        emails(
            app.get("/api/v1/staff", &app.library_admin(&["FI-Tam"]))
                .await
        )
        .is_empty()
    );
    assert_eq!(
        emails(app.get("/api/v1/staff", &app.consortium_admin()).await).len(),
        2
    );

    let id = own.body["id"].as_str().unwrap();
    let widened = app
        .patch(
            &format!("/api/v1/staff/{id}"),
            &deichman,
            &json!({"isils": ["NO-2030000", "FI-Tam"]}),
        )
        .await;
    assert_eq!(
        widened.status, 403,
        "a library admin cannot give another library"
    );
    let elsewhere = app
        .patch(
            &format!("/api/v1/staff/{id}"),
            &app.library_admin(&["FI-Tam"]),
            &json!({"name": "X"}),
        )
        .await;
    assert_eq!(
        elsewhere.status, 404,
        "an account one does not manage is not found"
    );
    let unchanged = app.get("/api/v1/staff", &deichman).await;
    assert_eq!(unchanged.body[0]["isils"], json!(["NO-2030000"]));
}
