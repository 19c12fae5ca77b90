//! Echoes `x-ms-client-request-id` on every answer, as the service does.

use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::Response;

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");

pub(crate) async fn echo(req: Request, next: Next) -> Response {
    let request_id = req.headers().get(CLIENT_REQUEST_ID).cloned();
    let mut resp = next.run(req).await;
    if let Some(id) = request_id {
        resp.headers_mut().insert(CLIENT_REQUEST_ID, id);
    }
    resp
}
