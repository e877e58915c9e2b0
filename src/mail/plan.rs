//! From messages to an import plan: which threads to start or continue, where each is
//! anchored, and the comments, as plain data that a session turns into changes of a review.
//!
//! - **Already imported.** A message whose id, or whose content id (see
//!   [`Message::content_id`]), is among the review's message ids is skipped, so importing
//!   the same mail twice adds nothing, and a message first recovered from a quote and later
//!   read from an mbox is not added again. Two copies of one message in the same import
//!   (a quote and the real message) are one comment; the real one wins.
//! - **Threads.** A message goes into the thread of the message it answers: its
//!   `In-Reply-To`, else the message recovered from its quoted history, else the last of its
//!   `References` that is known. That may be a thread of the review (see [`ExistingThread`]).
//!   A message that answers nothing starts a thread.
//! - **Anchors.** A new thread is anchored at the first clause its messages cite that the
//!   version has (a quoted passage of the license anchors with its quote), in the order they
//!   were written, so a thread opened by a message citing nothing is anchored by the first
//!   reply that does; a thread nothing cites stays review-level (no anchor). A reply to an
//!   anchored thread whose citations are all of other clauses (not the thread's clause, one
//!   above it or one inside it) changes the topic: it starts a thread at the first of them.
//! - **Criteria** named in a thread's messages become its criteria.
//! - **Bodies** hold no control or invisible characters, and are cut at
//!   [`clean::BODY_MAX`]; every problem is a note on its message, never a failed import.

use std::collections::{HashMap, HashSet};

use crate::criteria::CriteriaSet;
use crate::review::Anchor;
use crate::text::ClauseTree;

use super::cite::{Citations, VersionText, find_citations};
use super::{Message, clean};

/// What a plan is made against.
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The version citations are read against.
    pub version: VersionText<'a>,
    /// Criteria sets for `OSD 6` and the like.
    pub criteria: &'a [CriteriaSet],
    /// Message ids (and content ids) already in the review: their messages are skipped.
    pub known: &'a HashSet<String>,
    /// The review's threads, by the message ids of their comments: replies to them continue
    /// them.
    pub existing: &'a HashMap<String, ExistingThread>,
}

/// A thread of the review that holds an imported message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingThread {
    pub id: String,
    /// Its anchor's clause (in the version of the plan), if any: a reply citing only other
    /// clauses starts a new thread.
    pub clause: Option<String>,
}

/// Where a planned thread's comments go.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ThreadTarget {
    /// A new thread; `anchor` is `None` for a review-level thread.
    New {
        /// Boxed: an anchor is large, the other variant small.
        #[serde(skip)]
        anchor: Option<Box<Anchor>>,
        clause: Option<String>,
    },
    /// Comments added to a thread of the review.
    Existing { thread: String },
}

/// One thread to start or continue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlannedThread {
    pub target: ThreadTarget,
    /// Criteria ids named in its new messages, first mention first.
    pub criteria: Vec<String>,
    /// The subject of its first message, without `Re:`/`AW:`/`R:` prefixes: what a reply's
    /// `Subject: Re:` repeats.
    pub subject: Option<String>,
    /// The list address its messages went to: where a reply goes.
    pub list: Option<String>,
    /// Oldest first.
    pub comments: Vec<PlannedComment>,
}

/// One comment to add.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlannedComment {
    pub author: String,
    /// UTC RFC 3339; `None` when the message has no date (the session may use the import
    /// time, and says so).
    pub at: Option<String>,
    pub body: String,
    /// The message's id, or its content id (`lrw-…@recovered.invalid`) when it has none.
    pub message_id: String,
    /// Clause ids it cites that the version has.
    pub cites: Vec<String>,
    /// Citations of clauses the version does not have, as written: kept and reported.
    pub unresolved: Vec<String>,
    pub criteria: Vec<String>,
    /// Recovered from another message's quoted history.
    pub recovered: bool,
    /// File and position it was read from.
    pub origin: String,
    pub notes: Vec<String>,
}

/// The whole plan.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ImportPlan {
    pub threads: Vec<PlannedThread>,
    /// Ids of messages skipped as already in the review.
    pub already_imported: Vec<String>,
    /// Messages given, recovered ones included.
    pub messages: usize,
    /// One line each: what could not be read or placed, by message.
    pub notes: Vec<String>,
}

