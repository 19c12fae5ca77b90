//! TLS: a CA generated with rcgen (kept in the data directory when there is one, so clients that
//! trust it keep working across restarts) and a server certificate it signs for `localhost`,
//! `127.0.0.1`, `::1` and the configured host.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::path::Path;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub(crate) struct TlsMaterial {
    pub(crate) ca_pem: String,
    pub(crate) config: Arc<rustls::ServerConfig>,
}

fn ca_params() -> Result<CertificateParams, rcgen::Error> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "acs-identity-emulator local CA");
    dn.push(DnType::OrganizationName, "acs-identity-emulator");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    // Fixed, so the CA regenerated from a kept key has the same subject and validity.
    p.not_before = time::macros::datetime!(2024-01-01 0:00 UTC);
    p.not_after = time::macros::datetime!(2049-12-31 0:00 UTC);
    p.serial_number = Some(SerialNumber::from(1u64));
    Ok(p)
}

/// The CA key: read from `<dir>/ca-key.pem`, or generated (and written there when `dir` is set).
fn ca_key(dir: Option<&Path>) -> Result<KeyPair, String> {
    let Some(dir) = dir else {
        return KeyPair::generate().map_err(|e| e.to_string());
    };
    let path = dir.join("ca-key.pem");
    if let Ok(pem) = std::fs::read_to_string(&path) {
        return KeyPair::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()));
    }
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    write_private(&path, key.serialize_pem().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(bytes)
}

pub(crate) fn build(host: &str, data_dir: Option<&Path>) -> Result<TlsMaterial, String> {
    let ca_key = ca_key(data_dir)?;
    let ca_params = ca_params().map_err(|e| e.to_string())?;
    let ca_cert = ca_params.self_signed(&ca_key).map_err(|e| e.to_string())?;
    let ca_pem = ca_cert.pem();
    let issuer = Issuer::new(ca_params, ca_key);

    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if !host.is_empty() && !names.iter().any(|n| n == host) && host != "0.0.0.0" && host != "::" {
        names.push(host.to_owned());
    }
    let mut leaf = CertificateParams::new(names).map_err(|e| e.to_string())?;
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name
        .push(DnType::CommonName, "acs-identity-emulator");
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    let now = OffsetDateTime::now_utc();
    leaf.not_before = now - Duration::days(1);
    leaf.not_after = now + Duration::days(365);
    let leaf_key = KeyPair::generate().map_err(|e| e.to_string())?;
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| e.to_string())?;

    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        ca_pem,
        config: Arc::new(config),
    })
}

/// Random bytes from the TLS crypto provider (no extra dependency).
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    if rustls::crypto::aws_lc_rs::default_provider()
        .secure_random
        .fill(&mut buf)
        .is_err()
    {
        // Fall back to a UUID v4 (itself from the OS RNG).
        for chunk in buf.chunks_mut(16) {
            let u = uuid::Uuid::new_v4();
            chunk.copy_from_slice(&u.as_bytes()[..chunk.len()]);
        }
    }
    buf
}
