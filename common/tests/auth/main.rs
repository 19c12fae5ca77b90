//! Access-key authentication: HMAC-SHA256 signing and connection strings against
//! the reference vectors.

mod vectors;
