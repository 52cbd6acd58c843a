//! The pure half of the AWS CLI's high-level S3 commands (`aws s3 ls|cp|
//! mv|rm|sync|mb|rb|presign|website`), re-implemented from awscli's
//! `customizations/s3`: everything that decides *what* happens and *what
//! is printed*, with no file system, network or clock. The native
//! executor (`aws-mcp-native`) does the I/O around it.
//!
//! * [`options`] — the command's arguments as awscli reads them, its
//!   parameter checks and the API parameters each request gets
//!   (`RequestParamsMapper`);
//! * [`paths`] — S3 URIs, Python's POSIX path arithmetic, the path type,
//!   where each file goes (`FileFormat`, `find_dest_path_comp_key`);
//! * [`filter`] — `--include`/`--exclude` with `fnmatch` and awscli's
//!   roots and order;
//! * [`sync`] — the comparator and sync strategies (`--size-only`,
//!   `--exact-timestamps`, `--delete`);
//! * [`mime`] — Content-Type guessing (`mimetypes.guess_type`);
//! * [`output`] — every printed line, byte for byte;
//! * [`presign`] — SigV2 presigned URLs (AWS CLI v1's default).
//!
//! Each piece names the awscli function it reproduces; where the CLI's
//! behaviour is odd (patterns matched against both roots, `mv` printing
//! `move:`), it is reproduced, not corrected.

pub mod filter;
pub mod mime;
pub mod options;
pub mod output;
pub mod paths;
pub mod presign;
pub mod sync;

use aws_mcp_core::catalog::Dialect;

/// Why a high-level S3 command stops before it transfers anything, as
/// awscli raises it (the CLI prints `\n<message>\n` on standard error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum S3Error {
    /// A usage error (`TypeError` in awscli): the paths' types do not fit
    /// the command.
    #[error("{0}")]
    Usage(String),
    /// A parameter error (`ValueError` in AWS CLI v1, `ParamValidationError`
    /// in v2).
    #[error("{0}")]
    Param(String),
    /// A run-time error (`RuntimeError`): a local source that does not exist.
    #[error("{0}")]
    Runtime(String),
    /// Something the native executor does not do (the `aws` program must).
    #[error("{0}")]
    Unsupported(String),
}

impl S3Error {
    /// The exit status the AWS CLI ends with for this error.
    pub fn exit_code(&self, dialect: Dialect) -> i32 {
        match (self, dialect) {
            (S3Error::Usage(_) | S3Error::Param(_), Dialect::V1) => 255,
            (S3Error::Usage(_) | S3Error::Param(_), _) => 252,
            _ => 255,
        }
    }
}

/// A timestamp's text (ISO 8601 or an HTTP date, as S3 sends them) as
/// microseconds since the epoch.
pub fn parse_time_us(s: &str) -> Option<i64> {
    crate::protocol::parse::time::parse_epoch_us(s)
}
