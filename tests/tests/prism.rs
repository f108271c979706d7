//! The client against Stoplight Prism, the reference OpenAPI mock server, started on 127.0.0.1
//! from `spec/` in dynamic mode: every request the client builds passes Prism's validation,
//! hundreds of generated responses decode, and `Prefer: code=N` maps to the right variant.
//!
//! Requests go out through the ureq transport, with a `Prefer` header where a case asks Prism
//! for a status.
//!
//! Prism's known quirks are part of the point: its dynamic bodies mix fields of different union
//! variants and carry negative `retry_after`, its static bodies omit the discriminator.

use std::process::Command;
use tests::workspace;

use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanError, RevUsersScanPostError,
    RevUsersScanQuery,
};
use devrev_client::types::{DateTimeFilter, RevUsersScanRequest};
use devrev_client::{BaseUrl, BlockingTransport, Config, Token, UreqTransport};

/// A Prism process, stopped when dropped.
struct Prism {
    pid: String,
    port: u16,
}

impl Prism {
    fn start(seed: Option<&str>) -> Self {
        Self::start_on("spec/rev-users-scan.yaml", seed)
    }

    /// Prism on `spec`, a path from the workspace root or an absolute one.
    fn start_on(spec: &str, seed: Option<&str>) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = workspace();
        let mut command = Command::new("bash");
        command
            .current_dir(root)
            .arg("tests/prism/start.sh")
            .arg(spec)
            .arg(port.to_string());
        if let Some(seed) = seed {
            command.arg(seed);
        }
        let output = command.output().expect("bash runs");
        assert!(
            output.status.success(),
            "prism did not start: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pid = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        Self { pid, port }
    }

    fn config(&self) -> Config {
        Config::new(
            BaseUrl::new(&format!("http://127.0.0.1:{}", self.port)).unwrap(),
            Token::new("prism-token").unwrap(),
        )
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .current_dir(workspace())
            .args(["tests/prism/stop.sh", &self.pid])
            .output();
    }
}

/// Sends `request` through the ureq transport, with a `Prefer` header for Prism if given.
fn send(mut request: http::Request<Vec<u8>>, prefer: Option<&str>) -> http::Response<Vec<u8>> {
    if let Some(prefer) = prefer {
        let value = http::HeaderValue::from_str(prefer).expect("a valid Prefer header");
        request.headers_mut().insert("prefer", value);
    }
    UreqTransport::new()
        .send(request)
        .unwrap_or_else(|err| panic!("Prism does not answer: {err}"))
}

fn date(text: &str) -> devrev_client::chrono::DateTime<devrev_client::chrono::Utc> {
    text.parse().unwrap()
}

fn requests() -> (Vec<RevUsersScanRequest>, Vec<RevUsersScanQuery>) {
    let filter = DateTimeFilter {
        after: Some(date("2023-01-01T12:00:00Z")),
        before: Some(date("2024-06-30T00:00:00Z")),
    };
    let bodies = vec![
        RevUsersScanRequest::default(),
        RevUsersScanRequest {
            associations: Some(vec!["ACC-1".into(), "WS-2".into()]),
            created_by: Some(vec!["DEVU-1".into()]),
            created_date: Some(filter.clone()),
            cursor: Some("abc,def".into()),
            email: Some(vec!["a@example.com".into(), "b+c@example.com".into()]),
            external_ref: Some(vec!["ext 1".into()]),
            is_verified: Some(true),
            modified_date: Some(filter),
            phone_numbers: Some(vec!["+14155550100".into()]),
            rev_org: Some(vec!["REV-AbCdEfGh".into()]),
        },
    ];
    let queries = vec![
        RevUsersScanQuery::default(),
        RevUsersScanQuery {
            associations: Some(vec!["ACC-1".into(), "WS-2".into()]),
            created_by: Some(vec!["DEVU-1".into()]),
            created_date_after: Some(date("2023-01-01T12:00:00Z")),
            created_date_before: Some(date("2024-06-30T00:00:00Z")),
            cursor: Some("abc,def".into()),
            email: Some(vec!["a@example.com".into(), "b,c@example.com".into()]),
            external_ref: Some(vec!["ext 1".into()]),
            is_verified: Some(false),
            modified_date_after: Some(date("2023-01-01T12:00:00Z")),
            modified_date_before: Some(date("2024-06-30T00:00:00Z")),
            phone_numbers: Some(vec!["+14155550100".into()]),
            rev_org: Some(vec!["REV-AbCdEfGh".into()]),
        },
    ];
    (bodies, queries)
}

