//! What the benches share: a deterministic generator of `rev-users-scan-response` pages, the
//! machine-readable output `cargo xtask bench` reads, and small statistics helpers.
//!
//! Pages follow the schema the way DevRev's API fills it: DON ids, display ids, RFC 3339 dates
//! with milliseconds, summaries of all four user kinds (with display pictures, and for Rev users
//! their organization), phone numbers, states. Keys are written in alphabetical order, as the API
//! does, which puts a union's `type` near the end of its object. The same seed always gives the
//! same bytes, so figures from different runs and machines describe the same input.

#![allow(dead_code)]

use serde_json::{json, Map, Value};

/// The seed every bench uses.
pub const SEED: u64 = 0x5EED_DE7E_5CA1_AB1E;

const DEV_ORG: &str = "devo/1Ab2Cd3E";
const FIRST: &[&str] = &[
    "Ada", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Luca", "Maya", "Nikhil", "Olga", "Pedro", "Qiu", "Rosa", "Sven", "Tara",
];
const LAST: &[&str] = &[
    "Andersen", "Bianchi", "Castillo", "Dubois", "Eriksen", "Fischer", "Gupta", "Hughes",
    "Ivanova", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn",
    "Rossi",
];
const ORGS: &[&str] = &[
    "Acme Corporation",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Logistics",
    "Hooli",
    "Vandelay Imports",
];
const STATES: &[(&str, u64)] = &[
    ("active", 80),
    ("unassigned", 8),
    ("deactivated", 5),
    ("shadow", 4),
    ("locked", 2),
    ("deleted", 1),
];
const PICTURE_TYPES: &[(&str, &str)] = &[
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/webp", "webp"),
];

/// SplitMix64: tiny, deterministic and good enough to vary test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn weighted(&mut self, items: &[(&'static str, u64)]) -> &'static str {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        items[0].0
    }

    /// A base-62 token such as DevRev puts at the end of a DON.
    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..len)
            .map(|_| ALPHABET[self.below(62) as usize] as char)
            .collect()
    }

    /// A timestamp between 2021 and 2024, with milliseconds, in UTC.
    fn date(&mut self) -> String {
        let days = self.below(4 * 365);
        let (year, day_of_year) = (2021 + days / 365, days % 365);
        let (month, day) = (1 + day_of_year / 31 % 12, 1 + day_of_year % 28);
        format!(
            "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            self.below(24),
            self.below(60),
            self.below(60),
            self.below(1000)
        )
    }
}

/// The user kinds of `user-summary`, with the DON segment and display-id prefix of each.
const KINDS: &[(&str, &str, &str, u64)] = &[
    ("dev_user", "devu", "DEVU", 55),
    ("sys_user", "sysu", "SYSU", 20),
    ("service_account", "svcacc", "SVCACC", 10),
    ("rev_user", "revu", "REVU", 15),
];

struct Person {
    first: &'static str,
    last: &'static str,
    handle: String,
}

impl Person {
    fn new(rng: &mut Rng) -> Self {
        let first = FIRST[rng.below(FIRST.len() as u64) as usize];
        let last = LAST[rng.below(LAST.len() as u64) as usize];
        let handle = format!(
            "{}.{}{}",
            first.to_lowercase(),
            last.to_lowercase(),
            rng.below(100)
        );
        Self {
            first,
            last,
            handle,
        }
    }
}

fn insert(map: &mut Map<String, Value>, key: &str, value: impl Into<Value>) {
    map.insert(key.to_owned(), value.into());
}

fn artifact(rng: &mut Rng) -> Value {
    let number = 1000 + rng.below(900_000);
    let (mime, ext) = PICTURE_TYPES[rng.below(PICTURE_TYPES.len() as u64) as usize];
    json!({
        "display_id": format!("ARTIFACT-{number}"),
        "file": {
            "name": format!("avatar-{}.{ext}", rng.token(6)),
            "size": 2_000 + rng.below(400_000),
            "type": mime,
        },
        "id": format!("don:core:dvrv-us-1:{DEV_ORG}:artifact/{number}"),
    })
}

fn org(rng: &mut Rng) -> Value {
    let token = rng.token(9);
    json!({
        "display_id": format!("REV-{token}"),
        "display_name": rng.pick(ORGS),
        "id": format!("don:identity:dvrv-us-1:{DEV_ORG}:revo/{token}"),
        "type": "rev_org",
    })
}

