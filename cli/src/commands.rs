//! Running each command against the client.

use crate::{
    args::{
        AssignmentCommand, AssignmentTarget, Command, EntraCommand, EntraPrincipal, Global,
        PrincipalType, TeamsExtensionCommand, TokenCommand, UserCommand,
    },
    client, decode,
    error::CliError,
    output::Report,
    time,
};
use acs_identity::{
    models::api_version, CommunicationTokenScope, CommunicationUserIdentifier,
    CreateUserAndTokenOptions, CreateUserOptions, EntraAssignment, EntraPrincipalType,
    GetTokenOptions, TeamsExtensionAssignment, TeamsExtensionPrincipalType,
};
use azure_core::{credentials::AccessToken, time::OffsetDateTime};
use futures::TryStreamExt;
use serde_json::json;
use std::io::Read;

/// Runs `command`.
pub async fn run(global: &Global, command: Command) -> Result<Report, CliError> {
    match command {
        Command::User(command) => user(global, command).await,
        Command::Token(command) => token(global, command).await,
        Command::Assignment(AssignmentCommand::Entra(command)) => entra(global, command).await,
        Command::Assignment(AssignmentCommand::TeamsExtension(command)) => {
            teams_extension(global, command).await
        }
    }
}

async fn user(global: &Global, command: UserCommand) -> Result<Report, CliError> {
    match command {
        UserCommand::Create {
            custom_id,
            scopes,
            expires_in,
        } => {
            // Custom ids exist in 2025-03-02-preview only (not in the later GA 2025-06-30).
            let preferred = custom_id.as_ref().map(|_| api_version::V2025_03_02_PREVIEW);
            let client = client::build(global, preferred)?;
            if scopes.is_empty() {
                let user = client
                    .create_user(Some(CreateUserOptions {
                        custom_id: custom_id.clone(),
                        ..Default::default()
                    }))
                    .await?;
                let mut lines = vec![("identity", user.id().to_owned())];
                if let Some(custom_id) = &custom_id {
                    lines.push(("custom id", custom_id.clone()));
                }
                let json = json!({
                    "id": user.id(), "customId": custom_id,
                    "token": null, "expiresOn": null, "scopes": [],
                });
                return Ok(Report::lines(&lines, json));
            }
            let (user, token) = client
                .create_user_and_token(
                    &scopes,
                    Some(CreateUserAndTokenOptions {
                        token_expires_in: expires_in,
                        custom_id: custom_id.clone(),
                        ..Default::default()
                    }),
                )
                .await?;
            let mut lines = vec![("identity", user.id().to_owned())];
            if let Some(custom_id) = &custom_id {
                lines.push(("custom id", custom_id.clone()));
            }
            let mut report = token_report(lines, &user, &token, &scopes);
            report.json["customId"] = json!(custom_id);
            Ok(report)
        }
        UserCommand::Show { id } => {
            let client = client::build(global, Some(api_version::V2025_03_02_PREVIEW))?;
            let detail = client
                .get_user_detail(&CommunicationUserIdentifier::new(id), None)
                .await?;
            let last = detail.last_token_issued_at.map(time::rfc3339);
            let lines = [
                ("identity", detail.user.id().to_owned()),
                (
                    "custom id",
                    detail.custom_id.clone().unwrap_or_else(|| "-".to_owned()),
                ),
                (
                    "last token issued",
                    last.clone().unwrap_or_else(|| "never".to_owned()),
                ),
            ];
            let json = json!({
                "id": detail.user.id(),
                "customId": detail.custom_id,
                "lastTokenIssuedAt": last,
            });
            Ok(Report::lines(&lines, json))
        }
        UserCommand::Delete { id } => {
            let client = client::build(global, None)?;
            let user = CommunicationUserIdentifier::new(id);
            client.delete_user(&user, None).await?;
            Ok(Report::lines(
                &[("deleted", user.id().to_owned())],
                json!({ "id": user.id(), "deleted": true }),
            ))
        }
    }
}

async fn token(global: &Global, command: TokenCommand) -> Result<Report, CliError> {
    match command {
        TokenCommand::Issue {
            id,
            scopes,
            expires_in,
        } => {
            let client = client::build(global, None)?;
            let user = CommunicationUserIdentifier::new(id);
            let token = client
                .get_token(
                    &user,
                    &scopes,
                    Some(GetTokenOptions {
                        token_expires_in: expires_in,
                        ..Default::default()
                    }),
                )
                .await?;
            Ok(token_report(
                vec![("identity", user.id().to_owned())],
                &user,
                &token,
                &scopes,
            ))
        }
        TokenCommand::Revoke { id } => {
            let client = client::build(global, None)?;
            let user = CommunicationUserIdentifier::new(id);
            client.revoke_tokens(&user, None).await?;
            Ok(Report::lines(
                &[("revoked tokens of", user.id().to_owned())],
                json!({ "id": user.id(), "revoked": true }),
            ))
        }
        TokenCommand::TeamsUser {
            aad_token,
            client_id,
            user_object_id,
        } => {
            let client = client::build(global, None)?;
            let token = client
                .get_token_for_teams_user(&aad_token, &client_id, &user_object_id, None)
                .await?;
            let expires_on = time::rfc3339(token.expires_on);
            Ok(Report::lines(
                &[
                    ("token", token.token.secret().to_owned()),
                    ("expires", expires_on.clone()),
                ],
                json!({ "token": token.token.secret(), "expiresOn": expires_on }),
            ))
        }
        TokenCommand::Decode { token } => {
            let token = if token == "-" {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).map_err(|e| {
                    CliError::other(format!("could not read the token from stdin: {e}"))
                })?;
                text
            } else {
                token
            };
            decode::decode(&token, OffsetDateTime::now_utc())
        }
    }
}

