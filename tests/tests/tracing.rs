//! What the `tracing` feature records: a `call` span per operation call with the operation id,
//! method, path template, status or error, and attempt count, and a `retrying` event per retry
//! with its delay and cause, inside that span; for both clients, and with retries made by the
//! client or by a `Retry` transport under it. And never the token, a header value or a body.
//!
//! A `tracing-subscriber` layer records every field of every span and event as text, so the
//! secrecy checks read everything a subscriber could print.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use devrev_client::operations::RevUsersScanQuery;
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{
    http, BlockingClient, BlockingTransport, Client, Retry, RetryPolicy, Transport, TransportError,
    TransportErrorKind, USER_AGENT,
};
use tests::block_on;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// Distinctive enough that no field could contain it by chance.
const TOKEN: &str = "dvrv-S3CR3T-tracing-51c0";
/// In the request body.
const REQUEST_MARK: &str = "request-body-mark@example.com";
/// In the response body.
const RESPONSE_MARK: &str = "response-body-mark-cursor";

type Fields = BTreeMap<String, String>;

/// A closed span or an event: its name, its fields, and the span it happened in.
#[derive(Debug, Clone)]
struct Recorded {
    name: String,
    fields: Fields,
    parent: Option<String>,
}

/// Records every span (when it closes, with the fields recorded since) and every event.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<Recorded>>>,
    events: Arc<Mutex<Vec<Recorded>>>,
}

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Visitor(&mut fields));
        let span = ctx.span(id).expect("a new span is registered");
        span.extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).expect("a recorded span is registered");
        let mut extensions = span.extensions_mut();
        let fields = extensions
            .get_mut::<Fields>()
            .expect("fields from on_new_span");
        values.record(&mut Visitor(fields));
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut Visitor(&mut fields));
        let parent = ctx.event_span(event).map(|span| span.name().to_owned());
        self.events.lock().unwrap().push(Recorded {
            name: event.metadata().name().to_owned(),
            fields,
            parent,
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).expect("a closing span is registered");
        let fields = span.extensions_mut().remove::<Fields>().unwrap_or_default();
        let parent = span.parent().map(|parent| parent.name().to_owned());
        self.spans.lock().unwrap().push(Recorded {
            name: span.name().to_owned(),
            fields,
            parent,
        });
    }
}

impl Recorder {
    /// Runs `work` with this recorder as the thread's subscriber.
    fn capture<R>(&self, work: impl FnOnce() -> R) -> R {
        let subscriber = tracing_subscriber::registry().with(self.clone());
        tracing::subscriber::with_default(subscriber, work)
    }

    fn spans(&self) -> Vec<Recorded> {
        self.spans.lock().unwrap().clone()
    }

    fn events(&self) -> Vec<Recorded> {
        self.events.lock().unwrap().clone()
    }

    /// Fails if any recorded text shows the token, a body, or a header value the client sends.
    fn assert_nothing_secret(&self) {
        let secrets = [
            TOKEN,
            REQUEST_MARK,
            RESPONSE_MARK,
            USER_AGENT,
            "application/json",
            "Bearer",
        ];
        for record in self.spans().iter().chain(&self.events()) {
            for (name, value) in &record.fields {
                for secret in secrets {
                    assert!(
                        !value.contains(secret) && !name.contains(secret),
                        "{} records {name} = {value:?}, which shows {secret:?}",
                        record.name
                    );
                }
            }
        }
    }
}

fn field<'a>(record: &'a Recorded, name: &str) -> &'a str {
    record
        .fields
        .get(name)
        .unwrap_or_else(|| panic!("{} has no {name}: {:?}", record.name, record.fields))
}

type Outcome = Result<http::Response<Vec<u8>>, TransportError>;

/// Answers from a script, one entry per request.
struct Scripted(Mutex<Vec<Outcome>>);

impl Scripted {
    fn new(mut script: Vec<Outcome>) -> Self {
        script.reverse();
        Self(Mutex::new(script))
    }

    fn answer(&self) -> Outcome {
        self.0
            .lock()
            .unwrap()
            .pop()
            .expect("the script has an answer for every attempt")
    }
}

impl Transport for Scripted {
    async fn send(&self, _request: http::Request<Vec<u8>>) -> Outcome {
        self.answer()
    }
}

impl BlockingTransport for Scripted {
    fn send(&self, _request: http::Request<Vec<u8>>) -> Outcome {
        self.answer()
    }
}

fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Outcome {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    Ok(response.body(body.as_bytes().to_vec()).unwrap())
}

/// A page whose cursor is the response mark.
fn page() -> Outcome {
    respond(
        200,
        &[("content-type", "application/json")],
        &format!(r#"{{"rev_users": [], "next_cursor": "{RESPONSE_MARK}"}}"#),
    )
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(40))
}

fn scan_request() -> RevUsersScanRequest {
    RevUsersScanRequest {
        email: Some(vec![REQUEST_MARK.to_owned()]),
        ..Default::default()
    }
}

