//! Writing command output safely: text through the sanitiser, JSON with every hidden
//! character escaped, colour only when wanted.

use std::io::{IsTerminal, Write};

use super::Failure;

/// Text bound for the terminal (messages, reports): every line through the sanitiser.
pub fn sanitize_for_terminal(s: &str) -> String {
    crate::text::sanitize(s)
}

/// Serialise to pretty JSON in which controls, bidi and invisible characters are written as
/// `\uXXXX` escapes, so JSON piped to a terminal cannot act on it either.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let raw =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        // Outside strings JSON holds only ASCII punctuation, digits and white space, so a
        // hidden character can only sit inside a string, where an escape means the same.
        if c != '\n' && crate::text::sanitize::is_hidden(c) {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether to colour output: stdout is a terminal and `NO_COLOR` is not set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Write command output to stdout. A reader that stops early (`lrw check R | head`) closes
/// the pipe: that ends the output quietly, neither a panic nor an error.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// The outcome of writing output to stdout as it is made (see [`print`](fn@print)).
pub fn written(result: std::io::Result<()>) -> Result<(), Failure> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::input(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}
