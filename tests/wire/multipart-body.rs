//! A `multipart/form-data` body, read back by a real parser.

use fixture_multipart_body::operations::{files_upload, FilesUploadBody};
use fixture_multipart_body::types::{UploadRequestMetadata, UploadRequestPurpose};
use fixture_multipart_body::{BaseUrl, Config, FilePart, Token};
use tests::{parse_multipart, ParsedPart};

fn part(
    name: &str,
    file_name: Option<&str>,
    content_type: Option<&str>,
    bytes: &[u8],
) -> ParsedPart {
    ParsedPart {
        name: Some(name.to_owned()),
        file_name: file_name.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        bytes: bytes.to_vec(),
    }
}

#[test]
fn multipart_bodies_parse_back_part_by_part() {
    let config = Config::new(
        BaseUrl::new("https://api.example.com").unwrap(),
        Token::new("t").unwrap(),
    );
    // The image holds the first boundary the encoder would try, so it must pick another.
    let image = b"\x89PNG\r\n--form-boundary-0\r\n\x00\xff".to_vec();
    let body = FilesUploadBody {
        attachments: Some(vec![
            FilePart::new("a.txt", b"first".to_vec()).with_content_type("text/plain"),
            FilePart::new("b.bin", b"second".to_vec()),
        ]),
        file: FilePart::new("me \"1\".png", image.clone()),
        labels: Some(vec!["x".into(), "y".into()]),
        metadata: Some(UploadRequestMetadata {
            source: Some("camera".into()),
        }),
        purpose: UploadRequestPurpose::Avatar,
        title: None,
    };
    let request = files_upload::request(&config, &body).unwrap();
    let content_type = request.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        content_type,
        "multipart/form-data; boundary=form-boundary-1"
    );
    let parts = parse_multipart(&content_type, request.into_body());
    assert_eq!(
        parts,
        [
            part("attachments", Some("a.txt"), Some("text/plain"), b"first"),
            part(
                "attachments",
                Some("b.bin"),
                Some("application/octet-stream"),
                b"second"
            ),
            part("file", Some("me %221%22.png"), Some("image/png"), &image),
            part("labels", None, None, b"x"),
            part("labels", None, None, b"y"),
            part(
                "metadata",
                None,
                Some("application/json"),
                br#"{"source":"camera"}"#
            ),
            part("purpose", None, None, b"avatar"),
        ]
    );
}
