//! Raw-id parsing (the JS 2.5 / .NET test cases), building, equality and
//! the ACS wire model.

use acs_common::{
    CommunicationCloudEnvironment, CommunicationIdentifier, CommunicationUserIdentifier,
    MicrosoftTeamsAppIdentifier, MicrosoftTeamsUserIdentifier, PhoneNumberIdentifier,
    TeamsExtensionUserIdentifier, UnknownIdentifier,
};
use serde_json::json;
use std::collections::HashSet;

const G: &str = "45ab2481-1c1c-4005-be24-0ffb879b1130";
const APP: &str = "01234567-89ab-cdef-0123-456789abcdef";
const JS_THREE_PARTS: &str = "52a5e676-39a3-4f45-a8ed-5a162dbbd7eb_cdc5aeea-15c5-4db6-b079-fcadd2505dc2_cab309e5-a2e7-4ac8-b04e-5fadc3aa90fa";
const ACS_SUFFIX: &str =
    "bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130";

fn parse(raw: &str) -> CommunicationIdentifier {
    CommunicationIdentifier::from_raw_id(raw)
}

#[test]
fn js_round_trip_list_and_kinds() {
    let cases = [
        (format!("8:acs:{JS_THREE_PARTS}"), "teamsExtensionUser"),
        (
            "8:acs:52a5e676-39a3-4f45-a8ed-5a162dbbd7eb_ext_cdc5aeea-15c5-4db6-b079-fcadd2505dc2_cab309e5-a2e7-4ac8-b04e-5fadc3aa90fa".to_owned(),
            "communicationUser",
        ),
        (format!("8:acs:{ACS_SUFFIX}"), "communicationUser"),
        (format!("8:spool:{ACS_SUFFIX}"), "communicationUser"),
        (format!("8:dod-acs:{ACS_SUFFIX}"), "communicationUser"),
        (format!("8:gcch-acs:{ACS_SUFFIX}"), "communicationUser"),
        ("8:acs:something".to_owned(), "communicationUser"),
        (format!("8:orgid:{G}"), "microsoftTeamsUser"),
        (format!("8:dod:{G}"), "microsoftTeamsUser"),
        (format!("8:gcch:{G}"), "microsoftTeamsUser"),
        (format!("8:teamsvisitor:{G}"), "microsoftTeamsUser"),
        ("8:orgid:legacyFormat".to_owned(), "microsoftTeamsUser"),
        ("4:112345556789".to_owned(), "phoneNumber"),
        ("4:+112345556789".to_owned(), "phoneNumber"),
        ("4:207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(), "phoneNumber"),
        (
            "4:207ffef6-9444-41fb-92ab-20eacaae2768_207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(),
            "phoneNumber",
        ),
        ("4:+112345556789_207ffef6-9444-41fb-92ab-20eacaae2768".to_owned(), "phoneNumber"),
        (format!("28:{G}"), "unknown"),
        (format!("28:gcch-global:{APP}"), "unknown"),
        (format!("28:dod-global:{APP}"), "unknown"),
        (format!("28:ag09-global:{APP}"), "unknown"),
        (format!("28:gal-global:{APP}"), "unknown"),
        (format!("28:orgid:{APP}"), "microsoftTeamsApp"),
        (format!("28:gcch:{APP}"), "microsoftTeamsApp"),
        (format!("28:dod:{APP}"), "microsoftTeamsApp"),
        (format!("48:{G}"), "unknown"),
        (String::new(), "unknown"),
    ];
    for (raw, kind) in cases {
        let id = parse(&raw);
        assert_eq!(id.kind(), kind, "{raw:?}");
        assert_eq!(id.to_string(), raw);
    }
}

#[test]
fn three_part_acs_suffix_is_a_teams_extension_user_in_each_cloud() {
    for (prefix, cloud) in [
        ("8:acs:", CommunicationCloudEnvironment::Public),
        ("8:dod-acs:", CommunicationCloudEnvironment::Dod),
        ("8:gcch-acs:", CommunicationCloudEnvironment::Gcch),
    ] {
        let raw = format!("{prefix}{JS_THREE_PARTS}");
        let CommunicationIdentifier::TeamsExtensionUser(user) = parse(&raw) else {
            panic!("{raw} is a Teams extension user");
        };
        assert_eq!(user.resource_id(), "52a5e676-39a3-4f45-a8ed-5a162dbbd7eb");
        assert_eq!(user.tenant_id(), "cdc5aeea-15c5-4db6-b079-fcadd2505dc2");
        assert_eq!(user.user_id(), "cab309e5-a2e7-4ac8-b04e-5fadc3aa90fa");
        assert_eq!(user.cloud(), cloud);
    }
    // 8:spool: is never a Teams extension user.
    assert_eq!(
        parse(&format!("8:spool:{JS_THREE_PARTS}")).kind(),
        "communicationUser"
    );
    // An empty part is not a valid Teams extension user: kept as an ACS user.
    let raw = "8:acs:resource__user";
    let id = parse(raw);
    assert_eq!(id.kind(), "communicationUser");
    assert_eq!(id.raw_id(), raw);
}

#[test]
fn dotnet_teams_extension_user_build_case() {
    let user = TeamsExtensionUserIdentifier::new(
        "207ffef6-9444-41fb-92ab-20eacaae2768",
        G,
        "bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd",
    )
    .unwrap();
    assert_eq!(user.cloud(), CommunicationCloudEnvironment::Public);
    assert_eq!(
        user.raw_id(),
        "8:acs:bbbcbc1e-9f06-482a-b5d8-20e3f26ef0cd_45ab2481-1c1c-4005-be24-0ffb879b1130_207ffef6-9444-41fb-92ab-20eacaae2768"
    );
    let gcch = user.with_cloud(CommunicationCloudEnvironment::Gcch);
    assert!(gcch.raw_id().starts_with("8:gcch-acs:bbbcbc1e"));
}

#[test]
fn exactly_three_colon_segments() {
    // Current .NET / JS 2.5 rule: more segments are Unknown (Python 1.5 would say Teams user "a:b").
    assert_eq!(parse("8:orgid:a:b").kind(), "unknown");
    assert_eq!(parse("8:acs:a:b").kind(), "unknown");
    assert_eq!(parse("8:orgid").kind(), "unknown");
    assert_eq!(parse("8").kind(), "unknown");
    // Empty id after a known prefix: Unknown, raw id kept.
    for raw in ["8:orgid:", "28:dod:", "8:teamsvisitor:", "4:"] {
        let id = parse(raw);
        assert_eq!(id.kind(), "unknown", "{raw}");
        assert_eq!(id.raw_id(), raw);
    }
    // "4:" wins over the segment rule: phone values may contain ':'.
    assert_eq!(parse("4:a:b:c").kind(), "phoneNumber");
}

#[test]
fn phone_number_details() {
    let CommunicationIdentifier::PhoneNumber(phone) = parse("4:+112345556789_207ffef6") else {
        panic!("phone");
    };
    assert_eq!(phone.phone_number(), "+112345556789_207ffef6");
    assert_eq!(phone.asserted_id(), Some("207ffef6"));
    assert!(!phone.is_anonymous());

    let CommunicationIdentifier::PhoneNumber(anonymous) = parse("4:anonymous") else {
        panic!("phone");
    };
    assert!(anonymous.is_anonymous());
    assert_eq!(anonymous.asserted_id(), None);

    // A trailing '_' is not an asserted id; the text after the *last* '_' is.
    let trailing = PhoneNumberIdentifier::new("+1_").unwrap();
    assert_eq!(trailing.asserted_id(), None);
    let two = PhoneNumberIdentifier::new("+1_a_b").unwrap();
    assert_eq!(two.asserted_id(), Some("b"));

    // The '+' is kept exactly as given (user pain #11).
    assert_eq!(
        PhoneNumberIdentifier::new("112345556789").unwrap().raw_id(),
        "4:112345556789"
    );
    assert_eq!(
        PhoneNumberIdentifier::new("+112345556789")
            .unwrap()
            .raw_id(),
        "4:+112345556789"
    );
}

#[test]
fn js_build_only_cases() {
    let visitor = MicrosoftTeamsUserIdentifier::new(G)
        .unwrap()
        .with_anonymous(true);
    assert_eq!(visitor.raw_id(), format!("8:teamsvisitor:{G}"));
    // Anonymous wins over the cloud.
    let visitor = visitor.with_cloud(CommunicationCloudEnvironment::Dod);
    assert_eq!(visitor.raw_id(), format!("8:teamsvisitor:{G}"));

    let phone = PhoneNumberIdentifier::new("otherFormat")
        .unwrap()
        .with_raw_id("4:207ffef6-9444-41fb-92ab-20eacaae2768")
        .unwrap();
    assert_eq!(phone.raw_id(), "4:207ffef6-9444-41fb-92ab-20eacaae2768");

    let user = CommunicationUserIdentifier::new("someFutureFormat");
    assert_eq!(
        CommunicationIdentifier::from(user).raw_id(),
        "someFutureFormat"
    );

    let app = MicrosoftTeamsAppIdentifier::new(APP).unwrap();
    assert_eq!(app.raw_id(), format!("28:orgid:{APP}"));
    assert_eq!(
        app.with_cloud(CommunicationCloudEnvironment::Gcch).raw_id(),
        format!("28:gcch:{APP}")
    );
}

#[test]
fn empty_parts_are_errors_not_panics() {
    let errors = [
        PhoneNumberIdentifier::new("").unwrap_err(),
        PhoneNumberIdentifier::new("+1")
            .unwrap()
            .with_raw_id("")
            .unwrap_err(),
        MicrosoftTeamsUserIdentifier::new("").unwrap_err(),
        MicrosoftTeamsUserIdentifier::new("a")
            .unwrap()
            .with_raw_id("")
            .unwrap_err(),
        MicrosoftTeamsAppIdentifier::new("").unwrap_err(),
        MicrosoftTeamsAppIdentifier::new("a")
            .unwrap()
            .with_raw_id("")
            .unwrap_err(),
        TeamsExtensionUserIdentifier::new("", "t", "r").unwrap_err(),
        TeamsExtensionUserIdentifier::new("u", "", "r").unwrap_err(),
        TeamsExtensionUserIdentifier::new("u", "t", "").unwrap_err(),
        TeamsExtensionUserIdentifier::new("u", "t", "r")
            .unwrap()
            .with_raw_id("")
            .unwrap_err(),
    ];
    for error in errors {
        assert!(
            error
                .downcast_ref::<acs_common::InvalidArgument>()
                .is_some(),
            "expected an InvalidArgument, got {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("must not be empty") && message.contains("expected"),
            "{message}"
        );
    }
    let message = TeamsExtensionUserIdentifier::new("u", "", "r")
        .unwrap_err()
        .to_string();
    assert!(message.contains("tenant_id"), "{message}");
}

#[test]
fn communication_user_conversions() {
    let raw = format!("8:acs:{ACS_SUFFIX}");
    let user = CommunicationUserIdentifier::new(raw.clone());
    let id: CommunicationIdentifier = user.clone().into();
    assert_eq!(CommunicationIdentifier::from(&user), id);
    assert_eq!(id, parse(&raw));
    assert_eq!(CommunicationUserIdentifier::try_from(id).unwrap(), user);

    let error = CommunicationUserIdentifier::try_from(parse("4:+1")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("expected a communicationUser identifier")
            && message.contains("phoneNumber"),
        "{message}"
    );
    assert!(PhoneNumberIdentifier::try_from(parse("4:+1")).is_ok());
    assert!(MicrosoftTeamsUserIdentifier::try_from(parse("8:orgid:x")).is_ok());
    assert!(MicrosoftTeamsAppIdentifier::try_from(parse("28:orgid:x")).is_ok());
    assert!(TeamsExtensionUserIdentifier::try_from(parse("8:acs:r_t_u")).is_ok());
    assert!(UnknownIdentifier::try_from(parse("48:x")).is_ok());
}

#[test]
fn hash_and_eq_by_raw_id() {
    let mut set = HashSet::new();
    set.insert(parse(&format!("8:orgid:{G}")));
    set.insert(CommunicationIdentifier::from(
        MicrosoftTeamsUserIdentifier::new(G).unwrap(),
    ));
    set.insert(CommunicationIdentifier::Unknown(UnknownIdentifier::new(
        format!("8:orgid:{G}"),
    )));
    assert_eq!(set.len(), 1);
    set.insert(parse(&format!("8:dod:{G}")));
    assert_eq!(set.len(), 2);

    // Typed identifiers also compare by raw id.
    let a = MicrosoftTeamsUserIdentifier::new(G).unwrap();
    let b = MicrosoftTeamsUserIdentifier::new("other")
        .unwrap()
        .with_raw_id(format!("8:orgid:{G}"))
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.to_string(), format!("8:orgid:{G}"));
}

