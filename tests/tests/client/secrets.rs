//! The token never shows: not in the `Debug` or `Display` output of anything that holds it or of
//! any error a request can end in, through both shipped transports, with and without retries.
//! And a token that could split a header (CR or LF) is refused before anything is sent.
//!
//! Every network case talks to 127.0.0.1 only: a port nothing listens on, or the kit's server
//! stalling on every request.

use std::fmt::Debug;
use std::time::Duration;
use tests::{block_on, closed_port, Reply, Scripted, Server, Step};

use devrev_client::operations::{rev_users_scan, rev_users_scan_post, RevUsersScanPostError};
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{
    http, BaseUrl, BlockingClient, Client, ClientError, Config, ConfigError, RequestError,
    ReqwestTransport, Retry, RetryPolicy, ThreadSleep, Token, TokioSleep, UreqTransport,
};

/// Distinctive enough that no message could contain it by chance.
const SECRET: &str = "dvrv-S3CR3T-7c1e4f0a9b2d";

/// Checks both `Debug` forms and, where there is one, `Display` and the whole `source` chain.
fn assert_no_secret_debug(what: &str, value: &impl Debug) {
    for text in [format!("{value:?}"), format!("{value:#?}")] {
        assert!(!text.contains(SECRET), "{what} shows the token: {text}");
    }
}

fn assert_no_secret_error(what: &str, err: &(dyn std::error::Error + 'static)) {
    let mut current = Some(err);
    while let Some(err) = current {
        for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!text.contains(SECRET), "{what} shows the token: {text}");
        }
        current = err.source();
    }
}

fn config(base_url: &str) -> Config {
    Config::new(
        BaseUrl::new(base_url).expect("a valid base URL"),
        Token::new(SECRET).expect("a valid token"),
    )
}

/// A short retry policy, so that the retry paths run without slowing the tests.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

// --- Values that hold the token ----------------------------------------------------------------

#[test]
fn token_config_client_and_builders_do_not_show_the_token() {
    let token = Token::new(SECRET).unwrap();
    assert_no_secret_debug("Token", &token);
    assert_eq!(format!("{token:?}"), "Token(<redacted>)");
    let config = config("https://api.devrev.ai");
    assert_no_secret_debug("Config", &config);

    let builder = Client::builder(ReqwestTransport::new().unwrap()).token(SECRET);
    assert_no_secret_debug("ClientBuilder", &builder);
    let client = builder.build().unwrap();
    assert_no_secret_debug("Client", &client);
    assert_no_secret_debug("Client::config", client.config());

    let retrying = Retry::new(ReqwestTransport::new().unwrap())
        .with_policy(quick_retries())
        .with_sleep(TokioSleep);
    assert_no_secret_debug("Retry", &retrying);
    let client = Client::builder(retrying).token(SECRET).build().unwrap();
    assert_no_secret_debug("Client<Retry<ReqwestTransport>>", &client);
    let pages = client.rev_users_scan_post_all(RevUsersScanRequest::default());
    assert_no_secret_debug("Paginator", &pages);

    let builder = BlockingClient::builder(UreqTransport::new())
        .token(SECRET)
        .retry(quick_retries());
    assert_no_secret_debug("BlockingClientBuilder", &builder);
    let client = builder.build().unwrap();
    assert_no_secret_debug("BlockingClient", &client);
    let pages = client.rev_users_scan_post_all(RevUsersScanRequest::default());
    assert_no_secret_debug("BlockingPaginator", &pages);
}

#[test]
fn built_requests_do_not_show_the_token_but_carry_it() {
    let config = config("https://api.devrev.ai");
    let post = rev_users_scan_post::request(&config, &RevUsersScanRequest::default()).unwrap();
    let get = rev_users_scan::request(&config, &Default::default()).unwrap();
    for request in [post, get] {
        assert_no_secret_debug("http::Request", &request);
        let auth = request.headers().get(http::header::AUTHORIZATION).unwrap();
        assert!(auth.is_sensitive());
        assert_eq!(auth.to_str().unwrap(), format!("Bearer {SECRET}"));
    }
}

// --- Errors a request can end in ---------------------------------------------------------------

/// A call's error and how many attempts it must have taken.
type Failed = (ClientError<RevUsersScanPostError>, u32);

