//! Request and response bodies as the service spells them. Crate-private: the
//! public API speaks `CommunicationUserIdentifier` and `AccessToken`.
//!
//! None of these types implement `Debug`: the responses hold tokens.

use super::{
    CommunicationTokenScope, EntraAssignment, EntraPrincipalType, TeamsExtensionPrincipalType,
};
use serde::{Deserialize, Serialize};

/// `POST /identities` body.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateIdentityRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_token_with_scopes: Option<&'a [CommunicationTokenScope]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<&'a str>,
}

/// `POST /identities/{id}/:issueAccessToken` body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IssueTokenRequest<'a> {
    pub scopes: &'a [CommunicationTokenScope],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<u32>,
}

/// `POST /teamsUser/:exchangeAccessToken` body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamsUserExchangeRequest<'a> {
    pub token: &'a str,
    pub app_id: &'a str,
    pub user_id: &'a str,
}

/// `CommunicationIdentity`. `customId` is `externalId` in one of the
/// 2025-03-02-preview specification's examples (and in a draft of it): both are read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Identity {
    pub id: String,
    #[serde(default, alias = "externalId")]
    pub custom_id: Option<String>,
    #[serde(default)]
    pub last_token_issued_at: Option<String>,
}

/// `TeamsExtensionAssignmentCreateOrUpdateRequest`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamsExtensionAssignmentRequest<'a> {
    pub principal_type: &'a TeamsExtensionPrincipalType,
    pub client_ids: &'a [String],
}

/// `TeamsExtensionAssignmentResponse`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TeamsExtensionAssignmentBody {
    pub object_id: String,
    pub tenant_id: String,
    pub principal_type: TeamsExtensionPrincipalType,
    #[serde(default)]
    pub client_ids: Vec<String>,
}

/// `CommunicationIdentityAccessToken`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccessTokenBody {
    pub token: String,
    pub expires_on: String,
}

/// `CommunicationIdentityAccessTokenResult`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentityAndTokenBody {
    pub identity: Identity,
    #[serde(default)]
    pub access_token: Option<AccessTokenBody>,
}

/// `EntraAssignmentCreateOrUpdateRequest`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EntraAssignmentRequest<'a> {
    pub tenant_id: &'a str,
    pub principal_type: &'a EntraPrincipalType,
    pub client_ids: &'a [String],
}

impl<'a> From<&'a EntraAssignment> for EntraAssignmentRequest<'a> {
    fn from(assignment: &'a EntraAssignment) -> Self {
        Self {
            tenant_id: &assignment.tenant_id,
            principal_type: &assignment.principal_type,
            client_ids: &assignment.client_ids,
        }
    }
}

/// `EntraAssignment`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EntraAssignmentBody {
    pub object_id: String,
    pub tenant_id: String,
    pub principal_type: EntraPrincipalType,
    #[serde(default)]
    pub client_ids: Vec<String>,
}

impl From<EntraAssignmentBody> for EntraAssignment {
    fn from(body: EntraAssignmentBody) -> Self {
        Self {
            object_id: body.object_id,
            tenant_id: body.tenant_id,
            principal_type: body.principal_type,
            client_ids: body.client_ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_compact_and_omit_unset_fields() {
        let create = CreateIdentityRequest::default();
        assert_eq!(serde_json::to_string(&create).unwrap(), "{}");
        let scopes = [CommunicationTokenScope::Chat];
        let create = CreateIdentityRequest {
            create_token_with_scopes: Some(&scopes),
            expires_in_minutes: None,
            custom_id: None,
        };
        // The exact body bytes of signed-request vector D1 (common/tests/data/vectors.json).
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            r#"{"createTokenWithScopes":["chat"]}"#
        );
        let scopes = [CommunicationTokenScope::Chat, CommunicationTokenScope::VoIP];
        let issue = IssueTokenRequest {
            scopes: &scopes,
            expires_in_minutes: Some(60),
        };
        // The exact body bytes of signed-request vector D2 (common/tests/data/vectors.json).
        assert_eq!(
            serde_json::to_string(&issue).unwrap(),
            r#"{"scopes":["chat","voip"],"expiresInMinutes":60}"#
        );
    }
}
