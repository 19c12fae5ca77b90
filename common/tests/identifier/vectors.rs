//! Every raw-id vector of the shared conformance file (`vectors.json`, section
//! `identifiers`, format `acs-identity-conformance-vectors/1`), embedded verbatim below so the test stays hermetic.

use acs_common::{
    CommunicationCloudEnvironment, CommunicationIdentifier, MicrosoftTeamsUserIdentifier,
    PhoneNumberIdentifier, TeamsExtensionUserIdentifier,
};
use serde_json::Value;

const VECTORS: &str = r#"{
 "source": "Azure/azure-sdk-for-python:sdk/communication/azure-communication-identity/tests/test_identifier_raw_id.py",
 "parse_cases": [
  {
   "raw_id": "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "communicationUser",
   "properties": {
    "id": "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130"
   }
  },
  {
   "raw_id": "8:spool:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "communicationUser",
   "properties": {
    "id": "8:spool:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130"
   }
  },
  {
   "raw_id": "8:dod-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "communicationUser",
   "properties": {
    "id": "8:dod-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130"
   }
  },
  {
   "raw_id": "8:gcch-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "communicationUser",
   "properties": {
    "id": "8:gcch-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130"
   }
  },
  {
   "raw_id": "8:acs:something",
   "kind": "communicationUser",
   "properties": {
    "id": "8:acs:something"
   }
  },
  {
   "raw_id": "someFutureFormat",
   "direction": "construct-only",
   "kind": "communicationUser",
   "properties": {
    "id": "someFutureFormat"
   },
   "note": "CommunicationUserIdentifier(id=...) raw id is the id verbatim"
  },
  {
   "raw_id": "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "PUBLIC",
    "is_anonymous": false
   }
  },
  {
   "raw_id": "8:dod:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "DOD",
    "is_anonymous": false
   }
  },
  {
   "raw_id": "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "GCCH",
    "is_anonymous": false
   }
  },
  {
   "raw_id": "8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "PUBLIC",
    "is_anonymous": true
   }
  },
  {
   "raw_id": "8:orgid:legacyFormat",
   "kind": "microsoftTeamsUser",
   "properties": {
    "user_id": "legacyFormat",
    "cloud": "PUBLIC",
    "is_anonymous": false
   }
  },
  {
   "raw_id": "28:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsApp",
   "properties": {
    "app_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "PUBLIC"
   }
  },
  {
   "raw_id": "28:dod:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsApp",
   "properties": {
    "app_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "DOD"
   }
  },
  {
   "raw_id": "28:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "microsoftTeamsApp",
   "properties": {
    "app_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "cloud": "GCCH"
   }
  },
  {
   "raw_id": "4:+112345556789",
   "kind": "phoneNumber",
   "properties": {
    "value": "+112345556789",
    "is_anonymous": false
   }
  },
  {
   "raw_id": "4:112345556789",
   "kind": "phoneNumber",
   "properties": {
    "value": "112345556789"
   }
  },
  {
   "raw_id": "4:otherFormat",
   "kind": "phoneNumber",
   "properties": {
    "value": "otherFormat"
   }
  },
  {
   "raw_id": "4:207ffef6-9444-41fb-92ab-20eacaae2768",
   "kind": "phoneNumber",
   "properties": {
    "value": "207ffef6-9444-41fb-92ab-20eacaae2768"
   }
  },
  {
   "raw_id": "4:207ffef6-9444-41fb-92ab-20eacaae2768_207ffef6-9444-41fb-92ab-20eacaae2768",
   "kind": "phoneNumber",
   "properties": {
    "value": "207ffef6-9444-41fb-92ab-20eacaae2768_207ffef6-9444-41fb-92ab-20eacaae2768",
    "asserted_id": "present (test checks presence/equality only)"
   }
  },
  {
   "raw_id": "4:anonymous",
   "kind": "phoneNumber",
   "properties": {
    "value": "anonymous",
    "is_anonymous": true
   }
  },
  {
   "raw_id": "8:acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "teamsExtensionUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "tenant_id": "tenant123",
    "resource_id": "resource123",
    "cloud": "PUBLIC"
   },
   "note": "THREE '_'-separated parts after 8:acs: => Teams extension user, two parts => communication user"
  },
  {
   "raw_id": "8:dod-acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "teamsExtensionUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "tenant_id": "tenant123",
    "resource_id": "resource123",
    "cloud": "DOD"
   }
  },
  {
   "raw_id": "8:gcch-acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130",
   "kind": "teamsExtensionUser",
   "properties": {
    "user_id": "45ab2481-1c1c-4005-be24-0ffb879b1130",
    "tenant_id": "tenant123",
    "resource_id": "resource123",
    "cloud": "GCCH"
   }
  },
  {
   "raw_id": "28:ag08-global:01234567-89ab-cdef-0123-456789abcdef",
   "kind": "unknown",
   "properties": {
    "identifier": "28:ag08-global:01234567-89ab-cdef-0123-456789abcdef"
   }
  },
  {
   "raw_id": "",
   "kind": "unknown",
   "properties": {
    "identifier": ""
   }
  },
  {
   "raw_id": null,
   "error": "identifier_from_raw_id(None) raises"
  }
 ],
 "construct_cases": [
  {
   "construct": "MicrosoftTeamsUserIdentifier(user_id=G, raw_id='8:orgid:legacyFormat')",
   "raw_id": "8:orgid:legacyFormat",
   "note": "explicit raw_id wins"
  },
  {
   "construct": "PhoneNumberIdentifier(value='+112345556789', raw_id='4:otherFormat')",
   "raw_id": "4:otherFormat"
  },
  {
   "construct": "TeamsExtensionUserIdentifier(..., raw_id='8:extension:legacyFormat')",
   "raw_id": "8:extension:legacyFormat"
  }
 ],
 "roundtrip": [
  "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:spool:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:dod-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:gcch-acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:acs:something",
  "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:dod:45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:orgid:legacyFormat",
  "4:+112345556789",
  "4:112345556789",
  "4:otherFormat",
  "4:anonymous",
  "4:207ffef6-9444-41fb-92ab-20eacaae2768",
  "4:207ffef6-9444-41fb-92ab-20eacaae2768_207ffef6-9444-41fb-92ab-20eacaae2768",
  "4:+112345556789_207ffef6-9444-41fb-92ab-20eacaae2768",
  "28:45ab2481-1c1c-4005-be24-0ffb879b1130",
  "28:gcch-global:01234567-89ab-cdef-0123-456789abcdef",
  "28:dod-global:01234567-89ab-cdef-0123-456789abcdef",
  "28:orgid:01234567-89ab-cdef-0123-456789abcdef",
  "28:gcch:01234567-89ab-cdef-0123-456789abcdef",
  "28:dod:01234567-89ab-cdef-0123-456789abcdef",
  "",
  "8:acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:dod-acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130",
  "8:gcch-acs:resource123_tenant123_45ab2481-1c1c-4005-be24-0ffb879b1130"
 ],
 "observed_service_ids": {
  "facts": [
   "service-issued ids: 8:acs:<resource GUID lower-case>_<user part>; user part is GUID-shaped and begins '0000000' + one hex digit (5,6,7,8,b,c observed), e.g. 00000005-14a2-493b-8a72-5a3a0d000081, 00000007-db1b-b5ce-6032-3b3a0d0048e4",
   "length 79 for public cloud (java record Content-Length 101 for {\"identity\":{\"id\":\"...\"}})",
   "in URL paths the ':' are percent-encoded as %3A by the SDKs (nock recordings: /identities/8%3Aacs%3A<...>/:issueAccessToken); the action suffix ':issueAccessToken' keeps its literal ':'"
  ],
  "examples": [
   "8:acs:8d0de54a-ca74-4b37-89ea-75a8ab565166_00000005-2f36-6ea0-6a0b-343a0d00003c",
   "8:acs:ec403bbc-89a0-4037-a140-7ed471abd0e5_00000007-db1b-b5ce-6032-3b3a0d0048e4",
   "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081 (spec examples)"
  ],
  "sources": [
   "Azure/azure-sdk-for-js (historical nock recordings, located by text search)",
   "Azure/azure-sdk-for-java:sdk/communication/azure-communication-identity/src/test/resources/session-records/CommunicationIdentityAsyncTests.createUser.json",
   "Azure/azure-rest-api-specs:specification/communication/data-plane/Identity/examples/2026-09-23/IdentityOperations_Create.json"
  ]
 },
 "equality": "identifiers compare equal by raw id; TeamsUser(cloud GCCH) != TeamsUser(cloud DOD); TeamsUser anonymous != non-anonymous"
}"#;

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("embedded vectors are valid JSON")
}

