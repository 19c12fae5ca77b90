//! The request plumbing of every operation: the URL, sending through the
//! pipeline, the error of a call, and request and response bodies.

use super::{clock_skew, retry_error, AuthKind, CommunicationIdentityClient};
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        headers::{ACCEPT, CONTENT_TYPE},
        policies::PublicApiInstrumentationInformation,
        ClientMethodOptions, Context, Method, RawResponse, Request, Url,
    },
    Bytes,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

impl CommunicationIdentityClient {
    /// `{endpoint}{path}?api-version=...`; `path` is already percent-encoded
    /// (its segments by [`percent_encode_segment`]) and relative to the
    /// endpoint's path, which always ends in `/`.
    pub(super) fn url(&self, path: &str) -> Url {
        let mut url = self.inner.endpoint.clone();
        // `set_path` keeps `%XX` escapes as they are and escapes nothing else a
        // segment from `percent_encode_segment` can hold.
        url.set_path(&format!("{}{path}", self.inner.endpoint.path()));
        url.set_query(Some(&self.inner.query));
        url
    }

    /// Sends one operation through the pipeline. `api` names the public method for
    /// distributed tracing (`CommunicationIdentityClient.<method>` spans, created only
    /// when `client_options.instrumentation` has a tracer provider).
    pub(super) async fn send(
        &self,
        method_options: &ClientMethodOptions<'_>,
        api: &'static str,
        method: Method,
        path: &str,
        body: Option<Bytes>,
    ) -> azure_core::Result<RawResponse> {
        let body = body.map(|body| (body, "application/json"));
        self.send_to(&method_options.context, api, method, self.url(path), body)
            .await
    }

    /// Sends one request to `url` (already complete, api-version included), with
    /// `body` of its content type.
    pub(super) async fn send_to(
        &self,
        context: &Context<'_>,
        api: &'static str,
        method: Method,
        url: Url,
        body: Option<(Bytes, &'static str)>,
    ) -> azure_core::Result<RawResponse> {
        // `x-ms-client-request-id` comes from azure_core's ClientRequestIdPolicy,
        // which `Pipeline::new` installs (the Context's `ClientRequestId`, else a
        // new v4 UUID).
        let mut request = Request::new(url, method);
        request.insert_header(ACCEPT, "application/json");
        if let Some((body, content_type)) = body {
            request.insert_header(CONTENT_TYPE, content_type);
            request.set_body(body);
        }
        let result = if self.inner.traced {
            let ctx = context
                .clone()
                .with_value(PublicApiInstrumentationInformation::new(api, Vec::new()));
            self.inner.pipeline.send(&ctx, &mut request, None).await
        } else {
            self.inner.pipeline.send(context, &mut request, None).await
        };
        result.map_err(|err| self.call_error(err))
    }

    /// The error of one call, from the pipeline's: the error the retry policy
    /// wrapped given back (`retry_error::unwrap_retry_error`); with an access
    /// key, a 401 whose `Date` is far from the local clock says so
    /// (`clock_skew`); otherwise a service error as `CommunicationError`
    /// reads it.
    fn call_error(&self, err: azure_core::Error) -> azure_core::Error {
        let err = retry_error::unwrap_retry_error(err);
        if self.inner.auth == AuthKind::AccessKey {
            if let Some(skewed) = clock_skew::clock_skew_error(&err) {
                return skewed;
            }
        }
        acs_common::service_error::service_error(err)
    }
}

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986 unreserved characters, so `:` becomes
/// `%3A` as in the official SDKs (`/identities/8%3Aacs%3A...`). (`url`'s own
/// path-segment encoding leaves `:` and other sub-delimiters as they are.)
pub(crate) fn percent_encode_segment(segment: &str, out: &mut String) {
    out.extend(utf8_percent_encode(segment, SEGMENT));
}

/// A request body as JSON.
pub(super) fn json<T: serde::Serialize>(value: &T) -> azure_core::Result<Bytes> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|e| {
        Error::with_message(
            ErrorKind::DataConversion,
            format!("could not serialize the request body: {e}"),
        )
    })
}

/// Parses a success body. The error keeps the status and names the model, but
/// never quotes the body: it may hold a token.
pub(super) fn parse_body<T: DeserializeOwned>(
    rsp: RawResponse,
    model: &str,
) -> azure_core::Result<T> {
    let status = rsp.status();
    serde_json::from_slice(rsp.body().as_ref()).map_err(|e| {
        Error::with_message(
            ErrorKind::DataConversion,
            format!(
                "the service answered HTTP {} but its body is not a valid {model} \
                 ({:?} error at line {}, column {})",
                u16::from(status),
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one byte at a time.
    fn encode_bytewise(segment: &str) -> String {
        segment
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn percent_encoding_matches_its_definition(segment in "\\PC*") {
            let mut out = String::from("prefix/");
            percent_encode_segment(&segment, &mut out);
            proptest::prop_assert_eq!(out, format!("prefix/{}", encode_bytewise(&segment)));
        }
    }
    #[test]
    fn operation_urls_keep_the_endpoint_path_and_add_the_api_version() {
        for (endpoint, path, expected) in [
            (
                "https://my-resource.communication.azure.com/",
                "identities/8%3Aacs%3Ax/:issueAccessToken",
                "https://my-resource.communication.azure.com/identities/8%3Aacs%3Ax/:issueAccessToken?api-version=2025-06-30",
            ),
            (
                "https://proxy.example:8443/acs/",
                "identities",
                "https://proxy.example:8443/acs/identities?api-version=2025-06-30",
            ),
            // A first segment with a colon is a path here, never a scheme.
            (
                "http://127.0.0.1:8080/",
                "8:acs:x",
                "http://127.0.0.1:8080/8:acs:x?api-version=2025-06-30",
            ),
        ] {
            let client = CommunicationIdentityClient::from_connection_string(
                &format!("endpoint={endpoint};accesskey=c2VjcmV0"),
                None,
            )
            .unwrap();
            assert_eq!(client.url(path).as_str(), expected, "{endpoint} + {path}");
        }
    }
}
