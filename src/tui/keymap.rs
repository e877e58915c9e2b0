//! Keys to actions, per mode; and a parser of key strings (`"<esc>:2.2b<ret>"`) so tests can
//! type through the real keymap.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::action::{Action, KeyIn, KeyName};
use super::app::Mode;

/// Which group of bindings applies in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keys {
    Normal,
    /// `/` and `:` prompts and the comment editor: typed keys are text.
    TextEntry,
    Question,
    Picker,
    Help,
}

fn keys_for(mode: &Mode) -> Keys {
    match mode {
        Mode::Normal => Keys::Normal,
        Mode::Prompt(_) | Mode::Editor | Mode::Typing => Keys::TextEntry,
        Mode::Confirm(_) => Keys::Question,
        Mode::Picker => Keys::Picker,
        Mode::Help => Keys::Help,
    }
}

/// The action for a terminal event in `mode`, if any.
pub fn map_event(mode: &Mode, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => map_key(mode, key),
        Event::Mouse(m) => match m.kind {
            // Shift + wheel scrolls sideways, as in most programs with a horizontal scroll.
            MouseEventKind::ScrollUp if m.modifiers.contains(KeyModifiers::SHIFT) => {
                Some(Action::ScrollLeft { column: m.column, row: m.row })
            }
            MouseEventKind::ScrollDown if m.modifiers.contains(KeyModifiers::SHIFT) => {
                Some(Action::ScrollRight { column: m.column, row: m.row })
            }
            MouseEventKind::ScrollUp => Some(Action::ScrollUp { column: m.column, row: m.row }),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown { column: m.column, row: m.row }),
            MouseEventKind::ScrollLeft => Some(Action::ScrollLeft { column: m.column, row: m.row }),
            MouseEventKind::ScrollRight => {
                Some(Action::ScrollRight { column: m.column, row: m.row })
            }
            MouseEventKind::Down(MouseButton::Left) => {
                Some(Action::Click { column: m.column, row: m.row })
            }
            _ => None,
        },
        Event::Paste(s) => Some(Action::Paste(s.clone())),
        Event::Resize(w, h) => Some(Action::Resize { width: *w, height: *h }),
        _ => None,
    }
}

/// The action for a key in `mode`, if any.
pub fn map_key(mode: &Mode, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // Raw mode turns Ctrl+Z into a key: it suspends, as the terminal would.
    if ctrl && key.code == KeyCode::Char('z') {
        return Some(Action::Suspend);
    }
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match keys_for(mode) {
        Keys::Normal => normal(key, ctrl),
        Keys::TextEntry => match key.code {
            KeyCode::Esc => Some(Action::Escape),
            KeyCode::Char('s') if ctrl && *mode == Mode::Editor => Some(Action::Submit),
            KeyCode::Char('e') if ctrl && *mode == Mode::Editor => Some(Action::ExternalEditor),
            // A terminal in raw mode sends a line feed (in a paste without brackets, say) as
            // Ctrl+J: a line break too.
            KeyCode::Char('j') if ctrl && *mode == Mode::Editor => Some(Action::Input(KeyIn {
                key: KeyName::Enter,
                ctrl: false,
                alt: false,
                shift: false,
            })),
            KeyCode::Enter if *mode != Mode::Editor => Some(Action::Submit),
            _ => key_in(key).map(Action::Input),
        },
        Keys::Question => match key.code {
            KeyCode::Char('y') => Some(Action::Yes),
            KeyCode::Char('n') | KeyCode::Esc => Some(Action::No),
            KeyCode::Char('k') => Some(Action::Keep),
            _ => None,
        },
        Keys::Picker => match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::Char('g') | KeyCode::Home => Some(Action::Top),
            KeyCode::Char('G') | KeyCode::End => Some(Action::Bottom),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Char(' ') => Some(Action::Toggle),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Escape),
            KeyCode::Right => Some(Action::FocusNext),
            KeyCode::Left => Some(Action::FocusPrev),
            // Letters pick an item at once where the picker has them; `q` otherwise closes.
            KeyCode::Char(c) if !ctrl => Some(Action::Pick(c)),
            _ => None,
        },
        Keys::Help => match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(Action::Down),
            KeyCode::Char('k') | KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') => Some(Action::Help),
            _ => None,
        },
    }
}

