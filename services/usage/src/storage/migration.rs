//! The service's migrations, recorded in `usage_migrations`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Runs the service's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "usage_migrations".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(CreateUsage),
            Box::new(CreateCounterReports),
            Box::new(CreateInstitutionIds),
            Box::new(CreateMonthly),
            Box::new(CreateSushiCredentials),
            Box::new(CreateHarvests),
        ]
    }
}

/// Creates the raw events, the monthly salts, the roll-ups and how far they reach.
struct CreateUsage;

impl MigrationName for CreateUsage {
    fn name(&self) -> &str {
        "m20261123_000002_create_usage"
    }
}

#[derive(DeriveIden)]
enum UsageEvents {
    Table,
    Id,
    At,
    Day,
    Isil,
    IsilKey,
    VendorId,
    ProductId,
    Outcome,
    Reason,
    UserKey,
}

#[derive(DeriveIden)]
enum UsageSalts {
    Table,
    Month,
    Salt,
}

#[derive(DeriveIden)]
enum UsageDaily {
    Table,
    Day,
    IsilKey,
    ProductId,
    Isil,
    VendorId,
    Logins,
    Sessions,
    Turnaways,
    UniqueUsers,
}

#[derive(DeriveIden)]
enum UsageWatermarks {
    Table,
    Name,
    Day,
}

