//! Command retrieval: from a natural-language request to the AWS CLI commands
//! most likely to do it (the engine behind `suggest_aws_commands`).
//!
//! ## Design
//!
//! * **Traits.** [`Retriever`] (query → ranked [`Suggestion`]s) is what the
//!   server uses; [`Embedder`] (text → vector) and [`VectorIndex`] (vector →
//!   nearest documents) are the two halves of a dense engine, so that a model
//!   or a search structure can be swapped without touching the rest.
//! * **Corpus.** `tools/catalog-gen/retrieval.py` writes one line of text per
//!   command (service and operation names, service full name, description,
//!   parameter names, and the titles of AWS's own examples from the `awscli`
//!   package) to `data/retrieval.bin`, embedded in the crate. Building the
//!   index from it never decodes the catalog's per-service argument tables
//!   (decoding all of them costs ~60 MB of heap); only the services of the
//!   returned suggestions are decoded, for their parameter lists.
//! * **Lexical engine** ([`Bm25Retriever`]): a field-weighted BM25 in pure
//!   Rust, plus what plain BM25 misses on requests people type: a documented
//!   table of AWS vocabulary synonyms and service aliases ("VMs" → instances,
//!   "firewall rules" → security groups, "my bill" → Cost Explorer), intent
//!   verbs ("show", "which" → `describe`/`list`/`get`; "tear down" →
//!   `delete`), and a spelling fallback for words the corpus does not know
//!   (nearest known word by edit distance). It needs no file and no native
//!   library, so it is the embedded default.
//!   Requests are read with general rules (values such as IDs and URLs
//!   stand for what they are, hyphenated names weigh less, questions ask to
//!   read, nouns after "the"/"with" are not verbs): see the `bm25` module.
//! * **Dense engine** (cargo feature `dense`, `DenseRetriever`):
//!   all-MiniLM-L6-v2 as an int8 ONNX model run with ONNX Runtime (loaded at
//!   run time from the PyPI `onnxruntime` wheel), command vectors (one per
//!   command and one per example title, scored by the best) precomputed and
//!   shipped in `models/minilm/`, exact int8 search.
//!   **Hybrid** (`HybridRetriever`) fuses lexical and dense scores. The
//!   model files live outside this crate (crates.io's size limit), so the
//!   default build is lexical only; [`default_retriever`] picks hybrid when
//!   the feature, the model and the runtime are all there, else lexical.
//!
//! Queries are checked first ([`check_query`]): empty, whitespace-only and
//! over-long requests are errors; any other Unicode text is accepted.

mod bm25;
mod corpus;
#[cfg(feature = "dense")]
mod dense;
mod fill;
mod synonyms;
mod text;

use serde::Serialize;

use crate::catalog::Catalog;

pub use bm25::{Bm25Params, Bm25Retriever};
pub use corpus::{Corpus, CorpusDoc};
#[cfg(feature = "dense")]
pub use dense::{DenseFiles, DenseRetriever, ExactIndex, HybridRetriever, OnnxEmbedder};
pub use fill::values_in as request_values;

/// The longest request accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;

/// One suggested command.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Suggestion {
    /// The full command, e.g. `aws ec2 describe-instances`.
    pub command: String,
    /// The service as the CLI spells it (`ec2`).
    pub service: String,
    /// The command after the service (`describe-instances`, `wait instance-running`).
    pub operation: String,
    /// What the command does (one line).
    pub description: String,
    /// The engine's score (higher is better; comparable within one answer only).
    pub score: f32,
    /// Every parameter the command takes.
    pub parameters: Vec<ParamInfo>,
    /// The command with the values the request names put where the command takes them
    /// (`aws ec2 describe-route-tables --filters Name=vpc-id,Values=vpc-0a1b…`), and a
    /// `--option <option>` placeholder for each required option the request does not give.
    /// It validates (with [`crate::validate`](fn@crate::validate)); when no such line could be made, it is
    /// [`command`](Self::command) alone.
    pub ready: String,
    /// The options [`ready`](Self::ready) fills from the request (`paths` for positional ones).
    pub filled: Vec<String>,
    /// The required options the request does not give (placeholders in `ready`).
    pub missing: Vec<String>,
}

/// One parameter of a suggested command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ParamInfo {
    /// The option as typed, e.g. `--instance-ids` (a positional argument has no dashes).
    pub name: String,
    /// The CLI type (`string`, `list`, `structure`, `boolean`, ...).
    #[serde(rename = "type")]
    pub param_type: String,
    /// Whether the command requires it.
    pub required: bool,
    /// A one-line description.
    pub doc: String,
}

