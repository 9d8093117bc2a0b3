//! The register's migrations, recorded in `registry_migrations`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Runs the register's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "registry_migrations".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(CreateRegister),
            Box::new(AddProductAccessUrl),
            Box::new(CreateStaff),
            Box::new(AddStaffTotp),
            Box::new(AddProductPriceModel),
            Box::new(AddLibraryLogos),
        ]
    }
}

/// Creates the register's tables.
struct CreateRegister;

/// Adds where patrons enter a product (signed-link target or start page).
struct AddProductAccessUrl;

impl MigrationName for AddProductAccessUrl {
    fn name(&self) -> &str {
        "m20261122_000001_add_product_access_url"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddProductAccessUrl {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryProducts::Table)
                    .add_column(text_null(RegistryProducts::AccessUrl))
                    .to_owned(),
            )
            .await
    }
}

impl MigrationName for CreateRegister {
    fn name(&self) -> &str {
        "m20261121_000001_create_register"
    }
}

#[derive(DeriveIden)]
enum RegistryLibraries {
    Table,
    Id,
    Isil,
    IsilKey,
    Name,
    Kind,
    ParentIsil,
    Municipality,
    Country,
    Websites,
    IpRanges,
    Contacts,
    Language,
    Status,
    Search,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RegistryVendors {
    Table,
    Id,
    Name,
    OrganisationNumber,
    Contacts,
    SupportUrl,
    PrivacyUrl,
    DpaUrl,
    AccessibilityUrl,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RegistryProducts {
    Table,
    Id,
    VendorId,
    Slug,
    Name,
    Description,
    Kind,
    Integration,
    Trial,
    Statistics,
    SushiUrl,
    MyPagesUrl,
    AccessUrl,
    Training,
    Claims,
    Search,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RegistryConsortia {
    Table,
    Id,
    Name,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RegistryConsortiumMembers {
    Table,
    ConsortiumId,
    LibraryId,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateRegister {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RegistryLibraries as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(pk_uuid(L::Id))
                    .col(string_len(L::Isil, 16))
                    .col(string_len_uniq(L::IsilKey, 16))
                    .col(json(L::Name))
                    .col(string_len(L::Kind, 16))
                    .col(string_len_null(L::ParentIsil, 16))
                    .col(string_len_null(L::Municipality, 8))
                    .col(string_len(L::Country, 2))
                    .col(json(L::Websites))
                    .col(json(L::IpRanges))
                    .col(json(L::Contacts))
                    .col(string_len(L::Language, 8))
                    .col(string_len(L::Status, 16))
                    .col(text(L::Search))
                    .col(timestamp_with_time_zone(L::CreatedAt))
                    .col(timestamp_with_time_zone(L::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("registry_libraries_country", L::Country),
            ("registry_libraries_kind", L::Kind),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(L::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        use RegistryVendors as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(pk_uuid(V::Id))
                    .col(string_len(V::Name, 200))
                    .col(string_len_null(V::OrganisationNumber, 40))
                    .col(json(V::Contacts))
                    .col(text_null(V::SupportUrl))
                    .col(text_null(V::PrivacyUrl))
                    .col(text_null(V::DpaUrl))
                    .col(text_null(V::AccessibilityUrl))
                    .col(timestamp_with_time_zone(V::CreatedAt))
                    .col(timestamp_with_time_zone(V::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        use RegistryProducts as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(pk_uuid(P::Id))
                    .col(uuid(P::VendorId))
                    .col(string_len_uniq(P::Slug, 40))
                    .col(json(P::Name))
                    .col(json_null(P::Description))
                    .col(string_len(P::Kind, 16))
                    .col(string_len(P::Integration, 24))
                    .col(json(P::Trial))
                    .col(string_len(P::Statistics, 16))
                    .col(text_null(P::SushiUrl))
                    .col(text_null(P::MyPagesUrl))
                    .col(json(P::Training))
                    .col(json(P::Claims))
                    .col(text(P::Search))
                    .col(timestamp_with_time_zone(P::CreatedAt))
                    .col(timestamp_with_time_zone(P::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("registry_products_vendor")
                            .from(P::Table, P::VendorId)
                            .to(V::Table, V::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("registry_products_vendor")
                    .table(P::Table)
                    .col(P::VendorId)
                    .to_owned(),
            )
            .await?;

        use RegistryConsortia as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(pk_uuid(C::Id))
                    .col(string_len(C::Name, 200))
                    .col(string_len(C::Kind, 16))
                    .col(timestamp_with_time_zone(C::CreatedAt))
                    .to_owned(),
            )
            .await?;

        use RegistryConsortiumMembers as M;
        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(uuid(M::ConsortiumId))
                    .col(uuid(M::LibraryId))
                    .primary_key(Index::create().col(M::ConsortiumId).col(M::LibraryId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("registry_members_consortium")
                            .from(M::Table, M::ConsortiumId)
                            .to(C::Table, C::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("registry_members_library")
                            .from(M::Table, M::LibraryId)
                            .to(L::Table, L::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("registry_members_library")
                    .table(M::Table)
                    .col(M::LibraryId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RegistryConsortiumMembers::Table.into_iden(),
            RegistryConsortia::Table.into_iden(),
            RegistryProducts::Table.into_iden(),
            RegistryVendors::Table.into_iden(),
            RegistryLibraries::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Adds staff accounts.
struct CreateStaff;

impl MigrationName for CreateStaff {
    fn name(&self) -> &str {
        "m20261124_000001_create_staff"
    }
}

#[derive(DeriveIden)]
enum RegistryStaff {
    Table,
    Id,
    Email,
    Name,
    Role,
    Isils,
    VendorId,
    Active,
    PasswordHash,
    MustChangePassword,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateStaff {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RegistryStaff as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(uuid(S::Id).primary_key())
                    .col(string_len_uniq(S::Email, 254))
                    .col(string_len(S::Name, 200))
                    .col(string_len(S::Role, 32))
                    .col(json(S::Isils))
                    .col(uuid_null(S::VendorId))
                    .col(boolean(S::Active))
                    .col(text(S::PasswordHash))
                    .col(boolean(S::MustChangePassword))
                    .col(integer(S::FailedLogins))
                    .col(timestamp_with_time_zone_null(S::LockedUntil))
                    .col(timestamp_with_time_zone(S::CreatedAt))
                    .col(timestamp_with_time_zone(S::UpdatedAt))
                    .to_owned(),
            )
            .await
    }
}

/// Adds staff members' two-step login: the sealed secret and the last code step used.
struct AddStaffTotp;

impl MigrationName for AddStaffTotp {
    fn name(&self) -> &str {
        "m20261202_000001_add_staff_totp"
    }
}

#[derive(DeriveIden)]
enum StaffTotp {
    TotpSealed,
    TotpStep,
}

#[async_trait::async_trait]
impl MigrationTrait for AddStaffTotp {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryStaff::Table)
                    .add_column(text_null(StaffTotp::TotpSealed))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryStaff::Table)
                    .add_column(big_integer_null(StaffTotp::TotpStep))
                    .to_owned(),
            )
            .await
    }
}

/// Adds how the vendor charges for a product (`on_request` for those registered before).
struct AddProductPriceModel;

impl MigrationName for AddProductPriceModel {
    fn name(&self) -> &str {
        "m20261203_000001_add_product_price_model"
    }
}

#[derive(DeriveIden)]
enum ProductPriceModel {
    PriceModel,
}

#[async_trait::async_trait]
impl MigrationTrait for AddProductPriceModel {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryProducts::Table)
                    .add_column(text(ProductPriceModel::PriceModel).default("on_request"))
                    .to_owned(),
            )
            .await
    }
}

/// Adds libraries' logos: the images in a table of their own, and when each was set on the
/// library's row (so pages know of a logo without reading it).
struct AddLibraryLogos;

impl MigrationName for AddLibraryLogos {
    fn name(&self) -> &str {
        "m20261203_000002_add_library_logos"
    }
}

#[derive(DeriveIden)]
enum RegistryLibraryLogos {
    Table,
    LibraryId,
    ContentType,
    Bytes,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LibraryLogoAt {
    LogoAt,
}

#[async_trait::async_trait]
impl MigrationTrait for AddLibraryLogos {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RegistryLibraryLogos::Table)
                    .col(pk_uuid(RegistryLibraryLogos::LibraryId))
                    .col(text(RegistryLibraryLogos::ContentType))
                    .col(blob(RegistryLibraryLogos::Bytes))
                    .col(timestamp_with_time_zone(RegistryLibraryLogos::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("registry_library_logos_library")
                            .from(RegistryLibraryLogos::Table, RegistryLibraryLogos::LibraryId)
                            .to(RegistryLibraries::Table, RegistryLibraries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryLibraries::Table)
                    .add_column(timestamp_with_time_zone_null(LibraryLogoAt::LogoAt))
                    .to_owned(),
            )
            .await
    }
}
