//! Database connection and per-service migrations.
//!
//! Each service owns its tables (named with the service as prefix) and its own migration table
//! (`<service>_migrations`), so services can share one database or use one each.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;
use tilgang_kernel::ReadinessCheck;

/// Connects to `url` (`sqlite://path/file.db` or `postgres://...`).
///
/// A SQLite file and its folder are created when missing, and the database runs in WAL mode so
/// readers never wait for the writer. `schema` (PostgreSQL only) sets the search path, which the
/// test harness uses to give each test a schema of its own.
pub async fn connect(
    url: &str,
    max_connections: u32,
    schema: Option<&str>,
) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    if sqlite {
        ensure_sqlite_folder(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    if let Some(schema) = schema {
        options.set_schema_search_path(schema.to_owned());
    }
    Database::connect(options).await
}

fn ensure_sqlite_folder(url: &str) -> Result<(), DbErr> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            std::fs::create_dir_all(folder).map_err(|e| {
                DbErr::Custom(format!(
                    "cannot create the folder {}: {e}",
                    folder.display()
                ))
            })
        }
        _ => Ok(()),
    }
}

/// Brings a service's tables up to date with its migrator.
pub async fn migrate<M: MigratorTrait>(db: &DatabaseConnection) -> Result<(), DbErr> {
    M::up(db, None).await
}

/// Readiness of the database: it answers a trivial query.
pub struct DatabaseCheck(pub DatabaseConnection);

#[async_trait]
impl ReadinessCheck for DatabaseCheck {
    fn name(&self) -> &'static str {
        "database"
    }

    async fn check(&self) -> Result<(), String> {
        self.0
            .execute_unprepared("SELECT 1")
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so two writers wait for each other (up to the busy timeout) instead of one
/// failing with "database is locked" when it turns from reading to writing; on PostgreSQL it
/// is an ordinary transaction.
pub async fn write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
