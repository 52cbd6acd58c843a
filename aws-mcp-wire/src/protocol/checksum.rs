//! Flexible request checksums: botocore's `httpchecksum` (1.36 and later)
//! for in-memory bodies.
//!
//! ## Rules (botocore's `resolve_request_checksum_algorithm` and
//! `apply_request_checksum`)
//!
//! * A request that already carries an `x-amz-checksum-*` header (the
//!   caller gave `--checksum-crc32 ...`) gets nothing more.
//! * When the operation's `requestAlgorithmMember` (`ChecksumAlgorithm`) is
//!   set (`--checksum-algorithm SHA256`), that algorithm is used; the member
//!   itself is serialized as its header (`x-amz-sdk-checksum-algorithm`).
//! * Otherwise, when the operation requires a checksum
//!   (`httpChecksumRequired` or `httpChecksum.requestChecksumRequired`), or
//!   has an algorithm member and the calculation mode is `when_supported`
//!   (the default; `AWS_REQUEST_CHECKSUM_CALCULATION=when_required` turns it
//!   off), CRC32 is used and the member's header says `CRC32`.
//! * The checksum of the body goes, base64-encoded, in
//!   `x-amz-checksum-<algorithm>`. (botocore sends streaming uploads over
//!   HTTPS with the checksum in an `aws-chunked` trailer instead; the body
//!   here is in memory, where a header is equivalent and accepted.)
//!
//! Algorithms: CRC32 (`crc32fast`), CRC32C and CRC64/NVME (table-driven,
//! below), SHA-1, SHA-256 and SHA-512. botocore without the `awscrt`
//! package supports only CRC32, SHA-1, SHA-256 and SHA-512 and refuses the
//! others ("Using CRC32C requires an additional dependency..."); here all
//! six work. The XXHASH family botocore knows with `awscrt`, and MD5 (which
//! botocore does not offer), are refused with a clear error.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::ProtocolError;
use aws_mcp_core::catalog::{OperationModel, Shape};

/// A checksum algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// CRC-32 (ISO-HDLC), botocore's default.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// The algorithm of a `ChecksumAlgorithm` value, case-insensitively.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => Algorithm::Crc32,
            "crc32c" => Algorithm::Crc32c,
            "crc64nvme" => Algorithm::Crc64Nvme,
            "sha1" => Algorithm::Sha1,
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => return None,
        })
    }

    /// The name as the API spells it (`CRC32`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// The header carrying the checksum (`x-amz-checksum-crc32`).
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
            Algorithm::Sha512 => "x-amz-checksum-sha512",
        }
    }
}

/// When a checksum is calculated (`request_checksum_calculation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Calculation {
    /// For every operation that supports one (botocore's default).
    #[default]
    WhenSupported,
    /// Only for operations that require one.
    WhenRequired,
}

impl Calculation {
    /// `when_supported` or `when_required` (case-insensitive), as
    /// `AWS_REQUEST_CHECKSUM_CALCULATION` and the config file spell it.
    pub fn from_setting(v: &str) -> Option<Calculation> {
        match v.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Some(Calculation::WhenSupported),
            "when_required" => Some(Calculation::WhenRequired),
            _ => None,
        }
    }
}

/// An incremental checksum.
#[derive(Clone)]
pub struct Hasher {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64(u64),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hasher")
    }
}

impl Hasher {
    /// A hasher for `alg`.
    pub fn new(alg: Algorithm) -> Hasher {
        let inner = match alg {
            Algorithm::Crc32 => Inner::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => Inner::Crc32c(!0),
            Algorithm::Crc64Nvme => Inner::Crc64(!0),
            Algorithm::Sha1 => Inner::Sha1(<sha1::Sha1 as sha1::Digest>::new()),
            Algorithm::Sha256 => Inner::Sha256(<sha2::Sha256 as sha2::Digest>::new()),
            Algorithm::Sha512 => Inner::Sha512(<sha2::Sha512 as sha2::Digest>::new()),
        };
        Hasher { inner }
    }

