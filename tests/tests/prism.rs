//! The client against Stoplight Prism, the reference OpenAPI mock server, started on 127.0.0.1
//! from `spec/` in dynamic mode: every request the client builds passes Prism's validation,
//! hundreds of generated responses decode, and `Prefer: code=N` maps to the right variant.
//!
//! Prism's known quirks are part of the point: its dynamic bodies mix fields of different union
//! variants and carry negative `retry_after`, its static bodies omit the discriminator.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;
use tests::{block_on, workspace};

use devrev_client::operations::{
    rev_users_scan, rev_users_scan_post, RevUsersScanError, RevUsersScanPostError,
    RevUsersScanQuery,
};
use devrev_client::types::{DateTimeFilter, RevUsersScanRequest};
use devrev_client::{BaseUrl, Client, ClientError, Config, Token, Transport, TransportError};

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

/// HTTP/1.1 over a plain socket, one request per connection: enough for a loopback mock, and
/// keeps this test independent of the optional transports.
#[derive(Clone, Default)]
struct Socket {
    prefer: Option<String>,
}

fn send_blocking(
    request: &http::Request<Vec<u8>>,
    prefer: Option<&str>,
) -> std::io::Result<http::Response<Vec<u8>>> {
    let uri = request.uri();
    let authority = uri.authority().unwrap().as_str();
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n",
        request.method()
    );
    for (name, value) in request.headers() {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    if let Some(prefer) = prefer {
        head.push_str(&format!("Prefer: {prefer}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", request.body().len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(request.body())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut response = http::Response::builder().status(status);
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        chunked |= name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked");
        response = response.header(name.trim(), value.trim());
    }
    if chunked {
        body = dechunk(&body);
    }
    Ok(response.body(body).unwrap())
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
}

impl Transport for Socket {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        Ok(send_blocking(&request, self.prefer.as_deref())?)
    }
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
            let response = send_blocking(&request, None).unwrap();
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
            let response = send_blocking(&request, None).unwrap();
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
                let transport = Socket {
                    prefer: Some(format!("code={status}{prefer_suffix}")),
                };
                let client = Client::new(config.clone(), transport);
                let err = block_on(client.rev_users_scan_post(&RevUsersScanRequest::default()))
                    .expect_err("an error status");
                let ClientError::Api(err) = err else {
                    panic!("{err}")
                };
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
                let response =
                    send_blocking(&request, Some(&format!("code={status}{prefer_suffix}")))
                        .unwrap();
                let err = rev_users_scan::response(response).expect_err("an error status");
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
const BETA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/specs/devrev-beta.yaml"
);

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
    let text = std::fs::read_to_string(BETA).unwrap_or_else(|e| panic!("{BETA}: {e}"));
    let mut selection = codegen::Selection::all();
    selection.add("rev-users-scan");
    let input = codegen::Input {
        spec_path: "../shared/specs/devrev-beta.yaml",
        text: &text,
        package: "beta-scan",
    };
    let generated = codegen::generate_selected(&input, &selection, None)
        .and_then(|(generated, _)| generated.strict())
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
