//! Whether the emulator is reachable beyond this machine with the well-known access key, and
//! the warning it then logs (at start, and from `Emulator::well_known_key_warning`).

use std::net::SocketAddr;

/// Whether `ip` is reachable from other machines: anything but 127.0.0.0/8 and `::1`
/// (IPv4-mapped loopback included). The unspecified addresses `0.0.0.0` and `::` listen on
/// every interface, so they are exposed.
pub(crate) fn is_exposed(ip: std::net::IpAddr) -> bool {
    !ip.to_canonical().is_loopback()
}

/// The warning for an emulator listening on `addr` with `access_key`: `Some` when the address
/// is [exposed](is_exposed) and the key is the well-known
/// [`DEFAULT_ACCESS_KEY`](crate::DEFAULT_ACCESS_KEY), which anyone can read in this crate's
/// source and documentation.
pub(crate) fn well_known_key_warning(addr: SocketAddr, access_key: &str) -> Option<String> {
    (is_exposed(addr.ip()) && access_key.trim() == crate::DEFAULT_ACCESS_KEY).then(|| {
        format!(
            "listening on {addr}, beyond loopback, with the well-known development access key \
             (DEFAULT_ACCESS_KEY): anyone who can reach this address can sign requests and mint \
             tokens; set --access-key or ACS_EMULATOR_ACCESS_KEY (EmulatorBuilder::access_key) \
             to a key of your own"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{is_exposed, well_known_key_warning};
    use std::net::SocketAddr;

    #[test]
    fn loopback_is_not_exposed() {
        for ip in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(!is_exposed(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "0.0.0.0",
            "::",
            "10.0.0.1",
            "192.168.1.5",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_exposed(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn warns_only_beyond_loopback_with_the_well_known_key() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let warning = well_known_key_warning(any, crate::DEFAULT_ACCESS_KEY).unwrap();
        assert!(warning.contains("0.0.0.0:8080"), "{warning}");
        assert!(warning.contains("anyone who can reach"), "{warning}");
        assert!(warning.contains("ACS_EMULATOR_ACCESS_KEY"), "{warning}");
        // Surrounding whitespace is trimmed from keys, as `start` does.
        let padded = format!(" {} ", crate::DEFAULT_ACCESS_KEY);
        assert!(well_known_key_warning(any, &padded).is_some());
        assert_eq!(
            well_known_key_warning(local, crate::DEFAULT_ACCESS_KEY),
            None
        );
        assert_eq!(well_known_key_warning(any, "c2VjcmV0LWtleQ=="), None);
        let v6: SocketAddr = "[::]:0".parse().unwrap();
        assert!(well_known_key_warning(v6, crate::DEFAULT_ACCESS_KEY).is_some());
    }
}
