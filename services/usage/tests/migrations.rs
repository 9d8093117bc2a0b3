//! Upgrading a hub that already has usage: the monthly roll-up and the per-library totals are
//! carried over from the daily rows and the monthly unique users of earlier versions.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, Statement, Value};
use sea_orm_migration::MigratorTrait;
use tilgang_testkit::TestEnv;
use uuid::Uuid;

async fn insert(
    db: &sea_orm::DatabaseConnection,
    table: &str,
    columns: &[&str],
    values: Vec<Value>,
) {
    let statement = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|c| Alias::new(*c)))
        .values_panic(values.into_iter().map(Into::into))
        .to_owned();
    db.execute(&statement).await.unwrap();
}

async fn numbers(db: &sea_orm::DatabaseConnection, sql: &str) -> Vec<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    (0..4)
        .map(|i| row.try_get_by_index::<i64>(i).unwrap())
        .collect()
}

#[tokio::test]
async fn an_upgrade_carries_earlier_usage_over_into_the_new_roll_ups() {
    let env = TestEnv::new().await;
    let db = env.db();
    tilgang_usage::storage::Migrator::up(db, Some(3))
        .await
        .unwrap();
    let product = Uuid::now_v7();
    let daily = [
        "day",
        "isil_key",
        "product_id",
        "isil",
        "vendor_id",
        "logins",
        "sessions",
        "turnaways",
        "unique_users",
    ];
    for (day, product, logins, sessions, users) in [
        ("2026-10-01", product, 0, 3, 2),
        ("2026-10-02", product, 0, 4, 3),
        ("2026-10-01", Uuid::nil(), 5, 0, 4),
    ] {
        let day: NaiveDate = day.parse().unwrap();
        insert(
            db,
            "usage_daily",
            &daily,
            vec![
                day.into(),
                "no-2030000".into(),
                product.into(),
                "NO-2030000".into(),
                Option::<Uuid>::None.into(),
                i64::from(logins).into(),
                i64::from(sessions).into(),
                1i64.into(),
                i64::from(users).into(),
            ],
        )
        .await;
    }
    for (product, users) in [(product, 4i64), (Uuid::nil(), 4)] {
        insert(
            db,
            "usage_monthly_users",
            &["month", "isil_key", "product_id", "unique_users"],
            vec![
                "2026-10".into(),
                "no-2030000".into(),
                product.into(),
                users.into(),
            ],
        )
        .await;
    }

    tilgang_usage::migrate(db).await.unwrap();

    let month = numbers(
        db,
        "SELECT logins, sessions, turnaways, unique_users FROM usage_library_monthly",
    )
    .await;
    assert_eq!(
        month,
        [5, 7, 3, 4],
        "October: every product summed, login uniques"
    );
    let day = numbers(
        db,
        "SELECT logins, sessions, turnaways, unique_users FROM usage_library_daily ORDER BY day",
    )
    .await;
    assert_eq!(day, [5, 3, 2, 4], "1 October");
    let product_month = numbers(
        db,
        "SELECT logins, sessions, turnaways, unique_users FROM usage_monthly WHERE sessions > 0",
    )
    .await;
    assert_eq!(product_month, [0, 7, 2, 4]);
}
