use super::*;

#[derive(Serialize)]
#[allow(non_snake_case)]
struct Color {
    R: u8,
    G: u8,
    B: u8,
}

const RGB: Color = Color {
    R: 100,
    G: 200,
    B: 150,
};
const LIST: [&str; 3] = ["blue", "black", "brown"];

fn query(style: Style, explode: bool, value: &impl Serialize) -> String {
    let mut query = Query::default();
    query.param("color", style, explode, value).unwrap();
    query.as_str().to_owned()
}

fn in_path(style: Style, explode: bool, value: &impl Serialize) -> String {
    path("color", style, explode, value).unwrap()
}

// The "Style Examples" table of OpenAPI 3.0.3 / 3.1.1, row by row.
#[test]
fn path_styles_follow_the_openapi_table() {
    for explode in [false, true] {
        assert_eq!(in_path(Style::Simple, explode, &"blue"), "blue");
        assert_eq!(in_path(Style::Simple, explode, &LIST), "blue,black,brown");
        assert_eq!(in_path(Style::Label, explode, &"blue"), ".blue");
        assert_eq!(in_path(Style::Matrix, explode, &"blue"), ";color=blue");
        assert_eq!(in_path(Style::Matrix, explode, &()), ";color");
        assert_eq!(in_path(Style::Label, explode, &()), ".");
        assert_eq!(in_path(Style::Simple, explode, &()), "");
    }
    assert_eq!(in_path(Style::Simple, false, &RGB), "R,100,G,200,B,150");
    assert_eq!(in_path(Style::Simple, true, &RGB), "R=100,G=200,B=150");
    assert_eq!(in_path(Style::Label, false, &LIST), ".blue,black,brown");
    assert_eq!(in_path(Style::Label, true, &LIST), ".blue.black.brown");
    assert_eq!(in_path(Style::Label, false, &RGB), ".R,100,G,200,B,150");
    assert_eq!(in_path(Style::Label, true, &RGB), ".R=100.G=200.B=150");
    assert_eq!(
        in_path(Style::Matrix, false, &LIST),
        ";color=blue,black,brown"
    );
    assert_eq!(
        in_path(Style::Matrix, true, &LIST),
        ";color=blue;color=black;color=brown"
    );
    assert_eq!(
        in_path(Style::Matrix, false, &RGB),
        ";color=R,100,G,200,B,150"
    );
    assert_eq!(in_path(Style::Matrix, true, &RGB), ";R=100;G=200;B=150");
}

#[test]
fn query_styles_follow_the_openapi_table() {
    for explode in [false, true] {
        assert_eq!(query(Style::Form, explode, &"blue"), "color=blue");
        assert_eq!(query(Style::Form, explode, &()), "color=");
    }
    assert_eq!(query(Style::Form, false, &LIST), "color=blue,black,brown");
    assert_eq!(
        query(Style::Form, true, &LIST),
        "color=blue&color=black&color=brown"
    );
    assert_eq!(query(Style::Form, false, &RGB), "color=R,100,G,200,B,150");
    assert_eq!(query(Style::Form, true, &RGB), "R=100&G=200&B=150");
    assert_eq!(
        query(Style::SpaceDelimited, false, &LIST),
        "color=blue%20black%20brown"
    );
    assert_eq!(
        query(Style::SpaceDelimited, false, &RGB),
        "color=R%20100%20G%20200%20B%20150"
    );
    assert_eq!(
        query(Style::PipeDelimited, false, &LIST),
        "color=blue%7Cblack%7Cbrown"
    );
    assert_eq!(
        query(Style::PipeDelimited, false, &RGB),
        "color=R%7C100%7CG%7C200%7CB%7C150"
    );
    assert_eq!(
        query(Style::DeepObject, true, &RGB),
        "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
    );
}

#[test]
fn separators_inside_values_are_escaped() {
    assert_eq!(
        query(Style::Form, false, &["a,b", "c&d"]),
        "color=a%2Cb,c%26d"
    );
    assert_eq!(in_path(Style::Simple, false, &"a/b c"), "a%2Fb%20c");
    assert_eq!(in_path(Style::Matrix, false, &"a;b=c"), ";color=a%3Bb%3Dc");
}

#[test]
fn nested_values_are_refused_or_bracketed() {
    let nested = serde_json::json!({"a": {"b": 1}});
    let mut q = Query::default();
    assert!(q.param("x", Style::Form, true, &nested).is_err());
    assert!(path("x", Style::Simple, false, &nested).is_err());
    assert!(q.param("x", Style::DeepObject, true, &"scalar").is_err());
    let mut out = Vec::new();
    brackets("x", &Shape::of("x", &nested).unwrap(), &mut out);
    assert_eq!(out, [("x%5Ba%5D%5Bb%5D".to_owned(), "1".to_owned())]);
}

#[test]
fn headers_are_simple_and_unescaped() {
    assert_eq!(header("X", false, &"a b").unwrap(), "a b");
    assert_eq!(header("X", false, &[1, 2]).unwrap(), "1,2");
    assert_eq!(header("X", true, &RGB).unwrap(), "R=100,G=200,B=150");
    assert!(header("X", false, &"a\r\nb").is_err());
}