impl ImportPlan {
    /// Comments the plan adds.
    pub fn comment_count(&self) -> usize {
        self.threads.iter().map(|t| t.comments.len()).sum()
    }
}

/// The ids to pass as [`PlanInput::known`] for the comments a review holds, given as
/// `(message_id, author, body)`: each `message_id`, and the content id of author and body
/// (see [`super::content_id`]). With the latter, a message imported from an mbox is known
/// when it comes back recovered from a quote, and the other way round.
pub fn known_ids<'a>(
    comments: impl IntoIterator<Item = (Option<&'a str>, &'a str, &'a str)>,
) -> HashSet<String> {
    let mut out = HashSet::new();
    for (id, author, body) in comments {
        if let Some(id) = id {
            out.insert(id.to_string());
        }
        out.insert(super::content_id(Some(&super::Person::parse_loose(author)), body));
    }
    out
}

/// Make the plan for `messages` (as [`super::recover`] gives them).
pub fn plan(messages: &[Message], input: &PlanInput<'_>) -> ImportPlan {
    let mut out = ImportPlan { messages: messages.len(), ..ImportPlan::default() };

    // 1. Skip what the review has, fold copies of one message together.
    let mut order: Vec<usize> = (0..messages.len()).collect();
    // Real messages before recovered ones, so that the real copy is kept.
    order.sort_by_key(|&i| messages[i].recovered_from.is_some());
    let mut kept: Vec<Kept> = Vec::new();
    let mut alias: HashMap<String, usize> = HashMap::new();
    let mut skipped_keys: HashSet<String> = HashSet::new();
    for i in order {
        let m = &messages[i];
        let key = m.key();
        let content = m.content_id();
        if input.known.contains(&key) || input.known.contains(&content) {
            if !out.already_imported.contains(&key) {
                out.already_imported.push(key.clone());
            }
            skipped_keys.insert(key);
            skipped_keys.insert(content);
            continue;
        }
        // A copy (recovered from a quote) of a message skipped above.
        if skipped_keys.contains(&key) || skipped_keys.contains(&content) {
            continue;
        }
        if let Some(&k) = alias.get(&key).or_else(|| alias.get(&content)) {
            // A second copy: keep what it tells about threading.
            if kept[k].quoted.is_none() {
                kept[k].quoted = m.quoted.clone();
            }
            alias.entry(key).or_insert(k);
            alias.entry(content).or_insert(k);
            continue;
        }
        let idx = kept.len();
        alias.insert(key.clone(), idx);
        alias.insert(content, idx);
        kept.push(Kept { msg: i, key, quoted: m.quoted.clone() });
    }

    // 2. What each message answers.
    let parent: Vec<Parent> = kept
        .iter()
        .enumerate()
        .map(|(k, kp)| {
            let m = &messages[kp.msg];
            let candidates =
                m.in_reply_to.iter().chain(kp.quoted.iter()).chain(m.references.iter().rev());
            for id in candidates {
                if let Some(&j) = alias.get(id)
                    && j != k
                {
                    return Parent::Batch(j);
                }
                if let Some(e) = input.existing.get(id) {
                    return Parent::Existing(e.clone());
                }
            }
            Parent::None
        })
        .collect();

    // 3. Chronological order, parents first.
    let dates: Vec<Option<jiff::Timestamp>> = kept
        .iter()
        .map(|kp| messages[kp.msg].date.as_deref().and_then(|d| d.parse().ok()))
        .collect();
    let mut by_date: Vec<usize> = (0..kept.len()).collect();
    by_date.sort_by_key(|&k| (dates[k].is_none(), dates[k]));
    let mut placed: Vec<Option<usize>> = vec![None; kept.len()];
    let mut threads: Vec<Draft> = Vec::new();
    let mut existing_threads: HashMap<String, usize> = HashMap::new();
    let tree = input.version.tree;

    for &start in &by_date {
        // Walk up to the first placed ancestor (or a root), then place down the chain.
        let mut chain = vec![start];
        let mut seen: HashSet<usize> = HashSet::from([start]);
        while let Some(&top) = chain.last() {
            match &parent[top] {
                Parent::Batch(j) if placed[*j].is_none() && seen.insert(*j) => chain.push(*j),
                _ => break,
            }
        }
        for &k in chain.iter().rev() {
            if placed[k].is_some() {
                continue;
            }
            let m = &messages[kept[k].msg];
            let cites = find_citations(&m.body, &input.version, input.criteria);
            let resolved = cites.resolved();
            // The thread it would join.
            let joined: Option<usize> = match &parent[k] {
                Parent::Batch(j) => placed[*j],
                Parent::Existing(e) => {
                    Some(*existing_threads.entry(e.id.clone()).or_insert_with(|| {
                        threads.push(Draft::existing(e));
                        threads.len() - 1
                    }))
                }
                Parent::None => None,
            };
            let t = match joined {
                Some(t) if !changes_topic(&threads[t], &resolved, tree) => t,
                Some(_) | None => {
                    threads.push(Draft::new());
                    threads.len() - 1
                }
            };
            let th = &mut threads[t];
            if th.existing.is_none()
                && th.anchor.is_none()
                && let Some((_, a)) = cites.first_anchor(input.version.id)
            {
                th.clause = Some(a.clause.clone());
                th.anchor = Some(a);
            }
            for c in &cites.criteria {
                if !th.criteria.contains(c) {
                    th.criteria.push(c.clone());
                }
            }
            if th.subject.is_none() {
                th.subject = m.subject.as_deref().map(strip_reply_prefixes);
            }
            if th.list.is_none() {
                th.list = m.list.clone();
            }
            th.comments.push(comment(m, &kept[k].key, &cites, input.version.id, &mut out.notes));
            placed[k] = Some(t);
        }
    }

    out.threads = threads
        .into_iter()
        .filter_map(|d| {
            let comments: Vec<PlannedComment> = d.comments.into_iter().flatten().collect();
            if comments.is_empty() {
                return None;
            }
            let target = match d.existing {
                Some(id) => ThreadTarget::Existing { thread: id },
                None => ThreadTarget::New { anchor: d.anchor.map(Box::new), clause: d.clause },
            };
            Some(PlannedThread {
                target,
                criteria: d.criteria,
                subject: d.subject,
                list: d.list,
                comments,
            })
        })
        .collect();
    out
}

