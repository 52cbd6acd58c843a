//! awscli's `FileGenerator`: the files a transfer works on, in the order
//! the CLI lists them.
//!
//! * Local (`list_files`): one file, or a directory walked depth-first with
//!   each directory's names sorted as the CLI sorts them (directories with
//!   a trailing `/`, so `a.txt` < `a/` < `a0`, which is S3's key order);
//!   symbolic links followed unless `--no-follow-symlinks`; files that do
//!   not exist (broken links), special files and unreadable ones skipped
//!   with the CLI's warnings.
//! * S3 (`list_objects`): a single key with `HeadObject` (none for `rm`),
//!   or `ListObjectsV2` pages; zero-byte "folder" keys ending in `/` are
//!   listed only for deletes.

use serde_json::{Map, Value};

use aws_mcp_wire::s3::output;
use aws_mcp_wire::s3::paths::{find_bucket_key, join};

use super::client::{CallError, Op, S3Client};
use crate::localfs::LocalFiles;

/// One listed file (awscli's `FileStat`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Listed {
    /// The path: absolute local, or `bucket/key`.
    pub path: String,
    /// Its size (`None` for a single `rm` target, not looked up).
    pub size: Option<u64>,
    /// Its last-modified time, microseconds since the epoch.
    pub mtime_us: Option<i64>,
    /// The ETag (S3).
    pub etag: Option<String>,
    /// The storage class (S3), for the Glacier check.
    pub storage_class: Option<String>,
    /// The `Restore` header (S3 `HeadObject`), for the Glacier check.
    pub restore: Option<String>,
}

/// Warnings found while listing (printed on standard error, counted).
pub(crate) type Warnings = Vec<String>;

/// The local files under `path` (see the module docs).
pub(crate) fn list_local(
    fs: &LocalFiles,
    path: &str,
    dir_op: bool,
    follow_symlinks: bool,
    warnings: &mut Warnings,
) -> Vec<Listed> {
    let mut out = Vec::new();
    walk(fs, path, dir_op, follow_symlinks, warnings, &mut out);
    out
}

fn walk(
    fs: &LocalFiles,
    path: &str,
    dir_op: bool,
    follow: bool,
    warnings: &mut Warnings,
    out: &mut Vec<Listed>,
) {
    if should_ignore(fs, path, follow, warnings) {
        return;
    }
    if !dir_op {
        if let Some(l) = file_stat(fs, path, warnings) {
            out.push(l);
        }
        return;
    }
    let names = match fs.list_dir(path) {
        Ok(n) => n,
        Err(e) => {
            warnings.push(output::warning(path, &e.to_string(), true));
            return;
        }
    };
    let mut entries: Vec<(String, bool)> = Vec::new();
    for n in names {
        let name = match n {
            Ok(s) => s,
            Err(lossy) => {
                warnings.push(output::warning(
                    &join(path, &lossy),
                    "The file name is not valid UTF-8.",
                    true,
                ));
                continue;
            }
        };
        let fp = join(path, &name);
        if should_ignore(fs, &fp, follow, warnings) {
            continue;
        }
        let is_dir = fs.stat(&fp).ok().flatten().is_some_and(|m| m.is_dir);
        entries.push(if is_dir {
            (format!("{name}/"), true)
        } else {
            (name, false)
        });
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, is_dir) in entries {
        let fp = join(path, &name);
        if is_dir {
            walk(fs, &fp, dir_op, follow, warnings, out);
        } else if let Some(l) = file_stat(fs, &fp, warnings) {
            out.push(l);
        }
    }
}

/// awscli's `should_ignore_file`: links not followed, then the warnings.
fn should_ignore(fs: &LocalFiles, path: &str, follow: bool, warnings: &mut Warnings) -> bool {
    if !follow {
        let p = path
            .strip_suffix('/')
            .filter(|_| fs.stat(path).ok().flatten().is_some_and(|m| m.is_dir));
        if fs.is_symlink(p.unwrap_or(path)) {
            return true;
        }
    }
    triggers_warning(fs, path, warnings)
}

/// awscli's `triggers_warning`.
fn triggers_warning(fs: &LocalFiles, path: &str, warnings: &mut Warnings) -> bool {
    let meta = match fs.stat(path) {
        Ok(Some(m)) => m,
        _ => {
            warnings.push(output::warning(path, "File does not exist.", true));
            return true;
        }
    };
    if meta.is_special {
        warnings.push(output::warning(
            path,
            "File is character special device, block special device, FIFO, or socket.",
            true,
        ));
        return true;
    }
    if !fs.readable(path, meta.is_dir) {
        warnings.push(output::warning(
            path,
            "File/Directory is not readable.",
            true,
        ));
        return true;
    }
    false
}