fn cloud(name: &str) -> CommunicationCloudEnvironment {
    name.parse().expect("vector cloud is public/dod/gcch")
}

fn str_prop<'a>(props: &'a Value, name: &str) -> &'a str {
    props[name]
        .as_str()
        .unwrap_or_else(|| panic!("vector property {name} missing"))
}

/// Checks one parse case: kind and every recorded property.
fn check_parse_case(case: &Value) {
    let raw = case["raw_id"].as_str().expect("raw_id is a string");
    let kind = case["kind"].as_str().expect("kind");
    let props = &case["properties"];
    let id = CommunicationIdentifier::from_raw_id(raw);
    assert_eq!(id.kind(), kind, "kind of {raw:?}");
    assert_eq!(id.raw_id(), raw, "raw id of {raw:?}");
    assert_eq!(id.to_string(), raw);
    match &id {
        CommunicationIdentifier::CommunicationUser(user) => {
            assert_eq!(user.id(), str_prop(props, "id"));
        }
        CommunicationIdentifier::MicrosoftTeamsUser(user) => {
            assert_eq!(user.user_id(), str_prop(props, "user_id"));
            assert_eq!(user.cloud(), cloud(str_prop(props, "cloud")));
            assert_eq!(
                user.is_anonymous(),
                props["is_anonymous"].as_bool().unwrap()
            );
        }
        CommunicationIdentifier::MicrosoftTeamsApp(app) => {
            assert_eq!(app.app_id(), str_prop(props, "app_id"));
            assert_eq!(app.cloud(), cloud(str_prop(props, "cloud")));
        }
        CommunicationIdentifier::PhoneNumber(phone) => {
            assert_eq!(phone.phone_number(), str_prop(props, "value"));
            if let Some(anonymous) = props["is_anonymous"].as_bool() {
                assert_eq!(phone.is_anonymous(), anonymous, "{raw}");
            }
            if props.get("asserted_id").is_some() {
                // The vector records presence only; the rule is "text after the last '_'".
                let expected = raw.rsplit_once('_').map(|(_, a)| a);
                assert!(expected.is_some());
                assert_eq!(phone.asserted_id(), expected, "{raw}");
            } else {
                assert_eq!(phone.asserted_id(), None, "{raw}");
            }
        }
        CommunicationIdentifier::TeamsExtensionUser(user) => {
            assert_eq!(user.user_id(), str_prop(props, "user_id"));
            assert_eq!(user.tenant_id(), str_prop(props, "tenant_id"));
            assert_eq!(user.resource_id(), str_prop(props, "resource_id"));
            assert_eq!(user.cloud(), cloud(str_prop(props, "cloud")));
        }
        CommunicationIdentifier::Unknown(unknown) => {
            assert_eq!(unknown.id(), str_prop(props, "identifier"));
        }
        other => panic!("unexpected kind {}", other.kind()),
    }

    // Serde round trip through the wire model keeps the raw id and the kind.
    let json = serde_json::to_value(&id).unwrap();
    assert_eq!(json["rawId"], raw);
    assert_eq!(json["kind"], kind);
    let back: CommunicationIdentifier = serde_json::from_value(json).unwrap();
    assert_eq!(back, id);
    assert_eq!(back.kind(), kind);
}