/// A `user-summary` of a kind picked by weight.
fn user_summary(rng: &mut Rng) -> Value {
    let total: u64 = KINDS.iter().map(|k| k.3).sum();
    let mut roll = rng.below(total);
    let mut kind = KINDS[0];
    for candidate in KINDS {
        if roll < candidate.3 {
            kind = *candidate;
            break;
        }
        roll -= candidate.3;
    }
    let (tag, segment, prefix, _) = kind;
    let number = 1 + rng.below(50_000);
    let person = Person::new(rng);
    let mut map = Map::new();
    insert(&mut map, "display_id", format!("{prefix}-{number}"));
    insert(&mut map, "display_name", person.handle.clone());
    if rng.percent(60) {
        insert(&mut map, "display_picture", artifact(rng));
    }
    insert(&mut map, "email", format!("{}@example.com", person.handle));
    if tag == "rev_user" {
        insert(&mut map, "external_ref", format!("crm-{}", rng.token(10)));
    }
    insert(
        &mut map,
        "full_name",
        format!("{} {}", person.first, person.last),
    );
    insert(
        &mut map,
        "id",
        format!("don:identity:dvrv-us-1:{DEV_ORG}:{segment}/{number}"),
    );
    if tag == "rev_user" {
        insert(&mut map, "rev_org", org(rng));
    }
    insert(&mut map, "state", rng.weighted(STATES));
    insert(&mut map, "type", tag);
    Value::Object(map)
}

/// One `rev-user`, the `index`-th of the whole scan.
fn rev_user(rng: &mut Rng, index: u64) -> Value {
    let person = Person::new(rng);
    let token = rng.token(8);
    let mut map = Map::new();
    insert(&mut map, "created_by", user_summary(rng));
    insert(&mut map, "created_date", rng.date());
    if rng.percent(40) {
        insert(
            &mut map,
            "description",
            format!(
                "{} {} from {}, imported from the CRM; primary contact for renewals.",
                person.first,
                person.last,
                rng.pick(ORGS)
            ),
        );
    }
    insert(&mut map, "display_id", format!("REVU-{}", index + 1));
    insert(&mut map, "display_name", person.handle.clone());
    if rng.percent(70) {
        insert(&mut map, "display_picture", artifact(rng));
    }
    insert(&mut map, "email", format!("{}@example.org", person.handle));
    insert(&mut map, "external_ref", format!("crm-{}", rng.token(10)));
    insert(
        &mut map,
        "full_name",
        format!("{} {}", person.first, person.last),
    );
    insert(
        &mut map,
        "id",
        format!("don:identity:dvrv-us-1:{DEV_ORG}:revu/{token}"),
    );
    insert(&mut map, "modified_by", user_summary(rng));
    insert(&mut map, "modified_date", rng.date());
    let phones: Vec<Value> = (0..rng.below(3))
        .map(|_| format!("+1415{:07}", rng.below(10_000_000)).into())
        .collect();
    if !phones.is_empty() {
        insert(&mut map, "phone_numbers", phones);
    }
    insert(&mut map, "primary_identity", user_summary(rng));
    insert(&mut map, "rev_org", org(rng));
    insert(&mut map, "state", rng.weighted(STATES));
    Value::Object(map)
}

const CURSOR_PREFIX: &str = "eyJvZmZzZXQiOi";
const CURSOR_SUFFIX: &str = "In0.c2NhbgY2VyLXY";

/// The cursor the page starting at user `start` is asked for with; opaque-looking, like the API's.
pub fn cursor_for(start: u64) -> String {
    format!("{CURSOR_PREFIX}{start:012}{CURSOR_SUFFIX}")
}

/// The user offset a cursor made by [`cursor_for`] points at.
pub fn offset_of(cursor: &str) -> Option<u64> {
    cursor
        .strip_prefix(CURSOR_PREFIX)?
        .strip_suffix(CURSOR_SUFFIX)?
        .parse()
        .ok()
}

/// The body of the page holding users `start..start + count` of a scan of `total` users, with a
/// `next_cursor` unless it is the last page. Every user depends only on the seed and its index,
/// so any page can be made on its own.
pub fn page(seed: u64, start: u64, count: u64, total: u64) -> Vec<u8> {
    let end = (start + count).min(total);
    let users: Vec<Value> = (start..end)
        .map(|index| {
            rev_user(
                &mut Rng::new(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407)),
                index,
            )
        })
        .collect();
    let mut body = Map::new();
    if end < total {
        insert(&mut body, "next_cursor", cursor_for(end));
    }
    insert(&mut body, "rev_users", users);
    serde_json::to_vec(&Value::Object(body)).expect("a Value always serialises")
}

/// Prints one figure for `cargo xtask bench`: `BENCH <key> <value>` on stdout.
pub fn report(key: &str, value: f64) {
    println!("BENCH {key} {value}");
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    assert!(!values.is_empty(), "the median of nothing");
    values.sort_by(f64::total_cmp);
    let n = values.len();
    (values[(n - 1) / 2] + values[n / 2]) / 2.0
}

/// This process's peak resident set size in KiB (`VmHWM`), on Linux.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The value of `--name value` among the arguments, or `default`.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .find(|pair| pair[0] == name)
        .map(|pair| {
            pair[1]
                .parse()
                .unwrap_or_else(|_| panic!("bad value for {name}: {}", pair[1]))
        })
        .unwrap_or(default)
}

/// Whether `--name` is among the arguments.
pub fn flag(name: &str) -> bool {
    std::env::args().any(|arg| arg == name)
}
