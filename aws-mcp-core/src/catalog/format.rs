//! The container the generator writes and the crate embeds.
//!
//! ```text
//! offset 0   8 bytes   magic "AWSMCPC1"
//! offset 8   u32 LE    N = length of the index frame
//! offset 12  N bytes   zstd frame: index JSON (format, sources, global_args,
//!                      partitions, services with their metadata and the
//!                      [offset, length] of their two frames)
//! offset 12+N          per service, two zstd frames: its command summaries
//!                      (`summaries`: a JSON array of names, kinds, API
//!                      operations, descriptions, flags) and its detail
//!                      (`blob`: commands' arguments, paginators, operation
//!                      models, waiters, input, output and error shapes,
//!                      endpoint rule set text)
//! ```
//!
//! Format 4 took the command summaries out of the index: decoding the
//! index is what every program pays before its first answer, and the
//! summaries (20,695 of them, descriptions included) were 96 % of its
//! 3.8 MB. A service's summaries are decoded when one of its commands is
//! first looked up; listing every command decodes them all.
//!
//! A waiter command's detail carries its botocore waiter (`waiter`: name,
//! delay, maxAttempts and acceptors from `waiters-2.json`, documentation
//! dropped), so that waiters run without botocore; readers that do not know
//! the field ignore it.
//!
//! A command summary with `"removed": true` is an API operation awscli
//! removes from its command table (`emr run-job-flow`), described as awscli
//! would have generated it (arguments, operation model, paginator, shapes);
//! such entries follow all of the service's table commands, and only
//! [`Service::removed_command`](super::Service::removed_command) finds them.
//! Customization arguments that take a structure, list or map name their
//! schema's shapes, stored with the API shapes as
//! `cli:<service>/<command>:<argument>:<name>`.
//!
//! Each service lives in its own frames so that looking up one command decodes
//! one service (tens of kilobytes), not the whole table (about 40 MB of JSON).
//!
//! Since format 3 the catalog holds both AWS CLI dialects: global options, services, command
//! summaries and arguments may carry `"dialects": 1` (AWS CLI v1 only) or
//! `2` (v2 only); without it an entry belongs to both. Two entries of one
//! name may exist side by side, one per dialect (`--output` has v2's
//! `yaml` choices; `sso logout` is an API operation in v1, a customization in
//! v2). `sources.awscli_v2` names the v2 version walked. The merge is
//! `tools/catalog-gen/dialects.py`.

use super::error::CatalogError;
use super::model::{CommandSummary, Index, ServiceDetail};
use crate::container::{self, ContainerError};

/// The magic bytes at the start of a catalog file.
pub const MAGIC: &[u8; 8] = b"AWSMCPC1";
/// The data format version this crate reads.
pub const FORMAT_VERSION: u32 = 4;
/// Upper bound on one decompressed frame (a guard against corrupt files).
const MAX_FRAME: usize = 256 << 20;

/// Split a container into its decoded index and the offset where service frames start.
pub(crate) fn read_index(data: &[u8]) -> Result<(Index, usize), CatalogError> {
    let (frame, end) = container::split(data, MAGIC).map_err(|e| catalog_error(e, "index"))?;
    let json = decompress(frame, "index")?;
    let index: Index = serde_json::from_slice(&json).map_err(|e| CatalogError::Json {
        part: "index".into(),
        message: e.to_string(),
    })?;
    if index.format != FORMAT_VERSION {
        return Err(CatalogError::UnsupportedFormat {
            found: index.format,
            expected: FORMAT_VERSION,
        });
    }
    for s in &index.services {
        for span in [s.summaries, s.blob] {
            container::frame_range(data.len(), end, span).map_err(|e| catalog_error(e, &s.name))?;
        }
    }
    Ok((index, end))
}

/// Decode one service's command summaries frame.
pub(crate) fn read_summaries(
    frame: &[u8],
    service: &str,
) -> Result<Vec<CommandSummary>, CatalogError> {
    let json = decompress(frame, service)?;
    serde_json::from_slice(&json).map_err(|e| CatalogError::Json {
        part: format!("{service} (command summaries)"),
        message: e.to_string(),
    })
}

/// Decode one service's detail frame.
pub(crate) fn read_service(frame: &[u8], service: &str) -> Result<ServiceDetail, CatalogError> {
    let json = decompress(frame, service)?;
    super::model::with_interner(|| serde_json::from_slice(&json)).map_err(|e| CatalogError::Json {
        part: service.to_string(),
        message: e.to_string(),
    })
}

fn decompress(frame: &[u8], part: &str) -> Result<Vec<u8>, CatalogError> {
    container::decompress(frame, MAX_FRAME).map_err(|e| catalog_error(e, part))
}

fn catalog_error(e: ContainerError, part: &str) -> CatalogError {
    match e {
        ContainerError::BadMagic => CatalogError::BadMagic,
        ContainerError::Truncated => CatalogError::Truncated,
        ContainerError::Decompress(message) => CatalogError::Decompress {
            part: part.to_string(),
            message,
        },
    }
}