fn normal(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    let action = match key.code {
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        _ if ctrl => return None,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        // Sideways: `<` `>` (the shift operators' arrows; free, unlike `h` `l`, which move
        // between panes) and Shift + arrow; `0` back to the first column, as in vi.
        KeyCode::Char('>') => Action::PanRight,
        KeyCode::Char('<') => Action::PanLeft,
        KeyCode::Right if key.modifiers.contains(KeyModifiers::SHIFT) => Action::PanRight,
        KeyCode::Left if key.modifiers.contains(KeyModifiers::SHIFT) => Action::PanLeft,
        KeyCode::Char('0') => Action::PanStart,
        KeyCode::Char('h') | KeyCode::Left => Action::FocusPrev,
        KeyCode::Char('l') | KeyCode::Right => Action::FocusNext,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Char('n') => Action::Next,
        KeyCode::Char('N') => Action::Prev,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char(':') => Action::Jump,
        KeyCode::Esc => Action::Escape,
        KeyCode::Char('=') => Action::ToggleNormalized,
        KeyCode::Char('w') => Action::ToggleWrap,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('m') => Action::MessageLog,
        KeyCode::Char('V') => Action::SelectLines,
        KeyCode::Char('a') => Action::NewThread,
        KeyCode::Char('r') => Action::Reply,
        KeyCode::Char('E') => Action::EditComment,
        KeyCode::Char('D') => Action::DeleteComment,
        KeyCode::Char('x') => Action::ToggleResolved,
        KeyCode::Char('c') => Action::Criteria,
        KeyCode::Char('v') => Action::Verdict,
        KeyCode::Char('d') => Action::DeleteDraft,
        KeyCode::Char('s') => Action::Versions,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('L') => Action::Closest,
        KeyCode::Char('t') => Action::Terms,
        KeyCode::Char('Y') => Action::Glossary,
        KeyCode::Char('T') => Action::ShowThreads,
        KeyCode::Char('S') => Action::ManageVersions,
        KeyCode::Char('i') => Action::ToggleCase,
        KeyCode::Char('A') => Action::AcceptText,
        KeyCode::Char('M') => Action::ShowMatrix,
        KeyCode::Char('f') => Action::Filter,
        KeyCode::Char(']') => Action::NextThread,
        KeyCode::Char('[') => Action::PrevThread,
        KeyCode::Enter => Action::Submit,
        _ => return None,
    };
    Some(action)
}

fn key_in(key: &KeyEvent) -> Option<KeyIn> {
    let name = match key.code {
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Esc => KeyName::Esc,
        _ => return None,
    };
    Some(KeyIn {
        key: name,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
        shift: key.modifiers.contains(KeyModifiers::SHIFT),
    })
}

/// One line of the help overlay and of the README keys table: keys, what they do, where.
pub struct KeyHelp {
    pub keys: &'static str,
    pub what: &'static str,
    pub mode: &'static str,
}

const fn kh(keys: &'static str, what: &'static str, mode: &'static str) -> KeyHelp {
    KeyHelp { keys, what, mode }
}

