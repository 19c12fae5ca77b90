//! The command line: global settings and the commands, as clap derives them.

use crate::{duration::parse_duration, scope::parse_scope};
use acs_identity::CommunicationTokenScope;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::time::Duration;

/// The environment variable read for a connection string when `--connection-string` is not given.
pub const CONNECTION_STRING_ENV: &str = "COMMUNICATION_SERVICES_CONNECTION_STRING";
/// The environment variable read for an endpoint when `--endpoint` is not given.
pub const ENDPOINT_ENV: &str = "COMMUNICATION_SERVICES_ENDPOINT";

/// Azure Communication Services Identity from the command line: create and delete
/// identities, issue, revoke and decode access tokens, manage Teams Extension assignments.
// No Debug on the argument types: they hold the connection string and tokens.
#[derive(Parser)]
#[command(name = "acs-identity", version, propagate_version = true)]
#[command(after_help = "\
Authentication (for every command but `token decode`), first found wins:
  --connection-string, then --endpoint (Entra ID via the developer tools: az, azd),
  then the environment: COMMUNICATION_SERVICES_CONNECTION_STRING, COMMUNICATION_SERVICES_ENDPOINT.

Exit status: 0 success, 1 the service refused, 2 usage or configuration error,
3 network or other failure.

Examples:
  acs-identity user create --scope chat --scope voip --expires-in 1h30m
  acs-identity token issue 8:acs:... --scope voip --output json
  acs-identity token decode - < token.txt")]
pub struct Cli {
    /// Global settings.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings every command takes.
#[derive(Args)]
pub struct Global {
    /// Access-key authentication: `endpoint=https://<resource>.communication.azure.com/;accesskey=<key>`.
    /// Prefer the environment variable COMMUNICATION_SERVICES_CONNECTION_STRING: a command line is
    /// visible to other users of the machine.
    #[arg(long, global = true, value_name = "CONNECTION_STRING")]
    pub connection_string: Option<String>,

    /// Entra ID authentication with the developer tools' sign-in (Azure CLI, Azure Developer CLI):
    /// `https://<resource>.communication.azure.com`. Also COMMUNICATION_SERVICES_ENDPOINT.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,

    /// The service api-version, e.g. 2026-09-23, 2025-06-30, 2025-03-02-preview, 2023-10-01.
    /// Default: the client's (the newest GA, 2026-09-23), or 2025-03-02-preview for
    /// `user create --custom-id`, `user show` and `assignment entra`, which only that version has.
    #[arg(long, global = true, value_name = "VERSION")]
    pub api_version: Option<String>,

    /// `text` for people, `json` for programs: exactly one JSON object on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,

    /// How many times a failed request is retried (connection errors, 408, 429, 5xx).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub retries: u32,

    /// Logs each request (method, path, status, duration) to stderr; never headers or bodies.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Lines for people.
    Text,
    /// One JSON object on stdout, camelCase field names (see the README).
    Json,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Identities: create, show, delete.
    #[command(subcommand)]
    User(UserCommand),
    /// Access tokens: issue, revoke, exchange a Teams user's, decode.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Assignments (Teams Phone extensibility).
    #[command(subcommand)]
    Assignment(AssignmentCommand),
}

/// `user ...`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Creates an identity; with --scope, issues it a token in the same request.
    Create {
        /// Your own id for the identity (1 to 256 characters); the same custom id returns the
        /// same identity. Needs api-version 2025-03-02-preview (chosen when --api-version is not given).
        #[arg(long, value_name = "ID")]
        custom_id: Option<String>,
        /// Issue a token with this scope too: chat, voip, chat.join, chat.join.limited, voip.join.
        #[arg(long = "scope", value_name = "SCOPE", value_parser = parse_scope)]
        scopes: Vec<CommunicationTokenScope>,
        /// The token's lifetime (with --scope): 1h to 24h in whole minutes, e.g. 90m, 1h, 1h30m, 3600s.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "scopes")]
        expires_in: Option<Duration>,
    },
    /// Shows an identity: its custom id and when it was last issued a token
    /// (api-version 2025-03-02-preview, chosen when --api-version is not given).
    Show {
        /// The identity, e.g. `8:acs:<resource id>_<id>`.
        id: String,
    },
    /// Deletes an identity, revoking its tokens.
    Delete {
        /// The identity, e.g. `8:acs:<resource id>_<id>`.
        id: String,
    },
}

