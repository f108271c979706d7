//! Decode throughput of one 1,000-user `rev-users-scan-response` page with the generated types,
//! against `serde_json::Value`, against plain hand-written serde types (`plain.rs`) and against
//! `IgnoredAny` (the parse floor: every byte read, nothing built) on the same bytes, in the same
//! process. The page's keys are in order, so each union's `type` comes last; the generated types
//! also decode the same page with every `type` first (`typed_tag_first`), the order most servers
//! write. Both go through the crate's `from_str`, as every response does; `typed_serde` reads the
//! tag-first page through `serde_json::from_slice`, where each union captures its text.
//!
//! The machine may be shared and noisy, so the figures that matter are ratios: every round times
//! the decoders back to back (in a rotating order) and the ratios of that round are taken; the
//! reported ratio is the median over rounds. Nothing here asserts a speed, so it cannot flake.
//!
//! `cargo bench -p tests --bench decode [-- --users N --rounds N]`; `-- --only typed --seconds S`
//! (or `--iterations N`, for callgrind) just decodes in a loop.

#[path = "../common/mod.rs"]
mod common;
mod plain;

use std::hint::black_box;
use std::time::{Duration, Instant};

use devrev_client::chrono::DateTime;
use devrev_client::types::{OrgSummary, RevUser, RevUsersScanResponse, UserState, UserSummary};

/// How long one timed sample of one decoder runs, roughly.
const SAMPLE: Duration = Duration::from_millis(60);

type Decoder = fn(&Pages);

/// The page, as generated and with every union's tag first.
struct Pages {
    sorted: Vec<u8>,
    tag_first: Vec<u8>,
}

const DECODERS: [(&str, Decoder); 6] = [
    ("typed", typed),
    ("typed_tag_first", typed_tag_first),
    ("typed_serde", typed_serde),
    ("value", value),
    ("plain", plain),
    ("ignored", ignored),
];

/// The crate's own entry point, which every response goes through.
fn decode(bytes: &[u8]) -> RevUsersScanResponse {
    devrev_client::from_str(std::str::from_utf8(bytes).unwrap()).unwrap()
}

fn typed(pages: &Pages) {
    black_box(decode(&pages.sorted));
}

fn typed_tag_first(pages: &Pages) {
    black_box(decode(&pages.tag_first));
}

/// The types through serde's own entry point, where each union captures its text.
fn typed_serde(pages: &Pages) {
    black_box(serde_json::from_slice::<RevUsersScanResponse>(&pages.tag_first).unwrap());
}

fn value(pages: &Pages) {
    black_box(serde_json::from_slice::<serde_json::Value>(&pages.sorted).unwrap());
}

fn plain(pages: &Pages) {
    black_box(serde_json::from_slice::<plain::RevUsersScanResponse>(&pages.sorted).unwrap());
}

fn ignored(pages: &Pages) {
    black_box(serde_json::from_slice::<serde::de::IgnoredAny>(&pages.sorted).unwrap());
}

/// Writes a JSON value with each object's `type` property first.
struct TagFirst<'a>(&'a serde_json::Value);

impl serde::Serialize for TagFirst<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            serde_json::Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                let (tags, rest): (Vec<_>, Vec<_>) = map.iter().partition(|(k, _)| *k == "type");
                for (key, value) in tags.into_iter().chain(rest) {
                    out.serialize_entry(key, &TagFirst(value))?;
                }
                out.end()
            }
            serde_json::Value::Array(items) => serializer.collect_seq(items.iter().map(TagFirst)),
            other => serde::Serialize::serialize(other, serializer),
        }
    }
}

