//! An operation's error union may gain a variant (a newly documented status) in a later version:
//! a match without a wildcard arm does not compile, so that addition is not a breaking change.

use devrev_client::operations::RevUsersScanError;

fn status(error: &RevUsersScanError) -> u16 {
    match error {
        RevUsersScanError::BadRequest(_) => 400,
        RevUsersScanError::Unauthorized(_) => 401,
        RevUsersScanError::Forbidden(_) => 403,
        RevUsersScanError::NotFound(_) => 404,
        RevUsersScanError::TooManyRequests(_) => 429,
        RevUsersScanError::InternalServerError(_) => 500,
        RevUsersScanError::ServiceUnavailable(_) => 503,
        RevUsersScanError::UnexpectedStatus(_) => 0,
        RevUsersScanError::Undecodable(_) => 0,
    }
}

fn main() {
    let _ = status;
}
