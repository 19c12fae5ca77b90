//! `CommunicationTokenCredential`: static tokens, refresh (on tokio's paused
//! clock), property tests, and the credential inside an azure_core pipeline.

mod entra;
mod pipeline;
mod properties;
mod refresh;
mod token;
