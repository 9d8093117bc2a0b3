//! sea-orm entities of the register.

pub mod library {
    //! `registry_libraries`.
    use sea_orm::entity::prelude::*;
    use tilgang_isil::Isil;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_libraries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub isil: Isil,
        #[sea_orm(unique)]
        pub isil_key: String,
        pub name: Json,
        pub kind: String,
        pub parent_isil: Option<String>,
        pub municipality: Option<String>,
        pub country: String,
        pub websites: Json,
        pub ip_ranges: Json,
        pub contacts: Json,
        pub language: String,
        pub status: String,
        pub search: String,
        pub logo_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod library_logo {
    //! `registry_library_logos`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_library_logos")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub library_id: Uuid,
        pub content_type: String,
        pub bytes: Vec<u8>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod vendor {
    //! `registry_vendors`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_vendors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub organisation_number: Option<String>,
        pub contacts: Json,
        pub support_url: Option<String>,
        pub privacy_url: Option<String>,
        pub dpa_url: Option<String>,
        pub accessibility_url: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod product {
    //! `registry_products`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_products")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub vendor_id: Uuid,
        #[sea_orm(unique)]
        pub slug: String,
        pub name: Json,
        pub description: Option<Json>,
        pub kind: String,
        pub integration: String,
        pub trial: Json,
        pub statistics: String,
        pub price_model: String,
        pub sushi_url: Option<String>,
        pub my_pages_url: Option<String>,
        pub access_url: Option<String>,
        pub training: Json,
        pub claims: Json,
        pub search: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod consortium {
    //! `registry_consortia`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_consortia")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub kind: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod member {
    //! `registry_consortium_members`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_consortium_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub consortium_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub library_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod staff {
    //! `registry_staff`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_staff")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub email: String,
        pub name: String,
        pub role: String,
        pub isils: Json,
        pub vendor_id: Option<Uuid>,
        pub active: bool,
        /// argon2id PHC string.
        pub password_hash: String,
        pub must_change_password: bool,
        pub failed_logins: i32,
        pub locked_until: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// The two-step login secret, sealed by the services that use it.
        pub totp_sealed: Option<String>,
        /// The last code step used.
        pub totp_step: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
