//! The whole analysis of one article: the [`Annotator`]s that fill an [`AnnotatedDoc`] —
//! entities (tagger + gazetteer, resolved against the KB), events and keyphrases. This is
//! what `rased analyze` and `rased ingest` run.

use std::time::Instant;

use rased_kb::resolve::{resolve_at, Candidate};
use rased_kb::{Gazetteer, KnowledgeBase};
use rased_model::Article;
use rased_text::Limits;

use crate::annotated::{AnnotatedDoc, Annotator};
use crate::ner::Model;

/// How many keyphrases an article gets.
pub const KEYPHRASES: usize = 10;

/// The loaded analysis resources (KB, gazetteer automaton, NER model) as the stages of the
/// pipeline, shared by threads.
pub struct Analyzer {
    stages: Vec<Box<dyn Annotator>>,
    limits: Limits,
}

/// Why an article was not analyzed. Every variant is the failure code `too_complex`: the
/// article is recorded as a failure and the batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    #[error(
        "{tokens} tokens exceed the analysis budget of {limit} tokens per article \
         (RASED_LIMIT_DOCUMENT_TOKENS)"
    )]
    TooManyTokens { tokens: usize, limit: usize },
    #[error(
        "the analysis passed its deadline of {limit_ms} ms in stage `{stage}` \
         (RASED_LIMIT_DEADLINE_MS)"
    )]
    Deadline { stage: &'static str, limit_ms: u64 },
}

impl AnalyzeError {
    /// The stable failure code.
    pub fn code(&self) -> &'static str {
        "too_complex"
    }
}

impl Analyzer {
    /// Loads the embedded KB and NER model and builds the gazetteer automaton; the default
    /// [`Limits`].
    pub fn new() -> Result<Self, rased_kb::KbError> {
        Analyzer::with_limits(Limits::DEFAULT)
    }

    /// [`Analyzer::new`] with other bounds on the work per article.
    pub fn with_limits(limits: Limits) -> Result<Self, rased_kb::KbError> {
        let kb = KnowledgeBase::embedded();
        Ok(Analyzer {
            limits,
            stages: vec![
                Box::new(Tagger(Model::embedded())),
                Box::new(GazetteerMatcher(Gazetteer::new(kb)?)),
                Box::new(Resolver(kb)),
                Box::new(TopicClassifier),
                Box::new(EventCoder),
                Box::new(KeyphraseRanker),
            ],
        })
    }

    /// The stages in the order they run.
    pub fn stages(&self) -> impl Iterator<Item = &dyn Annotator> {
        self.stages.iter().map(|s| s.as_ref())
    }

    /// The bounds this analyzer works under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs every stage on an article's annotated document, without the token budget and the
    /// deadline (tools and tests; sentences are still cut at the limit).
    pub fn annotate<'a>(&self, article: &'a Article) -> AnnotatedDoc<'a> {
        let mut doc = AnnotatedDoc::with_limits(article, &self.limits);
        for stage in &self.stages {
            stage.annotate(&mut doc);
        }
        doc
    }

    /// Runs every stage within the [`Limits`]: an article over the token budget is refused
    /// before any stage runs, and one whose analysis passes the deadline is abandoned after
    /// the stage that passed it (every stage is linear in the article, so the deadline is a
    /// backstop: the token budget is what bounds the work, deterministically).
    pub fn try_annotate<'a>(&self, article: &'a Article) -> Result<AnnotatedDoc<'a>, AnalyzeError> {
        let started = Instant::now();
        let mut doc = AnnotatedDoc::with_limits(article, &self.limits);
        let tokens = doc.title.tokens().len() + doc.body.tokens().len();
        if tokens > self.limits.max_document_tokens {
            return Err(AnalyzeError::TooManyTokens {
                tokens,
                limit: self.limits.max_document_tokens,
            });
        }
        let deadline = self.limits.deadline();
        for stage in &self.stages {
            stage.annotate(&mut doc);
            if started.elapsed() > deadline {
                return Err(AnalyzeError::Deadline {
                    stage: stage.name(),
                    limit_ms: self.limits.deadline_ms,
                });
            }
        }
        Ok(doc)
    }

    /// Fills `entities`, `events` and `keyphrases` of an article from its title and body, or
    /// leaves them empty and says why the article is too complex to analyze ([`Limits`]).
    pub fn analyze(&self, article: &mut Article) -> Result<(), AnalyzeError> {
        // An aggregator page names its outlet only in the dateline or the source line.
        if article.outlet.is_none() {
            article.outlet = article
                .dateline
                .as_ref()
                .and_then(|d| d.outlet.clone())
                .or_else(|| article.source.clone());
        }
        let AnnotatedDoc {
            entities,
            events,
            keyphrases,
            ..
        } = self.try_annotate(article)?;
        article.entities = entities;
        article.events = events;
        article.keyphrases = keyphrases;
        Ok(())
    }
}

/// The statistical tagger's mentions.
struct Tagger(&'static Model);

impl Annotator for Tagger {
    fn name(&self) -> &'static str {
        "ner"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        let tokens = doc.body.tokens();
        let tagged = self
            .0
            .doc_spans(&doc.body)
            .into_iter()
            .map(|span| Candidate {
                start: tokens[span.tokens.start].start,
                end: tokens[span.tokens.end - 1].end,
                kind: span.kind.contract_name().to_string(),
                confidence: 1.0,
            })
            .collect();
        let tagged = crate::currency::drop_currencies(doc.body.text(), tagged);
        let tagged = crate::quoted::add_quoted_names(&doc.body, tagged);
        doc.tagged = crate::orgs::add_structures(&doc.body, tagged);
    }
}

/// KB names in the body.
struct GazetteerMatcher(Gazetteer);

impl Annotator for GazetteerMatcher {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        doc.gazetteer = self.0.find_in_document(&doc.body);
    }
}

/// Tagger and gazetteer mentions merged into entities, linked to the KB.
struct Resolver(&'static KnowledgeBase);

impl Annotator for Resolver {
    fn name(&self) -> &'static str {
        "resolve"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        let date = doc.published.map(|d| d.format("%Y-%m-%d").to_string());
        doc.entities = resolve_at(
            doc.body.text(),
            &doc.tagged,
            &doc.gazetteer,
            self.0,
            date.as_deref(),
        );
    }
}

/// The article's topic.
struct TopicClassifier;

impl Annotator for TopicClassifier {
    fn name(&self) -> &'static str {
        "topic"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        doc.topic = crate::topic::classify(&doc.title, &doc.body);
    }
}

/// PLOVER events of the body.
struct EventCoder;

impl Annotator for EventCoder {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        doc.events = crate::events::code_document_with_topic(
            &doc.body,
            &doc.entities,
            doc.dateline,
            doc.topic,
        );
    }
}

/// Ranked keyphrases: topical noun phrases and entity names.
struct KeyphraseRanker;

impl Annotator for KeyphraseRanker {
    fn name(&self) -> &'static str {
        "keyphrases"
    }

    fn annotate(&self, doc: &mut AnnotatedDoc<'_>) {
        // A place named once is context, not a topic.
        let names: Vec<String> = doc
            .entities
            .iter()
            .filter(|e| e.kind != "LOC" || e.mentions.len() > 1)
            .map(|e| {
                e.mentions
                    .first()
                    .map_or(e.name.clone(), |m| m.text.clone())
            })
            .collect();
        doc.keyphrases =
            crate::keyphrase::keyphrases_doc(&doc.title, &doc.body, &names, KEYPHRASES);
    }
}
