//! `--verbose`: one stderr line per call, as an azure_core per-call policy.

use async_trait::async_trait;
use azure_core::{
    error::ErrorKind,
    http::{
        policies::{Policy, PolicyResult},
        Context, Request,
    },
};
use std::{sync::Arc, time::Instant};

/// Logs `<method> <path> -> <status> (<ms> ms)` to stderr for each call. Only the URL's path
/// is written (no query, no host), and never a header or a body, so neither the HMAC
/// signature, a bearer token nor an issued token can appear. Installed per call, so a
/// retried call is one line whose duration includes the retries.
#[derive(Debug, Default)]
pub struct RequestLogPolicy;

#[async_trait]
impl Policy for RequestLogPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let method = request.method();
        let path = request.url().path().to_owned();
        let start = Instant::now();
        let result = next[0].send(ctx, request, &next[1..]).await;
        let millis = start.elapsed().as_secs_f64() * 1000.0;
        let outcome = match &result {
            Ok(rsp) => u16::from(rsp.status()).to_string(),
            Err(err) => match err.kind() {
                ErrorKind::HttpResponse { status, .. } => u16::from(*status).to_string(),
                ErrorKind::Connection => "connection error".to_owned(),
                ErrorKind::Io => "I/O error".to_owned(),
                ErrorKind::Credential => "credential error".to_owned(),
                ErrorKind::DataConversion => "data conversion error".to_owned(),
                _ => "error".to_owned(),
            },
        };
        eprintln!("acs-identity: {method} {path} -> {outcome} ({millis:.1} ms)");
        result
    }
}