/// Every binding, as the help overlay lists them.
pub const HELP: &[KeyHelp] = &[
    kh("j k  ↓ ↑", "move in the focused pane; threads: read on, then the next thread", "reading"),
    kh("Tab S-Tab  h l  ← →", "focus next / previous pane (clauses, texts, threads)", "reading"),
    kh("PgDn PgUp  Space  C-d C-u", "page down / up (texts, threads)", "reading"),
    kh("g G  Home End", "first / last", "reading"),
    kh("n N", "next / previous change (while searching: next / previous hit)", "reading"),
    kh("/", "search both texts; Enter keeps the hits, Esc clears them", "reading"),
    kh(":", "jump to a clause: 2.2(b), 2.2.b, § 2.2 (b), Section 2.2(b)", "reading"),
    kh("=", "toggle normalised / exact comparison", "reading"),
    kh("i", "toggle case folding (pairing and word diff alike)", "reading"),
    kh("w", "toggle line wrapping", "reading"),
    kh("< >  S-← S-→  0", "no wrap: scroll both texts sideways; 0 back to column 0", "reading"),
    kh("V", "select lines (the quote of a new thread); V or Esc ends", "reading"),
    kh("L", "closest SPDX licenses to the right text; pick one for the left", "reading"),
    kh(
        "t",
        "definition of the term on the line or clause (both wordings); outline * marks clauses that read the same but use a changed one",
        "reading",
    ),
    kh("Y", "glossary: every defined term, changed or not; / filters, Enter shows it", "reading"),
    kh("] [", "next / previous thread of the review (its clause, it selected)", "overview"),
    kh("T", "every thread of the review, in the texts' place; T or Esc back", "overview"),
    kh("f", "threads list: filter by status, verdict, criterion, author", "overview"),
    kh("Enter", "threads list, matrix: go to the thread or clause", "overview"),
    kh("M", "clauses × criteria matrix (as in the exports), open / resolved", "overview"),
    kh("s", "choose which versions to compare; the selection keeps its clause", "versions"),
    kh("S", "versions: add (file, spdx:ID), name, date, remove; h l compare", "versions"),
    kh("A", "a version's file changed: record the new text (asks first)", "versions"),
    kh("a", "new thread on the clause, the selected lines or the search hit", "annotating"),
    kh("r", "reply to the selected thread", "annotating"),
    kh("E", "edit your last comment in the selected thread (shown as edited)", "annotating"),
    kh("D", "delete your last comment, when no reply follows it (asks first)", "annotating"),
    kh("x", "resolve / reopen the selected thread", "annotating"),
    kh("c", "criteria of the selected thread (several at once)", "annotating"),
    kh("v", "verdict of the selected thread: then c o f q n picks one at once", "annotating"),
    kh("d", "delete your unsent draft", "annotating"),
    kh("e", "export a summary (Markdown, HTML, text, JSON) next to the review", "annotating"),
    kh(
        ":import FILE…",
        "import list mail (mbox, .eml, Maildir) as threads; shows a report",
        "annotating",
    ),
    kh("Ctrl+S", "post and save at once", "editor"),
    kh("Ctrl+E", "edit the text in $VISUAL / $EDITOR, then back here", "editor"),
    kh("paste", "keeps its line breaks; hidden characters show as ⟨U+…⟩ markers", "editor"),
    kh("wheel", "scrolls the texts above while you write", "editor"),
    kh("Esc", "cancel (asks first when text was typed)", "editor"),
    kh("Space  Enter  Esc", "toggle / save / cancel", "pickers"),
    kh("c o f q n", "verdict picker: conforms, concern, conflict, question, note", "pickers"),
    kh("← →  h l", "filter: change the value; x clears all, Esc undoes", "pickers"),
    kh("a n t d A", "versions dialog: add, name, date, remove, accept new text", "pickers"),
    kh("mouse", "wheel scrolls the pane under it (texts sideways too), click selects", "anywhere"),
    kh("m", "every message of the session, whole (the status line may cut one)", "anywhere"),
    kh("?", "this help", "anywhere"),
    kh("q  Ctrl+C", "quit (asks when an unsent draft exists)", "anywhere"),
    kh("Ctrl+Z", "suspend to the shell (fg comes back; what you typed is kept)", "anywhere"),
];

/// Parse a key string: plain characters, and `<name>` for special keys (`<esc>`, `<ret>`,
/// `<tab>`, `<s-tab>`, `<bs>`, `<del>`, `<up>`, `<down>`, `<left>`, `<right>`, `<pgup>`,
/// `<pgdn>`, `<home>`, `<end>`, `<space>`, `<lt>`, `<s-left>`, `<s-right>`, `<C-x>` for Ctrl+x).
pub fn parse_keys(s: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
            out.push(named_key(&name));
        } else {
            out.push(char_key(c));
        }
    }
    out
}

fn char_key(c: char) -> KeyEvent {
    let mods = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    KeyEvent::new(KeyCode::Char(c), mods)
}

