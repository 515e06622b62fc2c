//! The whole analysis of one article: entities (tagger + gazetteer, resolved against the KB),
//! events and keyphrases. This is what `rased analyze` and `rased ingest` run.

use chrono::NaiveDate;
use rased_kb::resolve::{resolve, Candidate};
use rased_kb::{Gazetteer, KnowledgeBase};
use rased_model::Article;

use crate::ner::Model;

/// How many keyphrases an article gets.
pub const KEYPHRASES: usize = 10;

/// The loaded analysis resources (KB, gazetteer automaton, NER model), shared by threads.
pub struct Analyzer {
    kb: &'static KnowledgeBase,
    gazetteer: Gazetteer,
    ner: &'static Model,
}

impl Analyzer {
    /// Loads the embedded KB and NER model and builds the gazetteer automaton.
    pub fn new() -> Result<Self, rased_kb::KbError> {
        let kb = KnowledgeBase::embedded();
        Ok(Analyzer {
            kb,
            gazetteer: Gazetteer::new(kb)?,
            ner: Model::embedded(),
        })
    }

    /// Fills `entities`, `events` and `keyphrases` of an article from its title and body.
    pub fn analyze(&self, article: &mut Article) {
        // An aggregator page names its outlet only in the dateline or the source line.
        if article.outlet.is_none() {
            article.outlet = article
                .dateline
                .as_ref()
                .and_then(|d| d.outlet.clone())
                .or_else(|| article.source.clone());
        }
        let body = article.body.as_str();
        let tagged = self.tagged(body);
        let gazetteer = self.gazetteer.find(body);
        article.entities = resolve(body, &tagged, &gazetteer, self.kb);
        let published = article.published.as_deref().and_then(iso_date);
        let dateline = article.dateline.as_ref().and_then(|d| d.place.as_deref());
        article.events = crate::events::code_events(body, &article.entities, published, dateline);
        let names: Vec<String> = article
            .entities
            .iter()
            .filter(|e| e.kind != "LOC" || e.mentions.len() > 1)
            .map(|e| {
                e.mentions
                    .first()
                    .map_or(e.name.clone(), |m| m.text.clone())
            })
            .collect();
        let title = article.title.as_deref().unwrap_or("");
        article.keyphrases = crate::keyphrase::keyphrases(title, body, &names, KEYPHRASES);
    }

    /// The tagger's mentions as byte-offset candidates.
    fn tagged(&self, body: &str) -> Vec<Candidate> {
        let mentions = self.ner.tag_text(body);
        if mentions.is_empty() {
            return Vec::new();
        }
        // Code points → bytes, in one pass over the body.
        let byte_of: Vec<usize> = body
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(body.len()))
            .collect();
        mentions
            .into_iter()
            .filter_map(|m| {
                Some(Candidate {
                    start: *byte_of.get(m.start)?,
                    end: *byte_of.get(m.end)?,
                    kind: m.kind.contract_name().to_string(),
                    confidence: 1.0,
                })
            })
            .collect()
    }
}

/// `2025-08-25`, `2025-08-25T10:00:00+03:00` → the calendar date as the publisher wrote it.
fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}
