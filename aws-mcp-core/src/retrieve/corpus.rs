//! The retrieval corpus: one line of text fields per command, written by
//! `tools/catalog-gen/retrieval.py` and embedded as `data/retrieval.bin`
//! (magic `AWSMCPR1` + one zstd frame of tab-separated lines).

use super::RetrieveError;

static EMBEDDED: &[u8] = include_bytes!("../../data/retrieval.bin");
const MAGIC: &[u8; 8] = b"AWSMCPR1";
const MAX_TEXT: usize = 64 << 20;

/// The text of one command, as the engines index it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CorpusDoc {
    /// The service (`ec2`).
    pub service: String,
    /// The command after the service (`describe-instances`).
    pub operation: String,
    /// The service's full name (`Amazon Elastic Compute Cloud`).
    pub service_full_name: String,
    /// The command's one-line description.
    pub description: String,
    /// Its parameter names, space-separated, without dashes.
    pub params: String,
    /// Titles and first sentences of AWS's examples for it, ` | `-separated.
    pub examples: String,
    /// A waiter (`wait ...`).
    pub waiter: bool,
    /// A hand-written customization (`s3 cp`).
    pub custom: bool,
    /// Hidden from help.
    pub hidden: bool,
    /// Deprecated.
    pub deprecated: bool,
    /// Has an example page in the awscli package.
    pub has_examples: bool,
    /// Only AWS CLI v2 has it (`logs tail`, `sso login`); these come after
    /// every AWS CLI v1 command.
    pub v2_only: bool,
}

/// All commands' texts.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// One per command: AWS CLI v1's in catalog order, then those only AWS
    /// CLI v2 has.
    pub docs: Vec<CorpusDoc>,
}

impl Corpus {
    /// The corpus embedded in this build.
    pub fn embedded() -> Result<Corpus, RetrieveError> {
        Corpus::from_bytes(EMBEDDED)
    }

    /// Decode a corpus file written by `retrieval.py`.
    pub fn from_bytes(data: &[u8]) -> Result<Corpus, RetrieveError> {
        let body = data
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| RetrieveError::Corpus("missing the AWSMCPR1 header".into()))?;
        let raw = zstd::bulk::decompress(body, MAX_TEXT)
            .map_err(|e| RetrieveError::Corpus(e.to_string()))?;
        let text = String::from_utf8(raw).map_err(|e| RetrieveError::Corpus(e.to_string()))?;
        Corpus::from_text(&text)
    }

    /// Parse the tab-separated lines.
    pub fn from_text(text: &str) -> Result<Corpus, RetrieveError> {
        let mut docs = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 7 {
                return Err(RetrieveError::Corpus(format!(
                    "line {} has {} fields, expected 7",
                    n + 1,
                    f.len()
                )));
            }
            let flags = f[6];
            docs.push(CorpusDoc {
                service: f[0].to_string(),
                operation: f[1].to_string(),
                service_full_name: f[2].to_string(),
                description: f[3].to_string(),
                params: f[4].to_string(),
                examples: f[5].to_string(),
                waiter: flags.contains('w'),
                custom: flags.contains('c'),
                hidden: flags.contains('h'),
                deprecated: flags.contains('d'),
                has_examples: flags.contains('e'),
                v2_only: flags.contains('2'),
            });
        }
        if docs.is_empty() {
            return Err(RetrieveError::Corpus("no commands".into()));
        }
        Ok(Corpus { docs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn embedded_corpus_matches_catalog() {
        let corpus = Corpus::embedded().unwrap();
        let catalog = Catalog::embedded();
        assert_eq!(corpus.docs.len(), catalog.entries().count());
        let v1 = corpus.docs.iter().take_while(|d| !d.v2_only).count();
        assert_eq!(v1, catalog.commands().count());
        assert!(corpus.docs[v1..].iter().all(|d| d.v2_only));
        for d in &corpus.docs {
            let dialect = if d.v2_only {
                crate::catalog::Dialect::V2
            } else {
                crate::catalog::Dialect::V1
            };
            assert!(
                catalog
                    .command_in(&d.service, &d.operation, dialect)
                    .is_some(),
                "{} {}",
                d.service,
                d.operation
            );
        }
        for (s, o) in [
            ("logs", "tail"),
            ("sso", "login"),
            ("ddb", "select"),
            ("configure", "export-credentials"),
        ] {
            assert!(
                corpus
                    .docs
                    .iter()
                    .any(|d| d.v2_only && d.service == s && d.operation == o),
                "{s} {o}"
            );
        }
        let di = corpus
            .docs
            .iter()
            .find(|d| d.service == "ec2" && d.operation == "describe-instances")
            .unwrap();
        assert!(di.params.contains("instance-ids"));
        assert!(di.has_examples && !di.examples.is_empty());
    }

    #[test]
    fn corrupt_corpus_is_an_error() {
        assert!(Corpus::from_bytes(b"nope").is_err());
        assert!(Corpus::from_bytes(b"AWSMCPR1garbage").is_err());
        assert!(Corpus::from_text("a\tb\n").is_err());
        assert!(Corpus::from_text("").is_err());
    }
}
