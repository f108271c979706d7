//! Faults: what each client does when the network or the server misbehaves. Retries are on in
//! every case, so each shows what is retried and what is not; arrivals are counted server-side.

use std::time::{Duration, Instant};

use devrev_client::operations::{rev_users_scan_post, RevUsersScanPostError, RevUsersScanQuery};
use devrev_client::types::RevUsersScanRequest;
use devrev_client::{
    BaseUrl, ClientError, Config, Idempotency, RetryPolicy, Token, TransportError,
    TransportErrorKind,
};
use tests::{Reply, Server};

use super::{client, documented, failure, no_retry_wait, report, Setup, Via, BOTH, TOKEN};

/// Retries with waits of a few milliseconds, and enough attempts to show any that happen.
fn eager() -> Setup {
    Setup::retrying(no_retry_wait().max_attempts(5))
}

/// A `POST` that must not run twice (a create, say): the scan's request, marked not idempotent,
/// sent with the client's `send`.
fn create(
    via: Via,
    base_url: &str,
    setup: &Setup,
) -> Result<http::Response<Vec<u8>>, TransportError> {
    let config = Config::new(BaseUrl::new(base_url).unwrap(), Token::new(TOKEN).unwrap());
    let request = rev_users_scan_post::request(&config, &RevUsersScanRequest::default()).unwrap();
    client(via, base_url, setup).send(Idempotency::NotIdempotent.mark(request))
}

#[test]
fn retry_waits_out_a_429_with_zero_hints_then_succeeds() {
    let body = RevUsersScanRequest {
        cursor: Some("page-2".to_owned()),
        ..RevUsersScanRequest::default()
    };
    // A long backoff that would show if the zero hints were ignored.
    let policy = RetryPolicy::new()
        .base_delay(Duration::from_secs(5))
        .max_delay(Duration::from_secs(5));
    for via in BOTH {
        let limited = Reply::json(429, documented(429)).header("retry-after", "0");
        let server = Server::start([limited, Reply::json(200, documented(200))]);
        let started = Instant::now();
        let result =
            client(via, &server.base_url(), &Setup::retrying(policy.clone())).scan_post(&body);
        let elapsed = started.elapsed();
        let seen = server.finish();
        assert!(result.is_ok(), "{via:?}: {result:?}");
        assert!(
            elapsed < Duration::from_secs(1),
            "{via:?}: took {elapsed:?}"
        );
        assert_eq!(seen.len(), 2, "{via:?}");
        assert_eq!(
            seen[0].body, seen[1].body,
            "{via:?}: the retry resends the body"
        );
        assert_eq!(
            seen[1].one("authorization"),
            format!("Bearer {TOKEN}"),
            "{via:?}"
        );
    }
}

#[test]
fn retry_gives_up_with_the_last_response() {
    for via in BOTH {
        let server = Server::start([
            Reply::json(503, documented(503)),
            Reply::json(500, documented(500)),
        ]);
        let setup = Setup::retrying(no_retry_wait().max_attempts(2));
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        assert_eq!(server.finish().len(), 2, "{via:?}");
        assert!(
            matches!(
                result,
                Err(ClientError::Api(
                    RevUsersScanPostError::InternalServerError(_)
                ))
            ),
            "{via:?}: {result:?}"
        );
    }
}

#[test]
fn retry_recovers_from_a_dropped_connection_sleeping_on_a_thread() {
    let setup = Setup {
        thread_sleep: true,
        ..Setup::retrying(no_retry_wait())
    };
    for via in BOTH {
        let server = Server::start([
            Reply::HangUp,
            Reply::HangUp,
            Reply::json(200, documented(200)),
        ]);
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        assert_eq!(server.finish().len(), 3, "{via:?}");
        assert!(result.is_ok(), "{via:?}: {result:?}");
    }
}

#[test]
fn retry_reports_the_attempts_when_the_connection_keeps_dropping() {
    for via in BOTH {
        let server = Server::start([Reply::HangUp, Reply::HangUp, Reply::HangUp]);
        let setup = Setup::retrying(no_retry_wait().max_attempts(3));
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        assert_eq!(server.finish().len(), 3, "{via:?}");
        let failure = failure(result);
        assert_eq!(failure.attempts, 3, "{via:?}: {failure:?}");
        assert!(
            failure.text.contains("after 3 attempts"),
            "{via:?}: {failure:?}"
        );
        assert!(!failure.text.contains(TOKEN), "{via:?}: {failure:?}");
    }
}

