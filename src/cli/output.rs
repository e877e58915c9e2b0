//! Writing command output safely: text through the sanitiser, JSON with every hidden
//! character escaped, colour only when wanted.

use std::io::{IsTerminal, Write};

use super::Failure;

/// Text bound for the terminal (messages, reports): every line through the sanitiser.
pub fn sanitize_for_terminal(s: &str) -> String {
    crate::text::sanitize(s)
}

/// Serialise to pretty JSON with every hidden character escaped (see
/// [`crate::export::json::to_json`]).
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    crate::export::json::to_json(value)
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
