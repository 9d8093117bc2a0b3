//! Access events stored per second through the `UsageSink` port on PostgreSQL (batches of
//! `BATCH`, a repeated id ignored, patron keys salted per month), against the ceiling measured
//! in the same run: `COPY` of the same rows by psql. Run by `tests/bench/usage_ingest.sh`.
//!
//! Usage: ingest_bench DATABASE_URL EVENTS CSV_OUT
//! Stores EVENTS events (timing it), then writes the stored rows as CSV to CSV_OUT for the
//! script to `COPY` into a copy of the table; prints one JSON line.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use tilgang_kernel::ports::{AccessEvent, AccessOutcome};
use tilgang_kernel::{Isil, ProductId, SystemClock, VendorId};
use tilgang_usage::ingest::Ingest;

/// Events per call, as a batching producer would send them.
const BATCH: usize = 5_000;
/// Calls in flight at once.
const IN_FLIGHT: usize = 4;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, events, csv] = args.as_slice() else {
        panic!("usage: ingest_bench DATABASE_URL EVENTS CSV_OUT");
    };
    let total: usize = events.parse().expect("EVENTS");
    let db = tilgang_store::connect(url, IN_FLIGHT as u32 + 1, None)
        .await
        .expect("the database answers");
    tilgang_usage::migrate(&db).await.expect("migrations");
    let libraries: Vec<Isil> = (0..400)
        .map(|n| Isil::parse(&format!("NO-9{n:06}")).expect("an ISIL"))
        .collect();
    let products: Vec<ProductId> = (0..100).map(|_| ProductId::new()).collect();
    let vendor = VendorId::new();
    let start = Utc::now() - Duration::hours(1);
    let batches: Vec<Vec<AccessEvent>> = (0..total)
        .map(|n| AccessEvent {
            id: uuid::Uuid::now_v7(),
            at: start + Duration::milliseconds(n as i64),
            isil: libraries[n % libraries.len()].clone(),
            vendor: Some(vendor),
            product: Some(products[(n / 7) % products.len()]),
            outcome: AccessOutcome::Granted,
            reason: None,
            pseudonym: format!("patron-{}", n % 50_000),
        })
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .map(<[AccessEvent]>::to_vec)
        .collect();
    let ingest = Arc::new(Ingest::new(&db, Arc::new(SystemClock)));
    // Warm up: the month's salt and the connections.
    ingest
        .store(batches[0][..10].to_vec())
        .await
        .expect("stores");
    let started = Instant::now();
    let mut stored = 0;
    let mut queue = batches.into_iter();
    loop {
        let round: Vec<_> = queue.by_ref().take(IN_FLIGHT).collect();
        if round.is_empty() {
            break;
        }
        let tasks: Vec<_> = round
            .into_iter()
            .map(|batch| {
                let ingest = ingest.clone();
                tokio::spawn(async move { ingest.store(batch).await.expect("stores") })
            })
            .collect();
        for task in tasks {
            stored += task.await.expect("a task");
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, at, day, isil, isil_key, vendor_id, product_id, outcome, reason, user_key FROM usage_events",
        ))
        .await
        .expect("rows");
    let mut out = std::io::BufWriter::new(std::fs::File::create(csv).expect("the CSV file"));
    for r in &rows {
        let id: uuid::Uuid = r.try_get("", "id").expect("id");
        let at: chrono::DateTime<Utc> = r.try_get("", "at").expect("at");
        let day: chrono::NaiveDate = r.try_get("", "day").expect("day");
        let isil: String = r.try_get("", "isil").expect("isil");
        let key: String = r.try_get("", "isil_key").expect("key");
        let vendor: Option<uuid::Uuid> = r.try_get("", "vendor_id").expect("vendor");
        let product: Option<uuid::Uuid> = r.try_get("", "product_id").expect("product");
        let outcome: String = r.try_get("", "outcome").expect("outcome");
        let user: String = r.try_get("", "user_key").expect("user");
        writeln!(
            out,
            "{id},{},{day},{isil},{key},{},{},{outcome},,{user}",
            at.to_rfc3339(),
            vendor.map(|v| v.to_string()).unwrap_or_default(),
            product.map(|p| p.to_string()).unwrap_or_default(),
        )
        .expect("a CSV line");
    }
    println!(
        "{{\"events\":{total},\"stored\":{stored},\"seconds\":{seconds:.3},\"events_per_second\":{:.0}}}",
        stored as f64 / seconds
    );
}