struct Kept {
    msg: usize,
    key: String,
    quoted: Option<String>,
}

#[derive(Debug, Clone)]
enum Parent {
    None,
    Batch(usize),
    Existing(ExistingThread),
}

/// A thread being built.
struct Draft {
    existing: Option<String>,
    anchor: Option<Anchor>,
    clause: Option<String>,
    criteria: Vec<String>,
    subject: Option<String>,
    list: Option<String>,
    /// `None` for a message with no text: it places its replies but adds no comment.
    comments: Vec<Option<PlannedComment>>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            existing: None,
            anchor: None,
            clause: None,
            criteria: Vec::new(),
            subject: None,
            list: None,
            comments: Vec::new(),
        }
    }

    fn existing(e: &ExistingThread) -> Draft {
        Draft { existing: Some(e.id.clone()), clause: e.clause.clone(), ..Draft::new() }
    }
}

/// A reply citing clauses, none of them the thread's (or one above or inside it).
fn changes_topic(t: &Draft, resolved: &[String], tree: &ClauseTree) -> bool {
    let Some(own) = &t.clause else { return false };
    !resolved.is_empty() && !resolved.iter().any(|c| related(own, c, tree))
}

/// The same clause, or one inside the other.
fn related(a: &str, b: &str, tree: &ClauseTree) -> bool {
    if a == b {
        return true;
    }
    let (Some(i), Some(j)) =
        (tree.clauses.iter().position(|c| c.id == a), tree.clauses.iter().position(|c| c.id == b))
    else {
        return false;
    };
    let ancestor = |mut x: usize, of: usize| {
        // Bounded: the tree nests at most a few levels, each step goes up.
        for _ in 0..tree.clauses.len() {
            match tree.clauses[x].parent {
                Some(p) if p == of => return true,
                Some(p) => x = p,
                None => return false,
            }
        }
        false
    };
    ancestor(i, j) || ancestor(j, i)
}