#[test]
fn a_refused_connection_is_retried_even_for_a_create() {
    let base_url = tests::closed_port();
    for via in BOTH {
        let err = create(via, &base_url, &eager()).expect_err("refused");
        assert!(
            err.is_connect() && !err.is_timeout() && !err.request_sent(),
            "{via:?}: {err:?}"
        );
        let text = format!("{} / {err:?}", report(&err));
        assert!(text.contains("cannot connect"), "{via:?}: {text}");
        assert!(!text.contains(TOKEN), "{via:?}: {text}");
        assert_eq!(
            err.attempts(),
            5,
            "{via:?}: nothing was sent, so every attempt is made"
        );
        assert!(
            err.to_string().contains("after 5 attempts"),
            "{via:?}: {err}"
        );
    }
}

#[test]
fn a_reset_after_the_request_is_not_retried_for_a_create_and_sends_it_exactly_once() {
    for via in BOTH {
        let server = Server::start([Reply::Reset, Reply::json(200, documented(200))]);
        let result = create(via, &server.base_url(), &eager());
        let seen = server.finish();
        assert_eq!(seen.len(), 1, "{via:?}: sent exactly once");
        let err = result.expect_err("the reset is the answer");
        assert_eq!(err.kind(), TransportErrorKind::Closed, "{via:?}: {err:?}");
        assert!(err.request_sent(), "{via:?}: {err:?}");
        assert_eq!(err.attempts(), 1, "{via:?}");
        assert!(!format!("{err} {err:?}").contains(TOKEN), "{via:?}");
    }
}

#[test]
fn a_reset_after_the_request_is_retried_for_a_get_and_a_configured_idempotent_post() {
    for via in BOTH {
        let server = Server::start([Reply::Reset, Reply::json(200, documented(200))]);
        let result =
            client(via, &server.base_url(), &eager()).scan_get(&RevUsersScanQuery::default());
        assert_eq!(server.finish().len(), 2, "{via:?}: GET sent again");
        assert!(result.is_ok(), "{via:?}: {result:?}");

        let server = Server::start([Reply::Reset, Reply::json(200, documented(200))]);
        let result =
            client(via, &server.base_url(), &eager()).scan_post(&RevUsersScanRequest::default());
        assert_eq!(
            server.finish().len(),
            2,
            "{via:?}: the scan POST sent again"
        );
        assert!(result.is_ok(), "{via:?}: {result:?}");
    }
}

#[test]
fn a_stall_before_the_headers_times_out_and_a_create_is_not_sent_again() {
    let setup = Setup {
        timeout: Duration::from_millis(200),
        ..eager()
    };
    for via in BOTH {
        let server = Server::start([Reply::Stall, Reply::json(200, documented(200))]);
        let started = Instant::now();
        let err = create(via, &server.base_url(), &setup).expect_err("a timeout");
        let elapsed = started.elapsed();
        assert_eq!(server.finish().len(), 1, "{via:?}: sent exactly once");
        assert!(err.is_timeout() && err.request_sent(), "{via:?}: {err:?}");
        let text = format!("{} / {err:?}", report(&err));
        assert!(text.contains("timed out"), "{via:?}: {text}");
        assert!(!text.contains(TOKEN), "{via:?}: {text}");
        assert!(
            elapsed >= Duration::from_millis(150) && elapsed < Duration::from_millis(900),
            "{via:?}: gave up after {elapsed:?}"
        );
    }
}

