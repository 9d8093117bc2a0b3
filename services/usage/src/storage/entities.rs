//! sea-orm entities of the usage tables.

pub mod event {
    //! `usage_events`: raw access events, kept for the retention period.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub day: Date,
        pub isil: String,
        pub isil_key: String,
        pub vendor_id: Option<Uuid>,
        pub product_id: Option<Uuid>,
        pub outcome: String,
        pub reason: Option<String>,
        pub user_key: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod salt {
    //! `usage_salts`: one random salt per month for unique-user counting.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_salts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        pub salt: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod daily {
    //! `usage_daily`: events per library, product and day (and unique users that day).
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_daily")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        /// The nil UUID for logins without a product.
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        pub isil: String,
        pub vendor_id: Option<Uuid>,
        pub logins: i64,
        pub sessions: i64,
        pub turnaways: i64,
        pub unique_users: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod monthly {
    //! `usage_monthly`: events per library, product and month (and unique users that month).
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_monthly")]
    pub struct Model {
        /// `YYYY-MM`.
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        /// The nil UUID for logins without a product.
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        pub isil: String,
        pub vendor_id: Option<Uuid>,
        pub logins: i64,
        pub sessions: i64,
        pub turnaways: i64,
        pub unique_users: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod library_daily {
    //! `usage_library_daily`: a library's day over all products (unique users: patrons who
    //! logged in).
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_library_daily")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub day: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub isil: String,
        pub logins: i64,
        pub sessions: i64,
        pub turnaways: i64,
        pub unique_users: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod library_monthly {
    //! `usage_library_monthly`: a library's month over all products (unique users: patrons
    //! who logged in).
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_library_monthly")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub isil: String,
        pub logins: i64,
        pub sessions: i64,
        pub turnaways: i64,
        pub unique_users: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod watermark {
    //! `usage_watermarks`: the last day a roll-up is complete for.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_watermarks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub day: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod counter_report {
    //! `usage_counter_reports`: vendors' COUNTER reports as sent.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_counter_reports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub vendor_id: Uuid,
        pub product_id: Uuid,
        pub isil: String,
        pub isil_key: String,
        pub kind: String,
        pub begin_date: Date,
        pub end_date: Date,
        pub received_at: DateTimeUtc,
        pub replaced_at: Option<DateTimeUtc>,
        pub rows: i64,
        pub body: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod counter_row {
    //! `usage_counter_rows`: the numbers of vendors' COUNTER reports.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_counter_rows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub report_id: Uuid,
        pub platform: String,
        pub name: Option<String>,
        pub data_type: Option<String>,
        pub access_type: Option<String>,
        pub access_method: Option<String>,
        pub yop: Option<String>,
        pub metric: String,
        pub month: String,
        pub count: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod institution {
    //! `usage_institution_ids`: a vendor's own institution id, mapped to an ISIL.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_institution_ids")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub vendor_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub proprietary: String,
        pub isil: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod sushi_credential {
    //! `usage_sushi_credentials`: who may harvest the hub's COUNTER API, for which libraries.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_sushi_credentials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub requestor_id: String,
        /// Keyed hash of the API key; the key itself is shown once and never stored.
        pub key_hash: String,
        pub name: String,
        /// Space-separated ISILs; none: every library.
        pub isils: Option<String>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod harvest_account {
    //! `usage_harvest_accounts`: a library's account at a product's COUNTER API.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_harvest_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        pub vendor_id: Uuid,
        pub isil: String,
        pub customer_id: String,
        pub requestor_id: Option<String>,
        /// The API key, sealed.
        pub api_key_sealed: Option<String>,
        pub platform: Option<String>,
        /// The first month to harvest, `YYYY-MM`.
        pub harvest_from: String,
        pub updated_by: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod harvest {
    //! `usage_harvests`: one month of one library's usage of one product, to harvest.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_harvests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub product_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub isil_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        /// `pending`, `done` or `failed`.
        pub state: String,
        pub attempts: i32,
        pub next_at: DateTimeUtc,
        pub lease_until: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod harvest_log {
    //! `usage_harvest_log`: every harvest attempt and its outcome.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_harvest_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub product_id: Uuid,
        pub vendor_id: Uuid,
        pub isil_key: String,
        pub isil: String,
        pub month: String,
        pub at: DateTimeUtc,
        pub outcome: String,
        pub http_status: Option<i32>,
        pub exception: Option<i32>,
        pub message: String,
        pub next_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
