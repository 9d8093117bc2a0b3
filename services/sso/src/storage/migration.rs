//! The provider's migrations, recorded in `sso_migrations`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Runs the provider's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "sso_migrations".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(CreateProvider),
            Box::new(CreateSharedCredentials),
            Box::new(DropInterimEntitlements),
        ]
    }
}

/// Creates the provider's tables.
struct CreateProvider;

impl MigrationName for CreateProvider {
    fn name(&self) -> &str {
        "m20261122_000001_create_provider"
    }
}

#[derive(DeriveIden)]
enum SsoClients {
    Table,
    ClientId,
    VendorId,
    ProductId,
    Name,
    SecretHash,
    RedirectUris,
    PostLogoutRedirectUris,
    InitiateLoginUri,
    IdTokenAlg,
    Scopes,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SsoSigningKeys {
    Table,
    Kid,
    Alg,
    Sealed,
    CreatedAt,
    ActivatesAt,
    RetiresAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SsoGrants {
    Table,
    Id,
    ClientId,
    Subject,
    Isil,
    Scope,
    Claims,
    Amr,
    AuthTime,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum SsoRefreshTokens {
    Table,
    TokenHash,
    GrantId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SsoPatronLogins {
    Table,
    Id,
    IsilKey,
    LoginKey,
    Hint,
    PinHash,
    Category,
    BirthYear,
    Disabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SsoSharedCredentials {
    Table,
    IsilKey,
    ProductId,
    Username,
    PasswordSealed,
    Note,
    UpdatedAt,
}

/// Adds the logins libraries share with their patrons for shared-credential products.
struct CreateSharedCredentials;

impl MigrationName for CreateSharedCredentials {
    fn name(&self) -> &str {
        "m20261122_000001_create_shared_credentials"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateSharedCredentials {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SsoSharedCredentials as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(string_len(C::IsilKey, 16))
                    .col(uuid(C::ProductId))
                    .col(string_len(C::Username, 200))
                    .col(text(C::PasswordSealed))
                    .col(string_len_null(C::Note, 500))
                    .col(timestamp_with_time_zone(C::UpdatedAt))
                    .primary_key(Index::create().col(C::IsilKey).col(C::ProductId))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum SsoLoginSetups {
    Table,
    IsilKey,
    IssuedLogins,
    Sip2,
    Upstream,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SsoInterimEntitlements {
    Table,
    IsilKey,
    ProductId,
    Until,
}

fn index(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CreateProvider {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SsoClients as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(string_len(C::ClientId, 64).primary_key())
                    .col(uuid(C::VendorId))
                    .col(uuid_null(C::ProductId))
                    .col(string_len(C::Name, 200))
                    .col(string_len(C::SecretHash, 64))
                    .col(json(C::RedirectUris))
                    .col(json(C::PostLogoutRedirectUris))
                    .col(text_null(C::InitiateLoginUri))
                    .col(string_len(C::IdTokenAlg, 8))
                    .col(json(C::Scopes))
                    .col(string_len(C::Status, 16))
                    .col(timestamp_with_time_zone(C::CreatedAt))
                    .col(timestamp_with_time_zone(C::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("sso_clients_vendor", C::Table, C::VendorId))
            .await?;

        use SsoSigningKeys as K;
        manager
            .create_table(
                Table::create()
                    .table(K::Table)
                    .col(string_len(K::Kid, 64).primary_key())
                    .col(string_len(K::Alg, 8))
                    .col(text(K::Sealed))
                    .col(timestamp_with_time_zone(K::CreatedAt))
                    .col(timestamp_with_time_zone(K::ActivatesAt))
                    .col(timestamp_with_time_zone(K::RetiresAt))
                    .col(timestamp_with_time_zone(K::ExpiresAt))
                    .to_owned(),
            )
            .await?;

        use SsoGrants as G;
        manager
            .create_table(
                Table::create()
                    .table(G::Table)
                    .col(pk_uuid(G::Id))
                    .col(string_len(G::ClientId, 64))
                    .col(string_len(G::Subject, 64))
                    .col(string_len(G::Isil, 16))
                    .col(text(G::Scope))
                    .col(json(G::Claims))
                    .col(string_len(G::Amr, 16))
                    .col(timestamp_with_time_zone(G::AuthTime))
                    .col(timestamp_with_time_zone(G::CreatedAt))
                    .col(timestamp_with_time_zone_null(G::RevokedAt))
                    .to_owned(),
            )
            .await?;

        use SsoRefreshTokens as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(string_len(R::TokenHash, 64).primary_key())
                    .col(uuid(R::GrantId))
                    .col(timestamp_with_time_zone(R::CreatedAt))
                    .col(timestamp_with_time_zone(R::ExpiresAt))
                    .col(timestamp_with_time_zone_null(R::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("sso_refresh_tokens_grant", R::Table, R::GrantId))
            .await?;

        use SsoPatronLogins as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(pk_uuid(P::Id))
                    .col(string_len(P::IsilKey, 16))
                    .col(string_len_uniq(P::LoginKey, 64))
                    .col(string_len(P::Hint, 16))
                    .col(text(P::PinHash))
                    .col(string_len_null(P::Category, 32))
                    .col(integer_null(P::BirthYear))
                    .col(boolean(P::Disabled))
                    .col(timestamp_with_time_zone(P::CreatedAt))
                    .col(timestamp_with_time_zone(P::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("sso_patron_logins_isil", P::Table, P::IsilKey))
            .await?;

        use SsoLoginSetups as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(string_len(S::IsilKey, 16).primary_key())
                    .col(boolean(S::IssuedLogins))
                    .col(json_null(S::Sip2))
                    .col(json_null(S::Upstream))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        use SsoInterimEntitlements as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(string_len(E::IsilKey, 16))
                    .col(uuid(E::ProductId))
                    .col(timestamp_with_time_zone_null(E::Until))
                    .primary_key(Index::create().col(E::IsilKey).col(E::ProductId))
                    .to_owned(),
            )
            .await
    }
}

/// Drops the interim entitlements: the `subscriptions` service answers the port now.
struct DropInterimEntitlements;

impl MigrationName for DropInterimEntitlements {
    fn name(&self) -> &str {
        "m20261123_000001_drop_interim_entitlements"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DropInterimEntitlements {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(SsoInterimEntitlements::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
