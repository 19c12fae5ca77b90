//! Communication identifiers: the ids every ACS API speaks.
//!
//! [`CommunicationUserIdentifier`] is the identity the Identity service creates
//! (raw id `8:acs:<resource id>_<user id>`).

mod user;

pub use user::CommunicationUserIdentifier;
