//! The suggestion engine behind `suggest_aws_commands`, built on first use.
//!
//! Building the retriever (decoding the corpus, loading a model) takes tens
//! of milliseconds; the server warms it in the background after start-up, so
//! neither the first answer of the session nor start-up waits for it.

use std::sync::OnceLock;

use aws_mcp_core::retrieve::{best_retriever, Answer, Retriever};
use aws_mcp_core::Catalog;

/// The suggestion engine, and why each better one is not in use.
type Engine = (Box<dyn Retriever>, Vec<String>);

/// Lazily built suggestions over one catalog.
pub struct Suggester {
    catalog: &'static Catalog,
    retriever: OnceLock<Result<Engine, String>>,
}

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggester").finish_non_exhaustive()
    }
}

impl Suggester {
    /// Suggestions over `catalog` with the best engine this build has.
    pub fn new(catalog: &'static Catalog) -> Suggester {
        Suggester {
            catalog,
            retriever: OnceLock::new(),
        }
    }

    /// Builds the retriever now, if not built yet, and logs which engine it is (and why each
    /// better one is not used: no model files, no ONNX Runtime library).
    pub fn warm(&self) {
        match self.engine() {
            Ok((engine, why)) if why.is_empty() => tracing::info!(engine, "suggestion engine"),
            Ok((engine, why)) => {
                tracing::info!(engine, not_used = why.join("; "), "suggestion engine")
            }
            Err(e) => tracing::warn!(error = e, "no suggestion engine"),
        }
    }

    fn retriever(&self) -> Result<&Engine, String> {
        self.retriever
            .get_or_init(|| {
                best_retriever(self.catalog)
                    .map(|(r, skipped)| (r, skipped.iter().map(|e| e.to_string()).collect()))
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The engine in use, and why each better one is not (built on first use).
    ///
    /// # Errors
    /// No engine could be built.
    pub fn engine(&self) -> Result<(String, Vec<String>), String> {
        self.retriever()
            .map(|(r, why)| (r.name().to_string(), why.clone()))
    }

    /// Up to `k` commands for `query`, best first, with the engine that answered.
    ///
    /// # Errors
    /// The engine's error as a sentence (it could not be built, or the query
    /// is unusable).
    pub fn suggest(&self, query: &str, k: usize) -> Result<Answer, String> {
        self.retriever()?
            .0
            .answer(query, k)
            .map_err(|e| e.to_string())
    }
}
