//! The Identity operations.

use super::{
    clock_skew, custom_id, retry_after, AuthKind, CommunicationIdentityClient,
    CreateUserAndTokenOptions, CreateUserOptions, DeleteUserOptions, GetTokenForTeamsUserOptions,
    GetTokenOptions, GetUserDetailOptions, RevokeTokensOptions,
};
use crate::{
    models::{
        api_version::{self, Feature},
        expires_in_minutes,
        wire::{
            AccessTokenBody, CreateIdentityRequest, Identity, IdentityAndTokenBody,
            IssueTokenRequest, TeamsUserExchangeRequest,
        },
        CommunicationTokenScope, CommunicationUserDetail,
    },
    CommunicationUserIdentifier, InvalidArgument,
};
use acs_common::service_error::quoted;
use azure_core::{
    credentials::AccessToken,
    error::{Error, ErrorKind},
    http::{
        headers::{ACCEPT, CONTENT_TYPE},
        policies::PublicApiInstrumentationInformation,
        ClientMethodOptions, Context, Method, RawResponse, Request, Url,
    },
    Bytes,
};
use serde::de::DeserializeOwned;
use std::time::Duration;

impl CommunicationIdentityClient {
    /// Creates a new ACS identity.
    ///
    /// ```no_run
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let user = client.create_user(None).await?;
    /// println!("created {}", user.id());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_user(
        &self,
        options: Option<CreateUserOptions<'_>>,
    ) -> azure_core::Result<CommunicationUserIdentifier> {
        let options = options.unwrap_or_default();
        let custom_id = custom_id::check(options.custom_id.as_ref(), &self.inner.api_version)?;
        let body = json(&CreateIdentityRequest {
            custom_id,
            ..Default::default()
        })?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.create_user",
                Method::Post,
                "identities",
                Some(body),
            )
            .await?;
        let body: IdentityAndTokenBody = parse_body(rsp, "CommunicationIdentityAccessTokenResult")?;
        custom_id::confirm(
            custom_id,
            body.identity.custom_id.as_deref(),
            &body.identity.id,
            &self.inner.api_version,
        )?;
        Ok(CommunicationUserIdentifier::new(body.identity.id))
    }

    /// Creates a new ACS identity and issues it an access token, in one request.
    ///
    /// ```no_run
    /// use acs_identity::{CommunicationTokenScope, CreateUserAndTokenOptions};
    /// use std::time::Duration;
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let (user, token) = client
    ///     .create_user_and_token(
    ///         &[CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP],
    ///         Some(CreateUserAndTokenOptions {
    ///             token_expires_in: Some(Duration::from_secs(60 * 60)),
    ///             ..Default::default()
    ///         }),
    ///     )
    ///     .await?;
    /// println!("{user}: token expires at {}", token.expires_on);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_user_and_token(
        &self,
        scopes: &[CommunicationTokenScope],
        options: Option<CreateUserAndTokenOptions<'_>>,
    ) -> azure_core::Result<(CommunicationUserIdentifier, AccessToken)> {
        let options = options.unwrap_or_default();
        self.check_scopes(scopes)?;
        let expires_in_minutes = self.check_expiry(options.token_expires_in)?;
        let custom_id = custom_id::check(options.custom_id.as_ref(), &self.inner.api_version)?;
        let body = json(&CreateIdentityRequest {
            create_token_with_scopes: Some(scopes),
            expires_in_minutes,
            custom_id,
        })?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.create_user_and_token",
                Method::Post,
                "identities",
                Some(body),
            )
            .await?;
        let body: IdentityAndTokenBody = parse_body(rsp, "CommunicationIdentityAccessTokenResult")?;
        custom_id::confirm(
            custom_id,
            body.identity.custom_id.as_deref(),
            &body.identity.id,
            &self.inner.api_version,
        )?;
        let Some(token) = body.access_token else {
            return Err(Error::with_message(
                ErrorKind::DataConversion,
                format!(
                    "the service created identity {} but returned no access token",
                    quoted(&body.identity.id)
                ),
            ));
        };
        Ok((
            CommunicationUserIdentifier::new(body.identity.id),
            access_token(token)?,
        ))
    }

    /// Issues an access token for an existing identity. Call it again to refresh:
    /// each call returns a new token.
    ///
    /// ```no_run
    /// use acs_identity::{CommunicationTokenScope, CommunicationUserIdentifier};
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let user = CommunicationUserIdentifier::new("8:acs:...");
    /// let token = client.get_token(&user, &[CommunicationTokenScope::VoIP], None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_token(
        &self,
        user: &CommunicationUserIdentifier,
        scopes: &[CommunicationTokenScope],
        options: Option<GetTokenOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let options = options.unwrap_or_default();
        let path = user_path(user, ":issueAccessToken")?;
        self.check_scopes(scopes)?;
        let expires_in_minutes = self.check_expiry(options.token_expires_in)?;
        let body = json(&IssueTokenRequest {
            scopes,
            expires_in_minutes,
        })?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.get_token",
                Method::Post,
                &path,
                Some(body),
            )
            .await?;
        access_token(parse_body(rsp, "CommunicationIdentityAccessToken")?)
    }

    /// Reads what the service keeps about `user`: its custom id and when it was
    /// last issued a token. Needs api-version `2025-03-02-preview`.
    ///
    /// ```no_run
    /// use acs_identity::CreateUserOptions;
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let options = CreateUserOptions { custom_id: Some("alice@contoso.com".into()), ..Default::default() };
    /// let user = client.create_user(Some(options)).await?;
    /// let detail = client.get_user_detail(&user, None).await?;
    /// assert_eq!(detail.custom_id.as_deref(), Some("alice@contoso.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_user_detail(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<GetUserDetailOptions<'_>>,
    ) -> azure_core::Result<CommunicationUserDetail> {
        let options = options.unwrap_or_default();
        let path = user_path(user, "")?;
        api_version::require(&self.inner.api_version, Feature::GetUserDetail)?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.get_user_detail",
                Method::Get,
                &path,
                None,
            )
            .await?;
        let identity: Identity = parse_body(rsp, "CommunicationIdentity")?;
        let last_token_issued_at = identity
            .last_token_issued_at
            .as_deref()
            .map(|at| {
                azure_core::time::parse_rfc3339(at).map_err(|_| {
                    Error::with_message(
                        ErrorKind::DataConversion,
                        format!(
                            "the service returned a lastTokenIssuedAt `{}` that is not an \
                             RFC 3339 date-time",
                            quoted(at)
                        ),
                    )
                })
            })
            .transpose()?;
        Ok(CommunicationUserDetail {
            user: CommunicationUserIdentifier::new(identity.id),
            custom_id: identity.custom_id,
            last_token_issued_at,
        })
    }

    /// Revokes every access token issued to `user` so far.
    pub async fn revoke_tokens(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<RevokeTokensOptions<'_>>,
    ) -> azure_core::Result<()> {
        let options = options.unwrap_or_default();
        let path = user_path(user, ":revokeAccessTokens")?;
        self.send(
            &options.method_options,
            "CommunicationIdentityClient.revoke_tokens",
            Method::Post,
            &path,
            None,
        )
        .await?;
        Ok(())
    }

    /// Deletes `user`, revoking all its tokens and deleting its data.
    pub async fn delete_user(
        &self,
        user: &CommunicationUserIdentifier,
        options: Option<DeleteUserOptions<'_>>,
    ) -> azure_core::Result<()> {
        let options = options.unwrap_or_default();
        let path = user_path(user, "")?;
        self.send(
            &options.method_options,
            "CommunicationIdentityClient.delete_user",
            Method::Delete,
            &path,
            None,
        )
        .await?;
        Ok(())
    }

    /// Exchanges a Teams user's Entra ID access token for an ACS access token
    /// (Teams interoperability / Custom Teams Endpoint).
    ///
    /// * `aad_token`: the Teams user's Entra ID token, issued to `client_id` for the
    ///   `https://auth.msft.communication.azure.com/Teams.ManageCalls` (and/or
    ///   `.../Teams.ManageChats`) scope;
    /// * `client_id`: the Entra application id; must match the token's `appid` claim;
    /// * `user_object_id`: the user's Entra object id; must match the token's `oid` claim.
    ///
    /// Needs api-version 2022-06-01 or later. The ACS token expires when the Entra token does.
    pub async fn get_token_for_teams_user(
        &self,
        aad_token: &str,
        client_id: &str,
        user_object_id: &str,
        options: Option<GetTokenForTeamsUserOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let options = options.unwrap_or_default();
        api_version::require(&self.inner.api_version, Feature::TeamsUserExchange)?;
        for (name, value, expected) in [
            (
                "aad_token",
                aad_token,
                "the Teams user's Entra ID access token",
            ),
            ("client_id", client_id, "the Entra application (client) id"),
            (
                "user_object_id",
                user_object_id,
                "the Teams user's Entra object id",
            ),
        ] {
            if value.trim().is_empty() {
                return Err(InvalidArgument::new(
                    name,
                    format!("{name} is empty; expected {expected}"),
                )
                .into());
            }
        }
        let body = json(&TeamsUserExchangeRequest {
            token: aad_token,
            app_id: client_id,
            user_id: user_object_id,
        })?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.get_token_for_teams_user",
                Method::Post,
                "teamsUser/:exchangeAccessToken",
                Some(body),
            )
            .await?;
        access_token(parse_body(rsp, "CommunicationIdentityAccessToken")?)
    }

    fn check_scopes(&self, scopes: &[CommunicationTokenScope]) -> Result<(), InvalidArgument> {
        if scopes.is_empty() {
            return Err(InvalidArgument::new(
                "scopes",
                "no scope given; expected at least one of chat, voip, chat.join, chat.join.limited, voip.join",
            ));
        }
        for scope in scopes {
            if scope.as_str().trim().is_empty() {
                return Err(InvalidArgument::new(
                    "scopes",
                    "a scope is empty; expected chat, voip, chat.join, chat.join.limited or voip.join",
                ));
            }
            if scope.is_join_scope() {
                api_version::require(&self.inner.api_version, Feature::JoinScopes).map_err(
                    |e| InvalidArgument::new("scopes", format!("scope `{scope}`: {}", e.message())),
                )?;
            }
        }
        Ok(())
    }

    fn check_expiry(&self, expires_in: Option<Duration>) -> Result<Option<u32>, InvalidArgument> {
        let Some(expires_in) = expires_in else {
            return Ok(None);
        };
        let minutes = expires_in_minutes(expires_in)?;
        api_version::require(&self.inner.api_version, Feature::CustomExpiry)?;
        Ok(Some(minutes))
    }

    /// `{endpoint}{path}?api-version=...`; `path` is already percent-encoded.
    pub(super) fn url(&self, path: &str) -> Url {
        let endpoint = &self.inner.endpoint;
        let query = &self.inner.query;
        // One parse of path and query together, as an absolute-path reference
        // against the endpoint (so no part of `path` can be read as a scheme or
        // a host): about 2,000 instructions less per call than cloning the
        // endpoint and then setting its path and its query, each a parse of its
        // own (benches/callgrind.sh). The endpoint's path always ends in '/'.
        let mut reference =
            String::with_capacity(endpoint.path().len() + path.len() + 1 + query.len());
        reference.push_str(endpoint.path());
        reference.push_str(path);
        reference.push('?');
        reference.push_str(query);
        match endpoint.join(&reference) {
            Ok(url) => url,
            // Not expected (every part is already valid): the slower way, which
            // cannot fail.
            Err(_) => {
                let mut url = endpoint.clone();
                url.set_path(&reference[..endpoint.path().len() + path.len()]);
                url.set_query(Some(query));
                url
            }
        }
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
    /// wrapped given back (`retry_after::unwrap_retry_error`); with an access
    /// key, a 401 whose `Date` is far from the local clock says so
    /// (`clock_skew`); otherwise a service error as `CommunicationError`
    /// reads it.
    fn call_error(&self, err: azure_core::Error) -> azure_core::Error {
        let err = retry_after::unwrap_retry_error(err);
        if self.inner.auth == AuthKind::AccessKey {
            if let Some(skewed) = clock_skew::clock_skew_error(&err) {
                return skewed;
            }
        }
        acs_common::service_error::service_error(err)
    }
}

