//! User token credential (`CommunicationTokenCredential`): not built yet.