fn file_stat(fs: &LocalFiles, path: &str, warnings: &mut Warnings) -> Option<Listed> {
    match fs.stat(path) {
        Ok(Some(m)) => Some(Listed {
            path: path.to_string(),
            size: Some(m.size),
            mtime_us: Some(m.mtime_us),
            ..Default::default()
        }),
        _ => {
            triggers_warning(fs, path, warnings);
            None
        }
    }
}

/// The S3 objects of `s3_path` (`bucket/prefix`), see the module docs.
pub(crate) async fn list_s3(
    client: &S3Client<'_>,
    s3_path: &str,
    dir_op: bool,
    delete: bool,
    page_size: Option<i64>,
    list_params: &Map<String, Value>,
    head_params: &Map<String, Value>,
) -> Result<Vec<Listed>, CallError> {
    let (bucket, prefix) = find_bucket_key(s3_path)
        .map_err(|e| CallError::Native(crate::NativeError::Request(e.to_string())))?;
    if !dir_op && !prefix.is_empty() {
        if delete {
            return Ok(vec![Listed {
                path: s3_path.to_string(),
                ..Default::default()
            }]);
        }
        return Ok(vec![
            head(client, s3_path, &bucket, &prefix, head_params).await?,
        ]);
    }
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut p = list_params.clone();
        p.insert("Bucket".into(), Value::String(bucket.clone()));
        p.insert("Prefix".into(), Value::String(prefix.clone()));
        if let Some(n) = page_size {
            p.insert("MaxKeys".into(), Value::from(n));
        }
        if let Some(t) = &token {
            p.insert("ContinuationToken".into(), Value::String(t.clone()));
        }
        let page = client.call(Op::ListObjectsV2, p, None).await?.data;
        for c in page["Contents"].as_array().into_iter().flatten() {
            let key = c["Key"].as_str().unwrap_or_default();
            let source_path = format!("{bucket}/{key}");
            let size = c["Size"].as_u64().unwrap_or(0);
            let l = Listed {
                path: source_path.clone(),
                size: Some(size),
                mtime_us: c["LastModified"]
                    .as_str()
                    .and_then(aws_mcp_wire::s3::parse_time_us),
                etag: c["ETag"].as_str().map(str::to_string),
                storage_class: c["StorageClass"].as_str().map(str::to_string),
                // Listings carry no `Restore`: the CLI treats listed
                // Glacier objects as not restored.
                restore: None,
            };
            if size == 0 && source_path.ends_with('/') {
                if delete {
                    out.push(l);
                }
            } else if !dir_op && s3_path != source_path {
            } else {
                out.push(l);
            }
        }
        token = page["NextContinuationToken"]
            .as_str()
            .filter(|_| page["IsTruncated"].as_bool() == Some(true))
            .map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(out)
}

/// `_list_single_object`: `HeadObject`, a missing key reported as the CLI
/// words it (`Key "k" does not exist`).
async fn head(
    client: &S3Client<'_>,
    s3_path: &str,
    bucket: &str,
    key: &str,
    head_params: &Map<String, Value>,
) -> Result<Listed, CallError> {
    let mut p = Map::new();
    p.insert("Bucket".into(), Value::String(bucket.to_string()));
    p.insert("Key".into(), Value::String(key.to_string()));
    p.extend(head_params.clone());
    let r = match client.call(Op::HeadObject, p, None).await {
        Ok(r) => r.data,
        Err(CallError::Api { op, mut err }) if err.code == "404" => {
            err.message = format!("Key \"{key}\" does not exist");
            return Err(CallError::Api { op, err });
        }
        Err(e) => return Err(e),
    };
    Ok(Listed {
        path: s3_path.to_string(),
        size: r["ContentLength"].as_u64(),
        mtime_us: r["LastModified"]
            .as_str()
            .and_then(aws_mcp_wire::s3::parse_time_us),
        etag: r["ETag"].as_str().map(str::to_string),
        storage_class: r["StorageClass"].as_str().map(str::to_string),
        restore: r["Restore"].as_str().map(str::to_string),
    })
}
