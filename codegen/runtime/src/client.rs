//! The client: a configuration and a transport. Generated code adds one method per operation.

use super::config::{BaseUrl, Config, ConfigError, Token};
use super::error::ClientError;
use super::request::RequestError;
use super::transport::Transport;

/// A client of the API over the transport `T`.
///
/// Build it with `Client::builder`; each operation is a method that builds the request, sends it
/// through the transport and maps the response to the operation's result type or error union.
#[derive(Debug, Clone)]
pub struct Client<T> {
    config: Config,
    transport: T,
}

impl<T> Client<T> {
    /// A client sending requests built with `config` through `transport`.
    pub fn new(config: Config, transport: T) -> Self {
        Self { config, transport }
    }

    /// The base URL and token requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T: Transport> Client<T> {
    /// Sends a built request and maps the response with `parse`.
    pub(crate) async fn execute<R, E>(
        &self,
        request: Result<http::Request<Vec<u8>>, RequestError>,
        parse: impl FnOnce(http::Response<Vec<u8>>) -> Result<R, E>,
    ) -> Result<R, ClientError<E>> {
        let request = request.map_err(ClientError::Request)?;
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|err| ClientError::Transport(Box::new(err)))?;
        parse(response).map_err(ClientError::Api)
    }
}

/// Builds a [`Client`]: the token from an argument or the environment, and the base URL.
pub struct ClientBuilder<T> {
    transport: T,
    base_url: String,
    token: Option<String>,
    token_env: &'static str,
}

impl<T: std::fmt::Debug> std::fmt::Debug for ClientBuilder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("transport", &self.transport)
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("token_env", &self.token_env)
            .finish()
    }
}

impl<T> ClientBuilder<T> {
    /// A builder with the API's default base URL that reads the token from `token_env` unless
    /// one is given.
    pub(crate) fn new(transport: T, base_url: &str, token_env: &'static str) -> Self {
        Self {
            transport,
            base_url: base_url.to_owned(),
            token: None,
            token_env,
        }
    }

    /// Uses `token` instead of the environment variable.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sends requests to `base_url` instead of the default.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Checks the token and base URL and builds the client.
    pub fn build(self) -> Result<Client<T>, ConfigError> {
        let token = match self.token {
            Some(token) => Token::new(token)?,
            None => Token::from_env(self.token_env)?,
        };
        let base_url = BaseUrl::new(&self.base_url)?;
        Ok(Client::new(Config::new(base_url, token), self.transport))
    }
}
