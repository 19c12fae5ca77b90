//! acs-identity
#![deny(missing_docs)]
