//! Two transactions that read and then write the same SQLite database at once both succeed
//! when begun with `write` (one waits for the other), where deferred ones would fail with
//! "database is locked".

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn two_writers_that_read_first_both_commit_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let db = tilgang_store::connect(&url, 4, None).await.unwrap();
    db.execute_unprepared("CREATE TABLE counter (n INTEGER NOT NULL)")
        .await
        .unwrap();
    db.execute_unprepared("INSERT INTO counter (n) VALUES (0)")
        .await
        .unwrap();
    let bump = |db: sea_orm::DatabaseConnection| async move {
        let tx = tilgang_store::write(&db).await?;
        let backend = tx.get_database_backend();
        let row = tx
            .query_one_raw(Statement::from_string(backend, "SELECT n FROM counter"))
            .await?
            .expect("a row");
        let n: i64 = row.try_get("", "n")?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        tx.execute_unprepared(&format!("UPDATE counter SET n = {}", n + 1))
            .await?;
        tx.commit().await
    };
    let (a, b) = tokio::join!(bump(db.clone()), bump(db.clone()));
    a.unwrap();
    b.unwrap();
    let backend = db.get_database_backend();
    let n: i64 = db
        .query_one_raw(Statement::from_string(backend, "SELECT n FROM counter"))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(n, 2, "no update was lost");
}
