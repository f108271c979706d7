//! The `mock` feature: a transport for tests of code that uses the client. It answers each
//! operation with the typed results registered for it, records the typed requests it was sent,
//! and fails clearly on a call nobody expected.
//!
//! It sits where the HTTP stack would, so the client's own request building and response
//! mapping run: under this feature each operation's `request` function attaches the operation's
//! `operationId` and a copy of its typed arguments (the operation's `Call`) to the request's
//! extensions, and a registered result is turned back into the response the server would have
//! sent by the operation's [`MockOperation::respond`], which its `response` function then maps
//! like any other. Generated code adds one method per operation to [`Mock`].

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::error::{ClientError, TransportError, TransportErrorKind};
use super::response::{Binary, RawResponse};
use super::transport::{BlockingTransport, OperationInfo, Transport};

/// One operation as the mock sees it, implemented by the operation's `Call`: the arguments it
/// was called with.
pub trait MockOperation: Clone + Send + Sync + 'static {
    /// The operation's `operationId`.
    const OPERATION: &'static str;
    /// What a successful call returns.
    type Output;
    /// The operation's error union.
    type Error;

    /// The response a server would send for `result`: the status, headers and body that the
    /// operation's `response` function maps back to `result`.
    fn respond(
        result: Result<Self::Output, Self::Error>,
    ) -> Result<http::Response<Vec<u8>>, MockError>;
}

/// A transport that answers from expectations instead of a server.
///
/// Register what each call answers with the method named after its operation
/// (`mock.rev_users_scan().returns(page)`): calls to an operation take its expectations in the
/// order they were registered, each once. A call with none left fails with a transport error
/// whose source is [`MockError::Unexpected`] (see [`MockError::of`]). After the code under test
/// has run, [`Mock::verify`] says whether every expectation was used and no call was unexpected.
///
/// Clones share their expectations and records: give a clone to the client and keep one.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

/// Answers one call from its typed request.
type Responder =
    Box<dyn FnOnce(&(dyn Any + Send + Sync)) -> Result<http::Response<Vec<u8>>, MockError> + Send>;

struct Expectation {
    operation: &'static str,
    respond: Responder,
}

#[derive(Default)]
struct State {
    /// What is still expected, in the order it was registered.
    expected: VecDeque<Expectation>,
    /// Every call with a typed request, in the order they came.
    calls: Vec<Attached>,
    /// The operations of the calls that found nothing expected.
    unexpected: Vec<&'static str>,
}

/// A call as the mock records it: the operation and its typed arguments.
#[derive(Clone)]
struct Attached {
    operation: &'static str,
    call: Arc<dyn Any + Send + Sync>,
}

/// What an operation's request carries for the mock beside its [`OperationInfo`]: its typed
/// arguments.
#[derive(Clone)]
struct Arguments(Arc<dyn Any + Send + Sync>);

/// Gives `request` a copy of `call`, for the mock to hand to responders and record; the
/// operation itself is known from the request's [`OperationInfo`].
pub(crate) fn attach<C: MockOperation>(
    mut request: http::Request<Vec<u8>>,
    call: C,
) -> http::Request<Vec<u8>> {
    request.extensions_mut().insert(Arguments(Arc::new(call)));
    request
}

impl Mock {
    /// A mock that expects nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether every registered expectation was used and every call was expected; otherwise
    /// [`MockError::Unmet`], naming the operations of each.
    pub fn verify(&self) -> Result<(), MockError> {
        let state = self.lock();
        let unconsumed: Vec<&'static str> = state.expected.iter().map(|e| e.operation).collect();
        if unconsumed.is_empty() && state.unexpected.is_empty() {
            return Ok(());
        }
        Err(MockError::Unmet {
            unconsumed,
            unexpected: state.unexpected.clone(),
        })
    }

