//! A trial from request to its end on day 50, with the entitlement answer, the audit trail and
//! the vendor's webhook events along the way; on SQLite + memory, or PostgreSQL + Redis when
//! `TILGANG_TEST_DATABASE_URL` / `TILGANG_TEST_REDIS_URL` are set.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tilgang_kernel::Clock;
use tilgang_kernel::ports::{EntitlementBasis, Entitlements};
use tilgang_kernel::{EndpointId, Isil, Principal, ProductId, VendorId};
use tilgang_subscriptions::desk::{Desk, TrialStep};
use tilgang_subscriptions::domain::subscription::{Currency, Renewal, Terms};
use tilgang_subscriptions::domain::webhook::EventType;
use tilgang_subscriptions::index::EntitlementIndex;
use tilgang_subscriptions::storage::{Scope, audit, notices, outbox};
use tilgang_testkit::TestEnv;

struct World {
    env: TestEnv,
    desk: Desk,
    product: ProductId,
    vendor: VendorId,
    admin: Principal,
    isil: Isil,
}

/// The demo register, a library admin of NO-2030000, and a webhook endpoint of the vendor of
/// `nordlys-ebok` that wants every event.
async fn world() -> World {
    let env = TestEnv::new().await;
    env.clock.set(at("2026-11-22T13:00:00Z"));
    tilgang_registry::migrate(env.db()).await.unwrap();
    tilgang_subscriptions::migrate(env.db()).await.unwrap();
    tilgang_registry::demo::ensure(env.db(), env.clock.now())
        .await
        .unwrap();
    let registry = tilgang_registry::Registry::new(&env.ctx);
    let product = registry
        .catalogue()
        .product_by_slug("nordlys-ebok")
        .await
        .unwrap()
        .unwrap();
    let index = Arc::new(EntitlementIndex::new(env.db(), env.ctx.kv.clone()));
    index.rebuild().await.unwrap();
    let desk = Desk {
        db: env.db().clone(),
        clock: env.ctx.clock.clone(),
        directory: registry.directory(),
        catalogue: registry.catalogue(),
        index,
        mailer: None,
    };
    outbox::add_endpoint(
        env.db(),
        &outbox::Endpoint {
            id: EndpointId::new(),
            vendor: product.vendor,
            url: "https://vendor.example/hooks".into(),
            events: EventType::ALL.to_vec(),
            secret_sealed: String::new(),
            created_at: env.clock.now(),
        },
    )
    .await
    .unwrap();
    let isil = Isil::parse("NO-2030000").unwrap();
    World {
        admin: Principal::LibraryAdmin {
            subject: "anne@deichman".into(),
            isils: vec![isil.clone()],
        },
        isil,
        product: product.id,
        vendor: product.vendor,
        desk,
        env,
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().into()
}

async fn events(w: &World) -> Vec<String> {
    outbox::deliveries_of(w.env.db(), w.vendor)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.event_type)
        .collect()
}

#[tokio::test]
async fn a_trial_starts_at_once_gives_access_and_ends_on_day_fifty_by_itself() {
    let w = world().await;
    let trial = w
        .desk
        .request_trial(&w.admin, &w.isil, w.product)
        .await
        .unwrap();
    let answer = w
        .desk
        .index
        .check(&w.isil, w.product, w.env.clock.now())
        .await
        .unwrap();
    assert_eq!(answer.basis, EntitlementBasis::Trial);
    assert_eq!(
        answer.until,
        Some(at("2027-01-10T23:00:00Z")),
        "day 50 is 10 January"
    );

    w.env.clock.set(at("2027-01-10T22:59:59Z"));
    assert_eq!(w.desk.run_lifecycle().await.unwrap(), 0);
    assert!(
        w.desk
            .index
            .answer(&w.isil, w.product, w.env.clock.now())
            .granted()
    );
    w.env.clock.set(at("2027-01-10T23:00:00Z"));
    assert!(
        !w.desk
            .index
            .answer(&w.isil, w.product, w.env.clock.now())
            .granted(),
        "access ends at midnight, before any job runs"
    );
    assert_eq!(w.desk.run_lifecycle().await.unwrap(), 1);
    assert_eq!(
        w.desk.run_lifecycle().await.unwrap(),
        0,
        "running again changes nothing"
    );

    let ended = w.desk.visible_trial(&w.admin, trial.id).await.unwrap();
    assert_eq!(
        ended.state,
        tilgang_subscriptions::domain::trial::TrialState::Ended
    );
    assert_eq!(
        events(&w).await,
        ["trial.requested", "trial.started", "trial.ended"]
    );
    let trail = audit::list(
        w.env.db(),
        &Scope {
            isil_keys: Some(vec![w.isil.key()]),
            ..Scope::default()
        },
        None,
        10,
    )
    .await
    .unwrap();
    let actions: Vec<_> = trail
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("system", "trial.ended"),
            ("anne@deichman", "trial.started")
        ]
    );
}

#[tokio::test]
async fn a_converted_trial_continues_as_a_subscription_without_a_gap() {
    let w = world().await;
    let trial = w
        .desk
        .request_trial(&w.admin, &w.isil, w.product)
        .await
        .unwrap();
    w.env.clock.advance(Duration::days(20));
    let today = tilgang_subscriptions::domain::time::day_of(w.env.clock.now());
    let terms = Terms::new(
        today,
        today + chrono::Days::new(364),
        1_200_000,
        Currency::NOK,
        Renewal::End,
    )
    .unwrap();
    let s = w.desk.convert(&w.admin, trial.id, terms).await.unwrap();
    assert_eq!(s.from_trial, Some(trial.id));
    let now = w.desk.index.answer(&w.isil, w.product, w.env.clock.now());
    assert_eq!(now.basis, EntitlementBasis::Subscription);
    assert!(events(&w).await.ends_with(&["trial.converted".to_owned()]));
    let again = w
        .desk
        .convert(
            &w.admin,
            trial.id,
            Terms::new(today, today, 0, Currency::NOK, Renewal::End).unwrap(),
        )
        .await;
    assert_eq!(
        again.unwrap_err().code(),
        "trial_state",
        "converting twice is a conflict"
    );
}

