use super::*;

#[derive(Serialize)]
struct Message<'a> {
    #[serde(rename = "To")]
    to: &'a str,
    #[serde(rename = "StatusCallbackEvent")]
    events: Vec<&'a str>,
    metadata: Option<Meta>,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct Meta {
    order: u32,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    sku: &'static str,
}

#[test]
fn form_bodies_use_encodings_and_brackets() {
    let body = Message {
        to: "+1 555 & co",
        events: vec!["initiated", "ringing"],
        metadata: Some(Meta {
            order: 7,
            items: vec![Item { sku: "a b" }],
        }),
        tags: vec!["x", "y"],
    };
    let encodings = [Encoding {
        name: "tags",
        style: Style::Form,
        explode: false,
    }];
    let body = urlencoded(&body, &encodings).unwrap();
    assert_eq!(body.content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(body.bytes).unwrap(),
        "To=%2B1%20555%20%26%20co&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing\
         &metadata%5Border%5D=7&metadata%5Bitems%5D%5B0%5D%5Bsku%5D=a%20b&tags=x,y"
    );
}

#[test]
fn form_bodies_leave_out_absent_fields_and_refuse_scalars() {
    #[derive(Serialize)]
    struct Sparse {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<u8>,
        b: bool,
    }
    let body = urlencoded(&Sparse { a: None, b: true }, &[]).unwrap();
    assert_eq!(body.bytes, b"b=true");
    assert!(urlencoded(&"text", &[]).is_err());
}

#[test]
fn multipart_bodies_have_parts_and_a_boundary_they_do_not_contain() {
    let mut form = Multipart::default();
    let file = FilePart::new("a\"b.txt", b"--form-boundary-0\r\nhello".to_vec());
    form.file("file", &file, "text/plain");
    form.text("purpose", "fine-tune").unwrap();
    form.text("n", &[1, 2]).unwrap();
    form.json("meta", &serde_json::json!({"k": 1})).unwrap();
    let body = form.finish();
    assert_eq!(
        body.content_type,
        "multipart/form-data; boundary=form-boundary-1"
    );
    let expected = "--form-boundary-1\r\n\
        Content-Disposition: form-data; name=\"file\"; filename=\"a%22b.txt\"\r\n\
        Content-Type: text/plain\r\n\r\n\
        --form-boundary-0\r\nhello\r\n\
        --form-boundary-1\r\n\
        Content-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
        --form-boundary-1\r\n\
        Content-Disposition: form-data; name=\"n\"\r\n\r\n1\r\n\
        --form-boundary-1\r\n\
        Content-Disposition: form-data; name=\"n\"\r\n\r\n2\r\n\
        --form-boundary-1\r\n\
        Content-Disposition: form-data; name=\"meta\"\r\n\
        Content-Type: application/json\r\n\r\n{\"k\":1}\r\n\
        --form-boundary-1--\r\n";
    assert_eq!(String::from_utf8(body.bytes).unwrap(), expected);
}
