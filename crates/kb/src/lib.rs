//! The rased knowledge base (KB): real-world entities with stable ids, their names and
//! aliases, type, country and roles; and a gazetteer that finds their names in text.
//!
//! The KB lives in `data/kb/` as JSON Lines (one [`KbEntity`] a line) plus a nisba table
//! (nationality adjectives → country). [`KnowledgeBase::embedded`] loads the copy compiled
//! into the binary; [`build`] regenerates the files from `../shared/data` (`rased build-kb`).

pub mod build;
pub mod coref;
pub mod corpus;
pub mod gazetteer;
pub mod repeats;
pub mod resolve;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use rased_text::normalize::{normalize_str, Level};
use serde::{Deserialize, Serialize};

pub use gazetteer::{Gazetteer, GazetteerMatch, MatchKind};

/// Errors of loading or building the KB.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{path}: line {line}: {reason}")]
    BadLine {
        path: String,
        line: usize,
        reason: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("gazetteer automaton: {0}")]
    Automaton(String),
}

/// A role an entity held, CAMEO-style (`TURGOV`: Turkish government), with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSpan {
    /// The CAMEO actor code, e.g. `TURGOV`, `LBYMIL`, `IGO`.
    pub code: String,
    /// ISO dates (`YYYY-MM-DD`), open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One entity of the KB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbEntity {
    /// Stable id: `<source>:<key>`, e.g. `iso:TUR`, `gn:323786`, `cameo:رجب_طيب_اردوغان`.
    pub id: String,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Canonical Arabic name.
    pub name: String,
    /// Other names (Arabic spellings and Latin), used by the gazetteer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Names kept for resolution but too ambiguous to match in running text alone
    /// (a city called بدر, a surname alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak_aliases: Vec<String>,
    /// ISO 3166 alpha-3 country (for a country, itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Nationality adjectives (nisba) pointing at this country: التركية، الليبي.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nisba: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleSpan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// Where the entry came from: `iso-codes+cldr`, `geonames`, `cameo-ar-2019`, `curated`.
    pub source: String,
}

/// The loaded KB with alias indexes.
pub struct KnowledgeBase {
    entities: Vec<KbEntity>,
    by_id: HashMap<String, usize>,
    /// Search-normalized alias (strong, weak or nisba) → entity indexes.
    by_alias: HashMap<String, Vec<usize>>,
    /// CAMEO role code (`TURSPY`) → the people who held it at some dated time.
    by_role: HashMap<String, Vec<usize>>,
}

const EMBEDDED_ENTITIES: &str = include_str!("../../../data/kb/entities.jsonl");

static EMBEDDED: LazyLock<KnowledgeBase> = LazyLock::new(|| {
    KnowledgeBase::from_jsonl(EMBEDDED_ENTITIES, "data/kb/entities.jsonl")
        .expect("the embedded KB is valid (checked by tests)")
});

/// The key under which the KB and gazetteer compare names: search-normalized
/// ([`Level::Search`]: no tashkeel, folded alif/yeh, ة → ه, ASCII digits), lowercased, spaces
/// collapsed.
///
/// This is deliberately not [`rased_text::namekey::name_key`]: the gazetteer matches these
/// keys against the search-normalized text and maps hits back through its offset map, so the
/// key must be exactly that normalization of the name. `name_key` is a lossy grouping key
/// (long vowels dropped, ق/ك and ط/ت folded, compounds re-spaced) for deciding whether two
/// spellings are one name; it cannot be matched inside running text.
pub fn alias_key(name: &str) -> String {
    let normalized = normalize_str(name, Level::Search);
    let normalized = match rased_text::normalize::lowercase(&normalized) {
        Cow::Borrowed(_) => normalized,
        Cow::Owned(lower) => lower,
    };
    // Whitespace runs become one space, none at the ends.
    let single_spaced = !normalized.starts_with(char::is_whitespace)
        && !normalized.ends_with(char::is_whitespace)
        && !normalized
            .split(' ')
            .any(|w| w.is_empty() || w.contains(char::is_whitespace));
    if single_spaced {
        normalized
    } else {
        normalized.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl KnowledgeBase {
    /// The KB compiled into this binary.
    pub fn embedded() -> &'static KnowledgeBase {
        &EMBEDDED
    }

    /// Parses a KB from JSON Lines; `origin` names the input in errors.
    pub fn from_jsonl(text: &str, origin: &str) -> Result<Self, KbError> {
        let mut entities = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entity: KbEntity = serde_json::from_str(line).map_err(|e| KbError::BadLine {
                path: origin.to_string(),
                line: i + 1,
                reason: e.to_string(),
            })?;
            entities.push(entity);
        }
        Ok(Self::from_entities(entities))
    }

    pub fn from_entities(entities: Vec<KbEntity>) -> Self {
        let mut by_id = HashMap::with_capacity(entities.len());
        let mut by_alias: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_role: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            by_id.insert(e.id.clone(), i);
            if e.kind == "PER" {
                for r in e.roles.iter().filter(|r| r.from.is_some()) {
                    let list = by_role.entry(r.code.clone()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
            let names = std::iter::once(&e.name)
                .chain(&e.aliases)
                .chain(&e.weak_aliases)
                .chain(&e.nisba);
            for name in names {
                let list = by_alias.entry(alias_key(name)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        KnowledgeBase {
            entities,
            by_id,
            by_alias,
            by_role,
        }
    }

    /// The people who held the role `code` (`TURSPY`) on `date` (`YYYY-MM-DD`) by a dated
    /// role span of the KB (an open end runs to today). Undated spans never count: "the head
    /// of Turkish intelligence" is only someone on a day the KB can place them there.
    pub fn role_holders(&self, code: &str, date: &str) -> Vec<usize> {
        let Some(day) = date.get(..10) else {
            return Vec::new();
        };
        self.by_role.get(code).map_or_else(Vec::new, |people| {
            people
                .iter()
                .copied()
                .filter(|&i| {
                    self.entities[i].roles.iter().any(|r| {
                        r.code == code
                            && r.from.as_deref().is_some_and(|f| f <= day)
                            && r.to.as_deref().is_none_or(|t| day < t)
                    })
                })
                .collect()
        })
    }

    pub fn entities(&self) -> &[KbEntity] {
        &self.entities
    }

    pub fn get(&self, id: &str) -> Option<&KbEntity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Position of an entity in [`Self::entities`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Entities any of whose names (strong, weak or nisba) has the same [`alias_key`] as `name`.
    pub fn lookup(&self, name: &str) -> impl Iterator<Item = &KbEntity> {
        self.by_alias
            .get(&alias_key(name))
            .into_iter()
            .flatten()
            .map(|&i| &self.entities[i])
    }

    /// The country entity of an ISO alpha-3 code.
    pub fn country(&self, alpha3: &str) -> Option<&KbEntity> {
        self.get(&format!("iso:{alpha3}"))
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}
