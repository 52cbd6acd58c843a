//! The suggestion engine behind `suggest_aws_commands`, built on first use.
//!
//! Building the retriever (decoding the corpus, loading a model) takes tens
//! of milliseconds; the server warms it in the background after start-up, so
//! neither the first answer of the session nor start-up waits for it.

use std::sync::OnceLock;

use aws_mcp_core::retrieve::{default_retriever, Retriever};
use aws_mcp_core::{Catalog, Dialect, Suggestion};

/// Lazily built suggestions over one catalog.
pub struct Suggester {
    catalog: &'static Catalog,
    retriever: OnceLock<Result<Box<dyn Retriever>, String>>,
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
        let Some(dialect) = self.dialect else {
            return self
                .retriever()?
                .suggest(query, k)
                .map_err(|e| e.to_string());
        };
        // A few more than asked, less those of the other dialect.
        let mut out = self
            .retriever()?
            .suggest(query, k.saturating_add(8))
            .map_err(|e| e.to_string())?;
        out.retain(|s| {
            self.catalog
                .command_in(&s.service, &s.operation, dialect)
                .is_some()
        });
        out.truncate(k);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(s: &Suggester, q: &str) -> Vec<String> {
        s.suggest(q, 3)
            .unwrap()
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
        let s = v2.suggest("aws logs tail", 3).unwrap();
        let tail = s.iter().find(|x| x.command == "aws logs tail").unwrap();
        assert!(
            tail.parameters.iter().any(|p| p.name == "--follow"),
            "{tail:?}"
        );
    }
}
