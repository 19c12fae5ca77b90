//! Property tests: the JWT expiry decoder never panics, and decodes any `exp`
//! in range whatever the base64 flavour.

use acs_common::CommunicationTokenCredential;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic(token in any::<String>()) {
        if let Err(error) = CommunicationTokenCredential::new(token.as_str()) {
            let message = error.to_string();
            prop_assert!(message.contains("explicitly"));
        }
    }

    #[test]
    fn dotted_base64ish_strings_never_panic(parts in proptest::collection::vec("[A-Za-z0-9+/=_\\-]{0,24}", 0..5)) {
        let _ = CommunicationTokenCredential::new(parts.join(".").as_str());
    }

    #[test]
    fn arbitrary_payload_bytes_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..64)) {
        let token = format!("h.{}.s", azure_core::base64::encode_url_safe(&payload));
        let _ = CommunicationTokenCredential::new(token.as_str());
    }

    #[test]
    fn arbitrary_json_exp_never_panics(exp in prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        "[a-z\"0-9.e+-]{0,12}",
    ]) {
        let payload = format!(r#"{{"exp":{exp}}}"#);
        let token = format!("h.{}.s", azure_core::base64::encode_url_safe(payload));
        let _ = CommunicationTokenCredential::new(token.as_str());
    }

    #[test]
    fn in_range_exp_decodes_with_any_base64_flavour(
        exp in 0i64..253_402_300_799, // up to 9999-12-31T23:59:59Z
        fraction in proptest::option::of(0u32..1000),
        url_safe in any::<bool>(),
        padded in any::<bool>(),
        extra in "[ -~]{0,16}",
    ) {
        let exp_text = match fraction {
            Some(ms) => format!("{exp}.{ms:03}"),
            None => exp.to_string(),
        };
        let payload = serde_json::json!({"sub": extra}).to_string().replacen('{', &format!("{{\"exp\":{exp_text},"), 1);
        let mut encoded = if url_safe {
            azure_core::base64::encode_url_safe(&payload)
        } else {
            azure_core::base64::encode(&payload)
        };
        if !padded {
            encoded = encoded.trim_end_matches('=').to_owned();
        } else if url_safe {
            while encoded.len() % 4 != 0 { encoded.push('='); }
        }
        let token = format!("h.{encoded}.s");
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let credential = CommunicationTokenCredential::new(token.as_str()).unwrap();
        let expires_on = runtime.block_on(credential.get_token()).unwrap().expires_on;
        prop_assert_eq!(expires_on.unix_timestamp(), exp);
        if let Some(ms) = fraction {
            // f64 keeps ~0.2 µs at these magnitudes: compare milliseconds loosely.
            let got = expires_on.millisecond() as i64;
            prop_assert!((got - ms as i64).abs() <= 1, "{} vs {}", got, ms);
        }
    }
}
