//! Which key URLs may be fetched: `https://`, or plain `http://` on loopback only.

/// Checks that `url` may be fetched: `https://`, or `http://` to 127.0.0.1, localhost or
/// `[::1]` (a local issuer in development and tests). `what` names the setting in the error.
pub(crate) fn check_url(url: &str, what: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{what} is not a URL ({e})"))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        "http" => Err(format!(
            "{what} must use https:// (plain http:// only for 127.0.0.1, localhost or [::1])"
        )),
        other => Err(format!(
            "{what} has the scheme `{other}`; expected https:// (plain http:// only on loopback)"
        )),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    matches!(
        url.host_str().map(str::to_ascii_lowercase).as_deref(),
        Some("localhost" | "127.0.0.1" | "[::1]")
    )
}