fn named_key(name: &str) -> KeyEvent {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    if let Some(rest) = name.strip_prefix("C-").or_else(|| name.strip_prefix("c-"))
        && let Some(c) = rest.chars().next()
    {
        return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    }
    match name {
        "esc" => plain(KeyCode::Esc),
        "ret" | "enter" | "cr" => plain(KeyCode::Enter),
        "tab" => plain(KeyCode::Tab),
        "s-tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "bs" => plain(KeyCode::Backspace),
        "del" => plain(KeyCode::Delete),
        "up" => plain(KeyCode::Up),
        "down" => plain(KeyCode::Down),
        "left" => plain(KeyCode::Left),
        "right" => plain(KeyCode::Right),
        "pgup" => plain(KeyCode::PageUp),
        "pgdn" => plain(KeyCode::PageDown),
        "s-left" => KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT),
        "s-right" => KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT),
        "home" => plain(KeyCode::Home),
        "end" => plain(KeyCode::End),
        "space" => plain(KeyCode::Char(' ')),
        "lt" => plain(KeyCode::Char('<')),
        other => panic!("unknown key name <{other}> in a key string"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings_parse() {
        let keys = parse_keys("<esc>:2.2b<ret><C-s>G");
        assert_eq!(keys.len(), 9);
        assert_eq!(keys[0].code, KeyCode::Esc);
        assert_eq!(keys[1].code, KeyCode::Char(':'));
        assert_eq!(keys[6].code, KeyCode::Enter);
        assert_eq!(keys[7], KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert_eq!(keys[8].modifiers, KeyModifiers::SHIFT);
    }

    #[test]
    fn modes_change_meaning_of_keys() {
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map_key(&Mode::Normal, &q), Some(Action::Quit));
        assert!(matches!(map_key(&Mode::Editor, &q), Some(Action::Input(_))));
        let cs = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(map_key(&Mode::Editor, &cs), Some(Action::Submit));
        let ret = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert!(matches!(map_key(&Mode::Editor, &ret), Some(Action::Input(_))));
        let search = Mode::Prompt(crate::tui::components::prompt::PromptKind::Search);
        assert_eq!(map_key(&search, &ret), Some(Action::Submit));
        let cz = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
        for mode in [Mode::Normal, Mode::Editor, search, Mode::Picker, Mode::Help] {
            assert_eq!(map_key(&mode, &cz), Some(Action::Suspend), "{mode:?}");
        }
    }

    #[test]
    fn sideways_keys_and_wheels() {
        let n = &Mode::Normal;
        let key = |s: &str| map_key(n, &parse_keys(s)[0]);
        assert_eq!(key(">"), Some(Action::PanRight));
        assert_eq!(key("<lt>"), Some(Action::PanLeft));
        assert_eq!(key("<s-right>"), Some(Action::PanRight));
        assert_eq!(key("<s-left>"), Some(Action::PanLeft));
        assert_eq!(key("0"), Some(Action::PanStart));
        assert_eq!(key("<right>"), Some(Action::FocusNext), "plain arrows still move focus");
        assert_eq!(key("l"), Some(Action::FocusNext));
        let wheel = |kind, modifiers| {
            let m = ratatui::crossterm::event::MouseEvent { kind, column: 3, row: 4, modifiers };
            map_event(n, &Event::Mouse(m))
        };
        let (none, shift) = (KeyModifiers::NONE, KeyModifiers::SHIFT);
        let at = |a: fn(u16, u16) -> Action| Some(a(3, 4));
        let left = |column, row| Action::ScrollLeft { column, row };
        let right = |column, row| Action::ScrollRight { column, row };
        assert_eq!(wheel(MouseEventKind::ScrollLeft, none), at(left));
        assert_eq!(wheel(MouseEventKind::ScrollRight, none), at(right));
        assert_eq!(wheel(MouseEventKind::ScrollUp, shift), at(left));
        assert_eq!(wheel(MouseEventKind::ScrollDown, shift), at(right));
        assert_eq!(
            wheel(MouseEventKind::ScrollDown, none),
            Some(Action::ScrollDown { column: 3, row: 4 })
        );
    }

    #[test]
    fn actions_are_snake_case_data() {
        let json = serde_json::to_string(&Action::ToggleResolved).unwrap();
        assert_eq!(json, "\"toggle_resolved\"");
        let back: Action = serde_json::from_str("\"new_thread\"").unwrap();
        assert_eq!(back, Action::NewThread);
    }
}
