//! Where requests go and how they authenticate: the base URL and the bearer token.
//!
//! Both are validated when they are made, so a request can never carry a token that would split a
//! header or go to a plain-HTTP host on the network. The token never appears in any output.

use std::fmt;

/// A bearer token. Its `Debug` output is redacted and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Checks that `token` has no CR or LF anywhere (they could smuggle a header into the
    /// request), and that, with surrounding spaces and tabs trimmed, it is non-empty visible ASCII.
    pub fn new(token: impl Into<String>) -> Result<Self, ConfigError> {
        let token = token.into();
        // A line break anywhere, even a trailing one, is refused rather than trimmed: it means
        // the token was read carelessly, and in a header it would start a new one.
        if token.bytes().any(|b| b == b'\r' || b == b'\n') {
            return Err(ConfigError::InvalidToken(
                "the token contains a line break (CR or LF)",
            ));
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(ConfigError::InvalidToken("the token is empty"));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::InvalidToken(
                "the token contains a character that is not visible ASCII",
            ));
        }
        Ok(Self(token.to_owned()))
    }

    /// Reads the token from the environment variable `var`.
    pub fn from_env(var: &'static str) -> Result<Self, ConfigError> {
        match std::env::var(var) {
            Ok(token) if !token.trim().is_empty() => Self::new(token),
            Ok(_) | Err(std::env::VarError::NotPresent) => Err(ConfigError::MissingToken { var }),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::InvalidToken(
                "the token in the environment is not valid unicode",
            )),
        }
    }

    /// The `Authorization` header value for this token.
    pub(crate) fn header_value(&self) -> http::HeaderValue {
        let mut value = http::HeaderValue::try_from(format!("Bearer {}", self.0))
            .expect("a token is visible ASCII, checked in Token::new");
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The URL every request path is appended to, such as `https://api.devrev.ai`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks that `url` is an absolute `https` URL without query or fragment. Plain `http` is
    /// accepted only for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), for tests.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &'static str| ConfigError::InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        };
        let uri: http::Uri = url.parse().map_err(|_| invalid("it is not a valid URL"))?;
        let host = uri.host().ok_or_else(|| invalid("it has no host"))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(host) => {}
            Some("http") => return Err(invalid("plain http is allowed only for loopback hosts")),
            _ => return Err(invalid("the scheme must be https")),
        }
        if uri.query().is_some() || url.contains('#') {
            return Err(invalid("it must not have a query or fragment"));
        }
        Ok(Self(url.trim_end_matches('/').to_owned()))
    }

    /// The URL as given, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The base URL and token a request is built with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where requests go.
    pub base_url: BaseUrl,
    /// How requests authenticate.
    pub token: Token,
}

impl Config {
    /// A configuration for `base_url` with `token`.
    pub fn new(base_url: BaseUrl, token: Token) -> Self {
        Self { base_url, token }
    }
}

/// A base URL or token that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No token was given and the environment variable is not set.
    MissingToken {
        /// The environment variable that was read.
        var: &'static str,
    },
    /// The token cannot be sent in a header; says why, never what the token is.
    InvalidToken(&'static str),
    /// The base URL is not usable.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingToken { var } => write!(
                f,
                "no API token: pass one to the client or set the {var} environment variable"
            ),
            Self::InvalidToken(reason) => write!(f, "invalid API token: {reason}"),
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}
