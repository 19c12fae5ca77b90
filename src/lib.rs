//! acs-identity: Azure Communication Services Identity client for Rust.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod credential;
pub mod identifier;

pub use identifier::CommunicationUserIdentifier;
