//! AWS CLI dialects: the v1 and v2 command tables in one catalog.
//!
//! The generator walks AWS CLI v1 and v2 on the same botocore data and
//! stores what both share once; whatever only one of them has (a global
//! option, a top-level command, a command, an argument) carries the one
//! dialect that has it ([`Dialects`]). Lookups are made in one dialect, chosen
//! by configuration (`AWS_MCP_CLI_VERSION`), never guessed per command: the
//! [`Service`](super::Service) and [`Command`](super::Command) handles
//! remember the dialect they were looked up in, and their arguments are that
//! dialect's.
//!
//! [`Catalog::service`](super::Catalog::service) and the other lookups
//! without a dialect answer in [`Dialect::V1`], the table this crate spoke
//! before it knew v2; every lookup has a `*_in` form that takes the dialect.

use serde::{Deserialize, Deserializer, Serialize};

/// An AWS CLI major version: whose command table, options and semantics apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[non_exhaustive]
pub enum Dialect {
    /// AWS CLI v1 (`awscli` on PyPI): blobs are raw text, timestamps printed as received.
    #[default]
    V1,
    /// AWS CLI v2: blobs are base64, timestamps ISO 8601, `--output yaml`, `--cli-input-yaml`.
    V2,
}

impl Dialect {
    /// Both dialects, v1 first.
    pub const ALL: [Dialect; 2] = [Dialect::V1, Dialect::V2];

    /// The major version number, `1` or `2`.
    pub fn major(self) -> u8 {
        match self {
            Dialect::V1 => 1,
            Dialect::V2 => 2,
        }
    }

    /// `AWS CLI v1` / `AWS CLI v2`.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::V1 => "AWS CLI v1",
            Dialect::V2 => "AWS CLI v2",
        }
    }

    /// The other dialect.
    pub fn other(self) -> Dialect {
        match self {
            Dialect::V1 => Dialect::V2,
            Dialect::V2 => Dialect::V1,
        }
    }

    /// The dialect of an `aws --version` line (`aws-cli/2.36.7 Python/3.11 ...`).
    pub fn from_version_line(line: &str) -> Option<Dialect> {
        let rest = line.trim().strip_prefix("aws-cli/")?;
        match rest.split('.').next()? {
            "1" => Some(Dialect::V1),
            "2" => Some(Dialect::V2),
            _ => None,
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The set of dialects an entry of the catalog belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "u8")]
pub struct Dialects(u8);

impl Dialects {
    /// Both dialects (the catalog's default).
    pub const BOTH: Dialects = Dialects(3);
    /// AWS CLI v1 only.
    pub const V1: Dialects = Dialects(1);
    /// AWS CLI v2 only.
    pub const V2: Dialects = Dialects(2);

    /// Whether `d` has the entry.
    pub fn has(self, d: Dialect) -> bool {
        self.0 & d.major() != 0
    }

    /// Entries of both sets only.
    pub fn and(self, other: Dialects) -> Dialects {
        Dialects(self.0 & other.0)
    }

    /// The one dialect that has the entry, when only one does.
    pub fn only(self) -> Option<Dialect> {
        match self.0 {
            1 => Some(Dialect::V1),
            2 => Some(Dialect::V2),
            _ => None,
        }
    }

    /// Whether both dialects have the entry.
    pub fn is_both(&self) -> bool {
        self.0 == 3
    }
}

impl Default for Dialects {
    fn default() -> Self {
        Dialects::BOTH
    }
}

impl std::fmt::Debug for Dialects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => f.write_str("V1"),
            2 => f.write_str("V2"),
            _ => f.write_str("BOTH"),
        }
    }
}

impl From<Dialects> for u8 {
    fn from(d: Dialects) -> u8 {
        d.0
    }
}

impl<'de> Deserialize<'de> for Dialects {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u8::deserialize(d)? {
            v @ 1..=3 => Ok(Dialects(v)),
            v => Err(serde::de::Error::custom(format!(
                "dialects must be 1, 2 or 3, not {v}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines() {
        assert_eq!(
            Dialect::from_version_line("aws-cli/2.36.7 Python/3.11.7 Linux/6 source/x86_64"),
            Some(Dialect::V2)
        );
        assert_eq!(
            Dialect::from_version_line("aws-cli/1.46.3 Python/3.11.7 Linux/6 botocore/1.44.3\n"),
            Some(Dialect::V1)
        );
        assert_eq!(Dialect::from_version_line("aws-cli/3.0.0"), None);
        assert_eq!(Dialect::from_version_line("not the aws cli"), None);
        assert_eq!(Dialect::from_version_line(""), None);
    }

    #[test]
    fn sets() {
        assert!(Dialects::BOTH.has(Dialect::V1) && Dialects::BOTH.has(Dialect::V2));
        assert!(Dialects::V2.has(Dialect::V2) && !Dialects::V2.has(Dialect::V1));
        assert_eq!(Dialects::V1.only(), Some(Dialect::V1));
        assert_eq!(Dialects::BOTH.only(), None);
        assert_eq!(Dialects::BOTH.and(Dialects::V2), Dialects::V2);
        assert!(serde_json::from_str::<Dialects>("4").is_err());
        assert!(serde_json::from_str::<Dialects>("0").is_err());
        assert_eq!(serde_json::from_str::<Dialects>("2").unwrap(), Dialects::V2);
    }
}
