//! The arguments of a high-level S3 command, read from the validated
//! command as awscli's argparse leaves them (the last of a repeated
//! option wins, `--include`/`--exclude` accumulate in order, `--sse` and
//! `--request-payer` have their `const`), checked as awscli's
//! `CommandParameters` checks them, and mapped to API parameters as its
//! `RequestParamsMapper` maps them.

use serde_json::{Map, Value};

use aws_mcp_core::catalog::Dialect;
use aws_mcp_core::ValidatedCommand;

use super::filter::Rule;
use super::paths::{self, PathsType};
use super::S3Error;

/// The options of one `aws s3 ...` command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct S3Options {
    /// `ls`, `cp`, `mv`, `rm`, `sync`, `mb`, `rb`, `presign`, `website`.
    pub cmd: String,
    /// The positional paths as given.
    pub paths: Vec<String>,
    /// `--recursive` (always on for `sync`).
    pub recursive: bool,
    /// `--dryrun`.
    pub dryrun: bool,
    /// `--quiet`.
    pub quiet: bool,
    /// `--only-show-errors`.
    pub only_show_errors: bool,
    /// `--follow-symlinks` / `--no-follow-symlinks` (default on).
    pub follow_symlinks: bool,
    /// Not `--no-guess-mime-type`.
    pub guess_mime_type: bool,
    /// `--include` / `--exclude` in order.
    pub filters: Vec<(Rule, String)>,
    /// `--page-size`.
    pub page_size: Option<i64>,
    /// `--human-readable` (`ls`).
    pub human_readable: bool,
    /// `--summarize` (`ls`).
    pub summarize: bool,
    /// `--bucket-name-prefix` (`ls`).
    pub bucket_name_prefix: Option<String>,
    /// `--bucket-region` (`ls`).
    pub bucket_region: Option<String>,
    /// `--size-only` (`sync`).
    pub size_only: bool,
    /// `--exact-timestamps` (`sync`).
    pub exact_timestamps: bool,
    /// `--delete` (`sync`).
    pub delete: bool,
    /// `--force` (`rb`).
    pub force: bool,
    /// `--expires-in` (`presign`, default 3600).
    pub expires_in: i64,
    /// `--index-document` (`website`).
    pub index_document: Option<String>,
    /// `--error-document` (`website`).
    pub error_document: Option<String>,
    /// `--tags K V` (`mb`), in order.
    pub tags: Vec<(String, String)>,
    /// `--metadata`.
    pub metadata: Option<Map<String, Value>>,
    /// `--metadata-directive`.
    pub metadata_directive: Option<String>,
    /// `--acl`.
    pub acl: Option<String>,
    /// `--grants`.
    pub grants: Vec<String>,
    /// `--sse` (`AES256` when given without a value).
    pub sse: Option<String>,
    /// `--sse-kms-key-id`.
    pub sse_kms_key_id: Option<String>,
    /// `--sse-c`.
    pub sse_c: Option<String>,
    /// `--sse-c-key`.
    pub sse_c_key: Option<String>,
    /// `--sse-c-copy-source`.
    pub sse_c_copy_source: Option<String>,
    /// `--sse-c-copy-source-key`.
    pub sse_c_copy_source_key: Option<String>,
    /// `--storage-class`.
    pub storage_class: Option<String>,
    /// `--website-redirect`.
    pub website_redirect: Option<String>,
    /// `--content-type`.
    pub content_type: Option<String>,
    /// `--cache-control`.
    pub cache_control: Option<String>,
    /// `--content-disposition`.
    pub content_disposition: Option<String>,
    /// `--content-encoding`.
    pub content_encoding: Option<String>,
    /// `--content-language`.
    pub content_language: Option<String>,
    /// `--expires`.
    pub expires: Option<String>,
    /// `--source-region`.
    pub source_region: Option<String>,
    /// `--request-payer` (`requester` when given without a value).
    pub request_payer: Option<String>,
    /// `--ignore-glacier-warnings`.
    pub ignore_glacier_warnings: bool,
    /// `--force-glacier-transfer`.
    pub force_glacier_transfer: bool,
    /// `--checksum-mode`.
    pub checksum_mode: Option<String>,
    /// `--checksum-algorithm`.
    pub checksum_algorithm: Option<String>,
    /// `--expected-size`.
    pub expected_size: Option<String>,
    /// `--case-conflict` (default `ignore`).
    pub case_conflict: Option<String>,
    /// `--copy-props` (AWS CLI v2; default `default`).
    pub copy_props: Option<String>,
    /// `--no-overwrite` (AWS CLI v2).
    pub no_overwrite: bool,
    /// `--validate-same-s3-paths`.
    pub validate_same_s3_paths: bool,
}

