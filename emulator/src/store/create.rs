//! Creating an identity: a new one, or with a `customId` the live identity created with it.

use super::{Change, IdentityRecord, Inner, Store, StoreError};
use std::sync::Arc;

/// A create request, as the store sees it.
#[derive(Debug, Clone)]
pub(crate) struct NewIdentity {
    /// The key (lower-case id) the identity gets if one is created.
    pub(crate) key: String,
    /// With a `customId`, the live identity that has it is answered instead of a new one.
    pub(crate) custom_id: Option<String>,
    pub(crate) now_ms: i64,
    /// When a token is issued with the answer (Unix nanoseconds).
    pub(crate) token_at_ns: Option<i64>,
}

/// The identity a create answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Created {
    pub(crate) key: String,
    pub(crate) record: IdentityRecord,
    /// `false` when an identity with the same `customId` was answered.
    pub(crate) is_new: bool,
}

impl Store {
    /// Creates `new.key`; with a `customId` that a live identity has, answers that one
    /// instead (with its token time updated when a token goes with the answer). The lookup and
    /// the create are atomic: concurrent creates with one `customId` make one identity.
    pub(crate) async fn create(&self, new: NewIdentity) -> Result<Created, StoreError> {
        self.run(move |inner| inner.create(new)).await
    }
}

impl Inner {
    /// [`Store::create`], with the `customId` map locked throughout.
    fn create(&self, new: NewIdentity) -> Result<Created, StoreError> {
        let mut custom_ids = self.lock_custom_ids();
        let existing = new
            .custom_id
            .as_deref()
            .and_then(|c| custom_ids.get(c))
            .map(|k| k.to_string());
        if let Some(key) = existing {
            let rec = match new.token_at_ns {
                Some(at) => self.apply(&key, &Change::TokenIssued(at))?,
                None => self.mem.get(&key).filter(|r| r.deleted_at.is_none()),
            };
            if let Some(record) = rec {
                return Ok(Created {
                    key,
                    record,
                    is_new: false,
                });
            }
        }
        let custom_id: Option<Arc<str>> = new.custom_id.map(Arc::from);
        let change = Change::Create {
            now_ms: new.now_ms,
            custom_id: custom_id.clone(),
            token_at_ns: new.token_at_ns,
        };
        let Some(record) = self.apply(&new.key, &change)? else {
            return Err(StoreError(format!("the new id {} exists already", new.key)));
        };
        if let Some(custom_id) = custom_id {
            custom_ids.insert(custom_id, new.key.clone().into_boxed_str());
        }
        Ok(Created {
            key: new.key,
            record,
            is_new: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{plain, reopen, KEY};
    use super::super::Lookup;
    use super::*;

    fn custom(key: &str, custom_id: &str, token_at_ns: Option<i64>) -> NewIdentity {
        NewIdentity {
            custom_id: Some(custom_id.to_owned()),
            token_at_ns,
            ..plain(key, 1)
        }
    }

    #[tokio::test]
    async fn a_custom_id_names_one_live_identity_also_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path(), b"secret").unwrap();
        let first = store.create(custom(KEY, "alice", None)).await.unwrap();
        assert!(first.is_new);
        let again = store
            .create(custom("8:acs:r_second", "alice", Some(7)))
            .await
            .unwrap();
        assert!(!again.is_new);
        assert_eq!(again.key, KEY);
        assert_eq!(again.record.last_token_issued_at, Some(7));
        assert_eq!(store.lookup("8:acs:r_second"), Lookup::Unknown);

        let store = reopen(dir.path());
        assert_eq!(store.find_custom_id("alice").as_deref(), Some(KEY));
        let Lookup::Live(rec) = store.lookup(KEY) else {
            panic!("lost")
        };
        assert_eq!(rec.custom_id.as_deref(), Some("alice"));
        assert_eq!(rec.last_token_issued_at, Some(7));

        assert!(store.delete(KEY, 2).await.unwrap());
        assert_eq!(store.find_custom_id("alice"), None);
        let fresh = store
            .create(custom("8:acs:r_third", "alice", None))
            .await
            .unwrap();
        assert!(fresh.is_new);
        let store = reopen(dir.path());
        assert_eq!(
            store.find_custom_id("alice").as_deref(),
            Some("8:acs:r_third")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_creates_with_one_custom_id_make_one_identity() {
        let dir = tempfile::tempdir().unwrap();
        let (durable, _) = Store::open(dir.path(), b"secret").unwrap();
        for store in [Arc::new(Store::in_memory()), Arc::new(durable)] {
            let tasks: Vec<_> = (0..16)
                .map(|i| {
                    let store = Arc::clone(&store);
                    tokio::spawn(async move {
                        store
                            .create(custom(&format!("8:acs:r_{i}"), "bob", None))
                            .await
                            .unwrap()
                    })
                })
                .collect();
            let mut keys = Vec::new();
            for t in tasks {
                keys.push(t.await.unwrap().key);
            }
            keys.dedup();
            assert_eq!(keys.len(), 1, "{keys:?}");
            assert_eq!(store.len(), 1);
        }
    }
}