#[derive(DeriveIden)]
enum UsageMonthlyUsers {
    Table,
    Month,
    IsilKey,
    ProductId,
    UniqueUsers,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateUsage {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageEvents as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(uuid(E::Id).primary_key())
                    .col(timestamp_with_time_zone(E::At))
                    .col(date(E::Day))
                    .col(string_len(E::Isil, 16))
                    .col(string_len(E::IsilKey, 16))
                    .col(uuid_null(E::VendorId))
                    .col(uuid_null(E::ProductId))
                    .col(string_len(E::Outcome, 16))
                    .col(string_len_null(E::Reason, 16))
                    .col(string_len(E::UserKey, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_events_day")
                    .table(E::Table)
                    .col(E::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UsageSalts::Table)
                    .col(string_len(UsageSalts::Month, 7).primary_key())
                    .col(string_len(UsageSalts::Salt, 64))
                    .to_owned(),
            )
            .await?;
        use UsageDaily as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(date(D::Day))
                    .col(string_len(D::IsilKey, 16))
                    .col(uuid(D::ProductId))
                    .col(string_len(D::Isil, 16))
                    .col(uuid_null(D::VendorId))
                    .col(big_integer(D::Logins))
                    .col(big_integer(D::Sessions))
                    .col(big_integer(D::Turnaways))
                    .col(big_integer(D::UniqueUsers))
                    .primary_key(
                        Index::create()
                            .col(D::Day)
                            .col(D::IsilKey)
                            .col(D::ProductId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_daily_library")
                    .table(D::Table)
                    .col(D::IsilKey)
                    .col(D::Day)
                    .to_owned(),
            )
            .await?;
        use UsageMonthlyUsers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(string_len(M::Month, 7))
                    .col(string_len(M::IsilKey, 16))
                    .col(uuid(M::ProductId))
                    .col(big_integer(M::UniqueUsers))
                    .primary_key(
                        Index::create()
                            .col(M::Month)
                            .col(M::IsilKey)
                            .col(M::ProductId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UsageWatermarks::Table)
                    .col(string_len(UsageWatermarks::Name, 32).primary_key())
                    .col(date(UsageWatermarks::Day))
                    .to_owned(),
            )
            .await
    }
}

/// Adds vendors' COUNTER reports and their numbers.
struct CreateCounterReports;

impl MigrationName for CreateCounterReports {
    fn name(&self) -> &str {
        "m20261123_000003_create_counter_reports"
    }
}

#[derive(DeriveIden)]
enum UsageCounterReports {
    Table,
    Id,
    VendorId,
    ProductId,
    Isil,
    IsilKey,
    Kind,
    BeginDate,
    EndDate,
    ReceivedAt,
    ReplacedAt,
    Rows,
    Body,
}

#[derive(DeriveIden)]
enum UsageCounterRows {
    Table,
    Id,
    ReportId,
    Platform,
    Name,
    DataType,
    AccessType,
    AccessMethod,
    Yop,
    Metric,
    Month,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCounterReports {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageCounterReports as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(uuid(R::Id).primary_key())
                    .col(uuid(R::VendorId))
                    .col(uuid(R::ProductId))
                    .col(string_len(R::Isil, 16))
                    .col(string_len(R::IsilKey, 16))
                    .col(string_len(R::Kind, 8))
                    .col(date(R::BeginDate))
                    .col(date(R::EndDate))
                    .col(timestamp_with_time_zone(R::ReceivedAt))
                    .col(timestamp_with_time_zone_null(R::ReplacedAt))
                    .col(big_integer(R::Rows))
                    .col(text(R::Body))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_counter_reports_period")
                    .table(R::Table)
                    .col(R::VendorId)
                    .col(R::ProductId)
                    .col(R::IsilKey)
                    .col(R::BeginDate)
                    .to_owned(),
            )
            .await?;
        use UsageCounterRows as W;
        manager
            .create_table(
                Table::create()
                    .table(W::Table)
                    .col(uuid(W::Id).primary_key())
                    .col(uuid(W::ReportId))
                    .col(string_len(W::Platform, 200))
                    .col(text_null(W::Name))
                    .col(string_len_null(W::DataType, 40))
                    .col(string_len_null(W::AccessType, 40))
                    .col(string_len_null(W::AccessMethod, 40))
                    .col(string_len_null(W::Yop, 16))
                    .col(string_len(W::Metric, 40))
                    .col(string_len(W::Month, 7))
                    .col(big_integer(W::Count))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_counter_rows_report")
                    .table(W::Table)
                    .col(W::ReportId)
                    .to_owned(),
            )
            .await
    }
}

/// Adds vendors' own institution ids mapped to ISILs.
struct CreateInstitutionIds;

impl MigrationName for CreateInstitutionIds {
    fn name(&self) -> &str {
        "m20261123_000004_create_institution_ids"
    }
}

#[derive(DeriveIden)]
enum UsageInstitutionIds {
    Table,
    VendorId,
    Proprietary,
    Isil,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateInstitutionIds {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageInstitutionIds as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(uuid(I::VendorId))
                    .col(string_len(I::Proprietary, 200))
                    .col(string_len(I::Isil, 16))
                    .primary_key(Index::create().col(I::VendorId).col(I::Proprietary))
                    .to_owned(),
            )
            .await
    }
}

/// Replaces `usage_monthly_users` with `usage_monthly`: every number per library, product and
/// month, so that a year's report reads twelve rows per pair instead of 365; and adds
/// `usage_library_monthly` and `usage_library_daily`, each library's month and day over all
/// products, so that a consortium's year reads twelve rows per library. Existing months are carried over from the daily
/// roll-up and the monthly unique users.
struct CreateMonthly;

impl MigrationName for CreateMonthly {
    fn name(&self) -> &str {
        "m20261124_000005_create_monthly"
    }
}

#[derive(DeriveIden)]
enum UsageLibraryDaily {
    Table,
    Day,
    IsilKey,
    Isil,
    Logins,
    Sessions,
    Turnaways,
    UniqueUsers,
}

#[derive(DeriveIden)]
enum UsageLibraryMonthly {
    Table,
    Month,
    IsilKey,
    Isil,
    Logins,
    Sessions,
    Turnaways,
    UniqueUsers,
}

