//! JSON for scripts: the [`Report`] as documented in the [`crate::export`] module doc.

use super::report::Report;

/// Render the report as pretty JSON. Hidden characters in strings are written as `\uXXXX`
/// escapes (see [`to_json`]), so the output is safe on a terminal too.
pub fn json(r: &Report) -> String {
    let mut s = to_json(r);
    s.push('\n');
    s
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    #[test]
    fn round_trips_and_escapes_controls() {
        let r = sample::report();
        let s = json(&r);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'));
        assert!(s.contains("\\u001b") && s.contains("\\u202e"));
        let back: Report = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(back, r);
        let v: serde_json::Value = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(v["format"], "lrw-export/1");
        assert_eq!(v["threads"][1]["anchor_state"], "moved");
        assert_eq!(v["threads"][2]["anchor_state"], "orphaned");
        assert_eq!(v["matrix"][0]["cells"][2], serde_json::Value::Null);
        assert_eq!(v["counts"]["orphaned"], 1);
    }

    #[test]
    fn snapshot_of_the_sample() {
        insta::assert_snapshot!(json(&sample::report()));
    }
}
