//! Property tests for the raw-id parser and the wire model.

use acs_common::CommunicationIdentifier;
use proptest::prelude::*;

/// Strings built from raw-id fragments, so the interesting branches are hit often.
fn raw_id_like() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        Just(""),
        Just("4:"),
        Just("8:acs:"),
        Just("8:dod-acs:"),
        Just("8:gcch-acs:"),
        Just("8:spool:"),
        Just("8:orgid:"),
        Just("8:dod:"),
        Just("8:gcch:"),
        Just("8:teamsvisitor:"),
        Just("28:orgid:"),
        Just("28:dod:"),
        Just("28:gcch:"),
        Just("28:gcch-global:"),
        Just("48:"),
    ];
    (prefix, "[a-z0-9_:+\\-]{0,40}").prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

fn check(raw: &str) {
    let id = CommunicationIdentifier::from_raw_id(raw);
    // parse -> to_string round-trips.
    assert_eq!(id.to_string(), raw);
    assert_eq!(id.raw_id(), raw);
    // Re-parsing the printed raw id gives the same kind.
    let again: CommunicationIdentifier = id.to_string().parse().unwrap();
    assert_eq!(again.kind(), id.kind());
    assert_eq!(again, id);
    // The wire model round-trips too.
    let json = serde_json::to_string(&id).unwrap();
    let back: CommunicationIdentifier = serde_json::from_str(&json).unwrap();
    assert_eq!(back, id);
    assert_eq!(back.kind(), id.kind());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic_and_round_trip(raw in any::<String>()) {
        check(&raw);
    }

    #[test]
    fn raw_id_like_strings_round_trip(raw in raw_id_like()) {
        check(&raw);
    }

    #[test]
    fn arbitrary_json_objects_never_panic(
        raw_id in proptest::option::of(any::<String>()),
        kind in proptest::option::of(prop_oneof![
            Just("communicationUser".to_owned()), Just("phoneNumber".to_owned()),
            Just("microsoftTeamsUser".to_owned()), Just("microsoftTeamsApp".to_owned()),
            Just("teamsExtensionUser".to_owned()), Just("unknown".to_owned()), any::<String>(),
        ]),
        value in proptest::option::of(any::<String>()),
        cloud in proptest::option::of(prop_oneof![Just("public".to_owned()), Just("dod".to_owned()), any::<String>()]),
        property in 0usize..6,
    ) {
        let mut object = serde_json::Map::new();
        if let Some(raw_id) = raw_id { object.insert("rawId".into(), raw_id.into()); }
        if let Some(kind) = kind { object.insert("kind".into(), kind.into()); }
        let nested = serde_json::json!({
            "id": value, "value": value, "userId": value, "appId": value,
            "tenantId": value, "resourceId": value, "cloud": cloud,
        });
        let name = ["communicationUser", "phoneNumber", "microsoftTeamsUser", "microsoftTeamsApp", "teamsExtensionUser", "none"][property];
        if name != "none" { object.insert(name.into(), nested); }
        let _ = serde_json::from_value::<CommunicationIdentifier>(serde_json::Value::Object(object));
    }
}