/// The async client over reqwest, without retries, with the builder's and with a `Retry`
/// transport, against `base_url`. The scan is idempotent and nothing here is a TLS, URL or
/// limit failure, so each retrying client makes both of its attempts.
fn reqwest_failures(base_url: &str) -> Vec<Failed> {
    let builder = |transport| {
        Client::builder(transport)
            .token(SECRET)
            .base_url(base_url)
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_millis(300))
    };
    let body = RevUsersScanRequest::default();
    let plain = builder(ReqwestTransport::new().unwrap()).build().unwrap();
    let retrying = builder(ReqwestTransport::new().unwrap())
        .retry(quick_retries())
        .build()
        .unwrap();
    let wrapped = Client::builder(
        Retry::new(ReqwestTransport::new().unwrap())
            .with_policy(quick_retries())
            .with_sleep(TokioSleep),
    )
    .token(SECRET)
    .base_url(base_url)
    .timeout(Duration::from_millis(300))
    .build()
    .unwrap();
    block_on(async {
        vec![
            (plain.rev_users_scan_post(&body).await.unwrap_err(), 1),
            (retrying.rev_users_scan_post(&body).await.unwrap_err(), 2),
            (wrapped.rev_users_scan_post(&body).await.unwrap_err(), 2),
        ]
    })
}

/// The blocking client over ureq, the same three ways, against `base_url`.
fn blocking_failures(base_url: &str) -> Vec<Failed> {
    let body = RevUsersScanRequest::default();
    let builder = |transport| {
        BlockingClient::builder(transport)
            .token(SECRET)
            .base_url(base_url)
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_millis(300))
    };
    let plain = builder(UreqTransport::new()).build().unwrap();
    let retrying = builder(UreqTransport::new())
        .retry(quick_retries())
        .build()
        .unwrap();
    let wrapped = BlockingClient::builder(
        Retry::new(UreqTransport::new())
            .with_policy(quick_retries())
            .with_sleep(ThreadSleep),
    )
    .token(SECRET)
    .base_url(base_url)
    .timeout(Duration::from_millis(300))
    .build()
    .unwrap();
    vec![
        (plain.rev_users_scan_post(&body).unwrap_err(), 1),
        (retrying.rev_users_scan_post(&body).unwrap_err(), 2),
        (wrapped.rev_users_scan_post(&body).unwrap_err(), 2),
    ]
}

/// What a transport error must have been: the case each test sets up, so a test cannot pass on
/// another failure (a silent server gone early refuses instead of timing out).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Failure {
    Refused,
    Timeout,
}

fn check_transport_errors(what: &str, expected: Failure, errors: &[Failed]) {
    assert!(!errors.is_empty(), "{what}: no errors to check");
    for (err, attempts) in errors {
        let Some(inner) = err.transport() else {
            panic!("{what}: expected a transport error, got {err:?}");
        };
        assert_no_secret_error(what, err);
        assert_no_secret_error(what, inner);
        assert_no_secret_debug(what, err);
        assert_eq!(inner.attempts(), *attempts, "{what}: {err}");
        let failure = match (err.is_timeout(), err.is_connect()) {
            (true, _) => Failure::Timeout,
            (false, true) => Failure::Refused,
            (false, false) => panic!("{what}: neither a timeout nor a connection error: {err}"),
        };
        assert_eq!(failure, expected, "{what}: {err}");
    }
}

#[test]
fn refused_connections_do_not_show_the_token() {
    let base_url = closed_port();
    let reqwest = reqwest_failures(&base_url);
    check_transport_errors("reqwest, refused", Failure::Refused, &reqwest);
    let ureq = blocking_failures(&base_url);
    check_transport_errors("ureq, refused", Failure::Refused, &ureq);
}

#[test]
fn timeouts_do_not_show_the_token() {
    // Five requests a client: one without retries, two with each kind of retries.
    let server = Server::start(vec![Reply::Stall; 5]);
    let reqwest = reqwest_failures(&server.base_url());
    server.finish();
    check_transport_errors("reqwest, timeout", Failure::Timeout, &reqwest);
    let server = Server::start(vec![Reply::Stall; 5]);
    let ureq = blocking_failures(&server.base_url());
    server.finish();
    check_transport_errors("ureq, timeout", Failure::Timeout, &ureq);
}

