//! Errors from loading or decoding a catalog.

/// Why a catalog could not be loaded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read catalog file {path}: {message}")]
    Io {
        /// The file's path.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The data does not start with the catalog magic bytes.
    #[error("not an aws-mcp catalog: missing the AWSMCPC1 header (generate one with tools/catalog-gen/generate.py)")]
    BadMagic,
    /// The data ends before the index or a service frame does.
    #[error("the catalog file is truncated; regenerate it with tools/catalog-gen/generate.py")]
    Truncated,
    /// The catalog uses a data format this build does not read.
    #[error("catalog format {found} is not supported by this build (expects {expected}); regenerate it with this version's tools/catalog-gen/generate.py")]
    UnsupportedFormat {
        /// The format found in the file.
        found: u32,
        /// The format this build reads.
        expected: u32,
    },
    /// A zstd frame could not be decompressed.
    #[error("catalog part {part:?} is corrupt: {message}")]
    Decompress {
        /// Which part (`index` or a service name).
        part: String,
        /// The decompressor's message.
        message: String,
    },
    /// A part's JSON does not match the catalog's data model.
    #[error("catalog part {part:?} does not match the data model: {message}")]
    Json {
        /// Which part (`index` or a service name).
        part: String,
        /// The parser's message.
        message: String,
    },
}