#[test]
fn the_client_against_prism() {
    let prism = Prism::start(None);
    let config = prism.config();
    let (bodies, queries) = requests();

    // Every request passes Prism's validation, and every dynamic 200 decodes: 150 per shape.
    for round in 0..75 {
        for body in &bodies {
            let request = rev_users_scan_post::request(&config, body).unwrap();
            let response = send(request, None);
            let status = response.status();
            let text = String::from_utf8_lossy(response.body()).into_owned();
            assert_eq!(
                status, 200,
                "round {round}: POST {body:?} was refused: {text}"
            );
            rev_users_scan_post::response(response)
                .unwrap_or_else(|err| panic!("round {round}: {err}\n{text}"));
        }
        for query in &queries {
            let request = rev_users_scan::request(&config, query).unwrap();
            let response = send(request, None);
            let status = response.status();
            let text = String::from_utf8_lossy(response.body()).into_owned();
            assert_eq!(
                status, 200,
                "round {round}: GET {query:?} was refused: {text}"
            );
            rev_users_scan::response(response)
                .unwrap_or_else(|err| panic!("round {round}: {err}\n{text}"));
        }
    }

    // `Prefer: code=N`, dynamic and static bodies alike, map to the documented variant.
    for prefer_suffix in ["", ", dynamic=false"] {
        for status in [400u16, 401, 403, 404, 429, 500, 503] {
            for _ in 0..5 {
                let prefer = format!("code={status}{prefer_suffix}");
                let request =
                    rev_users_scan_post::request(&config, &RevUsersScanRequest::default()).unwrap();
                let err = rev_users_scan_post::response(send(request, Some(&prefer)))
                    .expect_err("an error status");
                let matched = matches!(
                    (status, &err),
                    (400, RevUsersScanPostError::BadRequest(_))
                        | (401, RevUsersScanPostError::Unauthorized(_))
                        | (403, RevUsersScanPostError::Forbidden(_))
                        | (404, RevUsersScanPostError::NotFound(_))
                        | (429, RevUsersScanPostError::TooManyRequests(_))
                        | (500, RevUsersScanPostError::InternalServerError(_))
                        | (503, RevUsersScanPostError::ServiceUnavailable(_))
                );
                assert!(matched, "Prefer code={status}{prefer_suffix} gave {err:?}");
                assert_eq!(err.status().as_u16(), status);

                let request =
                    rev_users_scan::request(&config, &RevUsersScanQuery::default()).unwrap();
                let err = rev_users_scan::response(send(request, Some(&prefer)))
                    .expect_err("an error status");
                assert!(
                    !matches!(
                        err,
                        RevUsersScanError::UnexpectedStatus(_) | RevUsersScanError::Undecodable(_)
                    ),
                    "GET code={status}: {err:?}"
                );
            }
        }
    }
}

/// DevRev's beta spec, beside the project.
const BETA: &str = "../shared/specs/devrev-beta.yaml";

/// The operations at `path` of `spec` with every component they reach through `$ref`s, as a
/// spec of their own: Prism starts on it in seconds, where the whole beta spec takes minutes.
fn spec_subset(spec: &serde_yaml::Value, path: &str) -> serde_yaml::Value {
    use serde_yaml::{Mapping, Value};
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Mapping(map) => {
                for (key, value) in map {
                    match (key.as_str(), value.as_str()) {
                        (Some("$ref"), Some(target)) => out.push(target.to_owned()),
                        _ => refs(value, out),
                    }
                }
            }
            Value::Sequence(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }
    let mut subset = Mapping::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = spec.get(key) {
            subset.insert(key.into(), value.clone());
        }
    }
    let item = spec["paths"][path].clone();
    let mut components = Mapping::new();
    if let Some(schemes) = spec["components"].get("securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }
    let mut pending = Vec::new();
    refs(&item, &mut pending);
    while let Some(target) = pending.pop() {
        let Some(place) = target.strip_prefix("#/components/") else {
            continue;
        };
        let Some((section, name)) = place.split_once('/') else {
            continue;
        };
        let section_map = components
            .entry(section.into())
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        let Value::Mapping(section_map) = section_map else {
            unreachable!("sections are mappings")
        };
        if section_map.contains_key(name) {
            continue;
        }
        let component = spec["components"][section][name].clone();
        refs(&component, &mut pending);
        section_map.insert(name.into(), component);
    }
    let mut paths = Mapping::new();
    paths.insert(path.into(), item);
    subset.insert("paths".into(), Value::Mapping(paths));
    subset.insert("components".into(), Value::Mapping(components));
    Value::Mapping(subset)
}

/// DevRev beta's `GET /rev-users.scan`, whose `custom_fields` is an object query parameter, from
/// a crate generated with `--select rev-users-scan`: every request passes Prism's validation
/// and every answer decodes (`tests/prism/beta_probe.rs` does the calls).
#[test]
fn betas_object_query_parameter_against_prism() {
    let mut selection = codegen::Selection::all();
    selection.add("rev-users-scan");
    let generated = tests::generate_selected(BETA, "beta-scan", &selection)
        .unwrap_or_else(|err| panic!("the beta selection generates: {err}"));
    let probe: std::collections::BTreeMap<String, String> = [
        (
            "Cargo.toml".to_owned(),
            "[package]\nname = \"beta-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nbeta-scan = { path = \"../beta-scan\" }\n\
             http = \"1\"\nserde_json = \"1\"\n"
                .to_owned(),
        ),
        (
            "src/main.rs".to_owned(),
            include_str!("../prism/beta_probe.rs").to_owned(),
        ),
    ]
    .into();
    let dir = tests::generated_workspace(
        "prism-beta",
        &[
            ("beta-scan".to_owned(), &generated.files),
            ("beta-probe".to_owned(), &probe),
        ],
    );
    let output = tests::cargo_generated(&dir, "build", &[]);
    assert!(
        output.status.success(),
        "the probe builds: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let text = tests::generate::read_spec(BETA);
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the beta spec is YAML");
    let subset = spec_subset(&spec, "/rev-users.scan");
    let subset_path = tests::target_dir().join("prism-beta-rev-users-scan.yaml");
    std::fs::write(&subset_path, serde_yaml::to_string(&subset).unwrap()).unwrap();
    let prism = Prism::start_on(subset_path.to_str().unwrap(), None);
    let probe = tests::target_dir().join("generated-crates/debug/beta-probe");
    let output = Command::new(&probe)
        .arg(format!("http://127.0.0.1:{}", prism.port))
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", probe.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The object went out in form style, unexploded: `name=key,value,key,value`.
    assert!(
        stdout.contains("custom_fields=tnt__region,emea%2C%20north,tnt__seats,12"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().filter(|l| l.starts_with("200 ")).count(), 15);
}
