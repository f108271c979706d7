//! The `reqwest` feature: a [`Transport`] on reqwest, with rustls on ring and Mozilla's root
//! certificates (no OpenSSL, no aws-lc).
//!
//! It only moves bytes: the request arrives fully built (URL, token, `User-Agent`, JSON body) and
//! the response leaves whole, whatever its status, its body read chunk by chunk up to the
//! request's limit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::error::{TransportError, TransportErrorKind};
use super::request::USER_AGENT;
use super::transport::{Transport, TransportOptions, DEFAULT_CONNECT_TIMEOUT};

/// Sends requests with a [`reqwest::Client`]; needs a tokio runtime, as reqwest does.
///
/// Each request's [`TransportOptions`] (set on the client builder) give its total timeout, its
/// body limit and, for a transport made with [`ReqwestTransport::new`], its connect timeout.
///
/// Redirects are not followed: the API does not redirect, and following one would turn a `POST`
/// into a `GET` or send the request somewhere else; a 3xx comes back as the operation's
/// unexpected-status error.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: ::reqwest::Client,
    /// The connect timeout `client` was built with; `None` for a client given by the caller,
    /// which keeps its own.
    connect_timeout: Option<Duration>,
    /// A client for another connect timeout, made on first use: reqwest sets it per client.
    other: Arc<Mutex<Option<(Duration, ::reqwest::Client)>>>,
}

impl ReqwestTransport {
    /// A transport that connects within each request's connect timeout (10 s by default).
    pub fn new() -> Result<Self, TransportError> {
        Ok(Self {
            client: build_client(DEFAULT_CONNECT_TIMEOUT)?,
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            other: Arc::default(),
        })
    }

    /// Sends requests with a client you configured yourself (proxies, certificates, ...), which
    /// keeps its connect timeout; each request's total timeout and body limit still apply. The
    /// requests carry this crate's `User-Agent`, which overrides the client's. Configure it not
    /// to follow redirects.
    pub fn from_client(client: ::reqwest::Client) -> Self {
        Self {
            client,
            connect_timeout: None,
            other: Arc::default(),
        }
    }

    /// The reqwest client requests go through by default.
    pub fn client(&self) -> &::reqwest::Client {
        &self.client
    }

    /// The client for `connect_timeout`.
    fn client_for(&self, connect_timeout: Duration) -> Result<::reqwest::Client, TransportError> {
        match self.connect_timeout {
            None => return Ok(self.client.clone()),
            Some(own) if own == connect_timeout => return Ok(self.client.clone()),
            Some(_) => {}
        }
        let mut other = self.other.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((timeout, client)) = &*other {
            if *timeout == connect_timeout {
                return Ok(client.clone());
            }
        }
        let client = build_client(connect_timeout)?;
        *other = Some((connect_timeout, client.clone()));
        Ok(client)
    }
}

fn build_client(connect_timeout: Duration) -> Result<::reqwest::Client, TransportError> {
    ::reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .user_agent(USER_AGENT)
        .redirect(::reqwest::redirect::Policy::none())
        .build()
        .map_err(|err| TransportError::new(TransportErrorKind::Tls, false).with_source(err))
}

impl Transport for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let options = TransportOptions::of(&request);
        let client = self.client_for(options.connect_timeout())?;
        let mut request = ::reqwest::Request::try_from(request).map_err(classify)?;
        *request.timeout_mut() = Some(options.timeout());
        let mut response = client.execute(request).await.map_err(classify)?;
        options.check_declared_length(response.headers())?;
        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(&mut response, options.body_limit()).await?;
        let mut out = http::Response::new(body);
        *out.status_mut() = status;
        *out.version_mut() = version;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

/// Reads the body a chunk at a time, stopping as soon as it passes `limit`.
async fn read_body(
    response: &mut ::reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, TransportError> {
    // Content-Length was checked against the limit; it only sizes the buffer.
    let expected = response.content_length().unwrap_or(0).min(limit);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(TransportError::body_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// What a reqwest error means for the caller and for retries.
fn classify(err: ::reqwest::Error) -> TransportError {
    let (kind, sent) = if err.is_builder() {
        (TransportErrorKind::InvalidUrl, false)
    } else if err.is_timeout() {
        (TransportErrorKind::Timeout, !err.is_connect())
    } else if err.is_connect() {
        // rustls' failures reach us as I/O errors of kind `InvalidData`.
        let tls = io_kinds(&err).any(|kind| kind == std::io::ErrorKind::InvalidData);
        let kind = if tls {
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        };
        (kind, false)
    } else if err.is_request() || err.is_body() || err.is_decode() {
        // The connection broke once the request was on its way: whether the server read it
        // cannot be known.
        (TransportErrorKind::Closed, true)
    } else {
        (TransportErrorKind::Other, true)
    };
    TransportError::new(kind, sent).with_source(err)
}

/// The kinds of the I/O errors in `err`'s chain of causes.
fn io_kinds<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = std::io::ErrorKind> + 'a {
    std::iter::successors(Some(err), |err| err.source()).filter_map(|err| {
        err.downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
    })
}

#[cfg(test)]
mod tests;
