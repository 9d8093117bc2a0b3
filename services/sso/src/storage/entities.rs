//! sea-orm entities of the provider (tables prefixed `sso_`).

pub mod client {
    //! `sso_clients`: vendors' OAuth clients.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_clients")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub client_id: String,
        pub vendor_id: Uuid,
        pub product_id: Option<Uuid>,
        pub name: String,
        pub secret_hash: String,
        pub redirect_uris: Json,
        pub post_logout_redirect_uris: Json,
        pub initiate_login_uri: Option<String>,
        pub id_token_alg: String,
        pub scopes: Json,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod signing_key {
    //! `sso_signing_keys`: private keys sealed with the data key, and their public JWK.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_signing_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kid: String,
        pub alg: String,
        pub sealed: String,
        pub created_at: DateTimeUtc,
        pub activates_at: DateTimeUtc,
        pub retires_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod grant {
    //! `sso_grants`: what a patron's login granted a client; refresh tokens hang off it.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: String,
        pub subject: String,
        pub isil: String,
        pub scope: String,
        pub claims: Json,
        pub amr: String,
        pub auth_time: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod refresh_token {
    //! `sso_refresh_tokens`: by SHA-256; a used one stays, so its reuse is recognised.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_refresh_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub grant_id: Uuid,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod patron_login {
    //! `sso_patron_logins`: logins a library issued; the username only as a keyed hash.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_patron_logins")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub isil_key: String,
        #[sea_orm(unique)]
        pub login_key: String,
        pub hint: String,
        pub pin_hash: String,
        pub category: Option<String>,
        pub birth_year: Option<i32>,
        pub disabled: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_setup {
    //! `sso_login_setups`: how each library's patrons log in.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_login_setups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub issued_logins: bool,
        pub sip2: Option<Json>,
        pub upstream: Option<Json>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod shared_credential {
    //! `sso_shared_credentials`: a library's login for a shared-credential product.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sso_shared_credentials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        pub username: String,
        pub password_sealed: String,
        pub note: Option<String>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
