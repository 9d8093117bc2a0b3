//! Identifiers of the things services share. Each is a UUID (version 7, so ids sort by creation).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[derive(utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A library in the register (the ISIL is its public key; this id never changes).
    LibraryId
);
uuid_id!(
    /// A content vendor.
    VendorId
);
uuid_id!(
    /// A vendor's product.
    ProductId
);
uuid_id!(
    /// A consortium or region: a named group of libraries.
    ConsortiumId
);
uuid_id!(
    /// A library's trial of a product.
    TrialId
);
uuid_id!(
    /// A library's subscription to a product.
    SubscriptionId
);
uuid_id!(
    /// A vendor's webhook endpoint.
    EndpointId
);
uuid_id!(
    /// A consortium agreement: one product for many libraries.
    AgreementId
);
