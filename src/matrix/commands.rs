//! `!quarry` commands: what a message asks for (pure parsing), and doing
//! it through the chat layer, drawn with `render::matrix`.

use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::room::message::{OriginalSyncRoomMessageEvent, Relation};

use super::{Bot, guard, key, reply, user};
use crate::chat::actions::{Action, Outcome};
use crate::chat::policy::Refusal;
use crate::chat::sessions::Session;
use crate::chat::{Error, parse_date};
use crate::engine::{EngineError, TimelineQuery};
use crate::render;
use crate::render::matrix::{self as draw, Message};

/// Longest question, topic or query taken, in characters.
const MAX_INPUT: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ask(String),
    Timeline {
        topic: Option<String>,
        from: Option<String>,
        to: Option<String>,
    },
    Search(String),
    Source {
        file: String,
        line: u32,
    },
    Docs,
    Help,
    Reindex,
    More,
    /// A word after the prefix that is no command.
    Unknown(String),
}

/// The command in `body`, when it starts with `prefix` (as a word of its
/// own, any case); `None` for every other message.
pub fn parse(body: &str, prefix: &str) -> Option<Command> {
    let body = body.trim();
    let head = body.get(..prefix.len())?;
    if prefix.is_empty() || !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = &body[prefix.len()..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    let (word, args) = match rest.split_once(char::is_whitespace) {
        Some((word, args)) => (word, args.trim()),
        None => (rest, ""),
    };
    let args: String = args.chars().take(MAX_INPUT).collect();
    Some(match word.to_lowercase().as_str() {
        "" | "help" => Command::Help,
        "ask" if args.is_empty() => Command::Help,
        "ask" => Command::Ask(args),
        "search" if args.is_empty() => Command::Help,
        "search" => Command::Search(args),
        "timeline" => timeline(&args),
        "source" => source(&args),
        "docs" => Command::Docs,
        "reindex" => Command::Reindex,
        "more" => Command::More,
        other => Command::Unknown(other.chars().take(40).collect()),
    })
}

/// `[TOPIC] [from:DATE] [to:DATE]`, in any order.
fn timeline(args: &str) -> Command {
    let (mut from, mut to, mut topic) = (None, None, Vec::new());
    for word in args.split_whitespace() {
        let lower = word.to_lowercase();
        if let Some(date) = lower.strip_prefix("from:") {
            from = Some(date.to_string());
        } else if let Some(date) = lower.strip_prefix("to:") {
            to = Some(date.to_string());
        } else {
            topic.push(word);
        }
    }
    Command::Timeline {
        topic: Some(topic.join(" ")).filter(|t| !t.is_empty()),
        from,
        to,
    }
}

/// `FILE[:LINE]`; line 1 without one.
fn source(args: &str) -> Command {
    let args = args.trim();
    match args.rsplit_once(':') {
        Some((file, line)) if !file.is_empty() => match line.parse() {
            Ok(line) if line > 0 => Command::Source {
                file: file.to_string(),
                line,
            },
            _ => Command::Source {
                file: args.to_string(),
                line: 1,
            },
        },
        _ => Command::Source {
            file: args.to_string(),
            line: 1,
        },
    }
}

/// Commands that ask the corpus something count against the rate limit.
fn is_question(command: &Command) -> bool {
    matches!(
        command,
        Command::Ask(_) | Command::Search(_) | Command::Timeline { .. }
    )
}

/// Runs `command` from `event` in `room` and sends the reply. Refusals are
/// replies too; other errors go back to the caller for the log.
pub async fn run(
    bot: &Bot,
    room: &Room,
    event: &OriginalSyncRoomMessageEvent,
    command: Command,
) -> Result<(), Error> {
    let message = match reply_to(bot, room, event, command).await {
        Ok(Some(message)) => message,
        Ok(None) => return Ok(()),
        Err(err) => match err.downcast::<Refusal>() {
            Ok(refusal) => draw::notice(&refusal.to_string()),
            Err(err) => return Err(err),
        },
    };
    reply::send(room, event, message).await?;
    Ok(())
}

/// The reply to `command`, or `None` when it was sent already (answers and
/// timelines are remembered under their reply's id too).
async fn reply_to(
    bot: &Bot,
    room: &Room,
    event: &OriginalSyncRoomMessageEvent,
    command: Command,
) -> Result<Option<Message>, Error> {
    let asker = user(&event.sender);
    let prefix = &bot.settings.command_prefix;
    if is_question(&command) {
        bot.chat.check_question(&asker)?;
    }
    let question_key = key(&event.event_id);
    let message = match command {
        Command::Ask(question) => {
            let answer = bot.chat.ask(&asker, question, None).await?;
            let message = draw::answer(&answer, 0, prefix);
            let sent = reply::send(room, event, message).await?;
            bot.chat.remember_under(
                &[question_key, key(&sent)],
                Session::Answer { asker, answer },
            );
            return Ok(None);
        }
        Command::Timeline { topic, from, to } => {
            let query = TimelineQuery {
                topic: topic.clone(),
                from: parse_date(from)?,
                to: parse_date(to)?,
                limit: None,
            };
            let (summary, full) = bot.chat.timeline(query, render::EVENTS_PER_PAGE).await?;
            let title = render::timeline_title(topic.as_deref());
            let message = draw::timeline_page(&title, &summary, &full, 0, prefix);
            let sent = reply::send(room, event, message).await?;
            bot.chat.remember_under(
                &[question_key, key(&sent)],
                Session::Timeline {
                    asker,
                    title,
                    summary,
                    full,
                },
            );
            return Ok(None);
        }
        Command::Search(query) => {
            let shown = query.clone();
            let hits = bot
                .chat
                .with_engine(move |engine| engine.search(&query, 5))
                .await?;
            draw::search(&shown, &hits)
        }
        Command::Source { file, line } => {
            let shown = render::shorten(&file, 100);
            let passage = bot
                .chat
                .with_engine(move |engine| engine.source(&file, line))
                .await?;
            match passage {
                Ok(passage) => draw::source(&passage),
                Err(EngineError::NotInCorpus(_)) => {
                    return Err(Refusal::BadInput(format!(
                        "“{shown}” is not a file of the corpus."
                    ))
                    .into());
                }
                Err(err @ EngineError::LineOutOfRange { .. }) => {
                    return Err(Refusal::BadInput(err.to_string()).into());
                }
                Err(err) => return Err(err.into()),
            }
        }
        Command::Docs => draw::docs(&bot.chat.with_engine(|engine| engine.docs()).await?),
        Command::Help => draw::help(prefix),
        Command::Reindex => {
            if !guard::is_admin(&bot.settings, room, &event.sender).await {
                return Err(Refusal::NotAdmin(guard::ADMINS).into());
            }
            draw::notice(&bot.chat.reindex().await?)
        }
        Command::More => more(bot, event).await,
        Command::Unknown(word) => draw::notice(&format!(
            "I don't know “{word}”. {prefix} help lists what I can do."
        )),
    };
    Ok(Some(message))
}

/// `!quarry more` in a thread on an answer or timeline (or as a reply to
/// one): its next sources or page.
async fn more(bot: &Bot, event: &OriginalSyncRoomMessageEvent) -> Message {
    let prefix = &bot.settings.command_prefix;
    let anchor = match &event.content.relates_to {
        Some(Relation::Thread(thread)) => Some(&thread.event_id),
        Some(Relation::Reply(reply)) => Some(&reply.in_reply_to.event_id),
        _ => None,
    };
    let Some(anchor) = anchor else {
        return draw::notice(&format!(
            "Say {prefix} more in the thread of an answer or timeline, or as a reply to one."
        ));
    };
    let key = key(anchor);
    let action = match bot.chat.recall(key).as_deref() {
        Some(Session::Answer { .. }) => Action::More {
            key,
            from: bot.pages.next(key, render::QUOTES_PER_PAGE),
        },
        Some(Session::Timeline { .. }) => Action::Page {
            key,
            page: bot.pages.next(key, 1),
        },
        None => return draw::notice(EXPIRED),
    };
    match bot
        .chat
        .act(action, &user(&event.sender), render::QUOTES_PER_PAGE)
        .await
    {
        Outcome::More { session, from } => match &*session {
            Session::Answer { answer, .. } if from < answer.quotes.len() => {
                draw::answer(answer, from, prefix)
            }
            _ => draw::notice("That was every source of this answer."),
        },
        Outcome::Page { session, page } => match &*session {
            Session::Timeline {
                title,
                summary,
                full,
                ..
            } if page <= render::timeline_pages(full) => {
                draw::timeline_page(title, summary, full, page, prefix)
            }
            _ => draw::notice("That was the last page of this timeline."),
        },
        Outcome::NotTheAsker => draw::notice(
            "Only the person who asked can page through this. Ask your own to page through it.",
        ),
        Outcome::Voted(text) => draw::notice(text),
        Outcome::Expired => draw::notice(EXPIRED),
    }
}

const EXPIRED: &str = "I no longer remember that reply. Ask again to page through a fresh one.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_after_the_prefix_only() {
        let p = "!quarry";
        assert_eq!(
            parse("!quarry ask  When was it? ", p),
            Some(Command::Ask("When was it?".into()))
        );
        assert_eq!(
            parse("!QUARRY Ask why", p),
            Some(Command::Ask("why".into()))
        );
        assert_eq!(parse("!quarry", p), Some(Command::Help));
        assert_eq!(parse("!quarry ask", p), Some(Command::Help));
        assert_eq!(parse("!quarry docs", p), Some(Command::Docs));
        assert_eq!(parse("!quarry more", p), Some(Command::More));
        assert_eq!(parse("!quarry reindex", p), Some(Command::Reindex));
        assert_eq!(
            parse("!quarry frobnicate x", p),
            Some(Command::Unknown("frobnicate".into()))
        );
        assert_eq!(parse("!quarryask x", p), None);
        assert_eq!(parse("hello !quarry ask x", p), None);
        assert_eq!(parse("", p), None);
        assert_eq!(parse("!q", p), None);
        // A prefix cut inside a multi-byte character is not a match.
        assert_eq!(parse("!quarr\u{e9} ask", p), None);
        assert_eq!(parse("\u{e9}\u{e9}\u{e9}\u{e9}", p), None);
    }

    #[test]
    fn timeline_takes_dates_in_any_order() {
        assert_eq!(
            parse(
                "!quarry timeline from:2024 tariffs on steel to:2025-06",
                "!quarry"
            ),
            Some(Command::Timeline {
                topic: Some("tariffs on steel".into()),
                from: Some("2024".into()),
                to: Some("2025-06".into()),
            })
        );
        assert_eq!(
            parse("!quarry timeline", "!quarry"),
            Some(Command::Timeline {
                topic: None,
                from: None,
                to: None
            })
        );
    }

    #[test]
    fn source_takes_an_optional_line() {
        let source = |args: &str| parse(&format!("!quarry source {args}"), "!quarry");
        assert_eq!(
            source("notes/a.md:12"),
            Some(Command::Source {
                file: "notes/a.md".into(),
                line: 12
            })
        );
        assert_eq!(
            source("a.md"),
            Some(Command::Source {
                file: "a.md".into(),
                line: 1
            })
        );
        assert_eq!(
            source("a.md:0"),
            Some(Command::Source {
                file: "a.md:0".into(),
                line: 1
            })
        );
    }

    #[test]
    fn long_input_is_cut() {
        let long = format!("!quarry ask {}", "x".repeat(5000));
        match parse(&long, "!quarry") {
            Some(Command::Ask(q)) => assert_eq!(q.chars().count(), MAX_INPUT),
            other => panic!("{other:?}"),
        }
    }
}
