//! One contract for every `Kv`: the in-memory store always, Redis when
//! `TILGANG_TEST_REDIS_URL` is set (as `.ci/run` does in its PostgreSQL + Redis pass).

use std::sync::Arc;
use std::time::Duration;

use tilgang_store::{Kv, MemoryKv, RedisKv};

async fn stores() -> Vec<(&'static str, Arc<dyn Kv>)> {
    let mut stores: Vec<(&str, Arc<dyn Kv>)> = vec![("memory", Arc::new(MemoryKv::new()))];
    match std::env::var("TILGANG_TEST_REDIS_URL") {
        Ok(url) => {
            let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
            stores.push((
                "redis",
                Arc::new(RedisKv::connect(&url, &prefix).await.unwrap()),
            ));
        }
        Err(_) => eprintln!(
            "TILGANG_TEST_REDIS_URL is not set: the Redis store is not tested in this run"
        ),
    }
    stores
}

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_millis(150);

#[tokio::test]
async fn a_value_set_can_be_read_until_it_expires() {
    for (name, kv) in stores().await {
        kv.set("a", b"one", SHORT).await.unwrap();
        assert_eq!(
            kv.get("a").await.unwrap().as_deref(),
            Some(&b"one"[..]),
            "{name}"
        );
        tokio::time::sleep(SHORT * 2).await;
        assert_eq!(kv.get("a").await.unwrap(), None, "{name}: expired");
    }
}

#[tokio::test]
async fn setting_again_replaces_the_value() {
    for (name, kv) in stores().await {
        kv.set("b", b"one", LONG).await.unwrap();
        kv.set("b", b"two", LONG).await.unwrap();
        assert_eq!(
            kv.get("b").await.unwrap().as_deref(),
            Some(&b"two"[..]),
            "{name}"
        );
        kv.delete("b").await.unwrap();
        assert_eq!(kv.get("b").await.unwrap(), None, "{name}: deleted");
    }
}

#[tokio::test]
async fn take_gives_a_value_to_exactly_one_caller() {
    for (name, kv) in stores().await {
        kv.set("code", b"secret", LONG).await.unwrap();
        let takers = (0..8).map(|_| {
            let kv = kv.clone();
            tokio::spawn(async move { kv.take("code").await.unwrap() })
        });
        let mut got = 0;
        for taker in takers {
            got += usize::from(taker.await.unwrap().is_some());
        }
        assert_eq!(got, 1, "{name}");
        assert_eq!(kv.take("missing").await.unwrap(), None, "{name}");
    }
}

#[tokio::test]
async fn a_counter_counts_within_its_window_and_starts_again_after() {
    for (name, kv) in stores().await {
        assert_eq!(kv.incr("n", 1, SHORT).await.unwrap(), 1, "{name}");
        assert_eq!(kv.incr("n", 2, SHORT).await.unwrap(), 3, "{name}");
        tokio::time::sleep(SHORT * 2).await;
        assert_eq!(
            kv.incr("n", 1, SHORT).await.unwrap(),
            1,
            "{name}: new window"
        );
    }
}

#[tokio::test]
async fn concurrent_increments_are_not_lost() {
    for (name, kv) in stores().await {
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let kv = kv.clone();
                tokio::spawn(async move { kv.incr("c", 1, LONG).await.unwrap() })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(kv.incr("c", 0, LONG).await.unwrap(), 50, "{name}");
    }
}

#[tokio::test]
async fn the_store_answers_a_ping() {
    for (name, kv) in stores().await {
        kv.ping().await.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
