//! Gives back the error azure_core's retry policy wraps.
//!
//! The retry policy wraps errors coming from inside it ("non-transport error
//! occurred which will not be retried", "retry policy expired ..."), hiding the
//! useful message in `source()`. [`unwrap_retry_error`] (per call, on the
//! pipeline's result, outside the retry policy) puts it back on top.

use azure_core::error::{Error, ErrorKind};

/// Per call, on the pipeline's result (`CommunicationIdentityClient::send_to`,
/// outside the retry policy): gives back the error the retry policy
/// wrapped, so `Display` says what went wrong rather than "will not be retried".
///
/// azure_core's retry policy wraps an error in two cases, told apart by kind (never
/// by its wording): a non-transport error (any kind but `Io` and `Connection`,
/// e.g. a refused Retry-After or an invalid key) is wrapped and returned at once;
/// a transport error (`Io`, `Connection`) is wrapped when the retry budget is
/// spent. The first comes back as the inner error itself; the second keeps its
/// kind and says that the retry limit was reached.
pub(crate) fn unwrap_retry_error(err: Error) -> Error {
    let Some(inner) = err.downcast_ref::<Error>() else {
        return err;
    };
    if matches!(err.kind(), ErrorKind::Io | ErrorKind::Connection) {
        let message = format!("{inner} (the retry policy's limit was reached)");
        let kind = err.kind().clone();
        return Error::with_error(kind, unwrap_inner(err), message);
    }
    unwrap_inner(err)
}

fn unwrap_inner(err: Error) -> Error {
    match err.into_inner() {
        Ok(inner) => match inner.downcast::<Error>() {
            Ok(inner) => *inner,
            Err(other) => Error::new(ErrorKind::Other, other),
        },
        Err(err) => err,
    }
}
