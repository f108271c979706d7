//! The GET operation's query and the POST operation's body are different types, even though they
//! carry the same filters.

use devrev_client::operations::{rev_users_scan_post, RevUsersScanQuery};
use devrev_client::{BaseUrl, Config, Token};

fn main() {
    let config = Config::new(
        BaseUrl::new("https://api.devrev.ai").unwrap(),
        Token::new("t").unwrap(),
    );
    let query = RevUsersScanQuery::default();
    let _ = rev_users_scan_post::request(&config, &query);
}
