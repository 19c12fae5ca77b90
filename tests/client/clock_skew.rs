//! A 401 whose `Date` is more than 5 minutes from the local clock says the local
//! clock is off (HMAC signatures are dated), by how much and in which direction;
//! the error stays an `HttpResponse` error with the status, code and body.

use crate::support::*;
use acs_identity::{CommunicationError, CommunicationTokenScope, CommunicationUserIdentifier};
use azure_core::{
    error::ErrorKind,
    http::StatusCode,
    time::{to_rfc7231, Duration, OffsetDateTime},
};
use wiremock::ResponseTemplate;

fn denied(date: &str) -> ResponseTemplate {
    ResponseTemplate::new(401)
        .insert_header("Date", date)
        .set_body_json(serde_json::json!({
            "error": {"code": "Denied", "message": "Denied by the resource provider."}
        }))
}

fn date(offset: Duration) -> String {
    to_rfc7231(&(OffsetDateTime::now_utc() + offset))
}

#[tokio::test]
async fn service_clock_far_behind_means_the_local_clock_is_ahead() {
    let service_date = date(-Duration::hours(2));
    let server = answering(denied(&service_date)).await;
    let err = client(&server).create_user(None).await.unwrap_err();

    let message = err.to_string();
    assert!(
        message.starts_with(
            "Denied: Denied by the resource provider. (HTTP 401): the local clock is "
        ),
        "{message}"
    );
    assert!(
        message.contains("1h 59m") || message.contains("2h 0m"),
        "{message}"
    );
    assert!(
        message.contains(&format!("ahead of the service's (Date: {service_date})")),
        "{message}"
    );
    assert!(
        message.ends_with(
            "HMAC signatures are dated and the service rejects them when the clocks differ; \
             fix the system clock"
        ),
        "{message}"
    );
    assert_eq!(err.http_status(), Some(StatusCode::Unauthorized));
    assert!(
        matches!(err.kind(), ErrorKind::HttpResponse { error_code: Some(c), raw_response: Some(_), .. } if c == "Denied"),
        "{:?}",
        err.kind()
    );
    let acs = CommunicationError::from_error(&err).unwrap();
    assert_eq!(acs.code, "Denied");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn service_clock_ahead_means_the_local_clock_is_behind() {
    let service_date = date(Duration::minutes(10) + Duration::seconds(30));
    let server = answering(denied(&service_date)).await;
    let err = client(&server)
        .get_token(
            &CommunicationUserIdentifier::new(USER_ID),
            &[CommunicationTokenScope::Chat],
            None,
        )
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        (message.contains("the local clock is 10m 2")
            || message.contains("the local clock is 10m 3"))
            && message.contains("behind the service's"),
        "{message}"
    );
    assert_eq!(err.http_status(), Some(StatusCode::Unauthorized));
}

#[tokio::test]
async fn a_close_clock_gets_no_hint() {
    for offset in [
        Duration::ZERO,
        Duration::minutes(4),
        -Duration::minutes(4) - Duration::seconds(50),
    ] {
        let server = answering(denied(&date(offset))).await;
        let err = client(&server).create_user(None).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "Denied: Denied by the resource provider. (HTTP 401)",
            "{offset}"
        );
        assert_eq!(err.http_status(), Some(StatusCode::Unauthorized));
        assert_eq!(CommunicationError::from_error(&err).unwrap().code, "Denied");
    }
}

#[tokio::test]
async fn an_empty_or_non_json_401_keeps_its_code_and_gets_the_hint() {
    let server = answering(
        ResponseTemplate::new(401)
            .insert_header("Date", date(Duration::days(1)).as_str())
            .insert_header("x-ms-error-code", "Denied"),
    )
    .await;
    let err = client(&server).create_user(None).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Denied: Unauthorized (HTTP 401): the local clock is 2")
            && err.to_string().contains("behind the service's"),
        "{err}"
    );
    assert!(
        matches!(err.kind(), ErrorKind::HttpResponse { error_code: Some(c), .. } if c == "Denied"),
        "{:?}",
        err.kind()
    );
    assert!(CommunicationError::from_error(&err).is_none());
}

#[tokio::test]
async fn other_statuses_and_unparsable_dates_are_left_alone() {
    let far = date(-Duration::hours(3));
    let cases = [
        (
            ResponseTemplate::new(403)
                .insert_header("Date", far.as_str())
                .set_body_json(
                    serde_json::json!({"error": {"code": "Forbidden", "message": "no"}}),
                ),
            Some("Forbidden: no (HTTP 403)"),
        ),
        (
            denied("yesterday, around noon"),
            Some("Denied: Denied by the resource provider. (HTTP 401)"),
        ),
        (
            ResponseTemplate::new(201)
                .insert_header("Date", far.as_str())
                .set_body_json(serde_json::json!({"identity": {"id": USER_ID}})),
            None,
        ),
    ];
    for (template, expected) in cases {
        let server = answering(template).await;
        let result = client(&server).create_user(None).await;
        match expected {
            Some(message) => assert_eq!(result.unwrap_err().to_string(), message),
            None => assert_eq!(result.unwrap().id(), USER_ID),
        }
    }
}
