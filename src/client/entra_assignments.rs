//! Entra assignments (api-version `2025-03-02-preview`): `/access/entra/assignments`.

use super::{
    guid,
    request::{json, parse_body, percent_encode_segment},
    CommunicationIdentityClient, CreateOrReplaceEntraAssignmentOptions,
    DeleteEntraAssignmentOptions, GetEntraAssignmentOptions, ListEntraAssignmentsOptions,
    UpdateEntraAssignmentsOptions,
};
use crate::{
    models::{
        api_version::{self, Feature},
        wire::{EntraAssignmentBody, EntraAssignmentRequest},
        EntraAssignment,
    },
    InvalidArgument,
};
use acs_common::service_error::quoted;
use async_trait::async_trait;
use azure_core::{
    error::{Error, ErrorKind},
    http::{
        pager::{Page, PagerContinuation, PagerResult, PagerState},
        Method, Pager, Response, StatusCode, Url,
    },
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One page of [`list_entra_assignments`](CommunicationIdentityClient::list_entra_assignments):
/// the `EntraAssignmentsResponse` `{"value": [...], "nextLink": "..."}`. A
/// [`Pager`] yields its assignments one by one; `into_pages()` gives the pages.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EntraAssignmentsPage {
    /// The assignments on this page.
    #[serde(default, deserialize_with = "assignments")]
    pub value: Vec<EntraAssignment>,
    /// The URL of the next page, as the service gave it.
    #[serde(default)]
    pub next_link: Option<String>,
}

fn assignments<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<EntraAssignment>, D::Error> {
    let bodies = Vec::<EntraAssignmentBody>::deserialize(d)?;
    Ok(bodies.into_iter().map(EntraAssignment::from).collect())
}

#[async_trait]
impl Page for EntraAssignmentsPage {
    type Item = EntraAssignment;
    type IntoIter = std::vec::IntoIter<EntraAssignment>;

    async fn into_items(self) -> azure_core::Result<Self::IntoIter> {
        Ok(self.value.into_iter())
    }
}