/// The report of a command that issued `token` to `user`.
fn token_report(
    mut lines: Vec<(&'static str, String)>,
    user: &CommunicationUserIdentifier,
    token: &AccessToken,
    scopes: &[CommunicationTokenScope],
) -> Report {
    let expires_on = time::rfc3339(token.expires_on);
    let scopes: Vec<&str> = scopes.iter().map(CommunicationTokenScope::as_str).collect();
    lines.push(("token", token.token.secret().to_owned()));
    lines.push(("expires", expires_on.clone()));
    lines.push(("scopes", scopes.join(", ")));
    let json = json!({
        "id": user.id(),
        "token": token.token.secret(),
        "expiresOn": expires_on,
        "scopes": scopes,
    });
    Report::lines(&lines, json)
}

async fn teams_extension(
    global: &Global,
    command: TeamsExtensionCommand,
) -> Result<Report, CliError> {
    let client = client::build(global, None)?;
    match command {
        TeamsExtensionCommand::Get(AssignmentTarget {
            tenant_id,
            object_id,
        }) => {
            let assignment = client
                .get_teams_extension_assignment(&tenant_id, &object_id, None)
                .await?;
            Ok(assignment_report(&assignment))
        }
        TeamsExtensionCommand::Set {
            target,
            principal_type,
            client_ids,
        } => {
            let assignment = TeamsExtensionAssignment {
                tenant_id: target.tenant_id,
                object_id: target.object_id,
                principal_type: match principal_type {
                    PrincipalType::User => TeamsExtensionPrincipalType::User,
                    PrincipalType::ResourceAccount => TeamsExtensionPrincipalType::ResourceAccount,
                },
                client_ids,
            };
            let stored = client
                .create_or_replace_teams_extension_assignment(&assignment, None)
                .await?;
            Ok(assignment_report(&stored))
        }
        TeamsExtensionCommand::Delete(AssignmentTarget {
            tenant_id,
            object_id,
        }) => {
            client
                .delete_teams_extension_assignment(&tenant_id, &object_id, None)
                .await?;
            Ok(Report::lines(
                &[
                    ("deleted assignment of", object_id.clone()),
                    ("tenant", tenant_id.clone()),
                ],
                json!({ "tenantId": tenant_id, "objectId": object_id, "deleted": true }),
            ))
        }
    }
}

/// Client ids as one text line: comma-separated, `-` when there are none.
fn client_ids_text(ids: &[String]) -> String {
    if ids.is_empty() {
        "-".to_owned()
    } else {
        ids.join(", ")
    }
}

fn assignment_report(assignment: &TeamsExtensionAssignment) -> Report {
    let client_ids = client_ids_text(&assignment.client_ids);
    Report::lines(
        &[
            ("tenant", assignment.tenant_id.clone()),
            ("object", assignment.object_id.clone()),
            ("principal type", assignment.principal_type.to_string()),
            ("client ids", client_ids),
        ],
        json!({
            "tenantId": assignment.tenant_id,
            "objectId": assignment.object_id,
            "principalType": assignment.principal_type.as_str(),
            "clientIds": assignment.client_ids,
        }),
    )
}

/// `assignment entra ...`, at api-version 2025-03-02-preview unless `--api-version` says
/// otherwise (the only version with Entra assignments).
async fn entra(global: &Global, command: EntraCommand) -> Result<Report, CliError> {
    let client = client::build(global, Some(api_version::V2025_03_02_PREVIEW))?;
    match command {
        EntraCommand::List => {
            let assignments: Vec<EntraAssignment> =
                client.list_entra_assignments(None)?.try_collect().await?;
            let lines: Vec<(&str, String)> = assignments
                .iter()
                .map(|a| {
                    (
                        "assignment",
                        format!(
                            "{} {} (tenant {})",
                            a.object_id, a.principal_type, a.tenant_id
                        ),
                    )
                })
                .collect();
            let json = json!({
                "assignments": assignments.iter().map(entra_json).collect::<Vec<_>>(),
            });
            Ok(Report::lines(&lines, json))
        }
        EntraCommand::Get { object_id } => {
            let assignment = client.get_entra_assignment(&object_id, None).await?;
            Ok(entra_report(&assignment))
        }
        EntraCommand::Set {
            object_id,
            tenant_id,
            principal_type,
            client_ids,
        } => {
            let assignment = EntraAssignment {
                object_id,
                tenant_id,
                principal_type: match principal_type {
                    EntraPrincipal::User => EntraPrincipalType::User,
                    EntraPrincipal::Group => EntraPrincipalType::Group,
                    EntraPrincipal::Tenant => EntraPrincipalType::Tenant,
                },
                client_ids,
            };
            let stored = client
                .create_or_replace_entra_assignment(&assignment, None)
                .await?;
            Ok(entra_report(&stored))
        }
        EntraCommand::Delete { object_id } => {
            client.delete_entra_assignment(&object_id, None).await?;
            Ok(Report::lines(
                &[("deleted Entra assignment of", object_id.clone())],
                json!({ "objectId": object_id, "deleted": true }),
            ))
        }
    }
}

fn entra_json(assignment: &EntraAssignment) -> serde_json::Value {
    json!({
        "objectId": assignment.object_id,
        "tenantId": assignment.tenant_id,
        "principalType": assignment.principal_type.as_str(),
        "clientIds": assignment.client_ids,
    })
}

fn entra_report(assignment: &EntraAssignment) -> Report {
    let client_ids = client_ids_text(&assignment.client_ids);
    Report::lines(
        &[
            ("object", assignment.object_id.clone()),
            ("tenant", assignment.tenant_id.clone()),
            ("principal type", assignment.principal_type.to_string()),
            ("client ids", client_ids),
        ],
        entra_json(assignment),
    )
}