    /// The state, also after a responder panicked while another thread held it: every change
    /// to it is a single push or removal, so it is never left half-done.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The response to `request`: from the first expectation left for its operation.
    fn answer(
        &self,
        request: &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let operation = OperationInfo::of(request).map(|info| info.id());
        let arguments = request.extensions().get::<Arguments>();
        let (Some(operation), Some(Arguments(call))) = (operation, arguments) else {
            return Err(failure(MockError::Untyped {
                method: request.method().clone(),
                uri: request.uri().clone(),
            }));
        };
        let attached = Attached {
            operation,
            call: Arc::clone(call),
        };
        let expectation = {
            let mut state = self.lock();
            state.calls.push(attached.clone());
            let next = state.expected.iter().position(|e| e.operation == operation);
            match next.and_then(|index| state.expected.remove(index)) {
                Some(expectation) => expectation,
                None => {
                    state.unexpected.push(operation);
                    return Err(failure(MockError::Unexpected { operation }));
                }
            }
        };
        // Outside the lock: a responder may itself look at the mock.
        (expectation.respond)(&*attached.call).map_err(failure)
    }
}

/// The transport error a mock failure travels in: nothing was sent.
fn failure(err: MockError) -> TransportError {
    TransportError::new(TransportErrorKind::Other, false).with_source(err)
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        let expected: Vec<&str> = state.expected.iter().map(|e| e.operation).collect();
        f.debug_struct("Mock")
            .field("expected", &expected)
            .field("calls", &state.calls.len())
            .field("unexpected", &state.unexpected)
            .finish()
    }
}

impl Transport for Mock {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl std::future::Future<Output = Result<http::Response<Vec<u8>>, TransportError>> + Send
    {
        std::future::ready(self.answer(&request))
    }
}

impl BlockingTransport for Mock {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.answer(&request)
    }
}

/// The expectations and recorded calls of one operation, from the [`Mock`] method named after
/// it. Each registration is used by one call; chain them for several.
pub struct Expect<'a, C> {
    mock: &'a Mock,
    call: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for Expect<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expect")
            .field("mock", self.mock)
            .finish_non_exhaustive()
    }
}

impl<'a, C: MockOperation> Expect<'a, C> {
    /// The operation's expectations in `mock`.
    pub(crate) fn new(mock: &'a Mock) -> Self {
        Self {
            mock,
            call: PhantomData,
        }
    }

    /// The next call succeeds with `value`.
    pub fn returns(self, value: C::Output) -> Self {
        let response = C::respond(Ok(value));
        self.push(Box::new(move |_| response))
    }

    /// The next call fails with `error`: the server answers with its status and body.
    pub fn fails(self, error: C::Error) -> Self {
        let response = C::respond(Err(error));
        self.push(Box::new(move |_| response))
    }

    /// The next call is answered by `respond`, from the typed request the code sent.
    pub fn responds(
        self,
        respond: impl FnOnce(&C) -> Result<C::Output, C::Error> + Send + 'static,
    ) -> Self {
        self.push(Box::new(move |call| match call.downcast_ref::<C>() {
            Some(call) => C::respond(respond(call)),
            // Calls are matched by operation, and each operation has one `Call` type.
            None => Err(MockError::Unexpected {
                operation: C::OPERATION,
            }),
        }))
    }

    /// The typed requests the operation was sent, in order, those that found no expectation
    /// included.
    pub fn calls(&self) -> Vec<C> {
        let state = self.mock.lock();
        state
            .calls
            .iter()
            .filter(|attached| attached.operation == C::OPERATION)
            .filter_map(|attached| attached.call.downcast_ref::<C>().cloned())
            .collect()
    }

    fn push(self, respond: Responder) -> Self {
        self.mock.lock().expected.push_back(Expectation {
            operation: C::OPERATION,
            respond,
        });
        self
    }
}

/// Why the mock could not answer, or why [`Mock::verify`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockError {
    /// A call to `operation` when it had no expectation left.
    Unexpected {
        /// The operation's `operationId`.
        operation: &'static str,
    },
    /// A request no operation of this crate built (sent with `send`), so the mock cannot tell
    /// what it is.
    Untyped {
        /// Its method.
        method: http::Method,
        /// Its URI.
        uri: http::Uri,
    },
    /// A registered result cannot be written as a response (a content type that is not a
    /// header value, a value that does not serialize, a status that is not HTTP's).
    Encode {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// From [`Mock::verify`]: expectations left over and calls that found none, by operation.
    Unmet {
        /// The operation of each expectation no call used, in registration order.
        unconsumed: Vec<&'static str>,
        /// The operation of each call that found no expectation, in call order.
        unexpected: Vec<&'static str>,
    },
}