impl CommunicationIdentityClient {
    /// Lists the resource's Entra assignments, fetching pages lazily as the
    /// returned [`Pager`] (a `Stream` of assignments) is polled. Each next page is
    /// fetched from the `nextLink` exactly as the service gave it, signed like any
    /// request. A `nextLink` to another scheme, host or port than the endpoint (it
    /// would receive this client's credentials), one with userinfo (`user@`), or
    /// one that is not an absolute URL is not followed: the page that carries it
    /// is still yielded, and asking for the next one is an error. Needs
    /// api-version `2025-03-02-preview`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let mut assignments = client.list_entra_assignments(None)?;
    /// while let Some(assignment) = assignments.try_next().await? {
    ///     println!("{} ({}) via {:?}", assignment.object_id, assignment.principal_type, assignment.client_ids);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_entra_assignments(
        &self,
        options: Option<ListEntraAssignmentsOptions<'_>>,
    ) -> azure_core::Result<Pager<EntraAssignmentsPage>> {
        api_version::require(&self.inner.api_version, Feature::EntraAssignments)?;
        let options = options.unwrap_or_default();
        let pager_options = azure_core::http::pager::PagerOptions {
            context: options.method_options.context.into_owned(),
            continuation: options.method_options.continuation,
        };
        let client = self.clone();
        Ok(Pager::new(
            move |state: PagerState, options| {
                let client = client.clone();
                Box::pin(async move {
                    let url = match state {
                        PagerState::Initial => client.url("access/entra/assignments"),
                        PagerState::More(next) => client.same_origin(next)?,
                    };
                    let raw = client
                        .send_to(
                            &options.context,
                            "CommunicationIdentityClient.list_entra_assignments",
                            Method::Get,
                            url,
                            None,
                        )
                        .await?;
                    let page: EntraAssignmentsPage =
                        parse_body(raw.clone(), "EntraAssignmentsResponse")?;
                    let response: Response<EntraAssignmentsPage> = raw.into();
                    Ok(match page.next_link.filter(|link| !link.is_empty()) {
                        // A link that is not a URL is kept as it is, so that this
                        // page's assignments are still yielded; fetching the next
                        // page fails (`same_origin`), as for a foreign link.
                        Some(link) => PagerResult::More {
                            response,
                            continuation: match link.parse() {
                                Ok(url) => PagerContinuation::Link(url),
                                Err(_) => PagerContinuation::Token(link),
                            },
                        },
                        None => PagerResult::Done { response },
                    })
                })
            },
            Some(pager_options),
        ))
    }

    /// Reads the Entra assignment of `object_id`. A 404 from the service when
    /// there is none. Needs api-version `2025-03-02-preview`.
    pub async fn get_entra_assignment(
        &self,
        object_id: &str,
        options: Option<GetEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<EntraAssignment> {
        let options = options.unwrap_or_default();
        let path = assignment_path(object_id)?;
        api_version::require(&self.inner.api_version, Feature::EntraAssignments)?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.get_entra_assignment",
                Method::Get,
                &path,
                None,
            )
            .await?;
        let body: EntraAssignmentBody = parse_body(rsp, "EntraAssignment")?;
        Ok(body.into())
    }

    /// Creates the Entra assignment of `assignment.object_id`, or replaces it
    /// (`PUT`; 201 or 200). Returns it as the service stored it. Object, tenant
    /// and client ids must be GUIDs, else an [`InvalidArgument`] naming the field,
    /// before anything is sent. Needs api-version `2025-03-02-preview`.
    ///
    /// ```no_run
    /// use acs_identity::{EntraAssignment, EntraPrincipalType};
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let tenant = "45ab2481-1c1c-4005-be24-0ffb879b1130";
    /// let everyone = EntraAssignment {
    ///     object_id: tenant.to_owned(),
    ///     tenant_id: tenant.to_owned(),
    ///     principal_type: EntraPrincipalType::Tenant,
    ///     client_ids: vec!["1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f".to_owned()],
    /// };
    /// client.create_or_replace_entra_assignment(&everyone, None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_or_replace_entra_assignment(
        &self,
        assignment: &EntraAssignment,
        options: Option<CreateOrReplaceEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<EntraAssignment> {
        let options = options.unwrap_or_default();
        let path = assignment_path(&assignment.object_id)?;
        check_assignment(assignment)?;
        api_version::require(&self.inner.api_version, Feature::EntraAssignments)?;
        let body = json(&EntraAssignmentRequest::from(assignment))?;
        let rsp = self
            .send(
                &options.method_options,
                "CommunicationIdentityClient.create_or_replace_entra_assignment",
                Method::Put,
                &path,
                Some(body),
            )
            .await?;
        let body: EntraAssignmentBody = parse_body(rsp, "EntraAssignment")?;
        Ok(body.into())
    }

    /// Deletes the Entra assignment of `object_id`. Needs api-version
    /// `2025-03-02-preview`.
    pub async fn delete_entra_assignment(
        &self,
        object_id: &str,
        options: Option<DeleteEntraAssignmentOptions<'_>>,
    ) -> azure_core::Result<()> {
        let options = options.unwrap_or_default();
        let path = assignment_path(object_id)?;
        api_version::require(&self.inner.api_version, Feature::EntraAssignments)?;
        self.send(
            &options.method_options,
            "CommunicationIdentityClient.delete_entra_assignment",
            Method::Delete,
            &path,
            None,
        )
        .await?;
        Ok(())
    }

    /// Changes several Entra assignments in one request (a JSON merge patch,
    /// `application/merge-patch+json`): each `(object_id, Some(assignment))` creates
    /// or replaces that assignment, each `(object_id, None)` removes it (`null`).
    /// Returns the assignments the service returned (none for a 204). Every id is
    /// checked first; an object id given twice, or one that differs from its
    /// assignment's `object_id`, is an [`InvalidArgument`]. Needs api-version
    /// `2025-03-02-preview`.
    ///
    /// ```no_run
    /// use acs_identity::{EntraAssignment, EntraPrincipalType};
    ///
    /// # async fn example(client: acs_identity::CommunicationIdentityClient, alice: EntraAssignment) -> azure_core::Result<()> {
    /// let bob = "0c5b0c7e-1234-4d2f-9a7b-3f1e2d4c5b6a".to_owned();
    /// client
    ///     .update_entra_assignments(&[(alice.object_id.clone(), Some(alice)), (bob, None)], None)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_entra_assignments(
        &self,
        changes: &[(String, Option<EntraAssignment>)],
        options: Option<UpdateEntraAssignmentsOptions<'_>>,
    ) -> azure_core::Result<Vec<EntraAssignment>> {
        let options = options.unwrap_or_default();
        let mut patch: BTreeMap<&str, Option<EntraAssignmentRequest<'_>>> = BTreeMap::new();
        for (object_id, change) in changes {
            guid::check("object_id", object_id)?;
            if let Some(assignment) = change {
                if assignment.object_id != *object_id {
                    return Err(InvalidArgument::new(
                        "changes",
                        format!(
                            "the change for {object_id} carries an assignment for {}; \
                             expected the same object id in both",
                            assignment.object_id
                        ),
                    )
                    .into());
                }
                check_assignment(assignment)?;
            }
            if patch
                .insert(object_id, change.as_ref().map(EntraAssignmentRequest::from))
                .is_some()
            {
                return Err(InvalidArgument::new(
                    "changes",
                    format!("object id {object_id} appears more than once; expected each once"),
                )
                .into());
            }
        }
        if patch.is_empty() {
            return Err(InvalidArgument::new(
                "changes",
                "no change given; expected at least one (object id, assignment or None)",
            )
            .into());
        }
        api_version::require(&self.inner.api_version, Feature::EntraAssignments)?;
        let body = json(&patch)?;
        let rsp = self
            .send_to(
                &options.method_options.context,
                "CommunicationIdentityClient.update_entra_assignments",
                Method::Patch,
                self.url("access/entra/assignments"),
                Some((body, "application/merge-patch+json")),
            )
            .await?;
        if rsp.status() == StatusCode::NoContent || rsp.body().is_empty() {
            return Ok(Vec::new());
        }
        let page: EntraAssignmentsPage = parse_body(rsp, "EntraAssignmentsResponse")?;
        Ok(page.value)
    }

    /// The next page's URL, when it is on the endpoint's scheme, host and port and
    /// has no userinfo.
    fn same_origin(&self, next: PagerContinuation) -> azure_core::Result<Url> {
        let url: Url = match next {
            PagerContinuation::Link(url) => url,
            PagerContinuation::Token(link) => link.parse().map_err(|e| {
                Error::with_message(
                    ErrorKind::DataConversion,
                    format!("the service's nextLink is not a URL ({e}); not following it"),
                )
            })?,
            other => other.try_into()?,
        };
        // The endpoint never has userinfo (a connection string with one is
        // refused). A link with some is not followed: reqwest, for one, would
        // send it as a second Authorization header (Basic) next to the signature.
        // The userinfo is not quoted.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::with_message(
                ErrorKind::DataConversion,
                "the service's nextLink has user credentials (user@host); not following it",
            ));
        }
        let endpoint = &self.inner.endpoint;
        if url.scheme() == endpoint.scheme()
            && url.host_str() == endpoint.host_str()
            && url.port_or_known_default() == endpoint.port_or_known_default()
        {
            Ok(url)
        } else {
            Err(Error::with_message(
                ErrorKind::DataConversion,
                format!(
                    "the service's nextLink points at {}://{}{}, not at the endpoint {}; \
                     not following it (it would receive this client's credentials)",
                    quoted(url.scheme()),
                    quoted(url.host_str().unwrap_or_default()),
                    // The port when it is not the scheme's default: without it a
                    // link to another port would read like the endpoint.
                    url.port().map(|p| format!(":{p}")).unwrap_or_default(),
                    endpoint.as_str()
                ),
            ))
        }
    }
}

/// `access/entra/assignments/{object_id}`, the id checked to be a GUID.
fn assignment_path(object_id: &str) -> Result<String, InvalidArgument> {
    guid::check("object_id", object_id)?;
    let mut path = String::with_capacity(26 + object_id.len());
    path.push_str("access/entra/assignments/");
    percent_encode_segment(object_id, &mut path);
    Ok(path)
}

fn check_assignment(assignment: &EntraAssignment) -> Result<(), InvalidArgument> {
    guid::check("object_id", &assignment.object_id)?;
    guid::check("tenant_id", &assignment.tenant_id)?;
    for client_id in &assignment.client_ids {
        guid::check("client_ids", client_id)?;
    }
    if assignment.principal_type.as_str().trim().is_empty() {
        return Err(InvalidArgument::new(
            "principal_type",
            "the principal type is empty; expected user, group or tenant",
        ));
    }
    Ok(())
}
