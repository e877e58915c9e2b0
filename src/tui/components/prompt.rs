//! One-line prompts typed on the status line: `/` search, `:` jump to a clause (or
//! `:import FILE…`, mail into the review).

use ratatui::text::{Line, Span};

use super::{DIM, KEY};
use crate::text::sanitize_line;
use crate::tui::action::{Action, KeyName};

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/`: words to find in both texts (hits show while typing).
    Search,
    /// `:`: a clause id to jump to.
    Jump,
}

impl PromptKind {
    /// What the prompt line starts with.
    fn sign(self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Jump => ":",
        }
    }
}

/// A prompt being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// What an action in a prompt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptEvent {
    /// The text changed (or nothing happened).
    Edited,
    /// Enter: the text.
    Submitted(String),
    /// Esc, or Backspace on an empty prompt.
    Cancelled,
}

impl Prompt {
    pub fn new(kind: PromptKind) -> Prompt {
        Prompt { kind, text: String::new() }
    }

    pub fn handle(&mut self, action: Action) -> PromptEvent {
        match action {
            Action::Input(k) => match k.key {
                KeyName::Char('u') if k.ctrl => self.text.clear(),
                KeyName::Char(c) if !k.ctrl && !k.alt => self.text.push(c),
                KeyName::Backspace if self.text.pop().is_none() => return PromptEvent::Cancelled,
                _ => {}
            },
            Action::Paste(text) => self.text.extend(text.chars().filter(|c| !c.is_control())),
            Action::Submit => return PromptEvent::Submitted(std::mem::take(&mut self.text)),
            Action::Escape => return PromptEvent::Cancelled,
            _ => {}
        }
        PromptEvent::Edited
    }

    /// The status line while typing; `extra` follows the text (the number of hits).
    pub fn line(&self, extra: String) -> Line<'static> {
        Line::from(vec![
            Span::styled(self.kind.sign(), KEY),
            Span::raw(sanitize_line(&self.text)),
            Span::styled("█", DIM),
            Span::styled(extra, DIM),
        ])
    }
}

/// The files of `:import FILE…`, when the prompt says `import`: words split at spaces;
/// `"…"`, `'…'` and `\ ` keep a space in a name.
pub fn import_paths(query: &str) -> Option<Vec<String>> {
    let rest = query.trim_start().strip_prefix("import")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (mut out, mut word, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => (quote, any) = (Some(c), true),
            (None, '\\') => word.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() || any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() || any {
        out.push(word);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::import_paths;

    #[test]
    fn import_takes_its_files_and_leaves_clauses_alone() {
        assert_eq!(import_paths("2.2(b)"), None);
        assert_eq!(import_paths("imports"), None);
        assert_eq!(import_paths("import"), Some(vec![]));
        assert_eq!(
            import_paths(" import  a.mbox b.eml "),
            Some(vec!["a.mbox".into(), "b.eml".into()])
        );
        assert_eq!(
            import_paths(r#"import "my mail.eml" 'x y' a\ b ''"#),
            Some(vec!["my mail.eml".into(), "x y".into(), "a b".into(), String::new()])
        );
    }
}
