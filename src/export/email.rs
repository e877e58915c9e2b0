//! The mail out: a reply to the list, written from a [`Report`] by the mail writer
//! ([`crate::mail::build_reply`]): `Subject: Re:` the imported subject, `In-Reply-To` and
//! `References` of the latest imported message, `To:` the list, `format=flowed` text, license
//! passages quoted with `> ` under their clause cited in legal form.
//!
//! With one thread (`--thread`), the reply carries what the review adds to that discussion:
//! the thread's comments written after the latest imported message, with its verdict and
//! criteria; its `Message-ID` names the last comment it carries
//! ([`crate::mail::sent_id`]), so importing the reply back adds nothing. Without one, it
//! is the review's summary ([`super::text`]) as a reply to the newest imported message.

use super::report::{Report, ThreadReport};
use crate::mail::{Person, ReplyDraft, ReplyPart, SUMMARY_ID_PREFIX, legal_citation, sent_id};

/// Who sends the reply, and where to (when the imported mail does not say).
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub from: Person,
    /// Overrides the list address seen in the imported mail.
    pub to: Option<String>,
    /// Seconds since 1970 for the `Date` (now when `None`; tests fix it).
    pub date: Option<i64>,
}

/// Write the reply (an RFC 5322 message with CRLF line ends) and its `Message-ID`: to one
/// thread's discussion when `thread` (the report was made with `--thread`), else the summary.
pub fn email(
    report: &Report,
    envelope: &Envelope,
    thread: bool,
) -> Result<(String, String), String> {
    let draft = match report.threads.as_slice() {
        [t] if thread => thread_reply(report, t, envelope)?,
        _ => summary_reply(report, envelope)?,
    };
    let reply = crate::mail::build_reply(&draft).map_err(|e| match e {
        crate::mail::ReplyError::NoFrom => {
            "no sender address: give --from 'Name <you@example.org>' (or set git's user.email)"
                .to_string()
        }
        crate::mail::ReplyError::NoTo => {
            "no list address: the review's imported mail names none; give --to LIST@ADDRESS"
                .to_string()
        }
        other => other.to_string(),
    })?;
    Ok((reply.text, reply.message_id))
}

/// The imported message ids of a thread, oldest first.
fn message_ids(t: &ThreadReport) -> Vec<String> {
    t.comments.iter().filter_map(|c| c.message_id.clone()).collect()
}

fn thread_reply(report: &Report, t: &ThreadReport, env: &Envelope) -> Result<ReplyDraft, String> {
    let ids = message_ids(t);
    let last_imported = t.comments.iter().rposition(|c| c.message_id.is_some());
    let new: Vec<_> = t.comments.iter().skip(last_imported.map_or(0, |k| k + 1)).collect();
    let mut body = Vec::new();
    if t.anchored.is_some() {
        let passage = t.quote.clone().or_else(|| t.clause_text.clone()).unwrap_or_default();
        body.push(ReplyPart::Quote { clause: Some(legal_citation(&t.clause)), text: passage });
    }
    for c in &new {
        let sender = env.from.display();
        if sender.as_deref() == Some(c.author.as_str()) {
            body.push(ReplyPart::Text(c.body.clone()));
        } else {
            body.push(ReplyPart::Text(format!("{} wrote:\n{}", c.author, c.body)));
        }
    }
    let criteria: Vec<String> = t.criteria.iter().map(|c| c.label()).collect();
    let mut status = format!("Verdict: {}; status: {}.", t.verdict.as_str(), t.status.as_str());
    if !criteria.is_empty() {
        status.push_str(&format!(" Criteria: {}.", criteria.join("; ")));
    }
    body.push(ReplyPart::Text(status));
    let message_id = match new.last() {
        Some(c) => sent_id(&t.id, &c.id),
        None => format!("{SUMMARY_ID_PREFIX}{}.{}@lrw.invalid", t.id, digest(&body)),
    };
    Ok(ReplyDraft {
        subject: t.subject.clone().unwrap_or_else(|| report.title.clone()),
        in_reply_to: ids.last().cloned(),
        references: ids,
        to: env.to.clone().or_else(|| t.list.clone()).unwrap_or_default(),
        from: env.from.clone(),
        date: env.date,
        message_id: Some(message_id),
        body,
    })
}

fn summary_reply(report: &Report, env: &Envelope) -> Result<ReplyDraft, String> {
    // The newest imported message of the review is the one answered.
    let mut newest: Option<(&str, &ThreadReport, String)> = None;
    for t in &report.threads {
        for c in &t.comments {
            if let Some(id) = &c.message_id
                && newest.as_ref().is_none_or(|(at, _, _)| c.at.as_str() > *at)
            {
                newest = Some((c.at.as_str(), t, id.clone()));
            }
        }
    }
    let text = super::text(report);
    let body = vec![ReplyPart::Text(text)];
    let list = report.threads.iter().find_map(|t| t.list.clone());
    let (subject, in_reply_to, references) = match &newest {
        Some((_, t, id)) => (
            t.subject.clone().unwrap_or_else(|| report.title.clone()),
            Some(id.clone()),
            message_ids(t),
        ),
        None => (report.title.clone(), None, Vec::new()),
    };
    Ok(ReplyDraft {
        subject,
        in_reply_to,
        references,
        to: env.to.clone().or(list).unwrap_or_default(),
        from: env.from.clone(),
        date: env.date,
        message_id: Some(format!("{SUMMARY_ID_PREFIX}{}@lrw.invalid", digest(&body))),
        body,
    })
}

/// A short hash of a body, for ids that must differ when the content does.
fn digest(body: &[ReplyPart]) -> String {
    let text = crate::mail::reply::flowed_body(body);
    crate::text::load::sha256_hex(text.as_bytes())[..16].to_string()
}