impl S3Options {
    /// Read the options of a validated `aws s3 ...` command.
    pub fn from_command(c: &ValidatedCommand) -> S3Options {
        let mut o = S3Options {
            cmd: c.operation().to_string(),
            follow_symlinks: true,
            guess_mime_type: true,
            expires_in: 3600,
            ..Default::default()
        };
        let one = |v: &[String], konst: &str| -> String {
            v.first().cloned().unwrap_or_else(|| konst.to_string())
        };
        for a in c.args() {
            let v = &a.values;
            let s = || Some(one(v, ""));
            match a.name.as_str() {
                "paths" | "path" => o.paths = v.clone(),
                "recursive" => o.recursive = true,
                "dryrun" => o.dryrun = true,
                "quiet" => o.quiet = true,
                "only-show-errors" => o.only_show_errors = true,
                "follow-symlinks" => o.follow_symlinks = true,
                "no-follow-symlinks" => o.follow_symlinks = false,
                "no-guess-mime-type" => o.guess_mime_type = false,
                "include" => o.filters.push((Rule::Include, one(v, ""))),
                "exclude" => o.filters.push((Rule::Exclude, one(v, ""))),
                "page-size" => o.page_size = one(v, "").parse().ok(),
                "human-readable" => o.human_readable = true,
                "summarize" => o.summarize = true,
                "bucket-name-prefix" => o.bucket_name_prefix = s(),
                "bucket-region" => o.bucket_region = s(),
                "size-only" => o.size_only = true,
                "exact-timestamps" => o.exact_timestamps = true,
                "delete" => o.delete = true,
                "force" => o.force = true,
                "expires-in" => o.expires_in = one(v, "3600").parse().unwrap_or(3600),
                "index-document" => o.index_document = s(),
                "error-document" => o.error_document = s(),
                "tags" => {
                    if let [k, val] = v.as_slice() {
                        o.tags.push((k.clone(), val.clone()));
                    }
                }
                "metadata-directive" => o.metadata_directive = s(),
                "acl" => o.acl = s(),
                "grants" => o.grants = v.clone(),
                "sse" => o.sse = Some(one(v, "AES256")),
                "sse-kms-key-id" => o.sse_kms_key_id = s(),
                "sse-c" => o.sse_c = Some(one(v, "AES256")),
                "sse-c-key" => o.sse_c_key = s(),
                "sse-c-copy-source" => o.sse_c_copy_source = Some(one(v, "AES256")),
                "sse-c-copy-source-key" => o.sse_c_copy_source_key = s(),
                "storage-class" => o.storage_class = s(),
                "website-redirect" => o.website_redirect = s(),
                "content-type" => o.content_type = s(),
                "cache-control" => o.cache_control = s(),
                "content-disposition" => o.content_disposition = s(),
                "content-encoding" => o.content_encoding = s(),
                "content-language" => o.content_language = s(),
                "expires" => o.expires = s(),
                "source-region" => o.source_region = s(),
                "request-payer" => o.request_payer = Some(one(v, "requester")),
                "ignore-glacier-warnings" => o.ignore_glacier_warnings = true,
                "force-glacier-transfer" => o.force_glacier_transfer = true,
                "checksum-mode" => o.checksum_mode = s(),
                "checksum-algorithm" => o.checksum_algorithm = s(),
                "expected-size" => o.expected_size = s(),
                "case-conflict" => o.case_conflict = s(),
                "copy-props" => o.copy_props = s(),
                "no-overwrite" => o.no_overwrite = true,
                "validate-same-s3-paths" => o.validate_same_s3_paths = true,
                _ => {}
            }
        }
        if let Some(Value::Object(m)) = c.custom_values().get("metadata") {
            o.metadata = Some(m.clone());
        }
        if o.cmd == "sync" {
            o.recursive = true;
        }
        o
    }

