//! Stories across outlets: every outlet's report of the same news in one story.
//!
//! An article's [`Profile`] is a unit vector of weighted terms: the search stems of its title
//! and lead (TF-IDF, the title counting double) and the knowledge-base identities of its
//! entities (rare ones weigh more), with its publication day. The [`Clusterer`] reads articles
//! one at a time, in ingest order: each joins the most similar story whose time span is within
//! a few days of it, or opens a story of its own. Candidate stories come from an index of the
//! stories' strongest terms ([`StoryIndex`]), so the work per article is bounded by the index's
//! posting lists, not by the number of stories stored; the store keeps that index in its
//! database, tests and `rased eval-stories` keep it in memory ([`MemoryIndex`]).
//!
//! Near-duplicates (one wire copy republished) stay a level below, as copies inside a story.

mod cluster;
mod label;
mod profile;

pub use cluster::{Assignment, Clusterer, MemoryIndex, Settings, StoryIndex, StoryState};
pub use label::central_title;
pub use profile::{day_number, Profile, Term, Vocabulary};
