//! The shared data types of rased.
//!
//! These types are the contract between stages (extract → analyze → store → serve) and the
//! JSON shape printed by `rased analyze` (DESIGN.md section 2). Field names are fixed: add
//! fields freely, never rename them.

use serde::{Deserialize, Serialize};

/// Whether an article is the page's main story or a "read also" story printed with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Main,
    Related,
}

/// The place and outlet that open an Arabic news body: `أنقرة (زمان التركية) –`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dateline {
    pub place: Option<String>,
    pub outlet: Option<String>,
}

/// A span of `body` in Unicode code points, half-open (`body[start:end]` in Python).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// How a reference that is not the entity's name links to it: through within-document
    /// coreference, `surname` (a last name alone), `name` (a first name alone), `title`
    /// (الجنرال، الرئيس التركي), `role` (رئيس جهاز المخابرات التركية) or `nominal` (الجنرال
    /// الليبي); or `nisba`, a country adjective (الوزير السعودي → Saudi Arabia). Absent for names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A person, organisation, place or other named thing, resolved to one identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// A participant of an event: the text that names it and the entity it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub text: String,
    pub entity: Option<String>,
}

/// The sentence that reports an event, with its offsets in `body` and the trigger word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Evidence {
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub trigger: String,
}

/// A political event coded in PLOVER.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub actors: Vec<Participant>,
    pub recipients: Vec<Participant>,
    pub place: Option<Participant>,
    pub date: Option<String>,
    pub date_text: Option<String>,
    pub negated: bool,
    pub future: bool,
    pub evidence: Evidence,
    pub confidence: f32,
    /// CAMEO code of the trigger (`040`, `0871`), alongside the PLOVER type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    /// CAMEO quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quad_class: Option<u8>,
    /// How the text presents it: asserted, negated, future, background, historical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    /// Where `place` came from: `sentence` or `dateline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_source: Option<String>,
}

/// One article: the unit `rased analyze` prints, one JSON object per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Article {
    /// Stable identity: a hash of the normalized title and body.
    pub id: String,
    pub role: Role,
    /// Identity of the page the article came from (shared by main and related articles).
    pub page: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// ISO 8601 date or date-time with offset; `None` when the input states no date.
    pub published: Option<String>,
    pub dateline: Option<Dateline>,
    /// The attribution line (المصدر).
    pub source: Option<String>,
    pub author: Option<String>,
    pub keywords: Vec<String>,
    pub tags: Vec<String>,
    /// Paragraphs joined by `\n`, free of boilerplate.
    pub body: String,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    pub keyphrases: Vec<String>,
    /// The site or publication the page came from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Language of the article (BCP 47), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the article came from: a file path, `-` for stdin, or `path#record`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// URLs of related stories linked from the page (its "read also" links).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_urls: Vec<String>,
}