#[derive(DeriveIden)]
enum UsageMonthly {
    Table,
    Month,
    IsilKey,
    ProductId,
    Isil,
    VendorId,
    Logins,
    Sessions,
    Turnaways,
    UniqueUsers,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateMonthly {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageMonthly as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(string_len(M::Month, 7))
                    .col(string_len(M::IsilKey, 16))
                    .col(uuid(M::ProductId))
                    .col(string_len(M::Isil, 16))
                    .col(uuid_null(M::VendorId))
                    .col(big_integer(M::Logins))
                    .col(big_integer(M::Sessions))
                    .col(big_integer(M::Turnaways))
                    .col(big_integer(M::UniqueUsers))
                    .primary_key(
                        Index::create()
                            .col(M::Month)
                            .col(M::IsilKey)
                            .col(M::ProductId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_monthly_library")
                    .table(M::Table)
                    .col(M::IsilKey)
                    .col(M::Month)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO usage_monthly (month, isil_key, product_id, isil, vendor_id, \
                 logins, sessions, turnaways, unique_users) \
                 SELECT m.month, m.isil_key, m.product_id, m.isil, m.vendor_id, m.logins, \
                 m.sessions, m.turnaways, COALESCE(u.unique_users, 0) \
                 FROM (SELECT substr(CAST(day AS TEXT), 1, 7) AS month, isil_key, product_id, \
                 isil, vendor_id, SUM(logins) AS logins, SUM(sessions) AS sessions, \
                 SUM(turnaways) AS turnaways FROM usage_daily \
                 GROUP BY substr(CAST(day AS TEXT), 1, 7), isil_key, product_id, isil, \
                 vendor_id) m \
                 LEFT JOIN usage_monthly_users u ON u.month = m.month \
                 AND u.isil_key = m.isil_key AND u.product_id = m.product_id",
            )
            .await?;
        manager
            .drop_table(Table::drop().table(UsageMonthlyUsers::Table).to_owned())
            .await?;
        use UsageLibraryMonthly as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(string_len(L::Month, 7))
                    .col(string_len(L::IsilKey, 16))
                    .col(string_len(L::Isil, 16))
                    .col(big_integer(L::Logins))
                    .col(big_integer(L::Sessions))
                    .col(big_integer(L::Turnaways))
                    .col(big_integer(L::UniqueUsers))
                    .primary_key(Index::create().col(L::Month).col(L::IsilKey))
                    .to_owned(),
            )
            .await?;
        use UsageLibraryDaily as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(date(D::Day))
                    .col(string_len(D::IsilKey, 16))
                    .col(string_len(D::Isil, 16))
                    .col(big_integer(D::Logins))
                    .col(big_integer(D::Sessions))
                    .col(big_integer(D::Turnaways))
                    .col(big_integer(D::UniqueUsers))
                    .primary_key(Index::create().col(D::Day).col(D::IsilKey))
                    .to_owned(),
            )
            .await?;
        for (table, period, source) in [
            ("usage_library_monthly", "month", "usage_monthly"),
            ("usage_library_daily", "day", "usage_daily"),
        ] {
            library_totals(manager, table, period, source).await?;
        }
        Ok(())
    }
}

/// Fills `table` with each library's totals per `period` from the product rows of `source`
/// (unique users: the row without a product, the nil UUID, bound as a value).
async fn library_totals(
    manager: &SchemaManager<'_>,
    table: &str,
    period: &str,
    source: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        format!(
            "INSERT INTO {table} ({period}, isil_key, isil, logins, sessions, turnaways, \
             unique_users) \
             SELECT {period}, isil_key, isil, SUM(logins), SUM(sessions), SUM(turnaways), \
             SUM(CASE WHEN product_id = {placeholder} THEN unique_users ELSE 0 END) \
             FROM {source} GROUP BY {period}, isil_key, isil"
        ),
        [sea_orm::Value::from(uuid::Uuid::nil())],
    ))
    .await?;
    Ok(())
}

/// Adds the credentials of the hub's COUNTER API (SUSHI) clients.
struct CreateSushiCredentials;

impl MigrationName for CreateSushiCredentials {
    fn name(&self) -> &str {
        "m20261124_000006_create_sushi_credentials"
    }
}

