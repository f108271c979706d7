//! Where in a JSON document a decoding error happened, as a path such as
//! `rev_users[17].created_date`.
//!
//! serde_json reports the line and column where it stopped; the path is found by reading the
//! text up to there, keeping only the open objects' current keys and the open arrays' current
//! indices. Decoding again with a path-tracking deserializer would compile every type's
//! decoding a second time, for the failure path alone.

/// The path of the value `error` (from decoding `text`) is about: `.` for the document itself.
///
/// serde_json gives the line (one-based) and the column (the bytes before the position on its
/// line) where it stopped. The path is a property's or an element's while its value is being
/// read, as a path-tracking deserializer would say: from the `:` (or the element's first byte)
/// until the value ends. A missing field is about the object it is missing from, which serde_json
/// has read to its closing brace when it reports it (serde words it `missing field`).
pub(crate) fn at(text: &str, error: &serde_json::Error) -> String {
    let start_of_line = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut offset = (start_of_line + error.column()).min(text.len());
    let missing = error.to_string().starts_with("missing field");
    if missing && offset > 0 && text.as_bytes()[offset - 1] == b'}' {
        offset -= 1;
    }
    let mut reader = Reader::default();
    reader.read(&text.as_bytes()[..offset]);
    let next = text.as_bytes()[offset..]
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace());
    reader.finish(next, missing);
    path(reader.open)
}

/// A container still open at the position.
enum Open {
    /// An object: the key of its current property once it has been read, and whether its
    /// value is being read.
    Object(Option<String>, bool),
    /// An array: the index of its current element, and whether the element is being read.
    Array(usize, bool),
}

/// Reads a prefix of a JSON document, keeping the open containers.
#[derive(Default)]
struct Reader {
    open: Vec<Open>,
    /// Inside a number or a literal, which ends at the next delimiter or space.
    scalar: bool,
    /// A value ended at the last byte read: its property or element is still current if
    /// something is reported right there.
    ended: bool,
}

impl Reader {
    fn read(&mut self, prefix: &[u8]) {
        let mut i = 0;
        while i < prefix.len() {
            let byte = prefix[i];
            self.ended = false;
            if self.scalar && (byte.is_ascii_whitespace() || b",:]}".contains(&byte)) {
                self.scalar = false;
                self.end_value();
            }
            match byte {
                b'"' if self.expecting_key() => {
                    let (key, end, _) = string(prefix, i + 1);
                    if let Some(Open::Object(current, _)) = self.open.last_mut() {
                        *current = Some(key);
                    }
                    i = end;
                    continue;
                }
                b'{' => {
                    self.start_value();
                    self.open.push(Open::Object(None, false));
                }
                b'[' => {
                    self.start_value();
                    self.open.push(Open::Array(0, false));
                }
                b'"' => {
                    self.start_value();
                    let (_, end, closed) = string(prefix, i + 1);
                    if closed {
                        self.end_value();
                        self.ended = end == prefix.len();
                    }
                    i = end;
                    continue;
                }
                b'}' | b']' => {
                    self.open.pop();
                    self.end_value();
                    self.ended = i + 1 == prefix.len();
                }
                b':' => {
                    if let Some(Open::Object(_, reading)) = self.open.last_mut() {
                        *reading = true;
                    }
                }
                b',' => match self.open.last_mut() {
                    Some(Open::Array(index, reading)) => {
                        *index += 1;
                        *reading = false;
                    }
                    Some(Open::Object(key, reading)) => {
                        *key = None;
                        *reading = false;
                    }
                    None => {}
                },
                byte if byte.is_ascii_whitespace() => {}
                _ => {
                    if !self.scalar {
                        self.start_value();
                        self.scalar = true;
                    }
                }
            }
            i += 1;
        }
    }

    /// Whether the innermost container is an object waiting for a key.
    fn expecting_key(&self) -> bool {
        matches!(self.open.last(), Some(Open::Object(None, false)))
    }

    /// A value starts in the innermost container.
    fn start_value(&mut self) {
        if let Some(Open::Array(_, reading)) = self.open.last_mut() {
            *reading = true;
        }
    }

    /// The innermost container's current value has ended.
    fn end_value(&mut self) {
        match self.open.last_mut() {
            Some(Open::Array(_, reading) | Open::Object(_, reading)) => *reading = false,
            None => {}
        }
    }

    /// Settles the innermost container at the position, `next` being the first byte after it
    /// that is not a space: a value that ended just there is still the one reported on (unless
    /// the document ends there), a number or literal is still being read (unless it ends the
    /// document), and an element whose first byte is next is being read.
    fn finish(&mut self, next: Option<u8>, missing: bool) {
        let at_end = next.is_none();
        let reading = if self.scalar {
            !at_end
        } else {
            self.ended && !at_end
        };
        match self.open.last_mut() {
            Some(Open::Object(key, current)) => {
                *current = !missing && (*current || reading);
                if !*current {
                    *key = None;
                }
            }
            Some(Open::Array(_, current)) => {
                let starts = matches!(next, Some(byte) if byte != b']');
                *current = *current || reading || starts;
            }
            None => {}
        }
    }
}

/// The string whose text starts at `start` (after its opening quote), unescaped as far as a
/// key needs; the index after its closing quote, or the end of `prefix`; and whether it closed.
fn string(prefix: &[u8], start: usize) -> (String, usize, bool) {
    let mut i = start;
    while i < prefix.len() && prefix[i] != b'"' {
        i += if prefix[i] == b'\\' { 2 } else { 1 };
    }
    let closed = i < prefix.len();
    let raw = &prefix[start..i.min(prefix.len())];
    // A well-formed string decodes as JSON; anything else is shown as written.
    let decoded = std::str::from_utf8(raw)
        .ok()
        .and_then(|raw| serde_json::from_str::<String>(&format!("\"{raw}\"")).ok());
    let text = decoded.unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned());
    (text, (i + 1).min(prefix.len()), closed)
}

/// `open` as serde_path_to_error writes a path: keys joined by `.`, indices in brackets. The
/// outer containers are all being read (what is inside them is their current value); the
/// innermost names its property or element only while that is being read.
fn path(open: Vec<Open>) -> String {
    let mut path = String::new();
    for container in open {
        match container {
            Open::Object(Some(key), true) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
            }
            Open::Array(index, true) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            Open::Object(..) | Open::Array(..) => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests;
