//! The service's migrations, recorded in `subscriptions_migrations`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Runs the service's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "subscriptions_migrations".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(CreateSubscriptions),
            Box::new(CreateAgreementsAndNotices),
        ]
    }
}

/// Creates trials, subscriptions, webhook endpoints, the delivery outbox and the audit trail.
struct CreateSubscriptions;

impl MigrationName for CreateSubscriptions {
    fn name(&self) -> &str {
        "m20261122_000001_create_subscriptions"
    }
}

#[derive(DeriveIden)]
enum SubscriptionsTrials {
    Table,
    Id,
    Isil,
    IsilKey,
    ProductId,
    VendorId,
    State,
    Days,
    RequestedAt,
    RequestedBy,
    StartsAt,
    EndsAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubscriptionsSubscriptions {
    Table,
    Id,
    Isil,
    IsilKey,
    ProductId,
    VendorId,
    StartsOn,
    EndsOn,
    PriceMinor,
    Currency,
    Renewal,
    Status,
    FromTrial,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubscriptionsWebhookEndpoints {
    Table,
    Id,
    VendorId,
    Url,
    Events,
    SecretSealed,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubscriptionsWebhookDeliveries {
    Table,
    Id,
    EndpointId,
    VendorId,
    EventType,
    Payload,
    CreatedAt,
    NextAttemptAt,
    Attempts,
    State,
    LastStatus,
    LastError,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum SubscriptionsAudit {
    Table,
    Id,
    At,
    Actor,
    Isil,
    IsilKey,
    VendorId,
    ProductId,
    SubjectKind,
    SubjectId,
    Action,
    Detail,
}

fn index<const N: usize>(
    name: &str,
    table: impl IntoIden,
    columns: [impl IntoIden; N],
) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).to_owned();
    for column in columns {
        index.col(column);
    }
    index
}

#[async_trait::async_trait]
impl MigrationTrait for CreateSubscriptions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SubscriptionsTrials as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::Isil, 16))
                    .col(string_len(T::IsilKey, 16))
                    .col(uuid(T::ProductId))
                    .col(uuid(T::VendorId))
                    .col(string_len(T::State, 16))
                    .col(integer(T::Days))
                    .col(timestamp_with_time_zone(T::RequestedAt))
                    .col(string_len(T::RequestedBy, 200))
                    .col(timestamp_with_time_zone_null(T::StartsAt))
                    .col(timestamp_with_time_zone_null(T::EndsAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_trials_library",
                T::Table,
                [T::IsilKey, T::ProductId],
            ))
            .await?;
        manager
            .create_index(index(
                "subscriptions_trials_state",
                T::Table,
                [T::State, T::EndsAt],
            ))
            .await?;
        use SubscriptionsSubscriptions as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(uuid(S::Id).primary_key())
                    .col(string_len(S::Isil, 16))
                    .col(string_len(S::IsilKey, 16))
                    .col(uuid(S::ProductId))
                    .col(uuid(S::VendorId))
                    .col(date(S::StartsOn))
                    .col(date(S::EndsOn))
                    .col(big_integer(S::PriceMinor))
                    .col(string_len(S::Currency, 3))
                    .col(string_len(S::Renewal, 8))
                    .col(string_len(S::Status, 16))
                    .col(uuid_null(S::FromTrial))
                    .col(timestamp_with_time_zone(S::CreatedAt))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_subscriptions_library",
                S::Table,
                [S::IsilKey, S::ProductId],
            ))
            .await?;
        use SubscriptionsWebhookEndpoints as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(uuid(E::Id).primary_key())
                    .col(uuid(E::VendorId))
                    .col(string_len(E::Url, 2000))
                    .col(json(E::Events))
                    .col(text(E::SecretSealed))
                    .col(timestamp_with_time_zone(E::CreatedAt))
                    .col(timestamp_with_time_zone(E::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_endpoints_vendor",
                E::Table,
                [E::VendorId],
            ))
            .await?;
        use SubscriptionsWebhookDeliveries as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(uuid(D::Id).primary_key())
                    .col(uuid(D::EndpointId))
                    .col(uuid(D::VendorId))
                    .col(string_len(D::EventType, 40))
                    .col(text(D::Payload))
                    .col(timestamp_with_time_zone(D::CreatedAt))
                    .col(timestamp_with_time_zone(D::NextAttemptAt))
                    .col(integer(D::Attempts))
                    .col(string_len(D::State, 16))
                    .col(integer_null(D::LastStatus))
                    .col(text_null(D::LastError))
                    .col(timestamp_with_time_zone_null(D::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_deliveries_due",
                D::Table,
                [D::State, D::NextAttemptAt],
            ))
            .await?;
        manager
            .create_index(index(
                "subscriptions_deliveries_vendor",
                D::Table,
                [D::VendorId, D::CreatedAt],
            ))
            .await?;
        use SubscriptionsAudit as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(uuid(A::Id).primary_key())
                    .col(timestamp_with_time_zone(A::At))
                    .col(string_len(A::Actor, 200))
                    .col(string_len(A::Isil, 16))
                    .col(string_len(A::IsilKey, 16))
                    .col(uuid(A::VendorId))
                    .col(uuid(A::ProductId))
                    .col(string_len(A::SubjectKind, 16))
                    .col(uuid(A::SubjectId))
                    .col(string_len(A::Action, 40))
                    .col(json(A::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_audit_library",
                A::Table,
                [A::IsilKey, A::At],
            ))
            .await?;
        manager
            .create_index(index(
                "subscriptions_audit_vendor",
                A::Table,
                [A::VendorId, A::At],
            ))
            .await
    }
}

