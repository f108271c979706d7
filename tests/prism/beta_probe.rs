//! Drives a crate generated from DevRev's beta spec (`--select rev-users-scan`) against the Prism
//! whose URL is the first argument: `GET /rev-users.scan` with the object query parameter
//! `custom_fields` (form style, `explode: false`) beside the other parameters, built and mapped
//! by the generated crate's own `request` and `response` functions. Exits non-zero, saying why,
//! when Prism refuses a request or an answer does not decode. Built and run by
//! `tests/tests/prism.rs`; not a target of the workspace.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

use beta_scan::operations::{rev_users_scan, RevUsersScanQuery};
use beta_scan::{BaseUrl, Config, Token};

fn main() -> ExitCode {
    let url = std::env::args().nth(1).expect("the Prism URL is the first argument");
    let config = Config::new(
        BaseUrl::new(&url).expect("a base URL"),
        Token::new("prism-token").expect("a token"),
    );
    let mut fields = BTreeMap::new();
    fields.insert("tnt__region".to_owned(), serde_json::json!("emea, north"));
    fields.insert("tnt__seats".to_owned(), serde_json::json!(12));
    let queries = [
        RevUsersScanQuery {
            custom_fields: Some(fields.clone()),
            ..Default::default()
        },
        RevUsersScanQuery {
            custom_fields: Some(fields),
            email: Some(vec!["a@example.com".into()]),
            is_verified: Some(true),
            ..Default::default()
        },
        RevUsersScanQuery::default(),
    ];
    for query in &queries {
        for _ in 0..5 {
            let request = rev_users_scan::request(&config, query).expect("the request builds");
            let target = request.uri().to_string();
            let response = match send(&request) {
                Ok(response) => response,
                Err(err) => {
                    eprintln!("{target}: {err}");
                    return ExitCode::FAILURE;
                }
            };
            let status = response.status();
            let text = String::from_utf8_lossy(response.body()).into_owned();
            if status != 200 {
                eprintln!("{target}: Prism answered {status}: {text}");
                return ExitCode::FAILURE;
            }
            if let Err(err) = rev_users_scan::response(response) {
                eprintln!("{target}: the answer does not decode: {err}\n{text}");
                return ExitCode::FAILURE;
            }
            println!("200 {target}");
        }
    }
    ExitCode::SUCCESS
}

/// HTTP/1.0 over a plain socket: Prism answers it without chunking and closes the connection.
fn send(request: &http::Request<Vec<u8>>) -> std::io::Result<http::Response<Vec<u8>>> {
    let uri = request.uri();
    let authority = uri.authority().expect("an absolute URI").as_str();
    let mut stream = TcpStream::connect(authority)?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut head = format!("{} {path} HTTP/1.0\r\nHost: {authority}\r\n", request.method());
    for (name, value) in request.headers() {
        head.push_str(&format!(
            "{name}: {}\r\n",
            value.to_str().unwrap_or_default()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(request.body())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let mut response = http::Response::builder().status(status);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            response = response.header(name.trim(), value.trim());
        }
    }
    response
        .body(raw[split + 4..].to_vec())
        .map_err(std::io::Error::other)
}