    /// The command's usage text (`<LocalPath> <S3Uri> or ...`).
    pub fn usage(&self) -> &'static str {
        match self.cmd.as_str() {
            "cp" | "mv" => "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
            "sync" => "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
            "ls" => "<S3Uri> or NONE",
            _ => "<S3Uri>",
        }
    }

    /// awscli's `CommandParameters.add_paths` checks for a transfer
    /// command (`cp`, `mv`, `rm`, `sync`): the path type, `s3://bucket`
    /// normalised, streaming (`-`) refused (the executor has no standard
    /// input), `mv` onto itself, checksum options by direction, SSE-C
    /// pairs. Returns the path type and the normalised paths. Whether a
    /// local source exists is the executor's check.
    pub fn check_transfer(&self, dialect: Dialect) -> Result<(PathsType, Vec<String>), S3Error> {
        let t = paths::paths_type(&self.cmd, self.usage(), &self.paths)?;
        let mut p = self.paths.clone();
        paths::normalize_s3_trailing_slash(&mut p)?;
        if p.iter().any(|x| x == "-") {
            return Err(S3Error::Unsupported(
                "streaming from standard input or to standard output (`-`)".into(),
            ));
        }
        let (src, dest) = (
            p[0].clone(),
            p.get(1).cloned().unwrap_or_else(|| p[0].clone()),
        );
        if self.cmd == "mv" && t == PathsType::S3S3 && same_path(&src, &dest) {
            return Err(S3Error::Param(match dialect {
                Dialect::V1 => format!("Cannot mv a file onto itself: {src} - {dest}"),
                _ => format!("Cannot mv a file onto itself: '{src}' - '{dest}'"),
            }));
        }
        let wrong = |param: &str, allowed: &[PathsType]| {
            S3Error::Param(format!(
                "Expected {param} parameter to be used with one of following path formats: {}. Instead, received {}.",
                allowed.iter().map(|a| a.usage()).collect::<Vec<_>>().join(", "),
                t.usage()
            ))
        };
        if self
            .checksum_algorithm
            .as_deref()
            .is_some_and(|s| !s.is_empty())
            && !matches!(t, PathsType::LocalS3 | PathsType::S3S3)
        {
            return Err(wrong(
                "checksum-algorithm",
                &[PathsType::LocalS3, PathsType::S3S3],
            ));
        }
        if self.checksum_mode.as_deref().is_some_and(|s| !s.is_empty()) && t != PathsType::S3Local {
            return Err(wrong("checksum-mode", &[PathsType::S3Local]));
        }
        self.check_sse_c(dialect, t)?;
        Ok((t, p))
    }

    fn check_sse_c(&self, dialect: Dialect, t: PathsType) -> Result<(), S3Error> {
        let word = match dialect {
            Dialect::V1 => "It",
            _ => "If",
        };
        let present = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.is_empty());
        for (a, a_name, b, b_name) in [
            (&self.sse_c, "--sse-c", &self.sse_c_key, "--sse-c-key"),
            (
                &self.sse_c_copy_source,
                "--sse-c-copy-source",
                &self.sse_c_copy_source_key,
                "--sse-c-copy-source-key",
            ),
        ] {
            if present(a) && !present(b) {
                return Err(S3Error::Param(format!(
                    "{word} {a_name} is specified, {b_name} must be specified as well."
                )));
            }
            if present(b) && !present(a) {
                return Err(S3Error::Param(format!(
                    "{word} {b_name} is specified, {a_name} must be specified as well."
                )));
            }
        }
        if present(&self.sse_c_copy_source) && t != PathsType::S3S3 {
            return Err(S3Error::Param(
                "--sse-c-copy-source is only supported for copy operations.".into(),
            ));
        }
        Ok(())
    }

    fn put(&self, m: &mut Map<String, Value>, key: &str, v: &Option<String>) {
        if let Some(s) = v.as_deref().filter(|s| !s.is_empty()) {
            m.insert(key.into(), Value::String(s.to_string()));
        }
    }

    fn general(&self, m: &mut Map<String, Value>) -> Result<(), S3Error> {
        self.put(m, "ACL", &self.acl);
        self.put(m, "StorageClass", &self.storage_class);
        self.put(m, "WebsiteRedirectLocation", &self.website_redirect);
        self.put(m, "ContentType", &self.content_type);
        self.put(m, "CacheControl", &self.cache_control);
        self.put(m, "ContentDisposition", &self.content_disposition);
        self.put(m, "ContentEncoding", &self.content_encoding);
        self.put(m, "ContentLanguage", &self.content_language);
        self.put(m, "Expires", &self.expires);
        for g in &self.grants {
            let (perm, grantee) = g.split_once('=').ok_or_else(|| {
                S3Error::Param("grants should be of the form permission=principal".into())
            })?;
            let key = match perm {
                "read" => "GrantRead",
                "full" => "GrantFullControl",
                "readacl" => "GrantReadACP",
                "writeacl" => "GrantWriteACP",
                _ => {
                    return Err(S3Error::Param(
                        "permission must be one of: read|readacl|writeacl|full".into(),
                    ))
                }
            };
            m.insert(key.into(), Value::String(grantee.to_string()));
        }
        Ok(())
    }

    fn metadata_params(&self, m: &mut Map<String, Value>) {
        if let Some(md) = self.metadata.as_ref().filter(|x| !x.is_empty()) {
            m.insert("Metadata".into(), Value::Object(md.clone()));
        }
    }

    fn sse(&self, m: &mut Map<String, Value>) {
        self.put(m, "ServerSideEncryption", &self.sse);
        self.put(m, "SSEKMSKeyId", &self.sse_kms_key_id);
    }

    fn sse_c(&self, m: &mut Map<String, Value>) {
        if self.sse_c.as_deref().is_some_and(|s| !s.is_empty()) {
            self.put(m, "SSECustomerAlgorithm", &self.sse_c);
            self.put(m, "SSECustomerKey", &self.sse_c_key);
        }
    }

    fn sse_c_copy_source(&self, m: &mut Map<String, Value>) {
        if self
            .sse_c_copy_source
            .as_deref()
            .is_some_and(|s| !s.is_empty())
        {
            self.put(m, "CopySourceSSECustomerAlgorithm", &self.sse_c_copy_source);
            self.put(m, "CopySourceSSECustomerKey", &self.sse_c_copy_source_key);
        }
    }

    fn payer(&self, m: &mut Map<String, Value>) {
        self.put(m, "RequestPayer", &self.request_payer);
    }

    /// `RequestParamsMapper.map_put_object_params`.
    pub fn put_object_params(&self) -> Result<Map<String, Value>, S3Error> {
        let mut m = Map::new();
        self.general(&mut m)?;
        self.metadata_params(&mut m);
        self.sse(&mut m);
        self.sse_c(&mut m);
        self.payer(&mut m);
        self.put(&mut m, "ChecksumAlgorithm", &self.checksum_algorithm);
        Ok(m)
    }

    /// `RequestParamsMapper.map_get_object_params`.
    pub fn get_object_params(&self) -> Map<String, Value> {
        let mut m = Map::new();
        self.sse_c(&mut m);
        self.payer(&mut m);
        self.put(&mut m, "ChecksumMode", &self.checksum_mode);
        m
    }

    /// `RequestParamsMapper.map_copy_object_params`.
    pub fn copy_object_params(&self) -> Result<Map<String, Value>, S3Error> {
        let mut m = Map::new();
        self.general(&mut m)?;
        self.put(&mut m, "MetadataDirective", &self.metadata_directive);
        self.metadata_params(&mut m);
        if m.contains_key("Metadata") && !m.contains_key("MetadataDirective") {
            m.insert("MetadataDirective".into(), Value::String("REPLACE".into()));
        }
        self.sse(&mut m);
        self.sse_c(&mut m);
        self.sse_c_copy_source(&mut m);
        self.payer(&mut m);
        self.put(&mut m, "ChecksumAlgorithm", &self.checksum_algorithm);
        Ok(m)
    }

    /// `RequestParamsMapper.map_head_object_params` (`copy_source`: the
    /// SSE-C key of a copy's source, for `s3s3`).
    pub fn head_object_params(&self, copy_source: bool) -> Map<String, Value> {
        let mut m = Map::new();
        if copy_source {
            if self
                .sse_c_copy_source
                .as_deref()
                .is_some_and(|s| !s.is_empty())
            {
                self.put(&mut m, "SSECustomerAlgorithm", &self.sse_c_copy_source);
                self.put(&mut m, "SSECustomerKey", &self.sse_c_copy_source_key);
            }
        } else {
            self.sse_c(&mut m);
        }
        self.payer(&mut m);
        m
    }

    /// `RequestParamsMapper.map_create_multipart_upload_params`.
    pub fn create_multipart_params(&self) -> Result<Map<String, Value>, S3Error> {
        let mut m = Map::new();
        self.general(&mut m)?;
        self.sse(&mut m);
        self.sse_c(&mut m);
        self.metadata_params(&mut m);
        self.payer(&mut m);
        Ok(m)
    }

    /// `RequestParamsMapper.map_upload_part_params`.
    pub fn upload_part_params(&self) -> Map<String, Value> {
        let mut m = Map::new();
        self.sse_c(&mut m);
        self.payer(&mut m);
        m
    }

    /// `RequestParamsMapper.map_upload_part_copy_params`.
    pub fn upload_part_copy_params(&self) -> Map<String, Value> {
        let mut m = Map::new();
        self.sse_c(&mut m);
        self.sse_c_copy_source(&mut m);
        self.payer(&mut m);
        m
    }

    /// `RequestParamsMapper.map_delete_object_params` (and the listing's).
    pub fn payer_params(&self) -> Map<String, Value> {
        let mut m = Map::new();
        self.payer(&mut m);
        m
    }
}