/// Adds consortium agreements with their members, the notices sent before an end, and the
/// fingerprints of the libraries with access (to tell vendors when one changes).
struct CreateAgreementsAndNotices;

impl MigrationName for CreateAgreementsAndNotices {
    fn name(&self) -> &str {
        "m20261123_000001_create_agreements_and_notices"
    }
}

#[derive(DeriveIden)]
enum SubscriptionsAgreements {
    Table,
    Id,
    Name,
    ProductId,
    VendorId,
    StartsOn,
    EndsOn,
    PriceMinor,
    Currency,
    Split,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubscriptionsAgreementMembers {
    Table,
    AgreementId,
    IsilKey,
    Isil,
    Population,
}

#[derive(DeriveIden)]
enum SubscriptionsNotices {
    Table,
    Id,
    Isil,
    IsilKey,
    ProductId,
    SubjectKind,
    SubjectId,
    Kind,
    EndsAt,
    CreatedAt,
    EmailedAt,
}

#[derive(DeriveIden)]
enum SubscriptionsLibraryFingerprints {
    Table,
    IsilKey,
    Fingerprint,
    SeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateAgreementsAndNotices {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SubscriptionsAgreements as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(uuid(A::Id).primary_key())
                    .col(string_len(A::Name, 200))
                    .col(uuid(A::ProductId))
                    .col(uuid(A::VendorId))
                    .col(date(A::StartsOn))
                    .col(date(A::EndsOn))
                    .col(big_integer(A::PriceMinor))
                    .col(string_len(A::Currency, 3))
                    .col(string_len(A::Split, 16))
                    .col(string_len(A::Status, 16))
                    .col(timestamp_with_time_zone(A::CreatedAt))
                    .col(timestamp_with_time_zone(A::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        use SubscriptionsAgreementMembers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(uuid(M::AgreementId))
                    .col(string_len(M::IsilKey, 16))
                    .col(string_len(M::Isil, 16))
                    .col(big_integer_null(M::Population))
                    .primary_key(Index::create().col(M::AgreementId).col(M::IsilKey))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_agreement_members_library",
                M::Table,
                [M::IsilKey],
            ))
            .await?;
        use SubscriptionsNotices as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(uuid(N::Id).primary_key())
                    .col(string_len(N::Isil, 16))
                    .col(string_len(N::IsilKey, 16))
                    .col(uuid(N::ProductId))
                    .col(string_len(N::SubjectKind, 16))
                    .col(uuid(N::SubjectId))
                    .col(string_len(N::Kind, 40))
                    .col(timestamp_with_time_zone(N::EndsAt))
                    .col(timestamp_with_time_zone(N::CreatedAt))
                    .col(timestamp_with_time_zone_null(N::EmailedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("subscriptions_notices_once")
                    .table(N::Table)
                    .col(N::SubjectId)
                    .col(N::Kind)
                    .col(N::EndsAt)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "subscriptions_notices_library",
                N::Table,
                [N::IsilKey],
            ))
            .await?;
        use SubscriptionsLibraryFingerprints as F;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(string_len(F::IsilKey, 16).primary_key())
                    .col(string_len(F::Fingerprint, 64))
                    .col(timestamp_with_time_zone(F::SeenAt))
                    .to_owned(),
            )
            .await
    }
}