#[derive(DeriveIden)]
enum UsageSushiCredentials {
    Table,
    RequestorId,
    KeyHash,
    Name,
    Isils,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateSushiCredentials {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageSushiCredentials as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(string_len(C::RequestorId, 64).primary_key())
                    .col(string_len(C::KeyHash, 64))
                    .col(string_len(C::Name, 200))
                    .col(text_null(C::Isils))
                    .col(string_len(C::CreatedBy, 200))
                    .col(timestamp_with_time_zone(C::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_counter_reports_library")
                    .table(UsageCounterReports::Table)
                    .col(UsageCounterReports::IsilKey)
                    .col(UsageCounterReports::ReplacedAt)
                    .to_owned(),
            )
            .await
    }
}

/// Adds harvesting of vendors' COUNTER APIs (each product's `sushi_url` in the register):
/// each library's account there, each month's harvest and the log of every attempt.
struct CreateHarvests;

impl MigrationName for CreateHarvests {
    fn name(&self) -> &str {
        "m20261124_000007_create_harvests"
    }
}

#[derive(DeriveIden)]
enum UsageHarvestAccounts {
    Table,
    ProductId,
    VendorId,
    IsilKey,
    Isil,
    CustomerId,
    RequestorId,
    ApiKeySealed,
    Platform,
    HarvestFrom,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UsageHarvests {
    Table,
    ProductId,
    IsilKey,
    Month,
    State,
    Attempts,
    NextAt,
    LeaseUntil,
}

#[derive(DeriveIden)]
enum UsageHarvestLog {
    Table,
    Id,
    ProductId,
    VendorId,
    IsilKey,
    Isil,
    Month,
    At,
    Outcome,
    HttpStatus,
    Exception,
    Message,
    NextAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateHarvests {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use UsageHarvestAccounts as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(uuid(A::ProductId))
                    .col(uuid(A::VendorId))
                    .col(string_len(A::IsilKey, 16))
                    .col(string_len(A::Isil, 16))
                    .col(string_len(A::CustomerId, 200))
                    .col(string_len_null(A::RequestorId, 200))
                    .col(text_null(A::ApiKeySealed))
                    .col(string_len_null(A::Platform, 200))
                    .col(string_len(A::HarvestFrom, 7))
                    .col(string_len(A::UpdatedBy, 200))
                    .col(timestamp_with_time_zone(A::UpdatedAt))
                    .primary_key(Index::create().col(A::ProductId).col(A::IsilKey))
                    .to_owned(),
            )
            .await?;
        use UsageHarvests as H;
        manager
            .create_table(
                Table::create()
                    .table(H::Table)
                    .col(uuid(H::ProductId))
                    .col(string_len(H::IsilKey, 16))
                    .col(string_len(H::Month, 7))
                    .col(string_len(H::State, 16))
                    .col(integer(H::Attempts))
                    .col(timestamp_with_time_zone(H::NextAt))
                    .col(timestamp_with_time_zone_null(H::LeaseUntil))
                    .primary_key(
                        Index::create()
                            .col(H::ProductId)
                            .col(H::IsilKey)
                            .col(H::Month),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_harvests_due")
                    .table(H::Table)
                    .col(H::State)
                    .col(H::NextAt)
                    .to_owned(),
            )
            .await?;
        use UsageHarvestLog as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(uuid(L::Id).primary_key())
                    .col(uuid(L::ProductId))
                    .col(uuid(L::VendorId))
                    .col(string_len(L::IsilKey, 16))
                    .col(string_len(L::Isil, 16))
                    .col(string_len(L::Month, 7))
                    .col(timestamp_with_time_zone(L::At))
                    .col(string_len(L::Outcome, 32))
                    .col(integer_null(L::HttpStatus))
                    .col(integer_null(L::Exception))
                    .col(text(L::Message))
                    .col(timestamp_with_time_zone_null(L::NextAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("usage_harvest_log_library")
                    .table(L::Table)
                    .col(L::IsilKey)
                    .col(L::At)
                    .to_owned(),
            )
            .await
    }
}