#[test]
fn a_stall_mid_body_times_out_then_an_idempotent_scan_is_retried() {
    let setup = Setup {
        timeout: Duration::from_millis(200),
        ..eager()
    };
    for via in BOTH {
        let server = Server::start([
            Reply::StallMidBody {
                body: documented(200),
            },
            Reply::json(200, documented(200)),
        ]);
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        assert_eq!(server.finish().len(), 2, "{via:?}");
        assert!(result.is_ok(), "{via:?}: {result:?}");

        let server = Server::start([Reply::StallMidBody {
            body: documented(200),
        }]);
        let started = Instant::now();
        let result = client(
            via,
            &server.base_url(),
            &Setup {
                timeout: Duration::from_millis(200),
                ..Setup::default()
            },
        )
        .scan_post(&RevUsersScanRequest::default());
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert!(failure.timeout && failure.sent, "{via:?}: {failure:?}");
        assert!(elapsed < Duration::from_millis(900), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_close_mid_body_is_a_closed_connection_sent_once_for_a_create() {
    for via in BOTH {
        let server = Server::start([
            Reply::CutShort {
                body: documented(200),
            },
            Reply::json(200, documented(200)),
        ]);
        let err = create(via, &server.base_url(), &eager()).expect_err("cut short");
        assert_eq!(server.finish().len(), 1, "{via:?}");
        assert_eq!(err.kind(), TransportErrorKind::Closed, "{via:?}: {err:?}");
        assert!(err.request_sent(), "{via:?}");
        assert!(!err.is_timeout() && !err.is_connect(), "{via:?}: {err:?}");
        assert!(
            !format!("{} {err:?}", report(&err)).contains(TOKEN),
            "{via:?}"
        );
    }
}

#[test]
fn an_endless_chunked_body_stops_at_the_limit_and_is_not_retried() {
    let limit = 64 * 1024;
    let setup = Setup {
        body_limit: Some(limit),
        ..eager()
    };
    for via in BOTH {
        let server = Server::start([Reply::Endless, Reply::Endless]);
        let started = Instant::now();
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        let elapsed = started.elapsed();
        assert_eq!(
            server.finish().len(),
            1,
            "{via:?}: the same body would come again"
        );
        let failure = failure(result);
        assert_eq!(
            failure.kind,
            TransportErrorKind::BodyTooLarge { limit },
            "{via:?}: {failure:?}"
        );
        assert!(
            failure.text.contains(&format!("{limit} bytes")),
            "{via:?}: the message names the limit: {failure:?}"
        );
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_huge_content_length_fails_before_the_body_is_read() {
    for via in BOTH {
        let server = Server::start([Reply::HugeLength { length: 1 << 40 }]);
        let started = Instant::now();
        let result = client(via, &server.base_url(), &Setup::default())
            .scan_post(&RevUsersScanRequest::default());
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert_eq!(
            failure.kind,
            TransportErrorKind::BodyTooLarge {
                limit: devrev_client::DEFAULT_BODY_LIMIT
            },
            "{via:?}: {failure:?}"
        );
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_body_dripped_slower_than_the_total_timeout_times_out() {
    let setup = Setup {
        timeout: Duration::from_millis(300),
        ..Setup::default()
    };
    for via in BOTH {
        let drip = Reply::Drip {
            length: 200,
            every: Duration::from_millis(20),
        };
        let server = Server::start([drip]);
        let started = Instant::now();
        let result =
            client(via, &server.base_url(), &setup).scan_post(&RevUsersScanRequest::default());
        let elapsed = started.elapsed();
        server.finish();
        let failure = failure(result);
        assert!(failure.timeout, "{via:?}: {failure:?}");
        assert!(
            elapsed >= Duration::from_millis(250) && elapsed < Duration::from_millis(1500),
            "{via:?}: the total timeout covers the body: {elapsed:?}"
        );
    }
}

#[test]
fn a_429_with_a_huge_retry_after_waits_only_the_capped_delay() {
    let policy = RetryPolicy::new()
        .max_delay(Duration::from_millis(50))
        .budget(Duration::from_secs(5));
    for via in BOTH {
        let limited = Reply::Respond {
            status: 429,
            headers: vec![("retry-after".to_owned(), "86000".to_owned())],
            body: documented(429),
        };
        let server = Server::start([limited, Reply::json(200, documented(200))]);
        let started = Instant::now();
        let result = create(via, &server.base_url(), &Setup::retrying(policy.clone()));
        let elapsed = started.elapsed();
        assert_eq!(
            server.finish().len(),
            2,
            "{via:?}: a 429 is retried even for a create"
        );
        assert_eq!(result.unwrap().status(), 200, "{via:?}");
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_503_forever_ends_with_the_budget_and_the_last_response() {
    let policy = RetryPolicy::new()
        .max_attempts(1000)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(40))
        .budget(Duration::from_millis(300));
    for via in BOTH {
        let server = Server::start((0..100).map(|_| Reply::json(503, documented(503))));
        let started = Instant::now();
        let result = client(via, &server.base_url(), &Setup::retrying(policy.clone()))
            .scan_post(&RevUsersScanRequest::default());
        let elapsed = started.elapsed();
        let arrivals = server.finish().len();
        assert!(
            matches!(
                result,
                Err(ClientError::Api(RevUsersScanPostError::ServiceUnavailable(
                    _
                )))
            ),
            "{via:?}: {result:?}"
        );
        assert!((2..100).contains(&arrivals), "{via:?}: {arrivals} arrivals");
        assert!(elapsed < Duration::from_secs(1), "{via:?}: {elapsed:?}");
    }
}

#[test]
fn a_503_without_retry_after_is_not_retried_for_a_create() {
    for via in BOTH {
        let server = Server::start([
            Reply::json(503, documented(503)),
            Reply::json(200, documented(200)),
        ]);
        let result = create(via, &server.base_url(), &eager());
        assert_eq!(server.finish().len(), 1, "{via:?}");
        assert_eq!(result.unwrap().status(), 503, "{via:?}");
    }
}