#[test]
fn from_str_is_infallible() {
    let id: CommunicationIdentifier = "anything at all".parse().unwrap();
    assert_eq!(id.kind(), "unknown");
}

mod wire {
    use super::*;

    fn de(value: serde_json::Value) -> CommunicationIdentifier {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn serialises_each_kind() {
        let cases = [
            (
                parse("8:acs:r_u"),
                json!({"rawId": "8:acs:r_u", "kind": "communicationUser", "communicationUser": {"id": "8:acs:r_u"}}),
            ),
            (
                parse("4:+1425_abc"),
                json!({"rawId": "4:+1425_abc", "kind": "phoneNumber", "phoneNumber": {"value": "+1425_abc", "assertedId": "abc"}}),
            ),
            (
                parse("4:anonymous"),
                json!({"rawId": "4:anonymous", "kind": "phoneNumber", "phoneNumber": {"value": "anonymous", "isAnonymous": true}}),
            ),
            (
                parse("8:teamsvisitor:v"),
                json!({"rawId": "8:teamsvisitor:v", "kind": "microsoftTeamsUser", "microsoftTeamsUser": {"userId": "v", "isAnonymous": true, "cloud": "public"}}),
            ),
            (
                parse("28:gcch:app"),
                json!({"rawId": "28:gcch:app", "kind": "microsoftTeamsApp", "microsoftTeamsApp": {"appId": "app", "cloud": "gcch"}}),
            ),
            (
                parse("8:dod-acs:r_t_u"),
                json!({"rawId": "8:dod-acs:r_t_u", "kind": "teamsExtensionUser", "teamsExtensionUser": {"userId": "u", "tenantId": "t", "resourceId": "r", "cloud": "dod"}}),
            ),
            (parse("48:x"), json!({"rawId": "48:x", "kind": "unknown"})),
        ];
        for (id, expected) in cases {
            assert_eq!(serde_json::to_value(&id).unwrap(), expected);
            let back = de(expected);
            assert_eq!(back, id);
            assert_eq!(back.kind(), id.kind());
        }
    }

    #[test]
    fn missing_kind_is_inferred_from_the_property() {
        let id = de(json!({"rawId": "8:orgid:u", "microsoftTeamsUser": {"userId": "u"}}));
        let CommunicationIdentifier::MicrosoftTeamsUser(user) = id else {
            panic!("teams user")
        };
        assert_eq!(user.cloud(), CommunicationCloudEnvironment::Public);
        assert!(!user.is_anonymous());

        let id = de(json!({"communicationUser": {"id": "8:acs:r_u"}}));
        assert_eq!(id.raw_id(), "8:acs:r_u");
        let id = de(json!({"phoneNumber": {"value": "+1425"}}));
        assert_eq!(id.raw_id(), "4:+1425");
        let id = de(json!({"microsoftTeamsApp": {"appId": "a", "cloud": "dod"}}));
        assert_eq!(id.raw_id(), "28:dod:a");
        let id =
            de(json!({"teamsExtensionUser": {"userId": "u", "tenantId": "t", "resourceId": "r"}}));
        assert_eq!(id.raw_id(), "8:acs:r_t_u");
    }

    #[test]
    fn falls_back_to_the_raw_id() {
        // No kind, no property: parse the raw id.
        let id = de(json!({"rawId": "8:gcch:u"}));
        assert_eq!(id.kind(), "microsoftTeamsUser");
        // Kind without its property, or with unusable fields: parse the raw id.
        let id = de(json!({"rawId": "4:+1", "kind": "phoneNumber"}));
        assert_eq!(id.kind(), "phoneNumber");
        let id = de(
            json!({"rawId": "28:orgid:a", "kind": "microsoftTeamsApp", "microsoftTeamsApp": {"cloud": "public"}}),
        );
        assert_eq!(id.kind(), "microsoftTeamsApp");
        let id = de(
            json!({"rawId": "28:ag08-global:a", "microsoftTeamsApp": {"appId": "a", "cloud": "ag08"}}),
        );
        assert_eq!(id.kind(), "unknown");
        // Explicit "unknown" and kinds newer than this crate keep the raw id as Unknown.
        let id = de(json!({"rawId": "8:acs:r_u", "kind": "unknown"}));
        assert_eq!(id.kind(), "unknown");
        assert_eq!(id.raw_id(), "8:acs:r_u");
        let id = de(
            json!({"rawId": "99:new:thing", "kind": "microsoftTeamsBotV9", "microsoftTeamsBotV9": {}}),
        );
        assert_eq!(id.kind(), "unknown");
        assert_eq!(id.raw_id(), "99:new:thing");
    }

    #[test]
    fn explicit_raw_id_wins_and_details_are_read() {
        let id = de(
            json!({"rawId": "8:orgid:legacyFormat", "kind": "microsoftTeamsUser", "microsoftTeamsUser": {"userId": G, "cloud": "public"}}),
        );
        assert_eq!(id.raw_id(), "8:orgid:legacyFormat");
        let CommunicationIdentifier::MicrosoftTeamsUser(user) = id else {
            panic!()
        };
        assert_eq!(user.user_id(), G);

        let id = de(
            json!({"rawId": "4:+1", "phoneNumber": {"value": "+1", "isAnonymous": true, "assertedId": "x"}}),
        );
        let CommunicationIdentifier::PhoneNumber(phone) = id else {
            panic!()
        };
        assert!(phone.is_anonymous());
        assert_eq!(phone.asserted_id(), Some("x"));
        // Unknown fields are ignored.
        let id = de(json!({"rawId": "48:x", "someFutureField": 1}));
        assert_eq!(id.raw_id(), "48:x");
    }

    #[test]
    fn invalid_models_are_errors() {
        for value in [
            json!({}),
            json!({"rawId": null}),
            json!({"kind": "unknown"}),
            json!({"kind": "phoneNumber", "phoneNumber": {}}),
            json!({"communicationUser": {"id": "a"}, "phoneNumber": {"value": "+1"}}),
            json!("8:acs:r_u"),
            json!({"rawId": 5}),
        ] {
            let result = serde_json::from_value::<CommunicationIdentifier>(value.clone());
            assert!(result.is_err(), "{value} should not deserialise");
        }
        let message = serde_json::from_value::<CommunicationIdentifier>(
            json!({"communicationUser": {"id": "a"}, "phoneNumber": {"value": "+1"}}),
        )
        .unwrap_err()
        .to_string();
        assert!(message.contains("only one of"), "{message}");
    }

    #[test]
    fn cloud_serde() {
        assert_eq!(
            serde_json::to_value(CommunicationCloudEnvironment::Dod).unwrap(),
            json!("dod")
        );
        let cloud: CommunicationCloudEnvironment = serde_json::from_value(json!("gcch")).unwrap();
        assert_eq!(cloud, CommunicationCloudEnvironment::Gcch);
        assert_eq!(
            "PUBLIC".parse::<CommunicationCloudEnvironment>().unwrap(),
            CommunicationCloudEnvironment::Public
        );
        let message = "ag08"
            .parse::<CommunicationCloudEnvironment>()
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("expected \"public\", \"dod\" or \"gcch\""),
            "{message}"
        );
    }
}
