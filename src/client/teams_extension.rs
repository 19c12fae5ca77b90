//! Teams Extension (Teams Phone extensibility) assignments:
//! `/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`.

use super::{
    guid,
    request::{json, parse_body, percent_encode_segment},
    CommunicationIdentityClient, CreateOrReplaceTeamsExtensionAssignmentOptions,
    DeleteTeamsExtensionAssignmentOptions, GetTeamsExtensionAssignmentOptions,
};
use crate::{
    models::{
        api_version::{self, Feature},
        wire::{TeamsExtensionAssignmentBody, TeamsExtensionAssignmentRequest},
        TeamsExtensionAssignment,
    },
    InvalidArgument,
};
use azure_core::http::Method;

impl CommunicationIdentityClient {
    /// Creates the assignment, or replaces the one for the same tenant and object
    /// id (`PUT`: the service answers 201 when it created one, 200 when it
    /// replaced one). Returns the assignment as the service stored it. Needs
    /// api-version `2025-06-30` or `2025-03-02-preview`.
    ///
    /// The tenant, object and client ids must be GUIDs; anything else is an
    /// [`InvalidArgument`] naming the field, before anything is sent.
    ///
    /// ```no_run
    /// use acs_identity::{TeamsExtensionAssignment, TeamsExtensionPrincipalType};
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let assignment = TeamsExtensionAssignment {
    ///     tenant_id: "2dee53b4-368b-45b4-ab52-8493fb117652".to_owned(),
    ///     object_id: "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a".to_owned(),
    ///     principal_type: TeamsExtensionPrincipalType::User,
    ///     client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
    /// };
    /// let stored = client
    ///     .create_or_replace_teams_extension_assignment(&assignment, None)
    ///     .await?;
    /// assert_eq!(stored.object_id, assignment.object_id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_or_replace_teams_extension_assignment(
        &self,
        assignment: &TeamsExtensionAssignment,
        options: Option<CreateOrReplaceTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<TeamsExtensionAssignment> {
        let options = options.unwrap_or_default();
        let path = assignment_path(&assignment.tenant_id, &assignment.object_id)?;
        for client_id in &assignment.client_ids {
            guid::check("client_ids", client_id)?;
        }
        if assignment.principal_type.as_str().trim().is_empty() {
            return Err(InvalidArgument::new(
                "principal_type",
                "the principal type is empty; expected user or resourceAccount",
            )
            .into());
        }
        api_version::require(&self.inner.api_version, Feature::TeamsExtensionAssignments)?;
        let body = json(&TeamsExtensionAssignmentRequest {
            principal_type: &assignment.principal_type,
            client_ids: &assignment.client_ids,
        })?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.create_or_replace_teams_extension_assignment",
                Method::Put,
                &path,
                Some(body),
            )
            .await?;
        Ok(from_body(parse_body(
            rsp,
            "TeamsExtensionAssignmentResponse",
        )?))
    }

    /// Reads the assignment of `object_id` (a user or resource account) in
    /// `tenant_id`. A 404 from the service when there is none. Needs api-version
    /// `2025-06-30` or `2025-03-02-preview`.
    ///
    /// ```no_run
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let assignment = client
    ///     .get_teams_extension_assignment(
    ///         "2dee53b4-368b-45b4-ab52-8493fb117652",
    ///         "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a",
    ///         None,
    ///     )
    ///     .await?;
    /// println!("{:?} may use {:?}", assignment.principal_type, assignment.client_ids);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_teams_extension_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
        options: Option<GetTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<TeamsExtensionAssignment> {
        let options = options.unwrap_or_default();
        let path = assignment_path(tenant_id, object_id)?;
        api_version::require(&self.inner.api_version, Feature::TeamsExtensionAssignments)?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.get_teams_extension_assignment",
                Method::Get,
                &path,
                None,
            )
            .await?;
        Ok(from_body(parse_body(
            rsp,
            "TeamsExtensionAssignmentResponse",
        )?))
    }

    /// Deletes the assignment of `object_id` in `tenant_id`: that principal can no
    /// longer exchange its Entra token on this resource. Needs api-version
    /// `2025-06-30` or `2025-03-02-preview`.
    ///
    /// ```no_run
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// client
    ///     .delete_teams_extension_assignment(
    ///         "2dee53b4-368b-45b4-ab52-8493fb117652",
    ///         "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a",
    ///         None,
    ///     )
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_teams_extension_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
        options: Option<DeleteTeamsExtensionAssignmentOptions<'_>>,
    ) -> azure_core::Result<()> {
        let options = options.unwrap_or_default();
        let path = assignment_path(tenant_id, object_id)?;
        api_version::require(&self.inner.api_version, Feature::TeamsExtensionAssignments)?;
        self.send(
            &options.method_options,
            "CommunicationIdentityClient.delete_teams_extension_assignment",
            Method::Delete,
            &path,
            None,
        )
        .await?;
        Ok(())
    }
}

/// `access/teamsExtension/tenants/{tenant_id}/assignments/{object_id}`, both
/// checked to be GUIDs and percent-encoded.
fn assignment_path(tenant_id: &str, object_id: &str) -> Result<String, InvalidArgument> {
    guid::check("tenant_id", tenant_id)?;
    guid::check("object_id", object_id)?;
    let mut path = String::with_capacity(48 + tenant_id.len() + object_id.len());
    path.push_str("access/teamsExtension/tenants/");
    percent_encode_segment(tenant_id, &mut path);
    path.push_str("/assignments/");
    percent_encode_segment(object_id, &mut path);
    Ok(path)
}

fn from_body(body: TeamsExtensionAssignmentBody) -> TeamsExtensionAssignment {
    TeamsExtensionAssignment {
        tenant_id: body.tenant_id,
        object_id: body.object_id,
        principal_type: body.principal_type,
        client_ids: body.client_ids,
    }
}

#[cfg(test)]
mod tests {
    use super::assignment_path;

    #[test]
    fn path_names_tenant_and_object() {
        assert_eq!(
            assignment_path(
                "2dee53b4-368b-45b4-ab52-8493fb117652",
                "0C5B0C7E-1234-4D2F-9A7B-3F1E2D4C5B6A"
            )
            .unwrap(),
            "access/teamsExtension/tenants/2dee53b4-368b-45b4-ab52-8493fb117652/assignments/0C5B0C7E-1234-4D2F-9A7B-3F1E2D4C5B6A"
        );
        let err = assignment_path("2dee53b4-368b-45b4-ab52-8493fb117652", "me").unwrap_err();
        assert_eq!(err.argument(), "object_id");
        let err = assignment_path("contoso.onmicrosoft.com", "x").unwrap_err();
        assert_eq!(err.argument(), "tenant_id");
    }
}
