//! One call decides whether a validated command may run: the read-only
//! classification and the security policy together.
//!
//! ## Design
//!
//! Before this module, every adapter (the server, `aws-mcp check`, both
//! bindings, the examples) classified a command and then asked the policy,
//! by hand. [`Assessor::assess`] is that sequence, once: it returns an
//! [`Assessment`] holding the [`Classification`] (access level, IAM actions,
//! why) and the policy's [`Decision`], which names the [`Rule`](crate::policy::Rule) that decided
//! (`read_only`, `deny_list`, `file`, `credential`, ...). Adapters report the
//! rule instead of a generic "denied".
//!
//! The classifier is behind the [`Classifier`] trait (the embedded access
//! table by default), the policy is the [`Policy`] built from a
//! [`PolicyConfig`]; both are chosen once, when the assessor is built.
//!
//! ```
//! use aws_mcp_core::{Assessor, Catalog, PolicyConfig, Rule};
//!
//! let catalog = Catalog::embedded();
//! let mut config = PolicyConfig::new(catalog, "us-east-1", &std::env::temp_dir())?;
//! config.read_operations_only = true;
//! let assessor = Assessor::new(config);
//!
//! let read = aws_mcp_core::validate(catalog, "aws ec2 describe-instances")?;
//! assert!(assessor.assess(&read).is_allowed());
//!
//! let write = aws_mcp_core::validate(catalog, "aws ec2 terminate-instances --instance-ids i-1")?;
//! let verdict = assessor.assess(&write);
//! assert_eq!(verdict.decision().rule(), Some(Rule::ReadOnly));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use serde::Serialize;

use crate::classify::{AccessTable, Classification, Classifier};
use crate::command::ValidatedCommand;
use crate::policy::{Decision, Policy, PolicyConfig};

/// Classifies and decides validated commands.
#[derive(Clone)]
pub struct Assessor {
    classifier: Arc<dyn Classifier>,
    policy: Policy,
}

impl std::fmt::Debug for Assessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assessor")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Assessor {
    /// An assessor with the embedded access table and the policy `config`.
    pub fn new(config: PolicyConfig) -> Assessor {
        Assessor::with_classifier(config, Arc::new(AccessTable::embedded()))
    }

    /// An assessor with another classifier (a newer access table, or an
    /// embedder's own rules).
    pub fn with_classifier(config: PolicyConfig, classifier: Arc<dyn Classifier>) -> Assessor {
        Assessor {
            classifier,
            policy: Policy::new(config),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Classify `command` and apply the policy (see [`Policy::decide`] for
    /// the order of the rules).
    pub fn assess(&self, command: &ValidatedCommand) -> Assessment {
        if command.help().is_some() {
            // `help` reads the embedded catalog and calls nothing.
            return Assessment {
                classification: Classification {
                    access_level: crate::classify::AccessLevel::Read,
                    read_only: true,
                    iam_actions: Vec::new(),
                    source: crate::classify::Source::Rule,
                    reason: "help is rendered from the embedded command table; nothing is called"
                        .into(),
                    flags: crate::classify::Flags {
                        no_api_call: true,
                        ..Default::default()
                    },
                },
                decision: Decision::Allow,
            };
        }
        let classification = self.classifier.classify(command);
        let decision = self.policy.decide(command, &classification);
        Assessment {
            classification,
            decision,
        }
    }
}

/// What the classifier and the policy say about one command.
///
/// Serialized flat, as `aws-mcp check` prints it: `access_level`,
/// `read_only`, `iam_actions`, `classification_source`,
/// `classification_reason`, `decision`, `rule` and `reason` (the last two
/// absent when the decision is `allow`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    classification: Classification,
    decision: Decision,
}

impl Serialize for Assessment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'a> {
            access_level: crate::classify::AccessLevel,
            read_only: bool,
            iam_actions: &'a [String],
            classification_source: crate::classify::Source,
            classification_reason: &'a str,
            decision: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            rule: Option<crate::policy::Rule>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reason: Option<&'a str>,
        }
        let c = &self.classification;
        Flat {
            access_level: c.access_level,
            read_only: c.read_only,
            iam_actions: &c.iam_actions,
            classification_source: c.source,
            classification_reason: &c.reason,
            decision: self.decision.as_str(),
            rule: self.decision.rule(),
            reason: self.decision.reason(),
        }
        .serialize(s)
    }
}

impl Assessment {
    /// The access level, IAM actions and why.
    pub fn classification(&self) -> &Classification {
        &self.classification
    }

    /// The policy's decision, with the rule that decided.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// True when the command may run without asking anyone.
    pub fn is_allowed(&self) -> bool {
        matches!(self.decision, Decision::Allow)
    }

    /// The parts, by value.
    pub fn into_parts(self) -> (Classification, Decision) {
        (self.classification, self.decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Rule;
    use crate::Catalog;

    fn assessor(read_only: bool, consent: bool) -> Assessor {
        let mut c = PolicyConfig::new(Catalog::embedded(), "us-east-1", std::env::temp_dir())
            .expect("the temp dir exists");
        c.read_operations_only = read_only;
        c.require_mutation_consent = consent;
        Assessor::new(c)
    }

    fn cmd(text: &str) -> ValidatedCommand {
        crate::validate(Catalog::embedded(), text).expect("valid")
    }

    #[test]
    fn each_refusal_names_its_rule() {
        let a = assessor(true, false);
        let cases = [
            ("aws iam delete-user --user-name x", Rule::ReadOnly),
            ("aws s3 ls --debug", Rule::Secret),
            ("aws configure set region us-east-1", Rule::Secret),
            ("aws sts get-session-token", Rule::Credential),
            ("aws ssm start-session --target i-1", Rule::Interactive),
            (
                "aws s3 ls --endpoint-url https://evil.example.com",
                Rule::Endpoint,
            ),
            ("aws s3 ls --profile other", Rule::Profile),
            (
                "aws sns publish --topic-arn arn:aws:sns:us-east-1:1:t --message file:///etc/passwd",
                Rule::File,
            ),
        ];
        for (text, rule) in cases {
            let v = a.assess(&cmd(text));
            assert!(
                matches!(v.decision(), Decision::Deny { rule: r, .. } if *r == rule),
                "{text}: {v:?}"
            );
        }
    }

    #[test]
    fn reads_are_allowed_and_mutations_ask_under_consent() {
        let a = assessor(false, true);
        let read = a.assess(&cmd("aws ec2 describe-instances"));
        assert!(read.is_allowed());
        assert!(read.classification().read_only);
        let write = a.assess(&cmd("aws s3 rb s3://bucket"));
        assert_eq!(write.decision().rule(), Some(Rule::MutationConsent));
        assert_eq!(write.decision().as_str(), "consent");
        let v = serde_json::to_value(&write).expect("serializes");
        assert_eq!(v["decision"], "consent");
        assert_eq!(v["rule"], "mutation_consent");
        assert_eq!(v["read_only"], false);
    }
}
