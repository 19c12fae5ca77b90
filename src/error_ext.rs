//! [`CommunicationErrorExt`]: one way to read what an `azure_core::Error` of this
//! crate says.

use crate::{CommunicationError, CustomIdIgnored, InvalidArgument};
use azure_core::{
    error::{Error, ErrorKind},
    http::StatusCode,
};

mod sealed {
    /// Only `azure_core::Error` implements [`CommunicationErrorExt`](super::CommunicationErrorExt).
    pub trait Sealed {}
    impl Sealed for azure_core::Error {}
}

/// Reads an error of this crate: every call returns an `azure_core::Error`, and
/// these methods say which of its cases it is and what it carries. Bring the
/// trait into scope with `use acs_identity::CommunicationErrorExt;`.
///
/// | the error | what answers |
/// |---|---|
/// | input refused before sending (bad scopes, lifetime, id, an option the api-version lacks) | [`invalid_argument`](Self::invalid_argument) |
/// | the service refused the request | [`status`](Self::status), [`error_code`](Self::error_code), [`communication_error`](Self::communication_error) |
/// | a create whose custom id the service ignored | [`custom_id_ignored`](Self::custom_id_ignored) |
/// | anything else (connection, timeout, an unreadable answer) | all `None`; `err.kind()` and `Display` tell |
///
/// ```no_run
/// use acs_identity::{CommunicationErrorExt, CommunicationIdentityClient, CommunicationTokenScope};
///
/// # async fn example(client: CommunicationIdentityClient, user: acs_identity::CommunicationUserIdentifier) {
/// match client.get_token(&user, &[CommunicationTokenScope::Chat], None).await {
///     Ok(token) => println!("expires at {}", token.expires_on),
///     Err(err) if err.invalid_argument().is_some() => eprintln!("fix the input: {err}"),
///     Err(err) if err.error_code() == Some("IdentityNotFound") => eprintln!("{user} was deleted"),
///     Err(err) => eprintln!("failed (HTTP {:?}): {err}", err.status()),
/// }
/// # }
/// ```
///
/// The trait is sealed: only `azure_core::Error` implements it. The types it
/// returns ([`InvalidArgument`], [`CommunicationError`], [`CustomIdIgnored`])
/// stay public, and [`CommunicationError::from_error`] still works.
pub trait CommunicationErrorExt: sealed::Sealed {
    /// The input error, when the client refused the call before sending anything:
    /// which argument and what is expected.
    ///
    /// ```
    /// use acs_identity::{CommunicationErrorExt, CommunicationIdentityClient};
    ///
    /// let err = CommunicationIdentityClient::from_connection_string("endpoint=nowhere", None)
    ///     .err()
    ///     .unwrap();
    /// let invalid = err.invalid_argument().unwrap();
    /// assert_eq!(invalid.argument(), "connection string");
    /// assert!(err.status().is_none());
    /// ```
    fn invalid_argument(&self) -> Option<&InvalidArgument>;

    /// The ACS error the service answered with (code, message, target, details,
    /// inner error), when the service refused the request with an ACS error
    /// body; `None` for other errors and for an empty or non-ACS body.
    ///
    /// ```
    /// use acs_identity::CommunicationErrorExt;
    /// # use azure_core::{error::{Error, ErrorKind}, http::{headers::Headers, RawResponse, StatusCode}};
    /// # fn service_error() -> Error {
    /// #     let body = r#"{"error":{"code":"ValidationError","message":"Invalid scopes.","target":"scopes"}}"#;
    /// #     let raw = RawResponse::from_bytes(StatusCode::BadRequest, Headers::new(), body);
    /// #     Error::new(ErrorKind::HttpResponse {
    /// #         status: StatusCode::BadRequest,
    /// #         error_code: Some("ValidationError".into()),
    /// #         raw_response: Some(Box::new(raw)),
    /// #     }, "ValidationError: Invalid scopes. (HTTP 400)")
    /// # }
    ///
    /// // A 400 as the service answers a bad request:
    /// let err = service_error();
    /// let acs = err.communication_error().unwrap();
    /// assert_eq!(acs.code, "ValidationError");
    /// assert_eq!(acs.target.as_deref(), Some("scopes"));
    /// ```
    fn communication_error(&self) -> Option<CommunicationError>;

