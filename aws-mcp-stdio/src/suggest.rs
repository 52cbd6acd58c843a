//! The suggestion engine behind `suggest_aws_commands`, built on first use.
//!
//! Building the retriever (decoding the corpus, loading a model) takes tens
//! of milliseconds; the server warms it in the background after start-up, so
//! neither the first answer of the session nor start-up waits for it.

use std::sync::OnceLock;

use aws_mcp_core::retrieve::{default_retriever, Retriever};
use aws_mcp_core::{Catalog, Suggestion};

/// Lazily built suggestions over one catalog.
pub struct Suggester {
    catalog: &'static Catalog,
    retriever: OnceLock<Result<Box<dyn Retriever>, String>>,
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

    /// Builds the retriever now, if not built yet.
    pub fn warm(&self) {
        let _ = self.retriever();
    }

    fn retriever(&self) -> Result<&dyn Retriever, String> {
        self.retriever
            .get_or_init(|| default_retriever(self.catalog).map_err(|e| e.to_string()))
            .as_ref()
            .map(|r| r.as_ref())
            .map_err(Clone::clone)
    }

    /// Up to `k` commands for `query`, best first.
    ///
    /// # Errors
    /// The engine's error as a sentence (it could not be built, or the query
    /// is unusable).
    pub fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggestion>, String> {
        self.retriever()?
            .suggest(query, k)
            .map_err(|e| e.to_string())
    }
}
