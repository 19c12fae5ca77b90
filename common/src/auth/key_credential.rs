use crate::InvalidArgument;
use aws_lc_rs::hmac;
use azure_core::base64;
use std::{
    fmt,
    sync::{Arc, RwLock},
};

/// The decoded key, ready to sign with.
pub(crate) struct SigningKey {
    /// HMAC-SHA256 key made from the decoded access key (its `Debug` shows only
    /// the algorithm).
    pub(crate) key: hmac::Key,
}

/// An access key of an Azure Communication Services resource.
///
/// The key is the base64 text shown in the Azure portal (**Keys** blade). It is
/// read on every request, so [`update`](Self::update) rotates the key of every
/// client that shares this credential without rebuilding them. Cloning is cheap
/// and clones share the key.
///
/// The key never appears in `Debug` output or in error messages.
///
/// ```
/// use acs_common::AzureKeyCredential;
///
/// let credential = AzureKeyCredential::new("cHc9PQ==");
/// assert_eq!(format!("{credential:?}"), "AzureKeyCredential { key: <redacted> }");
///
/// // Rotate the key: every client holding a clone signs with the new key from now on.
/// credential.update("bmV3LWtleQ==");
/// ```
#[derive(Clone)]
pub struct AzureKeyCredential {
    state: Arc<RwLock<Arc<KeyState>>>,
}

struct KeyState {
    signing: Result<SigningKey, InvalidArgument>,
}

impl KeyState {
    fn new(key: &str) -> Self {
        Self {
            signing: decode_key(key),
        }
    }
}

fn decode_key(key: &str) -> Result<SigningKey, InvalidArgument> {
    let invalid = |what: &str| {
        InvalidArgument::new(
            "access key",
            format!(
                "{what}; expected the base64 access key of the Communication Services resource \
                 (Azure portal > Keys), e.g. `accesskey=<base64>` in a connection string"
            ),
        )
    };
    let trimmed = key.trim();
    if trimmed.is_empty() {
        return Err(invalid("the access key is empty"));
    }
    let bytes =
        base64::decode(trimmed).map_err(|_| invalid("the access key is not valid base64"))?;
    if bytes.is_empty() {
        return Err(invalid("the access key decodes to zero bytes"));
    }
    // HMAC takes a key of any length (longer than the 64-byte block: hashed first);
    // `Key::new` fails only if aws-lc cannot allocate.
    Ok(SigningKey {
        key: hmac::Key::new(hmac::HMAC_SHA256, &bytes),
    })
}

impl AzureKeyCredential {
    /// Creates a credential from the base64 access key.
    ///
    /// The key is checked when a client is built from it and on every request;
    /// a key that is not valid base64 gives an error that names the problem (never the key).
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        Self {
            state: Arc::new(RwLock::new(Arc::new(KeyState::new(&key)))),
        }
    }

    /// Replaces the key. Requests signed after this call use the new key; requests
    /// already in flight keep the key they were signed with.
    pub fn update(&self, key: impl Into<String>) {
        let key = key.into();
        let new_state = Arc::new(KeyState::new(&key));
        // A poisoned lock only means another thread panicked while swapping an Arc;
        // the value inside is still a complete state.
        let mut guard = self.state.write().unwrap_or_else(|e| e.into_inner());
        *guard = new_state;
    }

    /// Checks that the current key is usable (non-empty base64). The error is an
    /// [`InvalidArgument`] that never contains the key.
    ///
    /// ```
    /// use acs_common::AzureKeyCredential;
    ///
    /// assert!(AzureKeyCredential::new("cHc9PQ==").validate().is_ok());
    /// assert!(AzureKeyCredential::new("not base64!").validate().is_err());
    /// ```
    pub fn validate(&self) -> azure_core::Result<()> {
        self.with_key(|_| ()).map_err(Into::into)
    }

    /// Runs `f` with the current decoded key.
    pub(crate) fn with_key<T>(
        &self,
        f: impl FnOnce(&SigningKey) -> T,
    ) -> Result<T, InvalidArgument> {
        let state = {
            let guard = self.state.read().unwrap_or_else(|e| e.into_inner());
            Arc::clone(&guard)
        };
        match &state.signing {
            Ok(key) => Ok(f(key)),
            Err(e) => Err(e.clone()),
        }
    }
}

impl fmt::Debug for AzureKeyCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AzureKeyCredential { key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_keys_without_echoing_them() {
        for key in ["", "   ", "not base64!!", "c2VjcmV0LWtleQ=x"] {
            let err = AzureKeyCredential::new(key).validate().unwrap_err();
            let text = err.to_string();
            assert!(text.contains("access key"), "{text}");
            assert!(text.contains("expected the base64 access key"), "{text}");
            if key.trim().len() > 3 {
                assert!(!text.contains(key.trim()), "{text}");
            }
        }
    }

    #[test]
    fn update_replaces_the_key() {
        let credential = AzureKeyCredential::new("not base64!!");
        assert!(credential.validate().is_err());
        let clone = credential.clone();
        credential.update("pw==");
        assert!(clone.validate().is_ok());
    }
}
