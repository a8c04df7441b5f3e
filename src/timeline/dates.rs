//! Placeholder until the date tagger lands.
use std::ops::Range;

use serde::Serialize;

use crate::partial_date::PartialDate;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind { Point, Range, Since }
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution { Explicit, DocumentRelative, NarrativeRelative }
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchors { pub document: Option<PartialDate>, pub document_inferred: bool, pub narrative: Option<PartialDate> }
pub struct DateMention { pub span: Range<usize> }
pub fn tag_dates(_sentence: &str, _anchors: &Anchors) -> Vec<DateMention> { Vec::new() }
