//! The annotated document of one article: the text layers every stage reads, built once by
//! [`rased_text::Document`], and the layers the analysis stages add to it.
//!
//! Like spaCy's `Doc`, it is the one object the pipeline passes along: each
//! [`Annotator`] reads the layers before it and fills its own; none splits, tokenizes or
//! normalizes the text again. The order (see [`crate::pipeline::Analyzer`]):
//!
//! | stage | reads | adds |
//! |---|---|---|
//! | `ner` | body tokens and types | [`AnnotatedDoc::tagged`] |
//! | `gazetteer` | the body's search-level text | [`AnnotatedDoc::gazetteer`] |
//! | `resolve` | tagged, gazetteer, KB | [`AnnotatedDoc::entities`] |
//! | `events` | body sentences, entities, dates | [`AnnotatedDoc::events`] |
//! | `keyphrases` | title and body types, entities | [`AnnotatedDoc::keyphrases`] |

use chrono::NaiveDate;
use rased_kb::resolve::Candidate;
use rased_kb::GazetteerMatch;
use rased_model::{Article, Entity, Event};
use rased_text::{Document, Limits};

/// An article's title and body annotated once, with the layers the stages add.
pub struct AnnotatedDoc<'a> {
    pub title: Document<'a>,
    pub body: Document<'a>,
    /// The publication date as the publisher wrote it: the reference for relative dates.
    pub published: Option<NaiveDate>,
    /// The place of the dateline (`أنقرة - …`), the default place of events.
    pub dateline: Option<&'a str>,
    /// The tagger's mentions, byte offsets into the body.
    pub tagged: Vec<Candidate>,
    /// KB names found in the body.
    pub gazetteer: Vec<GazetteerMatch>,
    /// Resolved entities with their mentions (code-point offsets into the body).
    pub entities: Vec<Entity>,
    /// The article's topic (news, economy, sport …), when the topic model is trained.
    pub topic: Option<crate::topic::Topic>,
    pub events: Vec<Event>,
    pub keyphrases: Vec<String>,
}

impl<'a> AnnotatedDoc<'a> {
    /// The text layers of an article, before any stage ran.
    pub fn new(article: &'a Article) -> AnnotatedDoc<'a> {
        AnnotatedDoc::with_limits(article, &Limits::DEFAULT)
    }

    /// [`AnnotatedDoc::new`] with sentences cut at [`Limits::max_sentence_tokens`].
    pub fn with_limits(article: &'a Article, limits: &Limits) -> AnnotatedDoc<'a> {
        let published = article.published.as_deref().and_then(iso_date);
        let cap = limits.max_sentence_tokens;
        let title = article.title.as_deref().unwrap_or("");
        AnnotatedDoc {
            title: Document::with_max_sentence_tokens(title, published, cap),
            body: Document::with_max_sentence_tokens(&article.body, published, cap),
            published,
            dateline: article.dateline.as_ref().and_then(|d| d.place.as_deref()),
            tagged: Vec::new(),
            gazetteer: Vec::new(),
            entities: Vec::new(),
            topic: None,
            events: Vec::new(),
            keyphrases: Vec::new(),
        }
    }
}

/// A stage of the analysis: reads the layers before it, adds its own.
pub trait Annotator: Send + Sync {
    /// A short stable name (`ner`, `gazetteer`, …), used by `rased bench --stage`.
    fn name(&self) -> &'static str;
    fn annotate(&self, doc: &mut AnnotatedDoc<'_>);
}

/// `2025-08-25`, `2025-08-25T10:00:00+03:00` → the calendar date as the publisher wrote it.
fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}