/// Why a suggestion request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RetrieveError {
    /// The request is empty or only whitespace.
    #[error(
        "the query is empty: describe in words what you want to do, e.g. \"list my EC2 instances\""
    )]
    EmptyQuery,
    /// The request is longer than [`MAX_QUERY_CHARS`].
    #[error("the query is {chars} characters long; shorten it to at most {max} characters")]
    QueryTooLong {
        /// The request's length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// The embedded or given retrieval corpus could not be read.
    #[error("the retrieval corpus is unreadable: {0}; regenerate it with tools/catalog-gen/retrieval.py")]
    Corpus(String),
    /// The command table could not provide a suggested command's parameters.
    #[error("cannot read the command table: {0}")]
    Catalog(#[from] crate::catalog::CatalogError),
    /// The requested engine is not available in this build or on this machine.
    #[error("the {engine} engine is not available: {reason}")]
    EngineUnavailable {
        /// The engine's name.
        engine: String,
        /// Why, and what to do about it.
        reason: String,
    },
    /// The embedding model failed.
    #[error("the embedding model failed: {0}")]
    Model(String),
    /// An engine name that does not exist.
    #[error("unknown engine {0:?}; use lexical, dense or hybrid")]
    UnknownEngine(String),
}

impl RetrieveError {
    /// A stable snake_case name of the error's kind, for programs and bindings.
    pub fn kind(&self) -> &'static str {
        match self {
            RetrieveError::EmptyQuery => "empty_query",
            RetrieveError::QueryTooLong { .. } => "query_too_long",
            RetrieveError::Corpus(_) => "corpus",
            RetrieveError::Catalog(_) => "catalog",
            RetrieveError::EngineUnavailable { .. } => "engine_unavailable",
            RetrieveError::Model(_) => "model",
            RetrieveError::UnknownEngine(_) => "unknown_engine",
        }
    }
}

/// Check a request: not empty, not whitespace only, at most [`MAX_QUERY_CHARS`].
/// Returns the trimmed request.
pub fn check_query(query: &str) -> Result<&str, RetrieveError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(RetrieveError::EmptyQuery);
    }
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(RetrieveError::QueryTooLong {
            chars,
            max: MAX_QUERY_CHARS,
        });
    }
    Ok(q)
}

/// Finds the commands most likely to do what a request asks.
pub trait Retriever: Send + Sync {
    /// The `k` best commands for `query`, best first.
    fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggestion>, RetrieveError>;
    /// The engine's name (`lexical`, `dense`, `hybrid`).
    fn name(&self) -> &str;
    /// Like [`suggest`](Self::suggest), saying which engine answered: an engine that falls
    /// back to another for one request (hybrid to lexical when the model fails) names it.
    fn answer(&self, query: &str, k: usize) -> Result<Answer, RetrieveError> {
        Ok(Answer {
            engine: self.name().to_string(),
            suggestions: self.suggest(query, k)?,
        })
    }
}

/// Suggestions with the engine that made them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The engine that answered (`hybrid`, `dense`, `lexical`).
    pub engine: String,
    /// The commands, best first.
    pub suggestions: Vec<Suggestion>,
}

/// Turns text into a vector (a sentence-embedding model).
pub trait Embedder: Send + Sync {
    /// The length of the vectors it returns.
    fn dim(&self) -> usize;
    /// The embedding of `text` (unit length).
    fn embed(&self, text: &str) -> Result<Vec<f32>, RetrieveError>;
}

/// Finds the stored vectors nearest to a query vector.
pub trait VectorIndex: Send + Sync {
    /// The length of the stored vectors.
    fn dim(&self) -> usize;
    /// How many vectors are stored.
    fn len(&self) -> usize;
    /// How many documents the vectors belong to (a document may have several).
    fn docs(&self) -> usize {
        self.len()
    }
    /// Whether the index is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The `k` documents most similar to `query` (each by its best vector):
    /// (document number, similarity), best first.
    fn nearest(&self, query: &[f32], k: usize) -> Vec<(u32, f32)>;
}

/// A retrieval engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Engine {
    /// Field-weighted BM25 with synonyms, intents and spelling fallback (pure Rust).
    Lexical,
    /// Sentence embeddings (needs the `dense` feature and the ONNX Runtime library).
    Dense,
    /// Score fusion: the normalised lexical score plus a weighted dense score.
    Hybrid,
}

impl Engine {
    /// Every engine, in order of preference for [`default_retriever`] (best first).
    pub const ALL: [Engine; 3] = [Engine::Hybrid, Engine::Dense, Engine::Lexical];

    /// The engine's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Lexical => "lexical",
            Engine::Dense => "dense",
            Engine::Hybrid => "hybrid",
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Engine {
    type Err = RetrieveError;
    fn from_str(s: &str) -> Result<Engine, RetrieveError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lexical" | "bm25" => Ok(Engine::Lexical),
            "dense" => Ok(Engine::Dense),
            "hybrid" => Ok(Engine::Hybrid),
            _ => Err(RetrieveError::UnknownEngine(s.to_string())),
        }
    }
}

/// Build the given engine over `catalog` and the embedded corpus.
pub fn retriever(
    catalog: &'static Catalog,
    engine: Engine,
) -> Result<Box<dyn Retriever>, RetrieveError> {
    match engine {
        Engine::Lexical => Ok(Box::new(Bm25Retriever::new(catalog)?)),
        #[cfg(feature = "dense")]
        Engine::Dense => Ok(Box::new(DenseRetriever::new(catalog)?)),
        #[cfg(feature = "dense")]
        Engine::Hybrid => Ok(Box::new(HybridRetriever::new(catalog)?)),
        #[cfg(not(feature = "dense"))]
        Engine::Dense | Engine::Hybrid => Err(RetrieveError::EngineUnavailable {
            engine: engine.as_str().to_string(),
            reason:
                "this build has no dense engine (cargo feature `dense`); use the lexical engine"
                    .to_string(),
        }),
    }
}

