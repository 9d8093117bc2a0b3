//! Entitlement checks per second, in-process with a warm index, and a peer measured in the
//! same run: one SQL query per check (what a service without the index would do) against the
//! same data. Run by `tests/bench/entitlements.sh`.
//!
//! Usage: entitlement_bench DATABASE_URL SECONDS
//! Loads a national year (400 libraries × 100 products, one subscription each) into a database
//! without the service's tables, times a rebuild of the index, then prints one JSON line.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use sea_orm::TransactionTrait;
use tilgang_kernel::{Isil, ProductId, VendorId};
use tilgang_subscriptions::domain::entitlement::decide;
use tilgang_subscriptions::domain::subscription::{Currency, Renewal, Subscription, Terms};
use tilgang_subscriptions::index::EntitlementIndex;
use tilgang_subscriptions::storage::subscriptions;

const LIBRARIES: usize = 400;
const PRODUCTS: usize = 100;
/// Concurrent checks of the peer (the pool has as many connections).
const SQL_TASKS: usize = 16;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, seconds) = match args.as_slice() {
        [_, url, seconds] => (url.clone(), seconds.parse::<u64>().expect("SECONDS")),
        _ => panic!("usage: entitlement_bench DATABASE_URL SECONDS"),
    };
    let run_for = Duration::from_secs(seconds);
    let db = tilgang_store::connect(&url, SQL_TASKS as u32, None)
        .await
        .expect("the database answers");
    tilgang_subscriptions::migrate(&db)
        .await
        .expect("migrations");
    let libraries: Vec<Isil> = (0..LIBRARIES)
        .map(|n| Isil::parse(&format!("NO-9{n:06}")).expect("a valid ISIL"))
        .collect();
    let products: Vec<ProductId> = (0..PRODUCTS).map(|_| ProductId::new()).collect();
    load(&db, &libraries, &products).await;

    let kv = tilgang_store::connect_kv("memory", "bench:")
        .await
        .expect("kv");
    let index = Arc::new(EntitlementIndex::new(&db, kv));
    let started = Instant::now();
    index.rebuild().await.expect("rebuild");
    let rebuild_ms = started.elapsed().as_secs_f64() * 1000.0;

    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let in_process = in_process(&index, &libraries, &products, threads, run_for);
    let sql = sql(&db, &libraries, &products, run_for).await;
    println!(
        "{{\"grants\":{},\"rebuild_ms\":{rebuild_ms:.1},\"threads\":{threads},\"checks_per_second\":{in_process:.0},\"sql_checks_per_second\":{sql:.0}}}",
        LIBRARIES * PRODUCTS
    );
}

/// One subscription per library and product, for this year and the next.
async fn load(db: &sea_orm::DatabaseConnection, libraries: &[Isil], products: &[ProductId]) {
    let (first, last) = (
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2027, 12, 31).expect("date"),
    );
    let vendor = VendorId::new();
    let tx = db.begin().await.expect("a transaction");
    for isil in libraries {
        for product in products {
            let terms =
                Terms::new(first, last, 100_000, Currency::NOK, Renewal::End).expect("terms");
            let s = Subscription::new(isil.clone(), *product, vendor, terms, None, Utc::now());
            subscriptions::insert(&tx, &s).await.expect("insert");
        }
    }
    tx.commit().await.expect("commit");
}

/// Checks per second from `threads` threads asking the index.
fn in_process(
    index: &Arc<EntitlementIndex>,
    libraries: &[Isil],
    products: &[ProductId],
    threads: usize,
    run_for: Duration,
) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (stop, done, index) = (stop.clone(), done.clone(), index.clone());
            scope.spawn(move || {
                let mut n = t;
                let mut granted = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    for _ in 0..1000 {
                        let isil = &libraries[n % libraries.len()];
                        let product = products[(n / libraries.len()) % products.len()];
                        granted += u64::from(index.answer(isil, product, Utc::now()).granted());
                        n = n.wrapping_add(7919);
                    }
                    done.fetch_add(1000, Ordering::Relaxed);
                }
                assert!(granted > 0, "every library has access");
            });
        }
        std::thread::sleep(run_for);
        stop.store(true, Ordering::Relaxed);
    });
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Checks per second with one SQL query each, `SQL_TASKS` at a time.
async fn sql(
    db: &sea_orm::DatabaseConnection,
    libraries: &[Isil],
    products: &[ProductId],
    run_for: Duration,
) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + run_for;
    let mut tasks = Vec::new();
    for t in 0..SQL_TASKS {
        let (db, done) = (db.clone(), done.clone());
        let (libraries, products) = (libraries.to_vec(), products.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut n = t;
            while Instant::now() < deadline {
                let isil = &libraries[n % libraries.len()];
                let product = products[(n / libraries.len()) % products.len()];
                let found = subscriptions::of(&db, isil, product)
                    .await
                    .expect("a query");
                let grants: Vec<_> = found.iter().filter_map(Subscription::grant).collect();
                assert!(decide(&grants, Utc::now()).granted());
                done.fetch_add(1, Ordering::Relaxed);
                n = n.wrapping_add(7919);
            }
        }));
    }
    for task in tasks {
        task.await.expect("a task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}