/// `token ...`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issues an access token for an existing identity.
    Issue {
        /// The identity, e.g. `8:acs:<resource id>_<id>`.
        id: String,
        /// What the token grants: chat, voip, chat.join, chat.join.limited, voip.join. Repeatable.
        #[arg(long = "scope", value_name = "SCOPE", value_parser = parse_scope, required = true)]
        scopes: Vec<CommunicationTokenScope>,
        /// The token's lifetime: 1h to 24h in whole minutes, e.g. 90m, 1h, 1h30m, 3600s.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        expires_in: Option<Duration>,
    },
    /// Revokes every token issued to an identity so far.
    Revoke {
        /// The identity, e.g. `8:acs:<resource id>_<id>`.
        id: String,
    },
    /// Exchanges a Teams user's Entra ID token for an ACS token.
    TeamsUser {
        /// The Teams user's Entra ID access token.
        #[arg(long, value_name = "TOKEN")]
        aad_token: String,
        /// The Entra application (client) id the token was issued to.
        #[arg(long, value_name = "GUID")]
        client_id: String,
        /// The Teams user's Entra object id.
        #[arg(long, value_name = "GUID")]
        user_object_id: String,
    },
    /// Decodes an ACS access token offline (no authentication): header, claims, scopes,
    /// resource, issue and expiry times. Does not check the signature.
    Decode {
        /// The token, or `-` to read it from stdin.
        token: String,
    },
}

/// `assignment ...`
#[derive(Subcommand)]
pub enum AssignmentCommand {
    /// Teams Extension assignments of users and resource accounts.
    #[command(subcommand)]
    TeamsExtension(TeamsExtensionCommand),
    /// Entra assignments of users, groups and tenants (api-version 2025-03-02-preview).
    #[command(subcommand)]
    Entra(EntraCommand),
}

/// `assignment entra ...`
#[derive(Subcommand)]
pub enum EntraCommand {
    /// Lists every Entra assignment (all pages).
    List,
    /// Reads the assignment of an object.
    Get {
        /// The user's or group's Entra object id, or the tenant id (a GUID).
        #[arg(long, value_name = "GUID")]
        object_id: String,
    },
    /// Creates or replaces the assignment of an object.
    Set {
        /// The user's or group's Entra object id, or the tenant id (a GUID).
        #[arg(long, value_name = "GUID")]
        object_id: String,
        /// The Entra tenant id (a GUID).
        #[arg(long, value_name = "GUID")]
        tenant_id: String,
        /// What the object is.
        #[arg(long, value_enum, default_value_t = EntraPrincipal::User)]
        principal_type: EntraPrincipal,
        /// An Entra application (client) id allowed to act for it (a GUID). Repeatable.
        #[arg(long = "client-id", value_name = "GUID")]
        client_ids: Vec<String>,
    },
    /// Deletes the assignment of an object.
    Delete {
        /// The user's or group's Entra object id, or the tenant id (a GUID).
        #[arg(long, value_name = "GUID")]
        object_id: String,
    },
}

/// `--principal-type` of an Entra assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EntraPrincipal {
    /// One Entra user.
    User,
    /// The members of an Entra group.
    Group,
    /// Every user of the tenant.
    Tenant,
}

/// `assignment teams-extension ...`
#[derive(Subcommand)]
pub enum TeamsExtensionCommand {
    /// Reads an assignment.
    Get(AssignmentTarget),
    /// Creates or replaces an assignment.
    Set {
        /// Whose assignment.
        #[command(flatten)]
        target: AssignmentTarget,
        /// What the object is.
        #[arg(long, value_enum, default_value_t = PrincipalType::User)]
        principal_type: PrincipalType,
        /// An Entra application (client) id allowed to act for it (a GUID). Repeatable.
        #[arg(long = "client-id", value_name = "GUID")]
        client_ids: Vec<String>,
    },
    /// Deletes an assignment.
    Delete(AssignmentTarget),
}

/// The tenant and object an assignment is about.
#[derive(Args)]
pub struct AssignmentTarget {
    /// The Entra tenant id (a GUID).
    #[arg(long, value_name = "GUID")]
    pub tenant_id: String,
    /// The user's or resource account's Entra object id (a GUID).
    #[arg(long, value_name = "GUID")]
    pub object_id: String,
}

/// `--principal-type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PrincipalType {
    /// A Teams user.
    User,
    /// A Teams resource account.
    #[value(name = "resourceAccount")]
    ResourceAccount,
}
