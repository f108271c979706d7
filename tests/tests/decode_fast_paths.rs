//! The fast paths of decoding give what the general ones give: a union read in one pass when
//! its tag comes first decodes as it does with the tag anywhere else (unknown tags, repeated
//! tags and fields that do not fit included); the crate's `from_str`, which reads every union in
//! one pass and reads the text again when one cannot be, gives what `serde_json::from_str` gives,
//! value or error, on any page; and a `date-time` read digit by digit is what chrono reads, or
//! chrono's own error.

use devrev_client::chrono::{DateTime, Utc};
use devrev_client::types::{
    DateTimeFilter, ErrorBadRequest, ErrorBadRequestKind, OrgSummary, RevUser,
    RevUsersScanResponse, UserState, UserSummary,
};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The properties of one user summary of each kind, without the tag, as JSON text.
const SUMMARIES: [(&str, &str); 4] = [
    (
        "dev_user",
        r#""id": "u1", "display_name": "Ada", "state": "active""#,
    ),
    (
        "rev_user",
        r#""id": "u2", "rev_org": {"type": "rev_org", "id": "o1"}, "external_ref": "x""#,
    ),
    ("service_account", r#""id": "u3", "full_name": "Bot""#),
    ("sys_user", r#""id": "u4", "email": "sys@example.com""#),
];

/// `{"type": tag, ...}` with the tag first, in the middle and last, with and without spaces.
fn placements(tag: &str, fields: &str) -> Vec<String> {
    let (first, rest) = fields.split_once(", ").expect("two properties or more");
    vec![
        format!(r#"{{"type":"{tag}", {fields}}}"#),
        format!("{{ \n \"type\" : \"{tag}\" , {fields} }}"),
        format!(r#"{{{first}, "type": "{tag}", {rest}}}"#),
        format!(r#"{{{fields}, "type": "{tag}"}}"#),
    ]
}

/// Decodes `json` with the crate's `from_str` and with serde's own entry point, which must give
/// the same value or the same error.
fn both<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    json: &str,
) -> Result<T, String> {
    let ours = devrev_client::from_str::<T>(json).map_err(|err| err.to_string());
    let serde = serde_json::from_str::<T>(json).map_err(|err| err.to_string());
    assert_eq!(ours, serde, "{json}");
    ours
}

fn summary(json: &str) -> UserSummary {
    both(json).unwrap_or_else(|err| panic!("{json}: {err}"))
}

#[test]
fn every_variant_decodes_by_its_tag_wherever_the_tag_is() {
    for (tag, fields) in SUMMARIES {
        let decoded: Vec<UserSummary> =
            placements(tag, fields).iter().map(|j| summary(j)).collect();
        assert_eq!(decoded[0].tag(), Some(tag));
        assert!(!matches!(decoded[0], UserSummary::Unknown(_)), "{tag}");
        for other in &decoded[1..] {
            assert_eq!(other, &decoded[0], "{tag}");
        }
        // The tag is written back, and the value reads back the same.
        let again = serde_json::to_string(&decoded[0]).unwrap();
        assert_eq!(summary(&again), decoded[0]);
    }
    let UserSummary::RevUser(user) = summary(&placements(SUMMARIES[1].0, SUMMARIES[1].1)[0]) else {
        panic!("a rev user");
    };
    assert!(matches!(user.rev_org, Some(OrgSummary::RevOrg(_))));
}

#[test]
fn a_repeated_tag_counts_with_its_last_value_wherever_the_first_is() {
    for json in [
        r#"{"type": "rev_user", "id": "u", "type": "dev_user"}"#,
        r#"{"id": "u", "type": "rev_user", "type": "dev_user"}"#,
        r#"{"type": "robot", "type": "dev_user", "id": "u"}"#,
    ] {
        assert!(
            matches!(summary(json), UserSummary::DevUser(ref user) if user.id == "u"),
            "{json}"
        );
    }
    // The kept object has the last tag, so it cannot read back as a known variant.
    let json = r#"{"type": "dev_user", "id": "u", "type": "robot"}"#;
    assert_eq!(
        summary(json),
        UserSummary::Unknown(json!({"type": "robot", "id": "u"}))
    );
}

#[test]
fn unknown_tags_keep_the_whole_object_and_round_trip() {
    let robot = json!({"type": "robot", "id": "r", "serial": [1, {"x": null}], "type2": "a"});
    for json in [
        r#"{"type": "robot", "id": "r", "serial": [1, {"x": null}], "type2": "a"}"#,
        r#"{"id": "r", "type": "robot", "serial": [1, {"x": null}], "type2": "a"}"#,
        r#"{"serial": [1, {"x": null}], "type2": "a", "id": "r", "type": "robot"}"#,
    ] {
        let decoded = summary(json);
        assert_eq!(decoded, UserSummary::Unknown(robot.clone()), "{json}");
        assert_eq!(decoded.tag(), Some("robot"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), robot);
    }
    for json in [
        r#"{"type": 1, "id": "u"}"#,
        r#"{"type": null, "id": "u"}"#,
        r#"{"id": "u"}"#,
        r#"{"ty\u0070e": "dev_user", "id": "u"}"#,
    ] {
        let expected: Value = serde_json::from_str(json).unwrap();
        let decoded = summary(json);
        if json.contains("\\u0070") {
            // An escaped key is still the tag.
            assert!(matches!(decoded, UserSummary::DevUser(_)), "{json}");
        } else {
            assert_eq!(decoded, UserSummary::Unknown(expected), "{json}");
        }
    }
}

#[test]
fn a_known_tag_whose_fields_do_not_fit_is_kept_whole() {
    for json in [
        r#"{"type": "dev_user", "id": 1, "email": "a@example.com"}"#,
        r#"{"type": "dev_user", "email": "a@example.com"}"#,
        r#"{"type": "dev_user", "id": "u", "id": "v"}"#,
        r#"{"id": 1, "type": "dev_user"}"#,
    ] {
        let expected: Value = serde_json::from_str(json).unwrap();
        let decoded = summary(json);
        if json.contains(r#""id": "v""#) {
            // Repeated fields are kept as `Value` keeps them, the last one, which fits.
            assert!(
                matches!(decoded, UserSummary::DevUser(ref u) if u.id == "v"),
                "{json}"
            );
        } else {
            assert_eq!(decoded, UserSummary::Unknown(expected), "{json}");
        }
    }
}

#[test]
fn unknown_enum_values_inside_a_tag_first_variant_are_kept() {
    let decoded = summary(r#"{"type": "dev_user", "id": "u", "state": "hibernating"}"#);
    let UserSummary::DevUser(user) = &decoded else {
        panic!("a dev user: {decoded:?}");
    };
    assert_eq!(user.state, Some(UserState::from("hibernating")));
    assert_eq!(
        user.state.as_ref().map(UserState::as_str),
        Some("hibernating")
    );
    let again = serde_json::to_value(&decoded).unwrap();
    assert_eq!(again["state"], "hibernating");
}

#[test]
fn a_union_with_shared_fields_reads_them_wherever_its_tag_is() {
    let first: ErrorBadRequest =
        both(r#"{"type": "invalid_field", "field_name": "cursor", "message": "bad"}"#).unwrap();
    let last: ErrorBadRequest =
        both(r#"{"message": "bad", "field_name": "cursor", "type": "invalid_field"}"#).unwrap();
    assert_eq!(first, last);
    assert_eq!(first.message.as_deref(), Some("bad"));
    let ErrorBadRequestKind::InvalidField(field) = &first.kind else {
        panic!("an invalid field: {first:?}");
    };
    assert_eq!(field.field_name, "cursor");
    let unknown = json!({"type": "quota_exceeded", "message": "slow down", "left": 0});
    let decoded: ErrorBadRequest = serde_json::from_value(unknown.clone()).unwrap();
    assert_eq!(decoded.kind, ErrorBadRequestKind::Unknown(unknown.clone()));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), unknown);
}

#[test]
fn unions_decode_the_same_from_a_value_and_from_a_reader() {
    for (tag, fields) in SUMMARIES {
        for json in placements(tag, fields) {
            let from_text = summary(&json);
            let value: Value = serde_json::from_str(&json).unwrap();
            assert_eq!(
                serde_json::from_value::<UserSummary>(value).unwrap(),
                from_text
            );
            let from_reader: UserSummary = serde_json::from_reader(json.as_bytes()).unwrap();
            assert_eq!(from_reader, from_text);
        }
    }
}

/// What a `date-time` property gives for `text`, as the message of its error if it fails.
fn read_date_time(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    serde_json::from_value::<DateTimeFilter>(json!({ "after": text }))
        .map(|filter| filter.after)
        .map_err(|err| err.to_string())
}

/// What chrono gives for `text`, in the same form.
fn chrono_date_time(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    text.parse::<DateTime<Utc>>()
        .map(Some)
        .map_err(|err| err.to_string())
}

#[test]
fn timestamps_read_as_chrono_reads_them() {
    for text in [
        "2024-06-09T14:35:33.758Z",
        "2024-06-09T14:35:33Z",
        "2024-06-09T14:35:33.1Z",
        "2024-06-09T14:35:33.123456789Z",
        "2024-06-09T14:35:33.1234567891Z",
        "2024-06-09T14:35:33.123456789123Z",
        "2024-06-09T14:35:33.Z",
        "2024-06-09T14:35:33+05:30",
        "2024-06-09T14:35:33.5-08:00",
        "2024-06-09T14:35:33-00:00",
        "2024-06-09T14:35:33+23:59",
        "2024-06-09T14:35:33+24:00",
        "2024-06-09T14:35:33+05:60",
        "2024-06-09T14:35:33+0530",
        "2024-06-09T14:35:33+05",
        "2024-06-09t14:35:33z",
        "2024-06-09 14:35:33Z",
        "2024-06-09T14:35:33Z ",
        "2024-06-09T14:35:33 Z",
        "2024-06-09T14:35:33UTC",
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:60.5+00:00",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-06-31T00:00:00Z",
        "2024-06-09T24:00:00Z",
        "2024-06-09T23:60:00Z",
        "0000-01-01T00:00:00+01:00",
        "0000-01-01T00:00:00-01:00",
        "9999-12-31T23:59:59-23:59",
        "+2024-06-09T14:35:33Z",
        "12024-06-09T14:35:33Z",
        "2024-6-09T14:35:33Z",
        "2024-06-09T14:35:33",
        "2024-06-09",
        "2024-06-09T14:35:33Zjunk",
        "２０２４-06-09T14:35:33Z",
        "",
    ] {
        assert_eq!(read_date_time(text), chrono_date_time(text), "{text:?}");
    }
}

#[test]
fn timestamps_of_other_types_and_null_fail_or_pass_as_before() {
    let read = |value: Value| {
        serde_json::from_value::<DateTimeFilter>(json!({ "after": value }))
            .map(|filter| filter.after)
            .map_err(|err| err.to_string())
    };
    assert_eq!(read(Value::Null), Ok(None));
    let err = read(json!(1)).expect_err("a number is no timestamp");
    assert!(err.contains("RFC 3339"), "{err}");
    let user: Result<RevUser, _> =
        serde_json::from_str(r#"{"id": "u", "created_date": "yesterday"}"#);
    let err = user.expect_err("not a timestamp").to_string();
    assert!(err.contains("input contains invalid characters"), "{err}");
    let user: RevUser =
        serde_json::from_str(r#"{"id": "u", "created_date": "2024-06-09T14:35:33.758+02:00"}"#)
            .unwrap();
    assert_eq!(
        user.created_date,
        Some("2024-06-09T12:35:33.758Z".parse().unwrap())
    );
    let repeated: Result<DateTimeFilter, _> = serde_json::from_str(
        r#"{"after": "2024-06-09T14:35:33Z", "after": "2024-06-09T14:35:33Z"}"#,
    );
    let err = repeated.expect_err("a repeated property").to_string();
    assert!(err.contains("duplicate field `after`"), "{err}");
}

proptest! {
    #[test]
    fn any_timestamp_shaped_string_reads_as_chrono_reads_it(
        text in "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,12})?(Z|z|[+-][0-2][0-9]:[0-6][0-9])?",
    ) {
        prop_assert_eq!(read_date_time(&text), chrono_date_time(&text));
    }
}

/// A JSON object as a list of properties, so that a strategy can shuffle them and repeat keys;
/// values are JSON text.
type Properties = Vec<(&'static str, String)>;

fn object(properties: Properties) -> String {
    let body: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key:?}: {value}"))
        .collect();
    format!("{{{}}}", body.join(", "))
}

/// A union's tag properties: none, one, or a repeated one; known values, an unknown one and
/// values that are no tag at all.
fn tags(known: &'static [&'static str]) -> impl Strategy<Value = Properties> {
    let value = prop_oneof![
        4 => prop::sample::select(known).prop_map(|tag| format!("{tag:?}")),
        1 => Just(r#""robot""#.to_owned()),
        1 => Just("1".to_owned()),
        1 => Just("null".to_owned()),
    ];
    prop::collection::vec(value, 0..=2)
        .prop_map(|values| values.into_iter().map(|value| ("type", value)).collect())
}

/// An optional property: absent, a value that fits, or one that does not.
fn property(
    key: &'static str,
    fits: &'static str,
    misfit: &'static str,
) -> impl Strategy<Value = Properties> {
    prop_oneof![
        1 => Just(vec![]),
        6 => Just(vec![(key, fits.to_owned())]),
        1 => Just(vec![(key, misfit.to_owned())]),
    ]
}

fn shuffled(parts: Vec<Properties>) -> impl Strategy<Value = String> {
    Just(parts.concat()).prop_shuffle().prop_map(object)
}

fn org() -> impl Strategy<Value = String> {
    (
        tags(&["rev_org"]),
        property("id", r#""o""#, "7"),
        property("display_name", r#""Org""#, "[]"),
    )
        .prop_flat_map(|(a, b, c)| shuffled(vec![a, b, c]))
}

fn user_summary() -> impl Strategy<Value = String> {
    (
        tags(&["dev_user", "rev_user", "service_account", "sys_user"]),
        property("id", r#""u""#, "1"),
        property("state", r#""active""#, "3"),
        property("email", r#""a@example.com""#, "{}"),
        prop::option::of(org()),
    )
        .prop_flat_map(|(a, b, c, d, org)| {
            let org = org.map(|org| ("rev_org", org)).into_iter().collect();
            shuffled(vec![a, b, c, d, org])
        })
}

/// A page of users whose unions have their tags anywhere or nowhere, and fields that may not
/// fit; the users' own fields always fit, but for the odd timestamp.
fn page() -> impl Strategy<Value = String> {
    let user = (
        prop::option::of(user_summary()),
        prop::option::of(user_summary()),
        prop::option::of(org()),
        property("created_date", r#""2024-06-09T14:35:33.758Z""#, r#""soon""#),
    )
        .prop_flat_map(|(created_by, primary_identity, rev_org, date)| {
            let unions = [
                ("created_by", created_by),
                ("primary_identity", primary_identity),
                ("rev_org", rev_org),
            ];
            let unions = unions
                .into_iter()
                .filter_map(|(key, value)| Some((key, value?)))
                .collect();
            shuffled(vec![vec![("id", r#""r""#.to_owned())], unions, date])
        });
    prop::collection::vec(user, 0..4).prop_map(|users| {
        format!(
            r#"{{"rev_users": [{}], "next_cursor": null}}"#,
            users.join(", ")
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_crates_from_str_reads_any_page_as_serde_does(text in page()) {
        // `both` asserts that the two entry points agree.
        let _ = both::<RevUsersScanResponse>(&text);
    }
}

#[test]
fn serdes_entry_points_read_the_captured_way_after_a_one_pass_read_gave_up() {
    // The one-pass read of this page gives up at the misfit and reads the text again; serde's
    // own entry point, called after, must still keep the misfit rather than fail.
    let text = r#"{"rev_users": [{"id": "r", "created_by": {"type": "dev_user", "id": 1}}]}"#;
    let ours: RevUsersScanResponse = devrev_client::from_str(text).unwrap();
    let serde: RevUsersScanResponse = serde_json::from_str(text).unwrap();
    assert_eq!(ours, serde);
    assert!(matches!(
        serde.rev_users[0].created_by,
        Some(UserSummary::Unknown(_))
    ));
    let summary: UserSummary = serde_json::from_str(r#"{"type": "dev_user", "id": 2}"#).unwrap();
    assert!(matches!(summary, UserSummary::Unknown(_)));
    // An error after unions that all read in one pass is the one-pass read's answer, and the
    // captured read's error too.
    let text = r#"{"rev_users": [{"id": "r", "created_by": {"type": "dev_user", "id": "u"},
        "created_date": "soon"}]}"#;
    let err = both::<RevUsersScanResponse>(text).unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}
