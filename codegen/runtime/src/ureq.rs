//! The `ureq` feature: a [`BlockingTransport`] on ureq, with rustls on ring and Mozilla's root
//! certificates, for programs without an async runtime.
//!
//! Every status comes back as a response, never as a ureq error, so the operations' documented
//! error bodies are decoded as usual.

use super::error::{TransportError, TransportErrorKind};
use super::request::USER_AGENT;
use super::transport::{BlockingTransport, TransportOptions};

/// Sends requests with a [`ureq::Agent`], honouring each request's [`TransportOptions`]
/// (connect and total timeouts, body limit).
///
/// Redirects are not followed: the API does not redirect, and following one would turn a `POST`
/// into a `GET` or send the request somewhere else; a 3xx comes back as the operation's
/// unexpected-status error. The agent reads proxies from the usual environment variables.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ::ureq::Agent,
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl UreqTransport {
    /// A transport on a new agent.
    pub fn new() -> Self {
        let agent = ::ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            // Requests carry their own `User-Agent`; this covers any that do not.
            .user_agent(USER_AGENT)
            .build()
            .new_agent();
        Self { agent }
    }

    /// The ureq agent requests go through.
    pub fn agent(&self) -> &::ureq::Agent {
        &self.agent
    }
}

impl BlockingTransport for UreqTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let options = TransportOptions::of(&request);
        let (parts, body) = request.into_parts();
        // An empty body on a method that takes none is left out, rather than sent as
        // `Content-Length: 0`.
        let bodyless = body.is_empty()
            && !matches!(
                parts.method,
                http::Method::POST | http::Method::PUT | http::Method::PATCH
            );
        let response = if bodyless {
            let request = self
                .agent
                .configure_request(http::Request::from_parts(parts, ()))
                .timeout_connect(Some(options.connect_timeout()))
                .timeout_global(Some(options.timeout()))
                .build();
            self.agent.run(request)
        } else {
            let request = self
                .agent
                .configure_request(http::Request::from_parts(parts, body))
                .timeout_connect(Some(options.connect_timeout()))
                .timeout_global(Some(options.timeout()))
                .build();
            self.agent.run(request)
        }
        .map_err(classify)?;
        options.check_declared_length(response.headers())?;
        let (parts, mut body) = response.into_parts();
        let body = body
            .with_config()
            .limit(options.body_limit())
            .read_to_vec()
            .map_err(classify)?;
        Ok(http::Response::from_parts(parts, body))
    }
}

/// What a ureq error means for the caller and for retries.
fn classify(err: ::ureq::Error) -> TransportError {
    use ::ureq::Timeout;
    let (kind, sent) = match &err {
        ::ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => {
            (TransportErrorKind::Timeout, false)
        }
        ::ureq::Error::Timeout(_) => (TransportErrorKind::Timeout, true),
        ::ureq::Error::HostNotFound | ::ureq::Error::ConnectionFailed => {
            (TransportErrorKind::Connect, false)
        }
        ::ureq::Error::Io(_) => return TransportError::from(err.into_io()),
        ::ureq::Error::Tls(_) | ::ureq::Error::Rustls(_) | ::ureq::Error::TlsRequired => {
            (TransportErrorKind::Tls, false)
        }
        ::ureq::Error::BadUri(_) | ::ureq::Error::Http(_) => {
            (TransportErrorKind::InvalidUrl, false)
        }
        ::ureq::Error::BodyExceedsLimit(limit) => {
            return TransportError::body_too_large(*limit).with_source(err)
        }
        ::ureq::Error::Protocol(_) | ::ureq::Error::BodyStalled => {
            (TransportErrorKind::Closed, true)
        }
        _ => (TransportErrorKind::Other, true),
    };
    TransportError::new(kind, sent).with_source(err)
}
