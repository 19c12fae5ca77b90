//! The identity operations: create and delete identities, issue and revoke
//! their tokens, read their details, and the Teams user token exchange.

use super::{
    custom_id,
    request::{json, parse_body, percent_encode_segment},
    CommunicationIdentityClient, CreateUserAndTokenOptions, CreateUserOptions, DeleteUserOptions,
    GetTokenForTeamsUserOptions, GetTokenOptions, GetUserDetailOptions, RevokeTokensOptions,
};
use crate::{
    models::{
        api_version::{self, Feature},
        token_expires_in,
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
    http::{ClientMethodOptions, Method},
};
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
        let body = self
            .post_identity(
                &options.method_options,
                "CommunicationIdentityClient.create_user",
                CreateIdentityRequest {
                    custom_id,
                    ..Default::default()
                },
            )
            .await?;
        Ok(CommunicationUserIdentifier::new(body.identity.id))
    }

    /// `POST /identities` with `request`: the one request of `create_user` and
    /// `create_user_and_token`. Checks that the service kept the custom id, if any.
    async fn post_identity(
        &self,
        method_options: &ClientMethodOptions<'_>,
        api: &'static str,
        request: CreateIdentityRequest<'_>,
    ) -> azure_core::Result<IdentityAndTokenBody> {
        let custom_id = request.custom_id;
        let rsp = self
            .send(
                method_options,
                api,
                Method::Post,
                "identities",
                Some(json(&request)?),
            )
            .await?;
        let body: IdentityAndTokenBody = parse_body(rsp, "CommunicationIdentityAccessTokenResult")?;
        custom_id::confirm(
            custom_id,
            body.identity.custom_id.as_deref(),
            &body.identity.id,
            &self.inner.api_version,
        )?;
        Ok(body)
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
        let body = self
            .post_identity(
                &options.method_options,
                "CommunicationIdentityClient.create_user_and_token",
                CreateIdentityRequest {
                    create_token_with_scopes: Some(scopes),
                    expires_in_minutes,
                    custom_id,
                },
            )
            .await?;
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
        token_expires_in(&self.inner.api_version, expires_in).map(Some)
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

/// The token of an `AccessTokenBody`, its `expiresOn` parsed.
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
