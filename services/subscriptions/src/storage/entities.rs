//! sea-orm entities of the service (tables prefixed `subscriptions_`).

pub mod trial {
    //! `subscriptions_trials`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_trials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub isil: String,
        pub isil_key: String,
        pub product_id: Uuid,
        pub vendor_id: Uuid,
        pub state: String,
        pub days: i32,
        pub requested_at: DateTimeUtc,
        pub requested_by: String,
        pub starts_at: Option<DateTimeUtc>,
        pub ends_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod subscription {
    //! `subscriptions_subscriptions`.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_subscriptions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub isil: String,
        pub isil_key: String,
        pub product_id: Uuid,
        pub vendor_id: Uuid,
        pub starts_on: Date,
        pub ends_on: Date,
        pub price_minor: i64,
        pub currency: String,
        pub renewal: String,
        pub status: String,
        pub from_trial: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod endpoint {
    //! `subscriptions_webhook_endpoints`: where a vendor wants events, with a sealed secret.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_webhook_endpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub vendor_id: Uuid,
        pub url: String,
        pub events: Json,
        pub secret_sealed: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod delivery {
    //! `subscriptions_webhook_deliveries`: the outbox; one row per event and endpoint, written
    //! in the transaction of the change.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub endpoint_id: Uuid,
        pub vendor_id: Uuid,
        pub event_type: String,
        pub payload: String,
        pub created_at: DateTimeUtc,
        pub next_attempt_at: DateTimeUtc,
        pub attempts: i32,
        pub state: String,
        pub last_status: Option<i32>,
        pub last_error: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit {
    //! `subscriptions_audit`: who changed what, when.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_audit")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub actor: String,
        pub isil: String,
        pub isil_key: String,
        pub vendor_id: Uuid,
        pub product_id: Uuid,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub action: String,
        pub detail: Json,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agreement {
    //! `subscriptions_agreements`: consortium agreements.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_agreements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub product_id: Uuid,
        pub vendor_id: Uuid,
        pub starts_on: Date,
        pub ends_on: Date,
        pub price_minor: i64,
        pub currency: String,
        pub split: String,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agreement_member {
    //! `subscriptions_agreement_members`: the libraries an agreement covers.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_agreement_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub agreement_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub isil: String,
        pub population: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice {
    //! `subscriptions_notices`: notices to a library before a trial or subscription ends.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_notices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub isil: String,
        pub isil_key: String,
        pub product_id: Uuid,
        pub subject_kind: String,
        pub subject_id: Uuid,
        pub kind: String,
        pub ends_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub emailed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod fingerprint {
    //! `subscriptions_library_fingerprints`: what vendors were last told about a library.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "subscriptions_library_fingerprints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub fingerprint: String,
        pub seen_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
