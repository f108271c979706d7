//! A token cannot be printed by accident: it has no `Display`.

use devrev_client::Token;

fn main() {
    let token = Token::new("t").unwrap();
    println!("{}", token);
}
