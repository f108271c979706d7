//! Cursor pagination: follow `next_cursor` page by page and yield each item.
//!
//! Generated code implements [`Paginated`] for every operation whose request has a `cursor`
//! and whose response has a `next_cursor` and one array; the scan logic lives here once. Memory
//! stays constant in the number of items: one page is buffered at a time, and the cursors
//! already followed are kept as 8-byte hashes so a server that sends a cursor twice is caught
//! instead of looping forever.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::blocking::BlockingClient;
use super::client::Client;
use super::config::Config;
use super::error::ClientError;
use super::request::RequestError;
use super::transport::{BlockingTransport, Transport};

/// An operation that pages with a cursor.
pub trait Paginated {
    /// The request: a body or a query, with a cursor field.
    type Request;
    /// What each page holds a list of.
    type Item;
    /// The operation's error union.
    type Error;

    /// Sets the cursor of the next request (`None` for the first page).
    fn set_cursor(request: &mut Self::Request, cursor: Option<String>);

    /// Builds the HTTP request for one page.
    fn build(
        config: &Config,
        request: &Self::Request,
    ) -> Result<http::Request<Vec<u8>>, RequestError>;

    /// Maps one response to the page's items and the next cursor.
    #[allow(clippy::type_complexity)]
    fn parse(
        response: http::Response<Vec<u8>>,
    ) -> Result<(Vec<Self::Item>, Option<String>), Self::Error>;
}

/// The state of a scan, shared by the async and blocking paginators.
pub(crate) struct Scan<P: Paginated> {
    request: P::Request,
    page: std::vec::IntoIter<P::Item>,
    followed: HashSet<u64>,
    finished: bool,
}

impl<P: Paginated> Scan<P> {
    /// A scan starting where `request`'s cursor says; no cursor means the beginning.
    pub(crate) fn new(request: P::Request) -> Self {
        Self {
            request,
            page: Vec::new().into_iter(),
            followed: HashSet::new(),
            finished: false,
        }
    }

    /// The next item of the current page.
    pub(crate) fn buffered(&mut self) -> Option<P::Item> {
        self.page.next()
    }

    /// The request for the next page, or `None` when the scan is over.
    pub(crate) fn next_request(
        &mut self,
        config: &Config,
    ) -> Option<Result<http::Request<Vec<u8>>, RequestError>> {
        if self.finished {
            return None;
        }
        Some(P::build(config, &self.request))
    }

    /// Takes a page in: buffers its items and moves the cursor on, or ends the scan.
    pub(crate) fn accept(
        &mut self,
        items: Vec<P::Item>,
        next: Option<String>,
    ) -> Result<(), ClientError<P::Error>> {
        self.page = items.into_iter();
        match next {
            Some(cursor) if !cursor.is_empty() => {
                if !self.followed.insert(fingerprint(&cursor)) {
                    self.finished = true;
                    return Err(ClientError::RepeatedCursor(cursor));
                }
                P::set_cursor(&mut self.request, Some(cursor));
            }
            _ => self.finished = true,
        }
        Ok(())
    }

    /// Ends the scan after an error: a paginator yields an error once, then nothing.
    pub(crate) fn fail<E>(&mut self, err: E) -> Option<Result<P::Item, E>> {
        self.finished = true;
        self.page = Vec::new().into_iter();
        Some(Err(err))
    }
}

fn fingerprint(cursor: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    cursor.hash(&mut hasher);
    hasher.finish()
}

/// Every item of a paginated operation, fetched a page at a time as they are consumed.
///
/// ```text
/// let mut users = client.rev_users_scan_post_all(request);
/// while let Some(user) = users.next().await {
///     let user = user?;
/// }
/// ```
pub struct Paginator<'c, T, P: Paginated> {
    client: &'c Client<T>,
    scan: Scan<P>,
}

impl<'c, T: Transport, P: Paginated> Paginator<'c, T, P> {
    /// A scan starting at `request`'s cursor (the beginning when it has none).
    pub fn new(client: &'c Client<T>, request: P::Request) -> Self {
        Self {
            client,
            scan: Scan::new(request),
        }
    }

    /// The next item, fetching the next page when the current one is used up. After an error
    /// the scan is over and this returns `None`.
    pub async fn next(&mut self) -> Option<Result<P::Item, ClientError<P::Error>>> {
        loop {
            if let Some(item) = self.scan.buffered() {
                return Some(Ok(item));
            }
            let request = self.scan.next_request(self.client.config())?;
            match self.client.execute(request, P::parse).await {
                Ok((items, next)) => {
                    if let Err(err) = self.scan.accept(items, next) {
                        return self.scan.fail(err);
                    }
                }
                Err(err) => return self.scan.fail(err),
            }
        }
    }

    /// Collects every remaining item, stopping at the first error.
    pub async fn collect(mut self) -> Result<Vec<P::Item>, ClientError<P::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T, P: Paginated> std::fmt::Debug for Paginator<'_, T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("finished", &self.scan.finished)
            .field("pages_followed", &self.scan.followed.len())
            .finish()
    }
}

/// Every item of a paginated operation over the blocking client, as an iterator.
///
/// ```text
/// for user in blocking.rev_users_scan_post_all(request) {
///     let user = user?;
/// }
/// ```
pub struct BlockingPaginator<'c, T, P: Paginated> {
    client: &'c BlockingClient<T>,
    scan: Scan<P>,
}

impl<'c, T: BlockingTransport, P: Paginated> BlockingPaginator<'c, T, P> {
    /// A scan starting at `request`'s cursor (the beginning when it has none).
    pub fn new(client: &'c BlockingClient<T>, request: P::Request) -> Self {
        Self {
            client,
            scan: Scan::new(request),
        }
    }
}

impl<T: BlockingTransport, P: Paginated> Iterator for BlockingPaginator<'_, T, P> {
    type Item = Result<P::Item, ClientError<P::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.scan.buffered() {
                return Some(Ok(item));
            }
            let request = self.scan.next_request(self.client.config())?;
            match self.client.call(request, P::parse) {
                Ok((items, next)) => {
                    if let Err(err) = self.scan.accept(items, next) {
                        return self.scan.fail(err);
                    }
                }
                Err(err) => return self.scan.fail(err),
            }
        }
    }
}

impl<T, P: Paginated> std::fmt::Debug for BlockingPaginator<'_, T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingPaginator")
            .field("finished", &self.scan.finished)
            .field("pages_followed", &self.scan.followed.len())
            .finish()
    }
}