/// `CommandParameters._same_path` for two `s3://` paths.
fn same_path(src: &str, dest: &str) -> bool {
    if src == dest {
        return true;
    }
    if dest.ends_with('/') {
        return src == paths::join(dest, &paths::basename(src));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_mcp_core::{Catalog, Validator};
    use serde_json::json;

    fn opts(cmd: &str) -> S3Options {
        let c = Validator::new(Catalog::embedded())
            .validate(cmd)
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        S3Options::from_command(&c)
    }

    #[test]
    fn argparse_semantics() {
        let o = opts("aws s3 cp a s3://b/ --sse --request-payer --acl private --acl public-read --exclude * --include *.txt --no-follow-symlinks --metadata k=v");
        assert_eq!(o.sse.as_deref(), Some("AES256"));
        assert_eq!(o.request_payer.as_deref(), Some("requester"));
        assert_eq!(o.acl.as_deref(), Some("public-read"));
        assert_eq!(
            o.filters,
            vec![
                (Rule::Exclude, "*".to_string()),
                (Rule::Include, "*.txt".to_string())
            ]
        );
        assert!(!o.follow_symlinks && o.guess_mime_type && !o.recursive);
        assert_eq!(
            o.metadata,
            Some(json!({"k": "v"}).as_object().cloned().unwrap())
        );
        assert!(opts("aws s3 sync . s3://b/").recursive);
        assert_eq!(opts("aws s3 presign s3://b/k").expires_in, 3600);
        assert_eq!(
            opts("aws s3 mb s3://b --tags a 1 --tags b 2").tags,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
    }

    #[test]
    fn transfer_checks_and_their_dialects() {
        let e = opts("aws s3 mv s3://b/a.txt s3://b/a.txt")
            .check_transfer(Dialect::V1)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Cannot mv a file onto itself: s3://b/a.txt - s3://b/a.txt"
        );
        let e = opts("aws s3 mv s3://b/a.txt s3://b/")
            .check_transfer(Dialect::V2)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Cannot mv a file onto itself: 's3://b/a.txt' - 's3://b/'"
        );
        let e = opts("aws s3 cp a.txt s3://b/ --sse-c AES256")
            .check_transfer(Dialect::V1)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "It --sse-c is specified, --sse-c-key must be specified as well."
        );
        let e = opts("aws s3 cp a.txt s3://b/ --sse-c-key k")
            .check_transfer(Dialect::V2)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "If --sse-c-key is specified, --sse-c must be specified as well."
        );
        let e = opts("aws s3 cp s3://b/a x --checksum-algorithm CRC32")
            .check_transfer(Dialect::V1)
            .unwrap_err();
        assert!(e.to_string().starts_with("Expected checksum-algorithm parameter to be used with one of following path formats: <LocalPath> <S3Uri>, <S3Uri> <S3Uri>. Instead, received <S3Uri> <LocalPath>."), "{e}");
        let (t, p) = opts("aws s3 sync s3://b s3://c/p")
            .check_transfer(Dialect::V1)
            .unwrap();
        assert_eq!((t, p[0].as_str()), (PathsType::S3S3, "s3://b/"));
        assert!(matches!(
            opts("aws s3 cp - s3://b/k").check_transfer(Dialect::V1),
            Err(S3Error::Unsupported(_))
        ));
    }

    #[test]
    fn request_parameters_like_the_mapper() {
        let o = opts("aws s3 cp s3://a/k s3://b/k --metadata k=v --sse aws:kms --sse-kms-key-id kid --storage-class GLACIER --grants read=uri=http://x full=id=abc --content-type text/x --request-payer");
        let m = o.copy_object_params().unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"StorageClass": "GLACIER", "ContentType": "text/x",
                   "GrantRead": "uri=http://x", "GrantFullControl": "id=abc",
                   "Metadata": {"k": "v"}, "MetadataDirective": "REPLACE",
                   "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "kid",
                   "RequestPayer": "requester"})
        );
        let o = opts("aws s3 cp a s3://b/ --sse-c AES256 --sse-c-key k --grants bad");
        assert!(o.put_object_params().is_err());
        let o = opts("aws s3 cp a s3://b/ --sse-c --sse-c-key k");
        assert_eq!(
            Value::Object(o.upload_part_params()),
            json!({"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "k"})
        );
        let o = opts("aws s3 cp s3://a/k s3://b/k --sse-c-copy-source --sse-c-copy-source-key s");
        assert_eq!(
            Value::Object(o.head_object_params(true)),
            json!({"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "s"})
        );
    }
}