    /// Feed bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.inner {
            Inner::Crc32(h) => h.update(bytes),
            Inner::Crc32c(c) => *c = crc32c_update(*c, bytes),
            Inner::Crc64(c) => *c = crc64nvme_update(*c, bytes),
            Inner::Sha1(h) => sha1::Digest::update(h, bytes),
            Inner::Sha256(h) => sha2::Digest::update(h, bytes),
            Inner::Sha512(h) => sha2::Digest::update(h, bytes),
        }
    }

    /// The digest, big-endian for the CRCs (as the headers carry them).
    pub fn finish(self) -> Vec<u8> {
        match self.inner {
            Inner::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            Inner::Crc32c(c) => (!c).to_be_bytes().to_vec(),
            Inner::Crc64(c) => (!c).to_be_bytes().to_vec(),
            Inner::Sha1(h) => sha1::Digest::finalize(h).to_vec(),
            Inner::Sha256(h) => sha2::Digest::finalize(h).to_vec(),
            Inner::Sha512(h) => sha2::Digest::finalize(h).to_vec(),
        }
    }
}

/// The base64 checksum of `bytes`, as the `x-amz-checksum-*` headers carry it.
pub fn base64_checksum(alg: Algorithm, bytes: &[u8]) -> String {
    let mut h = Hasher::new(alg);
    h.update(bytes);
    base64::engine::general_purpose::STANDARD.encode(h.finish())
}

/// The lowercase hex SHA-256 of `bytes` (`x-amz-content-sha256`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Digest::finalize(
        <sha2::Sha256 as sha2::Digest>::new_with_prefix(bytes),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Glacier's SHA-256 tree hash (botocore's `calculate_tree_hash`): the