    /// The identity created without its custom id, when a create sent with a
    /// custom id was answered without it (an api-version without custom ids):
    /// delete it if it is not wanted.
    ///
    /// ```no_run
    /// use acs_identity::{CommunicationErrorExt, CommunicationIdentityClient, CreateUserOptions};
    ///
    /// # async fn example(client: CommunicationIdentityClient) -> azure_core::Result<()> {
    /// let options = CreateUserOptions { custom_id: Some("alice".into()), ..Default::default() };
    /// match client.create_user(Some(options)).await {
    ///     Ok(user) => println!("alice is {user}"),
    ///     Err(err) => {
    ///         if let Some(ignored) = err.custom_id_ignored() {
    ///             client.delete_user(ignored.user(), None).await?;
    ///         }
    ///         return Err(err);
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    fn custom_id_ignored(&self) -> Option<&CustomIdIgnored>;

    /// The HTTP status, when the service refused the request; `None` for input,
    /// transport and other errors.
    ///
    /// ```
    /// use acs_identity::CommunicationErrorExt;
    /// use azure_core::http::StatusCode;
    /// # use azure_core::{error::{Error, ErrorKind}, http::{headers::Headers, RawResponse}};
    /// # fn service_error() -> Error {
    /// #     let body = r#"{"error":{"code":"IdentityNotFound","message":"Identity not found."}}"#;
    /// #     let raw = RawResponse::from_bytes(StatusCode::NotFound, Headers::new(), body);
    /// #     Error::new(ErrorKind::HttpResponse {
    /// #         status: StatusCode::NotFound,
    /// #         error_code: Some("IdentityNotFound".into()),
    /// #         raw_response: Some(Box::new(raw)),
    /// #     }, "IdentityNotFound: Identity not found. (HTTP 404)")
    /// # }
    ///
    /// let err = service_error(); // the answer for a deleted identity
    /// assert_eq!(err.status(), Some(StatusCode::NotFound));
    /// ```
    fn status(&self) -> Option<StatusCode>;

    /// The ACS error code (e.g. `ValidationError`, `IdentityNotOwned`,
    /// `Denied`), when the service refused the request with one: from the
    /// `x-ms-error-code` header, else from the body.
    ///
    /// ```
    /// use acs_identity::CommunicationErrorExt;
    /// # use azure_core::{error::{Error, ErrorKind}, http::{headers::Headers, RawResponse, StatusCode}};
    /// # fn service_error() -> Error {
    /// #     let body = r#"{"error":{"code":"IdentityNotOwned","message":"Provided identity doesn't belong to the resource."}}"#;
    /// #     let raw = RawResponse::from_bytes(StatusCode::Unauthorized, Headers::new(), body);
    /// #     Error::new(ErrorKind::HttpResponse {
    /// #         status: StatusCode::Unauthorized,
    /// #         error_code: Some("IdentityNotOwned".into()),
    /// #         raw_response: Some(Box::new(raw)),
    /// #     }, "IdentityNotOwned: Provided identity doesn't belong to the resource. (HTTP 401)")
    /// # }
    ///
    /// let err = service_error(); // another resource's identity
    /// if err.error_code() == Some("IdentityNotOwned") {
    ///     eprintln!("not an identity of this resource");
    /// }
    /// # assert_eq!(err.error_code(), Some("IdentityNotOwned"));
    /// ```
    fn error_code(&self) -> Option<&str>;
}

impl CommunicationErrorExt for Error {
    fn invalid_argument(&self) -> Option<&InvalidArgument> {
        self.downcast_ref::<InvalidArgument>()
    }

    fn communication_error(&self) -> Option<CommunicationError> {
        CommunicationError::from_error(self)
    }

    fn custom_id_ignored(&self) -> Option<&CustomIdIgnored> {
        self.downcast_ref::<CustomIdIgnored>()
    }

    fn status(&self) -> Option<StatusCode> {
        self.http_status()
    }

    fn error_code(&self) -> Option<&str> {
        match self.kind() {
            ErrorKind::HttpResponse { error_code, .. } => error_code.as_deref(),
            _ => None,
        }
    }
}