#[test]
fn api_request_and_cursor_errors_do_not_show_the_token() {
    let canned = |status, body: &str| Scripted::always(Step::respond(status, body));
    let cases = [
        canned(
            401,
            r#"{"type": "unauthenticated", "message": "bad token"}"#,
        ),
        canned(200, "<html>not json</html>"),
        canned(502, "<html>bad gateway</html>"),
    ];
    for transport in cases {
        let client = Client::builder(transport).token(SECRET).build().unwrap();
        let err = block_on(client.rev_users_scan_post(&RevUsersScanRequest::default()))
            .expect_err("every canned response is an error");
        assert!(matches!(err, ClientError::Api(_)), "{err:?}");
        assert_no_secret_error("ClientError::Api", &err);
    }

    // A server that sends the same cursor forever.
    let looping = canned(200, r#"{"rev_users": [], "next_cursor": "again"}"#);
    let client = Client::builder(looping).token(SECRET).build().unwrap();
    let err = block_on(
        client
            .rev_users_scan_post_all(RevUsersScanRequest::default())
            .collect(),
    )
    .expect_err("a repeated cursor stops the scan");
    assert!(matches!(err, ClientError::RepeatedCursor(_)), "{err:?}");
    assert_no_secret_error("ClientError::RepeatedCursor", &err);

    // Requests that cannot be built carry no token: every variant, as the client wraps it.
    let body_error = serde_json::from_str::<u8>("x").unwrap_err();
    let request_errors = [
        RequestError::Body(body_error),
        RequestError::Parameter {
            name: "cursor",
            reason: "is not a valid header value",
        },
        RequestError::Uri("https://api.devrev.ai/rev-users.scan?x=%".to_owned()),
    ];
    for err in request_errors {
        assert_no_secret_error("RequestError", &err);
        let err: ClientError<RevUsersScanPostError> = ClientError::Request(err);
        assert_no_secret_error("ClientError::Request", &err);
    }
}

// --- Tokens that could split a header ----------------------------------------------------------

/// Tokens with CR or LF inside, or other bytes a header cannot hold.
fn bad_tokens() -> Vec<String> {
    vec![
        format!("{SECRET}\r\nX-Injected: 1"),
        format!("{SECRET}\nX-Injected: 1"),
        format!("{SECRET}\rX"),
        format!("X\n{SECRET}"),
        format!("{SECRET}\u{0}"),
        format!("{SECRET}\u{7f}"),
        format!("{SECRET} two words"),
        format!("{SECRET}é"),
    ]
}

fn assert_refused(what: &str, token: &str, result: Result<impl Debug, ConfigError>) {
    let err = match result {
        Ok(value) => panic!("{what}: accepted the token {token:?}: {value:?}"),
        Err(err) => err,
    };
    assert!(
        matches!(err, ConfigError::InvalidToken(_)),
        "{what}: {token:?}: {err:?}"
    );
    assert_no_secret_error(what, &err);
}

#[test]
fn tokens_with_cr_or_lf_are_refused_by_token_new() {
    for token in bad_tokens() {
        assert_refused("Token::new", &token, Token::new(token.clone()));
    }
}

#[test]
fn tokens_with_cr_or_lf_are_refused_before_any_request() {
    for token in bad_tokens() {
        let transport = Scripted::always(Step::respond(200, r#"{"rev_users": []}"#));
        let result = Client::builder(&transport).token(token.clone()).build();
        assert_refused("ClientBuilder::build", &token, result);
        assert_eq!(transport.sent().len(), 0, "nothing was sent");
    }
}

#[test]
fn tokens_with_cr_or_lf_are_refused_from_the_environment() {
    // A variable of this test's own, so no other test sees it change.
    const VAR: &str = "DEVREV_CLIENT_SECRETS_TEST_TOKEN";
    // The environment cannot hold a NUL byte.
    for token in bad_tokens().into_iter().filter(|t| !t.contains('\0')) {
        std::env::set_var(VAR, &token);
        assert_refused("Token::from_env", &token, Token::from_env(VAR));
    }
    std::env::remove_var(VAR);
}

/// A line break anywhere, a trailing newline from a token file included, is refused; spaces and
/// tabs around the token are trimmed, and what is sent never holds CR or LF.
#[test]
fn line_breaks_are_refused_and_surrounding_spaces_trimmed() {
    for token in [
        format!("{SECRET}\n"),
        format!("{SECRET}\r\n"),
        format!("\n{SECRET}"),
    ] {
        assert!(
            Token::new(token).is_err(),
            "a line break, even at the end, is refused"
        );
    }
    for token in [format!("  {SECRET}\t"), format!(" {SECRET}")] {
        let token = Token::new(token).expect("surrounding whitespace is trimmed");
        let config = Config::new(BaseUrl::new("https://api.devrev.ai").unwrap(), token);
        let request =
            rev_users_scan_post::request(&config, &RevUsersScanRequest::default()).unwrap();
        let auth = request.headers()[http::header::AUTHORIZATION].as_bytes();
        assert_eq!(auth, format!("Bearer {SECRET}").as_bytes());
    }
}
