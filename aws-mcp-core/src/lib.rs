//! # aws-mcp-core
//!
//! The pure core of `aws-mcp`: everything needed to understand an AWS CLI
//! command without running it. It has no process, network, Python, Node or
//! MCP code; adapters (the stdio server, the Python and npm packages) are thin
//! layers over it.
//!
//! ## Design
//!
//! * **[`catalog`]** — the complete AWS CLI v1 command table (every service,
//!   operation, customization and waiter, with every argument and the input
//!   shapes behind them), generated from the real `awscli` package by
//!   `tools/catalog-gen/generate.py` and embedded in the crate as a compact,
//!   zstd-compressed container. The index (service and command names and
//!   descriptions) is decoded on first use; each service's arguments and
//!   shapes are decoded only when that service is first looked up, so start-up
//!   cost does not grow with the size of the table.
//!
//! * **[`retrieve`]** — the engines behind `suggest_aws_commands`: a
//!   field-weighted BM25 with AWS vocabulary synonyms over an embedded corpus
//!   generated from the catalog and AWS's examples (see the module docs).
//!
//! Data flows one way through the crate: string → tokens → parsed command →
//! validated command → policy decision. Later modules (parser, validator,
//! classifier, policy, retrieval) build on the catalog.
#![warn(missing_docs)]

pub mod catalog;
pub mod command;
pub mod retrieve;

pub use catalog::{Arg, ArgKind, Catalog, CatalogError, Command, CommandKind, Service};
pub use command::{
    ApiOperation, GivenArg, GlobalOptions, LocalPath, PathAccess, PathOrigin, ValidatedCommand,
};
pub use retrieve::{Engine, ParamInfo, RetrieveError, Retriever, Suggestion};
