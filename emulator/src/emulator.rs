//! A running emulator. The builder (`builder.rs`) starts it and fills in its fields.

use crate::assignment::{Assignment, EntraAssignment, TeamsExtensionAssignment};
use crate::state::AppState;
use crate::token::TokenValidation;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running emulator, from [`Emulator::builder`]`()...start().await`.
/// Dropping it stops the server (without waiting); call [`shutdown`](Self::shutdown) to wait
/// for it.
pub struct Emulator {
    pub(crate) endpoint: String,
    /// `endpoint=<endpoint>/;accesskey=<access_key>`.
    pub(crate) connection_string: String,
    /// Trimmed, as configured.
    pub(crate) access_key: String,
    pub(crate) resource_id: String,
    pub(crate) local_addr: SocketAddr,
    pub(crate) ca_pem: Option<String>,
    pub(crate) ca_path: Option<PathBuf>,
    pub(crate) state: Arc<AppState>,
    /// Taken by `shutdown` or `drop`.
    pub(crate) shutdown: Option<oneshot::Sender<()>>,
    pub(crate) task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint)
            .field("resource_id", &self.resource_id)
            .field("tls", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// The endpoint, without a trailing slash: `http://127.0.0.1:PORT` (or `https://`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `endpoint=<endpoint>/;accesskey=<key>`, as the Azure portal writes it.
    pub fn connection_string(&self) -> &str {
        &self.connection_string
    }

    /// The access key (base64).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The resource id (lower-case GUID) identity ids are minted under.
    pub fn resource_id(&self) -> &str {
        &self.resource_id
    }

    /// The socket address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The warning the emulator logged when it started, when it listens beyond loopback (not
    /// 127.0.0.0/8 or `::1`, e.g. on `0.0.0.0`) with the well-known
    /// [`DEFAULT_ACCESS_KEY`](crate::DEFAULT_ACCESS_KEY): anyone who can reach it can sign
    /// requests and mint tokens. `None` on loopback or with another access key.
    pub fn well_known_key_warning(&self) -> Option<String> {
        crate::exposure::well_known_key_warning(self.local_addr, &self.access_key)
    }

    /// True when serving HTTPS.
    pub fn is_tls(&self) -> bool {
        self.ca_pem.is_some()
    }

    /// The CA certificate (PEM) that signed the server certificate, when TLS is on. Add it to
    /// a client's trusted roots.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Where the CA certificate was written, if it was (see
    /// `EmulatorBuilder::ca_certificate_path`).
    pub fn ca_certificate_path(&self) -> Option<&Path> {
        self.ca_path.as_deref()
    }

    /// Whether an access token issued by this emulator is still valid, and why not.
    pub fn validate_token(&self, token: &str) -> TokenValidation {
        self.state.validate_token(token)
    }

    /// The id of the live identity created with `custom_id` (api-version
    /// `2025-03-02-preview`), if there is one.
    pub fn identity_with_custom_id(&self, custom_id: &str) -> Option<String> {
        self.state.store.find_custom_id(custom_id)
    }

    /// The Teams Extension assignment of `object_id` in `tenant_id` (GUIDs, any case), if
    /// there is one.
    pub fn teams_extension_assignment(
        &self,
        tenant_id: &str,
        object_id: &str,
    ) -> Option<TeamsExtensionAssignment> {
        let tenant_id = crate::ids::guid(tenant_id)?;
        let object_id = crate::ids::guid(object_id)?;
        self.state
            .store
            .assignment(&tenant_id, &object_id)
            .map(Assignment::from)
    }

    /// The Entra assignment of `object_id` (a GUID, any case), if there is one.
    pub fn entra_assignment(&self, object_id: &str) -> Option<EntraAssignment> {
        let object_id = crate::ids::guid(object_id)?;
        self.state
            .store
            .entra_assignment(&object_id)
            .map(Assignment::from)
    }

    /// Stops accepting connections and waits (up to 5 seconds) for open ones to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