impl MockError {
    /// The mock's error inside a failed call's error, if the mock failed it.
    pub fn of<E>(err: &ClientError<E>) -> Option<&MockError> {
        let source = std::error::Error::source(err.transport()?)?;
        source.downcast_ref()
    }
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unexpected { operation } => {
                write!(
                    f,
                    "unexpected call to `{operation}`: no expectation left for it"
                )
            }
            Self::Untyped { method, uri } => write!(
                f,
                "the mock cannot answer {method} {uri}: no operation of this crate built it"
            ),
            Self::Encode { operation, reason } => write!(
                f,
                "the result registered for `{operation}` cannot be written as a response: {reason}"
            ),
            Self::Unmet {
                unconsumed,
                unexpected,
            } => {
                f.write_str("the mock's expectations were not met")?;
                if !unconsumed.is_empty() {
                    write!(f, "; never called: {}", quoted(unconsumed))?;
                }
                if !unexpected.is_empty() {
                    write!(f, "; called unexpectedly: {}", quoted(unexpected))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for MockError {}

fn quoted(operations: &[&str]) -> String {
    let quoted: Vec<String> = operations.iter().map(|op| format!("`{op}`")).collect();
    quoted.join(", ")
}

/// A response of `status` with no body.
pub(crate) fn empty(
    operation: &'static str,
    status: u16,
) -> Result<http::Response<Vec<u8>>, MockError> {
    response(operation, status, Vec::new(), None)
}

/// A response of `status` with `value` as its JSON body.
pub(crate) fn json<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    status: u16,
    value: &T,
) -> Result<http::Response<Vec<u8>>, MockError> {
    let body = serde_json::to_vec(value).map_err(|err| MockError::Encode {
        operation,
        reason: err.to_string(),
    })?;
    let json = http::HeaderValue::from_static("application/json");
    response(operation, status, body, Some(json))
}

/// A response of `status` with `text` as its UTF-8 body.
pub(crate) fn text(
    operation: &'static str,
    status: u16,
    text: String,
) -> Result<http::Response<Vec<u8>>, MockError> {
    let plain = http::HeaderValue::from_static("text/plain; charset=utf-8");
    response(operation, status, text.into_bytes(), Some(plain))
}

/// A response of `status` with `binary`'s bytes, labelled with its content type.
pub(crate) fn binary(
    operation: &'static str,
    status: u16,
    binary: Binary,
) -> Result<http::Response<Vec<u8>>, MockError> {
    let content_type = match binary.content_type {
        Some(value) => {
            Some(
                http::HeaderValue::try_from(value).map_err(|err| MockError::Encode {
                    operation,
                    reason: format!("the content type is not a header value: {err}"),
                })?,
            )
        }
        None => None,
    };
    response(operation, status, binary.bytes, content_type)
}

/// The response `raw` keeps, headers and all.
pub(crate) fn raw(raw: RawResponse) -> Result<http::Response<Vec<u8>>, MockError> {
    let mut response = http::Response::new(raw.body);
    *response.status_mut() = raw.status;
    *response.headers_mut() = raw.headers;
    Ok(response)
}

/// The response of `status` (a documented code, or the one a range variant carries).
fn response(
    operation: &'static str,
    status: u16,
    body: Vec<u8>,
    content_type: Option<http::HeaderValue>,
) -> Result<http::Response<Vec<u8>>, MockError> {
    let status = http::StatusCode::from_u16(status).map_err(|err| MockError::Encode {
        operation,
        reason: format!("{status} is not an HTTP status: {err}"),
    })?;
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, content_type);
    }
    Ok(response)
}

#[cfg(test)]
mod tests;
