//! Storage shared by the services: connecting to the database (SQLite in WAL mode or PostgreSQL,
//! from the same sea-orm code), running a service's own migrations, and the [`Kv`] store for
//! short-lived state (in memory for one process, Redis for many).

pub mod context;
pub mod db;
pub mod kv;
pub mod stream;

pub use context::ServiceContext;
pub use db::{DatabaseCheck, connect, migrate, write};
pub use kv::{Kv, KvCheck, KvError, MemoryKv, RedisKv, connect_kv};