/// `Re: Re: AW: [list] Subject` -> `Subject`.
pub fn strip_reply_prefixes(s: &str) -> String {
    let mut s = s.trim();
    loop {
        let before = s;
        if s.starts_with('[')
            && let Some(end) = s.find(']')
        {
            s = s[end + 1..].trim_start();
        }
        for p in [
            "re:", "aw:", "r:", "ris:", "rif:", "fwd:", "fw:", "wg:", "tr:", "sv:", "antw:",
            "réf:", "rv:",
        ] {
            if s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
                s = s[p.len()..].trim_start();
            }
        }
        if s == before {
            return s.to_string();
        }
    }
}

fn comment(
    m: &Message,
    key: &str,
    cites: &Citations,
    version: &str,
    plan_notes: &mut Vec<String>,
) -> Option<PlannedComment> {
    let author = m.author();
    let label = format!(
        "{} ({}, {})",
        m.origin,
        author.as_deref().unwrap_or("unknown author"),
        m.date.as_deref().unwrap_or("no date")
    );
    let (body, cut) = clean::comment_body(&m.body);
    let mut notes = m.notes.clone();
    if cut {
        notes.push(format!("body longer than {} KiB: cut", clean::BODY_MAX / 1024));
    }
    let unresolved = cites.unresolved();
    for u in &unresolved {
        notes.push(format!(
            "cites {u:?}, which version `{version}` does not have: not anchored there"
        ));
    }
    let own = body.lines().any(|l| clean::quote_depth(l).0 == 0 && !l.trim().is_empty());
    if !own {
        notes.push("no text of its own: not added as a comment".into());
    }
    plan_notes.extend(notes.iter().map(|n| format!("{label}: {n}")));
    if !own {
        return None;
    }
    Some(PlannedComment {
        author: author
            .map(|a| clean::comment_body(&a).0)
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "unknown".into()),
        at: m.date.clone(),
        body,
        message_id: key.to_string(),
        cites: cites.resolved(),
        unresolved,
        criteria: cites.criteria.clone(),
        recovered: m.recovered_from.is_some(),
        origin: m.origin.clone(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::Person;

    const TEXT: &str = "## 2. Grant\n\n2.1 Grant. You may use it.\n\n2.2 Output. No claim. However:\n\n(a) you are responsible; and\n\n(b) if you distribute a collection of Output as a dataset, you shall attach a notice.\n\n## 5. Liability\n\nNone.\n";

    fn msg(id: &str, reply_to: Option<&str>, date: &str, who: &str, body: &str) -> Message {
        Message {
            message_id: Some(id.into()),
            in_reply_to: reply_to.map(|r| vec![r.to_string()]).unwrap_or_default(),
            from: Some(Person::parse_loose(who)),
            date: Some(date.into()),
            subject: Some("Re: [license-review] EML 2.0".into()),
            list: Some("license-review@lists.example.org".into()),
            body: body.into(),
            origin: "test".into(),
            ..Message::default()
        }
    }

    fn run(
        messages: &[Message],
        known: &HashSet<String>,
        existing: &HashMap<String, ExistingThread>,
    ) -> ImportPlan {
        let tree = ClauseTree::parse(TEXT);
        let sets = crate::criteria::builtin_sets();
        let input = PlanInput {
            version: VersionText { id: "submitted", content: TEXT, tree: &tree },
            criteria: &sets,
            known,
            existing,
        };
        plan(messages, &input)
    }

    fn clause(t: &PlannedThread) -> Option<&str> {
        match &t.target {
            ThreadTarget::New { clause, .. } => clause.as_deref(),
            ThreadTarget::Existing { .. } => None,
        }
    }

    #[test]
    fn a_chain_is_anchored_by_its_first_citation_and_topics_split() {
        let ms = vec![
            msg("a@x", None, "2025-05-14T07:09:00Z", "Ana <ana@x>", "Please review EML 2.0."),
            msg(
                "b@x",
                Some("a@x"),
                "2025-05-15T05:14:00Z",
                "Bob <bob@x>",
                "Section 2.2(b) fails OSD 6.",
            ),
            msg(
                "c@x",
                Some("b@x"),
                "2025-05-16T05:14:00Z",
                "Carol <carol@x>",
                "Agreed on 2.2 and OSD #7.",
            ),
            msg(
                "d@x",
                Some("c@x"),
                "2025-05-17T05:14:00Z",
                "Dan <dan@x>",
                "On another point, clause 5 is odd.",
            ),
            msg("e@x", Some("d@x"), "2025-05-18T05:14:00Z", "Eve <eve@x>", "Yes, and see 2.bb."),
            msg("f@x", None, "2025-05-19T05:14:00Z", "Fay <fay@x>", "A general remark."),
        ];
        let p = run(&ms, &HashSet::new(), &HashMap::new());
        assert_eq!(p.threads.len(), 3);
        let t = &p.threads[0];
        assert_eq!(clause(t), Some("2.2(b)"));
        assert_eq!(
            t.comments.iter().map(|c| c.author.as_str()).collect::<Vec<_>>(),
            ["Ana", "Bob", "Carol"]
        );
        assert_eq!(t.criteria, ["osd-6", "osd-7"]);
        assert_eq!(t.subject.as_deref(), Some("EML 2.0"));
        let t = &p.threads[1];
        assert_eq!(clause(t), Some("5"));
        assert_eq!(
            t.comments.iter().map(|c| c.author.as_str()).collect::<Vec<_>>(),
            ["Dan", "Eve"]
        );
        assert_eq!(t.comments[1].unresolved, ["2.bb"]);
        assert!(p.notes.iter().any(|n| n.contains("\"2.bb\"")));
        assert_eq!(clause(&p.threads[2]), None);
    }

    #[test]
    fn known_messages_are_skipped_and_replies_join_existing_threads() {
        let ms = vec![
            msg("a@x", None, "2025-05-14T07:09:00Z", "Ana <ana@x>", "Section 2.2(b) is odd."),
            msg("b@x", Some("a@x"), "2025-05-15T05:14:00Z", "Bob <bob@x>", "I agree."),
        ];
        let known = HashSet::from(["a@x".to_string()]);
        let existing = HashMap::from([(
            "a@x".to_string(),
            ExistingThread { id: "t-123456".into(), clause: Some("2.2(b)".into()) },
        )]);
        let p = run(&ms, &known, &existing);
        assert_eq!(p.already_imported, ["a@x"]);
        assert_eq!(p.threads.len(), 1);
        assert_eq!(p.threads[0].target, ThreadTarget::Existing { thread: "t-123456".into() });
        assert_eq!(p.threads[0].comments[0].author, "Bob");
        // Everything known: nothing to do.
        let all = HashSet::from(["a@x".to_string(), "b@x".to_string()]);
        assert_eq!(run(&ms, &all, &existing).comment_count(), 0);
    }

    #[test]
    fn copies_fold_and_undated_or_empty_messages_are_notes() {
        let mut recovered =
            msg("a@x", None, "2025-05-14T07:09:00Z", "Ana <ana@x>", "Section 2.2(b) is odd.");
        recovered.message_id = None;
        recovered.recovered_from = Some("b@x".into());
        let mut real =
            msg("a@x", None, "2025-05-14T07:09:00Z", "Ana Real <ana@x>", "Section 2.2(b) is odd.");
        real.from = Some(Person::parse_loose("Ana <ana@x>"));
        let mut undated = msg("u@x", None, "", "Uma <uma@x>", "x\u{1b}[2J y <b>z</b>");
        undated.date = None;
        let empty =
            msg("e@x", Some("a@x"), "2025-05-15T07:09:00Z", "Eli <eli@x>", "> only a quote");
        let p = run(&[recovered, real, undated, empty], &HashSet::new(), &HashMap::new());
        assert_eq!(p.comment_count(), 2);
        let ana = &p.threads[0].comments[0];
        assert_eq!(ana.message_id, "a@x");
        assert!(!ana.recovered);
        let uma = &p.threads[1].comments[0];
        assert_eq!(uma.at, None);
        assert_eq!(uma.body, "x[2J y <b>z</b>");
        assert!(p.notes.iter().any(|n| n.contains("no text of its own")));
    }

    #[test]
    fn reply_prefixes() {
        assert_eq!(strip_reply_prefixes("Re: AW: [license-review] R: EML 2.0"), "EML 2.0");
        assert_eq!(strip_reply_prefixes("Reviewing"), "Reviewing");
    }
}
