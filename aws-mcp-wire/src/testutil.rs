//! Test helpers of the wire crate.

use aws_mcp_core::Catalog;

/// The unpacked botocore source distribution (its test suites), from
/// `AWS_MCP_BOTOCORE_SRC` or `<workspace>/.venv/sdist/botocore-<version>`;
/// panics with the command that fetches it when missing.
pub(crate) fn botocore_src() -> std::path::PathBuf {
    let dir = std::env::var_os("AWS_MCP_BOTOCORE_SRC")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let v = &Catalog::embedded().sources().botocore_data;
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../.venv/sdist")
                .join(format!("botocore-{v}"))
        });
    assert!(
        dir.join("tests").is_dir(),
        "botocore's test suites are missing at {}: run tools/testdata/fetch-botocore-src.sh \
         (or set AWS_MCP_BOTOCORE_SRC)",
        dir.display()
    );
    dir
}