fn main() {
    let users = common::arg("--users", 1000u64);
    let rounds = common::arg("--rounds", 15usize);
    let bytes = common::page(common::SEED, 0, users, users);
    check(&bytes, users);
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("the page is JSON");
    let tag_first = serde_json::to_vec(&TagFirst(&value)).expect("a Value always serialises");
    assert_eq!(tag_first.len(), bytes.len());
    assert_eq!(
        serde_json::from_slice::<RevUsersScanResponse>(&tag_first).expect("typed decode"),
        serde_json::from_slice::<RevUsersScanResponse>(&bytes).expect("typed decode"),
        "the order of the keys changes nothing"
    );
    let pages = Pages {
        sorted: bytes,
        tag_first,
    };

    let only = common::arg("--only", String::new());
    if !only.is_empty() {
        let (_, decode) = DECODERS
            .iter()
            .find(|(name, _)| *name == only)
            .expect("--only takes typed, typed_tag_first, typed_serde, value, plain or ignored");
        let iterations = common::arg("--iterations", 0u32);
        if iterations > 0 {
            for _ in 0..iterations {
                decode(&pages);
            }
            return;
        }
        let until = Instant::now() + Duration::from_secs_f64(common::arg("--seconds", 10.0));
        while Instant::now() < until {
            decode(&pages);
        }
        return;
    }

    // Each decoder gets the number of iterations that fills one sample.
    let iterations: Vec<u32> = DECODERS
        .iter()
        .map(|(_, decode)| {
            decode(&pages);
            let started = Instant::now();
            decode(&pages);
            let once = started.elapsed().max(Duration::from_micros(1));
            (SAMPLE.as_secs_f64() / once.as_secs_f64()).ceil() as u32
        })
        .collect();

    let mb = pages.sorted.len() as f64 / 1e6;
    let mut speeds: [Vec<f64>; DECODERS.len()] = Default::default();
    let mut vs_value = Vec::new();
    let mut vs_plain = Vec::new();
    let mut vs_ignored = Vec::new();
    let mut tag_first_vs_value = Vec::new();
    let mut one_pass_vs_captured = Vec::new();
    for round in 0..rounds {
        let mut speed = [0.0; DECODERS.len()];
        for k in 0..DECODERS.len() {
            let i = (round + k) % DECODERS.len();
            let started = Instant::now();
            for _ in 0..iterations[i] {
                (DECODERS[i].1)(&pages);
            }
            speed[i] = mb * f64::from(iterations[i]) / started.elapsed().as_secs_f64();
        }
        for (all, one) in speeds.iter_mut().zip(speed) {
            all.push(one);
        }
        vs_value.push(speed[0] / speed[3]);
        vs_plain.push(speed[0] / speed[4]);
        vs_ignored.push(speed[0] / speed[5]);
        tag_first_vs_value.push(speed[1] / speed[3]);
        one_pass_vs_captured.push(speed[1] / speed[2]);
    }

    common::report("decode.users", users as f64);
    common::report("decode.page_bytes", pages.sorted.len() as f64);
    common::report("decode.rounds", rounds as f64);
    for ((name, _), speeds) in DECODERS.iter().zip(&mut speeds) {
        common::report(&format!("decode.{name}_mb_s"), common::median(speeds));
    }
    common::report("decode.typed_vs_value", common::median(&mut vs_value));
    common::report("decode.typed_vs_plain", common::median(&mut vs_plain));
    common::report("decode.typed_vs_ignored", common::median(&mut vs_ignored));
    common::report(
        "decode.typed_tag_first_vs_value",
        common::median(&mut tag_first_vs_value),
    );
    common::report(
        "decode.one_pass_vs_captured",
        common::median(&mut one_pass_vs_captured),
    );
}

/// Makes sure the page is what the benchmark claims: every union and enum decodes to a known
/// variant, the plain types accept it too, and the typed decode loses nothing.
fn check(bytes: &[u8], users: u64) {
    assert!(
        bytes == common::page(common::SEED, 0, users, users),
        "the page generator is deterministic"
    );
    let page: RevUsersScanResponse = serde_json::from_slice(bytes).expect("typed decode");
    assert_eq!(page.rev_users.len() as u64, users);
    let mut kinds = [0u64; 4];
    for user in &page.rev_users {
        assert_known_user(user, &mut kinds);
    }
    assert!(
        kinds.iter().all(|&n| n > 0) || users < 100,
        "every user kind appears: {kinds:?}"
    );
    let plain: plain::RevUsersScanResponse = serde_json::from_slice(bytes).expect("plain decode");
    assert_eq!(plain.rev_users.len(), page.rev_users.len());
    assert!(plain.next_cursor.is_none());
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("value decode");
    let typed = serde_json::to_value(&page).unwrap();
    if let Some(path) = first_difference(&typed, &value, String::new()) {
        panic!("the typed decode does not give the page back: they differ at {path}");
    }
}

/// Whether both are timestamps of the same instant: chrono writes `.000` milliseconds as none.
fn same_instant(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let parse = |v: &serde_json::Value| DateTime::parse_from_rfc3339(v.as_str()?).ok();
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}

/// Where two JSON values first differ, as a JSON Pointer with both sides.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            x.keys()
                .chain(y.keys())
                .find_map(|key| match (x.get(key), y.get(key)) {
                    (Some(x), Some(y)) => first_difference(x, y, format!("{at}/{key}")),
                    (x, y) => Some(format!("{at}/{key}: {x:?} != {y:?}")),
                })
        }
        (Array(x), Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, format!("{at}/{i}"))),
        _ if a == b || same_instant(a, b) => None,
        _ => Some(format!("{at}: {a} != {b}")),
    }
}

fn assert_known_user(user: &RevUser, kinds: &mut [u64; 4]) {
    for summary in [&user.created_by, &user.modified_by, &user.primary_identity]
        .into_iter()
        .flatten()
    {
        let (index, state, org) = match summary {
            UserSummary::DevUser(s) => (0, &s.state, None),
            UserSummary::RevUser(s) => (1, &s.state, s.rev_org.as_ref()),
            UserSummary::ServiceAccount(s) => (2, &s.state, None),
            UserSummary::SysUser(s) => (3, &s.state, None),
            UserSummary::Unknown(other) => panic!("unknown user summary {other}"),
        };
        kinds[index] += 1;
        assert_known_state(state);
        if let Some(org) = org {
            assert_known_org(org);
        }
    }
    assert_known_state(&user.state);
    assert_known_org(user.rev_org.as_ref().expect("every user has a rev_org"));
}

fn assert_known_state(state: &Option<UserState>) {
    if let Some(UserState::Unknown(other)) = state {
        panic!("unknown state {other}");
    }
}

fn assert_known_org(org: &OrgSummary) {
    if let OrgSummary::Unknown(other) = org {
        panic!("unknown org summary {other}");
    }
}
