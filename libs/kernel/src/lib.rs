//! What every Tilgang service shares: identifiers, the clock, the calling principal and its
//! bearer tokens, readiness checks, and the ports through which one service asks another.
//!
//! Nothing here knows about actix or sea-orm; services depend on it, never the other way round.

pub mod clock;
pub mod health;
pub mod ids;
pub mod passwords;
pub mod ports;
pub mod principal;
pub mod remote;
pub mod secrets;
pub mod staff;
pub mod token;
pub mod totp;

pub use clock::{Clock, ManualClock, SystemClock};
pub use health::ReadinessCheck;
pub use ids::{
    AgreementId, ConsortiumId, EndpointId, LibraryId, ProductId, SubscriptionId, TrialId, VendorId,
};
pub use principal::{Principal, Role, VendorRefusal};
pub use tilgang_isil::Isil;
pub use token::{INTERNAL_AUDIENCE, SharedSecretTokens, TokenError, TokenVerifier};