#[test]
fn an_async_call_is_one_span_with_an_event_per_retry() {
    let recorder = Recorder::default();
    let script = vec![
        respond(503, &[("retry-after", "0.02")], ""),
        respond(429, &[("retry-after", "0.03")], "{}"),
        page(),
    ];
    let client = Client::builder(Scripted::new(script))
        .token(TOKEN)
        .base_url("https://api.example.com")
        .retry(quick_retries())
        .build()
        .unwrap();
    let page = recorder
        .capture(|| block_on(client.rev_users_scan_post(&scan_request())))
        .expect("the third attempt succeeds");
    assert_eq!(page.next_cursor.as_deref(), Some(RESPONSE_MARK));

    let spans = recorder.spans();
    let [call] = spans.as_slice() else {
        panic!("one span per call: {spans:?}");
    };
    assert_eq!(call.name, "call");
    assert_eq!(field(call, "operation"), "rev-users-scan-post");
    assert_eq!(field(call, "method"), "POST");
    assert_eq!(field(call, "path"), "/rev-users.scan");
    assert_eq!(field(call, "status"), "200");
    assert_eq!(field(call, "attempts"), "3");
    assert!(!call.fields.contains_key("error"), "{call:?}");

    let events = recorder.events();
    let retries: Vec<_> = events
        .iter()
        .map(|event| {
            assert_eq!(event.parent.as_deref(), Some("call"), "{event:?}");
            assert_eq!(field(event, "message"), "retrying");
            (
                field(event, "attempt"),
                field(event, "delay_ms"),
                field(event, "cause"),
            )
        })
        .collect();
    assert_eq!(
        retries,
        [("1", "20", "status 503"), ("2", "30", "status 429")],
        "one event per retry, with the server's delays"
    );
    recorder.assert_nothing_secret();
}

#[test]
fn a_blocking_call_records_the_same_and_a_transport_failure_by_kind() {
    let recorder = Recorder::default();
    let script = vec![
        Err(TransportError::new(TransportErrorKind::Connect, false)),
        Err(TransportError::new(TransportErrorKind::Timeout, false)),
        Err(TransportError::new(TransportErrorKind::Tls, false)),
    ];
    let client = BlockingClient::builder(Scripted::new(script))
        .token(TOKEN)
        .base_url("https://api.example.com")
        .retry(quick_retries())
        .build()
        .unwrap();
    let err = recorder
        .capture(|| client.rev_users_scan(&RevUsersScanQuery::default()))
        .unwrap_err();
    assert!(err.transport().is_some(), "{err:?}");

    let spans = recorder.spans();
    let [call] = spans.as_slice() else {
        panic!("one span per call: {spans:?}");
    };
    assert_eq!(field(call, "operation"), "rev-users-scan");
    assert_eq!(field(call, "method"), "GET");
    assert_eq!(field(call, "path"), "/rev-users.scan");
    assert_eq!(field(call, "error"), "Tls");
    assert_eq!(field(call, "attempts"), "3");
    assert!(!call.fields.contains_key("status"), "{call:?}");
    let causes: Vec<_> = recorder
        .events()
        .iter()
        .map(|event| {
            (
                field(event, "attempt").to_owned(),
                field(event, "cause").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        causes,
        [
            ("1".to_owned(), "cannot connect".to_owned()),
            (
                "2".to_owned(),
                "request timed out while connecting".to_owned()
            ),
        ]
    );
    recorder.assert_nothing_secret();
}

#[test]
fn retries_of_a_retry_transport_count_in_the_call_span() {
    let recorder = Recorder::default();
    let script = vec![respond(502, &[], "upstream said no"), page()];
    let transport = Retry::new(Scripted::new(script)).with_policy(quick_retries());
    let client = Client::builder(transport)
        .token(TOKEN)
        .base_url("https://api.example.com")
        .build()
        .unwrap();
    recorder
        .capture(|| block_on(client.rev_users_scan_post(&scan_request())))
        .expect("the second attempt succeeds");
    let spans = recorder.spans();
    let [call] = spans.as_slice() else {
        panic!("one span per call: {spans:?}");
    };
    assert_eq!(field(call, "attempts"), "2");
    assert_eq!(field(call, "status"), "200");
    let events = recorder.events();
    let [retry] = events.as_slice() else {
        panic!("one retry: {events:?}");
    };
    assert_eq!(retry.parent.as_deref(), Some("call"));
    assert_eq!(field(retry, "cause"), "status 502");
    recorder.assert_nothing_secret();
}

#[test]
fn a_call_without_retries_has_one_attempt_and_no_events() {
    let recorder = Recorder::default();
    let client = Client::builder(Scripted::new(vec![page()]))
        .token(TOKEN)
        .base_url("https://api.example.com")
        .build()
        .unwrap();
    recorder
        .capture(|| block_on(client.rev_users_scan_post(&scan_request())))
        .unwrap();
    let spans = recorder.spans();
    let [call] = spans.as_slice() else {
        panic!("one span per call: {spans:?}");
    };
    assert_eq!(field(call, "attempts"), "1");
    assert_eq!(field(call, "status"), "200");
    assert!(recorder.events().is_empty());
    recorder.assert_nothing_secret();
}
