//! The suggestion engine behind `suggest_aws_commands`, built on first use.
//!
//! Building the retriever (decoding the corpus, loading a model) takes tens
//! of milliseconds; the server warms it in the background after start-up, so
//! neither the first answer of the session nor start-up waits for it.

use std::sync::OnceLock;

use aws_mcp_core::retrieve::{best_retriever, Answer, Retriever};
use aws_mcp_core::{Catalog, Dialect};

/// The suggestion engine, and why each better one is not in use.
type Engine = (Box<dyn Retriever>, Vec<String>);

/// Lazily built suggestions over one catalog.
pub struct Suggester {
    catalog: &'static Catalog,
    retriever: OnceLock<Result<Engine, String>>,
    dialect: Option<Dialect>,
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
            dialect: None,
        }
    }

    /// Suggest only commands this AWS CLI dialect has (no `ecr get-login`
    /// for v2, no `logs tail` for v1); by default, commands of either.
    pub fn with_dialect(mut self, dialect: Dialect) -> Suggester {
        self.dialect = Some(dialect);
        self
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
        let engine = &self.retriever()?.0;
        let Some(dialect) = self.dialect else {
            return engine.answer(query, k).map_err(|e| e.to_string());
        };
        // A few more than asked, less those of the other dialect.
        let mut answer = engine
            .answer(query, k.saturating_add(8))
            .map_err(|e| e.to_string())?;
        answer.suggestions.retain(|s| {
            self.catalog
                .command_in(&s.service, &s.operation, dialect)
                .is_some()
        });
        answer.suggestions.truncate(k);
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(s: &Suggester, q: &str) -> Vec<String> {
        s.suggest(q, 3)
            .unwrap()
            .suggestions
            .into_iter()
            .map(|x| x.command)
            .collect()
    }

    #[test]
    fn suggestions_follow_the_dialect() {
        let c = Catalog::embedded();
        let any = Suggester::new(c);
        let v1 = Suggester::new(c).with_dialect(Dialect::V1);
        let v2 = Suggester::new(c).with_dialect(Dialect::V2);
        // v2-only commands are known...
        assert!(commands(&any, "aws logs tail").contains(&"aws logs tail".to_string()));
        assert!(commands(&v2, "aws logs tail").contains(&"aws logs tail".to_string()));
        assert!(commands(&v2, "sso login").contains(&"aws sso login".to_string()));
        assert!(commands(&v2, "export credentials")
            .contains(&"aws configure export-credentials".to_string()));
        // ... and only suggested where they exist.
        assert!(!commands(&v1, "aws logs tail").contains(&"aws logs tail".to_string()));
        assert!(commands(&any, "ecr get-login").contains(&"aws ecr get-login".to_string()));
        assert!(!commands(&v2, "ecr get-login").contains(&"aws ecr get-login".to_string()));
        assert_eq!(commands(&v2, "ecr get-login").len(), 3);
        // A v2-only suggestion lists its parameters.
        let s = v2.suggest("aws logs tail", 3).unwrap().suggestions;
        let tail = s.iter().find(|x| x.command == "aws logs tail").unwrap();
        assert!(
            tail.parameters.iter().any(|p| p.name == "--follow"),
            "{tail:?}"
        );
    }
}
