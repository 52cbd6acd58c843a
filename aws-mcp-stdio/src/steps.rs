//! The call pipeline's steps over the core crate: check (parse + validate),
//! decide (classify + policy) and suggest.
//!
//! The server only talks to [`Steps`]; each method is a few lines over the
//! core modules, so the server does not depend on their internals:
//! [`aws_mcp_core::validate`], [`aws_mcp_core::classify`] with the embedded
//! access table, [`aws_mcp_core::policy`] and [`aws_mcp_core::retrieve`].
//! The retriever is built on first use (or warmed in the background by the
//! server), so start-up does not wait for it.

use std::sync::OnceLock;

use aws_mcp_core::retrieve::{best_retriever, Answer, Retriever};
use aws_mcp_core::{
    AccessTable, Catalog, Classifier, Decision, Policy, PolicyConfig, ValidatedCommand, Validator,
};

pub use aws_mcp_core::Suggestion as Suggested;

/// Why a command was rejected before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A short machine-readable kind (`unknown_operation`, `shell_operator`, ...).
    pub kind: &'static str,
    /// A sentence a model can act on.
    pub message: String,
    /// Close valid names, when there are some.
    pub suggestions: Vec<String>,
}

/// What the policy says about a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Run it.
    Allow,
    /// Refuse it, with the reason.
    Deny(String),
    /// Ask the user first, with the question's reason.
    NeedsConsent(String),
}

/// The pipeline steps over one catalog and one policy.
pub struct Steps {
    catalog: &'static Catalog,
    validator: Validator<'static>,
    classifier: &'static AccessTable,
    policy: Policy,
    retriever: OnceLock<Result<Engine, String>>,
}

/// The suggestion engine, and why each better one is not in use.
type Engine = (Box<dyn Retriever>, Vec<String>);

impl std::fmt::Debug for Steps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Steps").finish_non_exhaustive()
    }
}

impl Steps {
    /// Steps over `catalog` with the policy built from `policy`.
    pub fn new(catalog: &'static Catalog, policy: PolicyConfig) -> Steps {
        Steps {
            catalog,
            validator: Validator::new(catalog),
            classifier: AccessTable::embedded(),
            policy: Policy::new(policy),
            retriever: OnceLock::new(),
        }
    }

    /// True when only read-only commands may run.
    pub fn read_only(&self) -> bool {
        self.policy.config().read_operations_only
    }

    /// The catalog.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// Parse and validate one command line.
    pub fn check(&self, text: &str) -> Result<ValidatedCommand, Rejection> {
        self.validator.validate(text).map_err(|e| Rejection {
            kind: e.kind(),
            message: e.to_string(),
            suggestions: e.suggestions().to_vec(),
        })
    }

    /// Whether `command` accepts the CLI's `--max-items`.
    pub fn paginated(&self, command: &ValidatedCommand) -> bool {
        self.catalog
            .command(&command.service, &command.operation)
            .and_then(|c| c.arg("max-items").ok().flatten())
            .is_some()
    }

    /// Classify and apply the policy.
    pub fn decide(&self, command: &ValidatedCommand) -> Verdict {
        let class = self.classifier.classify(command);
        match self.policy.decide(command, &class) {
            Decision::Allow => Verdict::Allow,
            Decision::NeedsConsent(why) => Verdict::NeedsConsent(why),
            Decision::Deny(why) => Verdict::Deny(why),
            #[allow(unreachable_patterns)]
            other => Verdict::Deny(format!("the policy did not allow it ({})", other.as_str())),
        }
    }

    /// Builds the retriever now, if not built yet.
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

    /// The suggestion engine in use, and why each better one is not (built on first use).
    pub fn engine(&self) -> Result<(String, Vec<String>), String> {
        self.retriever()
            .map(|(r, why)| (r.name().to_string(), why.clone()))
    }

    /// Suggest up to `k` commands for `query`: the suggestions and the engine that answered.
    pub fn suggest(&self, query: &str, k: usize) -> Result<Answer, String> {
        self.retriever()?
            .0
            .answer(query, k)
            .map_err(|e| e.to_string())
    }
}
