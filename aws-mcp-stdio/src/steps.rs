//! The call pipeline's steps over the core crate: check (parse + validate),
//! decide (classify + policy) and suggest.
//!
//! The server only talks to [`Steps`]; each method is a few lines over the
//! core modules, so the server does not depend on their internals:
//! [`aws_mcp_core::validate`], [`aws_mcp_core::classify`] with the embedded
//! access table, and [`aws_mcp_core::policy`].
//!
//! `suggest` is INTERIM until the core retriever (issue 5) lands: it counts
//! query words found in each command's name and description. Its result has
//! the retriever's `Suggestion` shape, so the swap is confined to this file.

use aws_mcp_core::{
    AccessTable, Catalog, Classifier, Decision, Policy, PolicyConfig, ValidatedCommand, Validator,
};

/// A suggested command (the shape of the core retriever's `Suggestion`).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested {
    /// `aws <service> <operation>`.
    pub command: String,
    /// The service.
    pub service: String,
    /// The command after the service.
    pub operation: String,
    /// What it does.
    pub description: String,
    /// Relevance, higher is better.
    pub score: f32,
    /// Every parameter.
    pub parameters: Vec<ParamInfo>,
}

/// One parameter of a suggested command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamInfo {
    /// The option as typed (`--instance-ids`; positional arguments without dashes).
    pub name: String,
    /// The CLI type.
    pub param_type: String,
    /// Whether the command requires it.
    pub required: bool,
    /// A one-line description.
    pub doc: String,
}

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
}

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

    /// Builds the suggestion engine now, if it needs building (the interim
    /// engine needs none).
    pub fn warm(&self) {}

    /// Suggest up to `k` commands for `query`. INTERIM: counts query words
    /// found in each command's name and description.
    pub fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggested>, String> {
        let words: Vec<String> = query
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let mut scored: Vec<(f32, aws_mcp_core::Command<'static>)> = Vec::new();
        for c in self.catalog.commands() {
            if c.hidden() || c.deprecated() {
                continue;
            }
            let name = format!("{} {}", c.service().name(), c.name()).to_ascii_lowercase();
            let desc = c.description().to_ascii_lowercase();
            let mut s = 0.0f32;
            for w in &words {
                if name.contains(w.as_str()) {
                    s += 2.0;
                } else if desc.contains(w.as_str()) {
                    s += 1.0;
                }
            }
            if s > 0.0 {
                scored.push((s, c));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(scored
            .into_iter()
            .take(k)
            .map(|(score, c)| Suggested {
                command: c.full_name(),
                service: c.service().name().to_string(),
                operation: c.name().to_string(),
                description: c.description().to_string(),
                score,
                parameters: c
                    .args()
                    .map(|a| {
                        a.iter()
                            .filter(|a| !a.hidden)
                            .map(|a| ParamInfo {
                                name: if a.positional {
                                    a.name.to_string()
                                } else {
                                    format!("--{}", a.name)
                                },
                                param_type: a.arg_type.as_str().to_string(),
                                required: a.required,
                                doc: a.doc.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect())
    }
}