#[test]
fn every_parse_case() {
    let vectors = vectors();
    let cases = vectors["parse_cases"].as_array().unwrap();
    let mut checked = 0;
    for case in cases {
        match case.get("direction").and_then(Value::as_str) {
            Some("construct-only") => {
                // CommunicationUserIdentifier(id) has the id verbatim as raw id.
                let raw = case["raw_id"].as_str().unwrap();
                let user = acs_common::CommunicationUserIdentifier::new(raw);
                let id = CommunicationIdentifier::from(user);
                assert_eq!(id.raw_id(), str_prop(&case["properties"], "id"));
                assert_eq!(id.kind(), case["kind"].as_str().unwrap());
                checked += 1;
            }
            _ if case["raw_id"].is_null() => {
                // Rust's &str cannot be null; the analogue is a wire model with a
                // null rawId and no property, which must be rejected.
                let err = serde_json::from_str::<CommunicationIdentifier>(r#"{"rawId":null}"#)
                    .unwrap_err();
                assert!(err.to_string().contains("rawId"), "{err}");
                checked += 1;
            }
            _ => {
                check_parse_case(case);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, cases.len());
    assert_eq!(checked, 26, "vector file changed: review the new cases");
}

#[test]
fn every_roundtrip_case() {
    let vectors = vectors();
    let cases = vectors["roundtrip"].as_array().unwrap();
    for raw in cases {
        let raw = raw.as_str().unwrap();
        let id: CommunicationIdentifier = raw.parse().unwrap();
        assert_eq!(id.to_string(), raw);
        assert_eq!(id.raw_id(), raw);
        // Rebuilding from the typed parts (no explicit raw id) gives the same string.
        let rebuilt = match &id {
            CommunicationIdentifier::MicrosoftTeamsUser(user) => {
                MicrosoftTeamsUserIdentifier::new(user.user_id())
                    .unwrap()
                    .with_cloud(user.cloud())
                    .with_anonymous(user.is_anonymous())
                    .raw_id()
                    .to_owned()
            }
            CommunicationIdentifier::PhoneNumber(phone) => {
                PhoneNumberIdentifier::new(phone.phone_number())
                    .unwrap()
                    .raw_id()
                    .to_owned()
            }
            CommunicationIdentifier::TeamsExtensionUser(user) => TeamsExtensionUserIdentifier::new(
                user.user_id(),
                user.tenant_id(),
                user.resource_id(),
            )
            .unwrap()
            .with_cloud(user.cloud())
            .raw_id()
            .to_owned(),
            other => other.raw_id().to_owned(),
        };
        assert_eq!(rebuilt, raw);
    }
    assert_eq!(cases.len(), 27);
}

#[test]
fn every_construct_case() {
    let vectors = vectors();
    let cases = vectors["construct_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    let g = "45ab2481-1c1c-4005-be24-0ffb879b1130";

    let teams = MicrosoftTeamsUserIdentifier::new(g)
        .unwrap()
        .with_raw_id("8:orgid:legacyFormat")
        .unwrap();
    assert_eq!(teams.raw_id(), cases[0]["raw_id"].as_str().unwrap());
    assert_eq!(teams.user_id(), g);

    let phone = PhoneNumberIdentifier::new("+112345556789")
        .unwrap()
        .with_raw_id("4:otherFormat")
        .unwrap();
    assert_eq!(phone.raw_id(), cases[1]["raw_id"].as_str().unwrap());
    assert_eq!(phone.phone_number(), "+112345556789");

    let extension = TeamsExtensionUserIdentifier::new(g, "tenant", "resource")
        .unwrap()
        .with_raw_id("8:extension:legacyFormat")
        .unwrap();
    assert_eq!(extension.raw_id(), cases[2]["raw_id"].as_str().unwrap());
    // The explicit raw id survives later builder calls.
    let extension = extension.with_cloud(CommunicationCloudEnvironment::Dod);
    assert_eq!(extension.raw_id(), "8:extension:legacyFormat");
    assert_eq!(extension.cloud(), CommunicationCloudEnvironment::Dod);
}

#[test]
fn equality_rules() {
    let g = "45ab2481-1c1c-4005-be24-0ffb879b1130";
    let user = |cloud, anonymous| {
        CommunicationIdentifier::from(
            MicrosoftTeamsUserIdentifier::new(g)
                .unwrap()
                .with_cloud(cloud)
                .with_anonymous(anonymous),
        )
    };
    use CommunicationCloudEnvironment::{Dod, Gcch, Public};
    assert_ne!(user(Gcch, false), user(Dod, false));
    assert_ne!(user(Public, true), user(Public, false));
    assert_eq!(user(Gcch, false), user(Gcch, false));
    // Equal by raw id, whatever kind it was built as.
    assert_eq!(
        user(Public, false),
        CommunicationIdentifier::Unknown(acs_common::UnknownIdentifier::new(format!(
            "8:orgid:{g}"
        )))
    );
}

#[test]
fn observed_service_ids_are_communication_users() {
    let vectors = vectors();
    let examples = vectors["observed_service_ids"]["examples"]
        .as_array()
        .unwrap();
    for example in examples {
        let raw = example.as_str().unwrap().split(' ').next().unwrap();
        let id = CommunicationIdentifier::from_raw_id(raw);
        assert_eq!(id.kind(), "communicationUser", "{raw}");
        assert_eq!(id.raw_id(), raw);
    }
}