/// The best engine available in this build and on this machine.
pub fn default_retriever(catalog: &'static Catalog) -> Result<Box<dyn Retriever>, RetrieveError> {
    best_retriever(catalog).map(|(r, _)| r)
}

/// The best engine available, with why each better one was not (empty when the best
/// engine was built): hybrid, else dense, else lexical, which needs no file.
pub fn best_retriever(
    catalog: &'static Catalog,
) -> Result<(Box<dyn Retriever>, Vec<RetrieveError>), RetrieveError> {
    let mut skipped = Vec::new();
    for engine in Engine::ALL {
        match retriever(catalog, engine) {
            Ok(r) => return Ok((r, skipped)),
            Err(e) => skipped.push(e),
        }
    }
    Err(skipped.pop().unwrap_or(RetrieveError::EngineUnavailable {
        engine: "any".into(),
        reason: "no engine is compiled in".into(),
    }))
}

/// Describe command `service operation` from the catalog as a [`Suggestion`].
pub(crate) fn make_suggestion(
    catalog: &Catalog,
    service: &str,
    operation: &str,
    description: &str,
    score: f32,
) -> Result<Suggestion, RetrieveError> {
    let mut parameters = Vec::new();
    let mut description = description.to_string();
    // A command of AWS CLI v1, else one only v2 has (`logs tail`).
    if let Some(cmd) = catalog
        .command(service, operation)
        .or_else(|| catalog.command_in(service, operation, crate::catalog::Dialect::V2))
    {
        if description.is_empty() {
            description = cmd.description().to_string();
        }
        let args = cmd.args()?;
        for a in args.iter().filter(|a| !a.hidden) {
            parameters.push(ParamInfo {
                name: if a.positional {
                    a.name.to_string()
                } else {
                    format!("--{}", a.name)
                },
                param_type: a.arg_type.as_str().to_string(),
                required: a.required,
                doc: one_line(&a.doc, 200),
            });
        }
    }
    let command = if operation.is_empty() {
        format!("aws {service}")
    } else {
        format!("aws {service} {operation}")
    };
    Ok(Suggestion {
        ready: command.clone(),
        command,
        service: service.to_string(),
        operation: operation.to_string(),
        description,
        score,
        parameters,
        filled: Vec::new(),
        missing: Vec::new(),
    })
}

/// Fill every suggestion's ready command from `query` (see the `fill` module).
pub(crate) fn complete_all(catalog: &Catalog, query: &str, suggestions: &mut [Suggestion]) {
    for s in suggestions {
        fill::complete(catalog, query, s);
    }
}

/// The first sentence of `doc`, at most `max` characters (cut on a char boundary).
fn one_line(doc: &str, max: usize) -> String {
    let doc = doc.trim();
    let first = match doc.find(". ") {
        Some(i) => &doc[..=i],
        None => doc,
    };
    if first.chars().count() <= max {
        return first.to_string();
    }
    let mut s: String = first.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_queries_are_errors() {
        assert_eq!(check_query(""), Err(RetrieveError::EmptyQuery));
        assert_eq!(check_query(" \t\n\u{3000}"), Err(RetrieveError::EmptyQuery));
        let long = "é".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            check_query(&long),
            Err(RetrieveError::QueryTooLong {
                chars: MAX_QUERY_CHARS + 1,
                max: MAX_QUERY_CHARS
            })
        );
        let ok = "é".repeat(MAX_QUERY_CHARS);
        assert!(check_query(&ok).is_ok());
        assert_eq!(check_query("  list vpcs "), Ok("list vpcs"));
    }

    #[test]
    fn engine_names_round_trip() {
        for e in Engine::ALL {
            assert_eq!(e.as_str().parse::<Engine>(), Ok(e));
        }
        assert!(matches!(
            "fuzzy".parse::<Engine>(),
            Err(RetrieveError::UnknownEngine(_))
        ));
    }

    #[test]
    fn one_line_cuts_on_char_boundary() {
        assert_eq!(one_line("First. Second.", 50), "First.");
        let s = one_line(&"ü".repeat(300), 10);
        assert_eq!(s.chars().count(), 10);
    }

    #[test]
    fn suggestion_has_parameters_from_catalog() {
        let c = Catalog::embedded();
        let s = make_suggestion(c, "ec2", "describe-instances", "", 1.0).unwrap();
        assert_eq!(s.command, "aws ec2 describe-instances");
        assert!(!s.description.is_empty());
        assert!(s.parameters.iter().any(|p| p.name == "--instance-ids"));
        let cp = make_suggestion(c, "s3", "cp", "", 1.0).unwrap();
        assert!(cp.parameters.iter().any(|p| p.name == "paths"));
    }
}
