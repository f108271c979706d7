//! Every documented error of the POST operation can be matched by name, and the 429 body says
//! when to retry. The union is `#[non_exhaustive]`, so a new status in a later version of the
//! crate is a new variant, not a breaking change: matches keep a wildcard arm.

use devrev_client::operations::RevUsersScanPostError;
use devrev_client::types::ErrorTooManyRequests;

fn retry_after(error: &RevUsersScanPostError) -> Option<i64> {
    match error {
        RevUsersScanPostError::BadRequest(_) => None,
        RevUsersScanPostError::Unauthorized(_) => None,
        RevUsersScanPostError::Forbidden(_) => None,
        RevUsersScanPostError::NotFound(_) => None,
        RevUsersScanPostError::TooManyRequests(body) => body.retry_after,
        RevUsersScanPostError::InternalServerError(_) => None,
        RevUsersScanPostError::ServiceUnavailable(_) => None,
        RevUsersScanPostError::UnexpectedStatus(_) => None,
        RevUsersScanPostError::Undecodable(_) => None,
        _ => None,
    }
}

fn main() {
    let body: ErrorTooManyRequests =
        serde_json::from_str(r#"{"type":"too_many_requests","retry_after":30}"#).unwrap();
    let error = RevUsersScanPostError::TooManyRequests(Box::new(body));
    assert_eq!(retry_after(&error), Some(30));
    assert_eq!(error.status(), 429);
}
