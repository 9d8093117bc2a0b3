//! The portal's one table, `portal_highlights`: the products a library features first on its
//! e-library page, in order.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use uuid::Uuid;

mod highlight {
    //! `portal_highlights`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_highlights")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The products `isil_key` features, in order.
pub async fn highlights(db: &impl ConnectionTrait, isil_key: &str) -> Result<Vec<Uuid>, DbErr> {
    Ok(highlight::Entity::find()
        .filter(highlight::Column::IsilKey.eq(isil_key))
        .order_by_asc(highlight::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.product_id)
        .collect())
}

/// Replaces what `isil_key` features.
pub async fn set_highlights(
    db: &impl ConnectionTrait,
    isil_key: &str,
    products: &[Uuid],
) -> Result<(), DbErr> {
    highlight::Entity::delete_many()
        .filter(highlight::Column::IsilKey.eq(isil_key))
        .exec(db)
        .await?;
    if products.is_empty() {
        return Ok(());
    }
    let rows = products
        .iter()
        .enumerate()
        .map(|(i, p)| highlight::ActiveModel {
            isil_key: Set(isil_key.to_owned()),
            product_id: Set(*p),
            position: Set(<i32 as TryFrom<usize>>::try_from(i).unwrap_or(i32::MAX)),
        });
    highlight::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The portal's migrations, recorded in `portal_migrations`.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "portal_migrations".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(CreateHighlights)]
    }
}

/// Creates `portal_highlights`.
struct CreateHighlights;

impl MigrationName for CreateHighlights {
    fn name(&self) -> &str {
        "m20261124_000001_create_highlights"
    }
}

#[derive(DeriveIden)]
enum PortalHighlights {
    Table,
    IsilKey,
    ProductId,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateHighlights {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use PortalHighlights as H;
        manager
            .create_table(
                Table::create()
                    .table(H::Table)
                    .col(string_len(H::IsilKey, 16))
                    .col(uuid(H::ProductId))
                    .col(integer(H::Position))
                    .primary_key(Index::create().col(H::IsilKey).col(H::ProductId))
                    .to_owned(),
            )
            .await
    }
}