#[tokio::test]
async fn refused_requests_change_nothing() {
    let w = world().await;
    let other_library = Principal::LibraryAdmin {
        subject: "x".into(),
        isils: vec![Isil::parse("SE-3").unwrap()],
    };
    assert_eq!(
        w.desk
            .request_trial(&other_library, &w.isil, w.product)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let vendor = Principal::Vendor {
        subject: "v".into(),
        vendor: w.vendor,
    };
    assert_eq!(
        w.desk
            .request_trial(&vendor, &w.isil, w.product)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    let unknown = Isil::parse("NO-9999999").unwrap();
    let consortium = Principal::ConsortiumAdmin {
        subject: "c".into(),
    };
    assert_eq!(
        w.desk
            .request_trial(&consortium, &unknown, w.product)
            .await
            .unwrap_err()
            .code(),
        "library_not_found"
    );
    assert_eq!(
        w.desk
            .request_trial(&consortium, &w.isil, ProductId::new())
            .await
            .unwrap_err()
            .code(),
        "product_not_found"
    );

    let trial = w
        .desk
        .request_trial(&w.admin, &w.isil, w.product)
        .await
        .unwrap();
    assert_eq!(
        w.desk
            .request_trial(&w.admin, &w.isil, w.product)
            .await
            .unwrap_err()
            .code(),
        "trial_exists"
    );
    let other_vendor = Principal::Vendor {
        subject: "o".into(),
        vendor: VendorId::new(),
    };
    assert_eq!(
        w.desk
            .trial_step(&other_vendor, trial.id, TrialStep::Decline)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        w.desk
            .trial_step(&vendor, trial.id, TrialStep::Cancel)
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        w.desk
            .trial_step(&vendor, trial.id, TrialStep::Confirm)
            .await
            .unwrap_err()
            .code(),
        "trial_state"
    );
    assert_eq!(
        events(&w).await,
        ["trial.requested", "trial.started"],
        "only the one trial's events"
    );
}

#[tokio::test]
async fn overlapping_subscriptions_are_refused_and_a_subscription_rules_out_a_trial() {
    let w = world().await;
    let consortium = Principal::ConsortiumAdmin {
        subject: "c".into(),
    };
    let day = |d: &str| d.parse().unwrap();
    let terms =
        |from, to| Terms::new(day(from), day(to), 500_000, Currency::NOK, Renewal::End).unwrap();
    w.desk
        .subscribe(
            &consortium,
            &w.isil,
            w.product,
            terms("2026-11-01", "2027-10-31"),
        )
        .await
        .unwrap();
    let overlap = w
        .desk
        .subscribe(
            &consortium,
            &w.isil,
            w.product,
            terms("2027-10-31", "2028-10-30"),
        )
        .await;
    assert_eq!(overlap.unwrap_err().code(), "subscription_overlaps");
    assert!(
        w.desk
            .subscribe(
                &consortium,
                &w.isil,
                w.product,
                terms("2027-11-01", "2028-10-31")
            )
            .await
            .is_ok()
    );
    assert_eq!(
        w.desk
            .request_trial(&w.admin, &w.isil, w.product)
            .await
            .unwrap_err()
            .code(),
        "already_subscribed"
    );
    assert_eq!(
        w.desk
            .subscribe(
                &w.admin,
                &w.isil,
                w.product,
                terms("2030-01-01", "2030-12-31")
            )
            .await
            .unwrap_err()
            .code(),
        "forbidden"
    );
}

#[tokio::test]
async fn another_process_sees_a_change_when_it_follows_the_shared_generation() {
    let w = world().await;
    let elsewhere = EntitlementIndex::new(w.env.db(), w.env.ctx.kv.clone());
    elsewhere.rebuild().await.unwrap();
    assert!(!elsewhere.follow().await.unwrap(), "nothing changed yet");
    w.desk
        .request_trial(&w.admin, &w.isil, w.product)
        .await
        .unwrap();
    let now = w.env.clock.now();
    assert!(!elsewhere.answer(&w.isil, w.product, now).granted());
    assert!(elsewhere.follow().await.unwrap());
    assert!(elsewhere.answer(&w.isil, w.product, now).granted());
}

#[tokio::test]
async fn the_library_is_reminded_once_a_week_before_its_trial_ends() {
    let w = world().await;
    let trial = w
        .desk
        .request_trial(&w.admin, &w.isil, w.product)
        .await
        .unwrap();
    let ends_at = trial.ends_at.unwrap();
    w.env.clock.set(ends_at - Duration::days(8));
    w.desk.run_lifecycle().await.unwrap();
    assert!(
        notices::list(w.env.db(), None, 10)
            .await
            .unwrap()
            .is_empty()
    );

    w.env.clock.set(ends_at - Duration::days(7));
    w.desk.run_lifecycle().await.unwrap();
    w.env.clock.advance(Duration::hours(1));
    w.desk.run_lifecycle().await.unwrap();
    let notices = notices::list(w.env.db(), Some(vec![w.isil.key()]), 10)
        .await
        .unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].kind, "trial_ending");
    assert_eq!(notices[0].ends_at, ends_at);
    assert_eq!(notices[0].subject_id, trial.id.0);
}
