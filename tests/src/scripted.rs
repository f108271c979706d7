//! An in-memory transport that plays a script, async ([`Transport`]) and blocking
//! ([`BlockingTransport`]) alike, and keeps every request it was sent.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use devrev_client::{BlockingTransport, Transport, TransportError};

/// One answer of a [`Scripted`] transport.
#[derive(Debug, Clone)]
pub enum Step {
    /// A response.
    Respond {
        /// The status code.
        status: u16,
        /// The headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// The connection is refused: a `std::io::ErrorKind::ConnectionRefused` error, as the
    /// shipped transports report it, before anything was sent.
    Refuse,
}

impl Step {
    /// A response of `status` with `body` and no headers.
    pub fn respond(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// This response with one more header; only for [`Step::Respond`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match &mut self {
            Self::Respond { headers, .. } => headers.push((name.to_owned(), value.to_owned())),
            Self::Refuse => panic!("a refused connection has no headers"),
        }
        self
    }

    fn answer(&self) -> Result<http::Response<Vec<u8>>, TransportError> {
        match self {
            Self::Respond {
                status,
                headers,
                body,
            } => {
                let mut response = http::Response::builder().status(*status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                Ok(response
                    .body(body.clone())
                    .expect("a valid scripted response"))
            }
            Self::Refuse => Err(TransportError::from(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        }
    }
}

/// Answers requests with its steps in order, then with its last answer for ever (see
/// [`Scripted::then`]); records every request.
#[derive(Debug)]
pub struct Scripted {
    steps: Mutex<VecDeque<Step>>,
    after: Step,
    sent: Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl Scripted {
    /// Answers every request with `step`.
    pub fn always(step: Step) -> Self {
        Self::new([], step)
    }

    /// Answers with `steps` in order, then with `after` for every further request.
    pub fn new(steps: impl IntoIterator<Item = Step>, after: Step) -> Self {
        Self {
            steps: Mutex::new(steps.into_iter().collect()),
            after,
            sent: Mutex::new(Vec::new()),
        }
    }

    /// Answers with `steps` in order, then refuses every connection, as if the server had gone.
    pub fn then_gone(steps: impl IntoIterator<Item = Step>) -> Self {
        Self::new(steps, Step::Refuse)
    }

    /// The requests sent so far, in order.
    pub fn sent(&self) -> MutexGuard<'_, Vec<http::Request<Vec<u8>>>> {
        self.sent.lock().expect("not poisoned")
    }

    /// The JSON bodies sent so far, in order.
    pub fn json_sent(&self) -> Vec<serde_json::Value> {
        self.sent()
            .iter()
            .map(|request| serde_json::from_slice(request.body()).expect("a JSON request body"))
            .collect()
    }

    fn answer(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent().push(request);
        let step = self.steps.lock().expect("not poisoned").pop_front();
        step.as_ref().unwrap_or(&self.after).answer()
    }
}

impl Transport for Scripted {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.answer(request)
    }
}

impl BlockingTransport for Scripted {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.answer(request)
    }
}
