//! Access events from an `sso` in another process: they travel on a Redis stream and `usage`
//! reads them as a consumer group, at least once and counted once. These tests need Redis
//! (`TILGANG_TEST_REDIS_URL`) and skip without it.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};
use tilgang_kernel::ports::{AccessEvent, AccessOutcome, UsageSink};
use tilgang_kernel::{Clock, Isil};
use tilgang_store::stream::{ACCESS_EVENTS, EventStream, StreamSink};
use tilgang_usage::consume::{Consumer, GROUP};
use tilgang_usage::ingest::Ingest;
use tokio::sync::watch;
use uuid::Uuid;

mod support;

/// A stream of its own in the test Redis, or `None` (the test is skipped) without one.
async fn stream() -> Option<EventStream> {
    let Ok(url) = std::env::var("TILGANG_TEST_REDIS_URL") else {
        eprintln!("skipped: the access-event stream needs Redis (set TILGANG_TEST_REDIS_URL)");
        return None;
    };
    let prefix = format!("t_{}:", Uuid::new_v4().simple());
    Some(
        EventStream::connect(&url, &prefix, ACCESS_EVENTS)
            .await
            .unwrap(),
    )
}

fn login(w: &support::World) -> AccessEvent {
    AccessEvent {
        id: Uuid::now_v7(),
        at: w.env.clock.now(),
        isil: Isil::parse("NO-2030000").unwrap(),
        vendor: None,
        product: None,
        outcome: AccessOutcome::Login,
        reason: None,
        pseudonym: "patron".into(),
    }
}

async fn stored(w: &support::World) -> i64 {
    let backend = w.env.db().get_database_backend();
    let row = w
        .env
        .db()
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT COUNT(*) AS n FROM usage_events",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Runs a consumer until `done` holds (at most 10 s), then stops it.
async fn consume_until<F, Fut>(w: &support::World, stream: &EventStream, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let ingest = Arc::new(Ingest::new(w.env.db(), w.env.ctx.clock.clone()));
    let consumer = Consumer::new(stream.clone(), ingest, "alive".into())
        .reclaiming_after(Duration::from_millis(300));
    let (stop, stopping) = watch::channel(false);
    let task = tokio::spawn(consumer.run(stopping));
    for _ in 0..100 {
        if done().await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the consumer stops when told")
        .unwrap();
}

#[tokio::test]
async fn events_published_while_usage_was_away_are_stored_once_it_reads() {
    let Some(stream) = stream().await else { return };
    let w = support::world("2026-10-15T10:00:00Z").await;
    let events: Vec<_> = (0..5).map(|_| login(&w)).collect();
    StreamSink(stream.clone()).record(events).await.unwrap();

    consume_until(&w, &stream, || async { stored(&w).await == 5 }).await;

    assert_eq!(stored(&w).await, 5);
    assert_eq!(
        stream.pending(GROUP).await.unwrap(),
        0,
        "every event is acknowledged"
    );
}

#[tokio::test]
async fn events_a_killed_consumer_had_read_are_taken_over_and_counted_once() {
    let Some(stream) = stream().await else { return };
    let w = support::world("2026-10-15T10:00:00Z").await;
    let events: Vec<_> = (0..3).map(|_| login(&w)).collect();
    let sink = StreamSink(stream.clone());
    sink.record(events.clone()).await.unwrap();
    // A consumer reads them and dies before acknowledging; a producer that retried after a
    // lost answer has published the first one twice.
    stream.join(GROUP).await.unwrap();
    let taken = stream
        .read(GROUP, "killed", 10, Duration::from_millis(100))
        .await
        .unwrap();
    assert_eq!(taken.len(), 3);
    sink.record(vec![events[0].clone()]).await.unwrap();

    consume_until(&w, &stream, || async {
        stream.pending(GROUP).await.unwrap() == 0 && stored(&w).await == 3
    })
    .await;

    assert_eq!(stored(&w).await, 3, "each event counts once");
    assert_eq!(stream.pending(GROUP).await.unwrap(), 0);
}

#[tokio::test]
async fn an_entry_that_is_not_an_event_is_dropped_and_does_not_block_the_rest() {
    let Some(stream) = stream().await else { return };
    let w = support::world("2026-10-15T10:00:00Z").await;
    stream.publish(b"{not an event").await.unwrap();
    StreamSink(stream.clone())
        .record(vec![login(&w)])
        .await
        .unwrap();

    consume_until(&w, &stream, || async { stored(&w).await == 1 }).await;

    assert_eq!(stored(&w).await, 1);
    assert_eq!(stream.pending(GROUP).await.unwrap(), 0);
}