/// SHA-256 of each 1 MiB chunk, then of each pair of hashes, level by level
/// (an odd one out moves up as is), in lowercase hex.
pub fn glacier_tree_hash(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let sha = |b: &[u8]| sha2::Sha256::digest(b).to_vec();
    let mut level: Vec<Vec<u8>> = bytes.chunks(1 << 20).map(sha).collect();
    if level.is_empty() {
        return hex(&sha(b""));
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| match p {
                [a, b] => sha(&[a.as_slice(), b.as_slice()].concat()),
                [a] => a.clone(),
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
    }
    hex(&level[0])
}

const fn reflected_table32(poly: u32) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

const fn reflected_table64(poly: u64) -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

/// CRC-32C, reflected polynomial 0x82F63B78.
static CRC32C: [u32; 256] = reflected_table32(0x82F6_3B78);
/// CRC-64/NVME, reflected polynomial 0x9A6C9329AC4BC9B5.
static CRC64NVME: [u64; 256] = reflected_table64(0x9A6C_9329_AC4B_C9B5);

fn crc32c_update(mut c: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        c = CRC32C[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c
}

fn crc64nvme_update(mut c: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        c = CRC64NVME[((c ^ u64::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    c
}

/// The checksum headers botocore adds to a request whose serialized
/// `headers` and `body` are given (see the module docs), or an error for
/// an algorithm this version cannot compute.
pub fn request_checksum_headers(
    op: &OperationModel,
    input: Option<&Shape>,
    params: &Map<String, Value>,
    headers: &[(String, String)],
    body: &[u8],
    calculation: Calculation,
) -> Result<Vec<(String, String)>, ProtocolError> {
    if headers
        .iter()
        .any(|(k, _)| k.to_ascii_lowercase().starts_with("x-amz-checksum-"))
    {
        return Ok(Vec::new());
    }
    let trait_ = op.http_checksum.as_ref();
    let required = op.http_checksum_required
        || trait_
            .and_then(|c| c.get("requestChecksumRequired"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
    let member = trait_
        .and_then(|c| c.get("requestAlgorithmMember"))
        .and_then(Value::as_str);
    let mut out = Vec::new();
    let alg = match member.and_then(|m| params.get(m)) {
        Some(v) => {
            let name = v.as_str().unwrap_or_default();
            Algorithm::from_name(name).ok_or_else(|| ProtocolError::BadParameter {
                path: member.unwrap_or_default().to_string(),
                detail: format!(
                    "Unsupported checksum algorithm: {}",
                    name.to_ascii_lowercase()
                ),
            })?
        }
        None if required || (member.is_some() && calculation == Calculation::WhenSupported) => {
            let header = member.and_then(|m| {
                input
                    .and_then(|sh| sh.member_ref(m))
                    .and_then(|r| r.traits().location_name.clone())
            });
            if let Some(h) = header {
                out.push((h.to_string(), Algorithm::Crc32.name().to_string()));
            }
            Algorithm::Crc32
        }
        None => return Ok(Vec::new()),
    };
    out.insert(0, (alg.header().to_string(), base64_checksum(alg, body)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values_of_the_five_algorithms() {
        // The catalogue check input "123456789" and AWS's test vectors.
        let hex = |alg| {
            let mut h = Hasher::new(alg);
            h.update(b"123456789");
            h.finish()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        assert_eq!(hex(Algorithm::Crc32), "cbf43926");
        assert_eq!(hex(Algorithm::Crc32c), "e3069283");
        assert_eq!(hex(Algorithm::Crc64Nvme), "ae8b14860a799888");
        assert_eq!(
            hex(Algorithm::Sha1),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
        assert_eq!(
            hex(Algorithm::Sha256),
            "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
        );
        // botocore's own test vectors (tests/unit/test_httpchecksum.py, "hello world").
        assert_eq!(
            base64_checksum(Algorithm::Crc32, b"hello world"),
            "DUoRhQ=="
        );
        assert_eq!(
            base64_checksum(Algorithm::Crc32c, b"hello world"),
            "yZRlqg=="
        );
        assert_eq!(
            base64_checksum(Algorithm::Crc64Nvme, b"hello world"),
            "jSnVw/bqjr4="
        );
        assert_eq!(
            base64_checksum(Algorithm::Sha1, b"hello world"),
            "Kq5sNclPz7QV2+lfQIuc6R7oRu0="
        );
        assert_eq!(
            base64_checksum(Algorithm::Sha256, b"hello world"),
            "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="
        );
        assert_eq!(
            base64_checksum(Algorithm::Sha512, b"hello world"),
            "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
        );
        // Incremental equals one-shot.
        let mut h = Hasher::new(Algorithm::Crc64Nvme);
        h.update(b"hello ");
        h.update(b"world");
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(h.finish()),
            "jSnVw/bqjr4="
        );
    }

    #[test]
    fn glacier_tree_hash_pairs_megabyte_hashes() {
        // botocore's calculate_tree_hash on 3 MiB + 1 byte of b"a" and on
        // nothing, computed with botocore.utils.calculate_tree_hash.
        let data = vec![b'a'; 3 * (1 << 20) + 1];
        assert_eq!(
            glacier_tree_hash(&data),
            "8ff269de065159dd842ef43ebb9d78a56e8e901672190884df6574b6f3f77b69"
        );
        assert_eq!(
            glacier_tree_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            glacier_tree_hash(b"hello world"),
            sha256_hex(b"hello world")
        );
    }

    #[test]
    fn names_and_settings() {
        assert_eq!(Algorithm::from_name("sha256"), Some(Algorithm::Sha256));
        assert_eq!(
            Algorithm::from_name("CRC64NVME"),
            Some(Algorithm::Crc64Nvme)
        );
        assert_eq!(Algorithm::from_name("XXHASH64"), None);
        assert_eq!(
            Calculation::from_setting("WHEN_REQUIRED"),
            Some(Calculation::WhenRequired)
        );
        assert_eq!(Calculation::from_setting("sometimes"), None);
    }
}