/// `identities/{percent-encoded id}[/{verb}]`.
fn user_path(user: &CommunicationUserIdentifier, verb: &str) -> Result<String, InvalidArgument> {
    let id = user.id();
    if id.trim().is_empty() {
        return Err(InvalidArgument::new(
            "user",
            "the user id is empty; expected the id returned by create_user, e.g. `8:acs:<resource id>_<user id>`",
        ));
    }
    // `.` and `..` stay as they are (unreserved), and a URL treats them (and
    // `%2E`, `%2E%2E`) as "this" and "parent" segment: the request would go to
    // another path.
    if id == "." || id == ".." {
        return Err(InvalidArgument::new(
            "user",
            format!("the user id `{id}` cannot be a URL path segment; expected the id returned by create_user, e.g. `8:acs:<resource id>_<user id>`"),
        ));
    }
    let mut path = String::with_capacity(12 + id.len() * 3 + verb.len() + 1);
    path.push_str("identities/");
    percent_encode_segment(id, &mut path);
    if !verb.is_empty() {
        path.push('/');
        path.push_str(verb);
    }
    Ok(path)
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so `:` becomes
/// `%3A` as in the official SDKs (`/identities/8%3Aacs%3A...`).
pub(crate) fn percent_encode_segment(segment: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Runs of unreserved characters are copied whole; one table lookup per byte.
    let mut run = 0;
    for (i, &b) in segment.as_bytes().iter().enumerate() {
        if UNRESERVED[b as usize] {
            continue;
        }
        // Bytes `run..i` are unreserved ASCII, so when there are any, `run` and
        // `i` are character boundaries. The bytes of a multi-byte character are
        // all >= 0x80 and escaped one by one.
        if run < i {
            out.push_str(&segment[run..i]);
        }
        out.push('%');
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 0xf) as usize] as char);
        run = i + 1;
    }
    if run < segment.len() {
        out.push_str(&segment[run..]);
    }
}

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - _ . ~`.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] =
            (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

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

fn access_token(body: AccessTokenBody) -> azure_core::Result<AccessToken> {
    let expires_on = azure_core::time::parse_rfc3339(&body.expires_on).map_err(|_| {
        Error::with_message(
            ErrorKind::DataConversion,
            format!(
                "the service returned a token whose expiresOn `{}` is not an RFC 3339 date-time",
                quoted(&body.expires_on)
            ),
        )
    })?;
    Ok(AccessToken::new(body.token, expires_on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_percent_encoded() {
        let user = CommunicationUserIdentifier::new(
            "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081",
        );
        assert_eq!(
            user_path(&user, ":issueAccessToken").unwrap(),
            "identities/8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081/:issueAccessToken"
        );
        let odd = CommunicationUserIdentifier::new("a/b c?d#é");
        assert_eq!(
            user_path(&odd, "").unwrap(),
            "identities/a%2Fb%20c%3Fd%23%C3%A9"
        );
        assert!(user_path(&CommunicationUserIdentifier::new(" "), "").is_err());
        for dots in [".", ".."] {
            let err = user_path(&CommunicationUserIdentifier::new(dots), ":issueAccessToken")
                .unwrap_err();
            assert!(
                err.message().contains("cannot be a URL path segment"),
                "{err}"
            );
        }
    }

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

    #[test]
    fn expires_on_parses_any_fraction_and_offset() {
        for s in [
            "2023-06-28T07:30:11.8919724+00:00",
            "2023-06-28T07:30:11Z",
            "2023-06-28T07:30:11.89+00:00",
            "2023-06-28T09:30:11.123456789+02:00",
        ] {
            let t = access_token(AccessTokenBody {
                token: "t".into(),
                expires_on: s.into(),
            })
            .unwrap();
            assert_eq!(t.expires_on.unix_timestamp(), 1_687_937_411, "{s}");
        }
        assert!(access_token(AccessTokenBody {
            token: "t".into(),
            expires_on: "tomorrow".into()
        })
        .is_err());
    }
}
