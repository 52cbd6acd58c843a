//! The dense and hybrid engines (cargo feature `dense`).
//!
//! * [`OnnxEmbedder`]: all-MiniLM-L6-v2, exported once to ONNX with mean
//!   pooling and L2 normalisation inside the graph and quantised to int8
//!   (per-channel), run with ONNX Runtime through `ort` (`load-dynamic`: the
//!   library is loaded at run time, nothing is downloaded at build time) and
//!   tokenised with the `tokenizers` crate (no padding, truncation at 256).
//! * [`ExactIndex`]: the commands' vectors, embedded by
//!   `tools/catalog-gen/dense.py` with the base int8 model (the request
//!   encoder is that model fine-tuned against them), then learned against
//!   the request encoder by `tools/catalog-gen/docvectors.py`, and shipped
//!   quantised (int8 + one scale per vector): one per command for its name
//!   and description, and one per title of AWS's examples for it (27,268
//!   vectors for all 20,648 commands of the corpus, AWS CLI v1's and the 48
//!   only v2 has; a file that does not cover every command is refused),
//!   because requests are phrased like
//!   example titles ("To list the objects in a bucket") more than like API
//!   reference text. A command scores its best vector (max-sim). Vectors
//!   stay int8 in memory (10 MB) and are searched exactly with an integer
//!   dot product (under a millisecond; no index build).
//! * [`DenseRetriever`] = embedder + index. The request is embedded with its
//!   values replaced by what they are (`i-0abc…` → "instance ec2") and the
//!   vocabulary tables' words appended ("my servers" + "(instance ec2)"),
//!   the lexical engine's knowledge of AWS words the model lacks; the
//!   similarity gains a small prior (the lexical engine's: documented,
//!   popular services' commands first), which keeps obscure services'
//!   look-alike commands from the top.
//! * [`HybridRetriever`] fuses the lexical and dense scores.
//!
//! Files ([`DenseFiles::locate`]): the model directory is `AWS_MCP_MODEL_DIR`,
//! or `models/minilm` beside the program, or the repository's `models/minilm`;
//! the ONNX Runtime library (1.31 or newer, e.g. from the PyPI `onnxruntime`
//! wheel, `onnxruntime/capi/`, or npm's `onnxruntime-node`) is `ORT_DYLIB_PATH`,
//! or found beside the program, in Python's site-packages or the system's
//! library directories. Nothing is downloaded; when either is missing the
//! default engine is the lexical one, and the server says so.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::bm25::Bm25Retriever;
use super::corpus::Corpus;
use super::{
    check_query, complete_all, make_suggestion, Embedder, RetrieveError, Retriever, Suggestion,
    VectorIndex,
};
use crate::catalog::Catalog;

const VECTORS_MAGIC: &[u8; 8] = b"AWSMCPV2";
const VECTORS_MAGIC_V1: &[u8; 8] = b"AWSMCPV1";
/// Tokens kept of a request.
const MAX_TOKENS: usize = 256;

fn unavailable(engine: &str, reason: impl Into<String>) -> RetrieveError {
    RetrieveError::EngineUnavailable {
        engine: engine.to_string(),
        reason: reason.into(),
    }
}

/// Where the dense engine's files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenseFiles {
    /// The int8 ONNX model (`model.onnx`).
    pub model: PathBuf,
    /// The tokenizer (`tokenizer.json`).
    pub tokenizer: PathBuf,
    /// The command vectors (`vectors.bin`).
    pub vectors: PathBuf,
    /// The ONNX Runtime shared library.
    pub runtime: PathBuf,
}

impl DenseFiles {
    /// The files in `model_dir`, with the runtime library at `runtime`.
    pub fn in_dir(model_dir: &Path, runtime: PathBuf) -> DenseFiles {
        DenseFiles {
            model: model_dir.join("model.onnx"),
            tokenizer: model_dir.join("tokenizer.json"),
            vectors: model_dir.join("vectors.bin"),
            runtime,
        }
    }

    /// Find the files (the first that exists, in this order).
    ///
    /// The model directory: `AWS_MCP_MODEL_DIR`; `models/minilm` or
    /// `../share/aws-mcp/models/minilm` beside the running program; the repository's
    /// `models/minilm` when the program runs from inside the checkout it was built in
    /// (`target/`; an installed program never looks into the build machine's tree).
    ///
    /// The ONNX Runtime library (1.31 or newer): `ORT_DYLIB_PATH`; beside the running program
    /// or in `../lib` from it; the `onnxruntime` Python package (`onnxruntime/capi/`) of the
    /// active virtual environment (`VIRTUAL_ENV`), the checkout's `.venv` (as above), the user's and the
    /// system's Python site-packages; the system library directories. Python and Node
    /// packages of aws-mcp set `AWS_MCP_MODEL_DIR` and `ORT_DYLIB_PATH` to the files they ship
    /// or depend on.
    pub fn locate() -> Result<DenseFiles, RetrieveError> {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let repo = checkout_of(exe_dir.as_deref());
        let dir = match std::env::var_os("AWS_MCP_MODEL_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => {
                let mut candidates = Vec::new();
                if let Some(e) = &exe_dir {
                    candidates.push(e.join("models").join("minilm"));
                    candidates.push(e.join("../share/aws-mcp/models/minilm"));
                }
                if let Some(r) = &repo {
                    candidates.push(r.join("models").join("minilm"));
                }
                candidates
                    .iter()
                    .find(|d| d.join("model.onnx").is_file())
                    .or(candidates.first())
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from("models").join("minilm"))
            }
        };
        if !dir.join("model.onnx").is_file() {
            return Err(unavailable(
                "dense",
                format!(
                    "no model.onnx in {}; set AWS_MCP_MODEL_DIR to the directory made by tools/catalog-gen/dense.py",
                    dir.display()
                ),
            ));
        }
        let runtime = match std::env::var_os("ORT_DYLIB_PATH") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => find_runtime(exe_dir.as_deref(), repo.as_deref()).ok_or_else(|| {
                unavailable(
                    "dense",
                    "the ONNX Runtime library was not found; run `pip install onnxruntime>=1.31.1` (or set ORT_DYLIB_PATH to a libonnxruntime 1.31 or newer)",
                )
            })?,
        };
        if !runtime.is_file() {
            return Err(unavailable(
                "dense",
                format!("ORT_DYLIB_PATH {} is not a file", runtime.display()),
            ));
        }
        Ok(DenseFiles::in_dir(&dir, runtime))
    }
}

/// The checkout this crate was built from, but only for a program running
/// from inside it (`target/...` of a `cargo build`) or started by cargo
/// (`cargo test`, `cargo run`: `CARGO_MANIFEST_DIR` is set): an installed
/// binary never looks into the build machine's source tree.
fn checkout_of(exe_dir: Option<&Path>) -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .canonicalize()
        .ok()?;
    if std::env::var_os("CARGO_MANIFEST_DIR").is_some() {
        return Some(repo);
    }
    let exe = exe_dir?.canonicalize().ok()?;
    exe.starts_with(&repo).then_some(repo)
}

/// Whether `name` is a file name of the ONNX Runtime library on some platform.
fn is_runtime_name(name: &str) -> bool {
    name == "onnxruntime.dll"
        || name
            .strip_prefix("libonnxruntime")
            .is_some_and(|rest| rest.starts_with(".so") || rest.ends_with(".dylib"))
}

/// The first ONNX Runtime library in `dir` (sorted by name, so the choice is stable).
fn runtime_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|f| is_runtime_name(&f.file_name().to_string_lossy()))
        .map(|f| f.path())
        .filter(|p| p.is_file())
        .collect();
    found.sort();
    found.into_iter().next()
}

/// `onnxruntime/capi/` of every `site-packages` under `lib/python3*/` of `prefix`.
fn python_capi_dirs(prefix: &Path, out: &mut Vec<PathBuf>) {
    let Ok(libs) = std::fs::read_dir(prefix.join("lib")) else {
        return;
    };
    let mut libs: Vec<PathBuf> = libs
        .flatten()
        .filter(|l| l.file_name().to_string_lossy().starts_with("python3"))
        .map(|l| l.path())
        .collect();
    libs.sort();
    libs.reverse();
    for lib in libs {
        for sub in ["site-packages", "dist-packages"] {
            out.push(lib.join(sub).join("onnxruntime").join("capi"));
        }
    }
}

/// Look for the ONNX Runtime library where [`DenseFiles::locate`] says.
fn find_runtime(exe_dir: Option<&Path>, repo: Option<&Path>) -> Option<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(e) = exe_dir {
        dirs.push(e.to_path_buf());
        dirs.push(e.join("../lib"));
    }
    if let Some(v) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        python_capi_dirs(Path::new(&v), &mut dirs);
    }
    if let Some(r) = repo {
        python_capi_dirs(&r.join(".venv"), &mut dirs);
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        python_capi_dirs(&Path::new(&home).join(".local"), &mut dirs);
    }
    for prefix in ["/usr/local", "/usr"] {
        python_capi_dirs(Path::new(prefix), &mut dirs);
    }
    for d in [
        "/usr/local/lib",
        "/usr/lib",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/opt/homebrew/lib",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs.iter().find_map(|d| runtime_in(d))
}

/// The ONNX Runtime environment, loaded once per process.
fn environment(runtime: &Path) -> Result<ort::environment::Environment, RetrieveError> {
    static ENV: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        // `ort` panics (rather than failing) on a library without the expected
        // entry points or API version: turn that into an error too.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let builder = ort::init_from(runtime).map_err(|e| {
                format!(
                    "cannot load the ONNX Runtime library {}: {e}",
                    runtime.display()
                )
            })?;
            builder
                .with_name("aws-mcp")
                .build()
                .map_err(|e| format!("cannot start ONNX Runtime: {e}"))
        }))
        .unwrap_or_else(|_| {
            Err(format!(
                "{} is not a usable ONNX Runtime 1.31 library (install onnxruntime==1.31.1 from PyPI)",
                runtime.display()
            ))
        })
    })
    .clone()
    .map_err(|e| unavailable("dense", e))
}

/// A sentence-embedding model run with ONNX Runtime.
pub struct OnnxEmbedder {
    session: Mutex<ort::session::Session>,
    tokenizer: tokenizers::Tokenizer,
    dim: usize,
}

impl std::fmt::Debug for OnnxEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnnxEmbedder")
            .field("dim", &self.dim)
            .finish()
    }
}

impl OnnxEmbedder {
    /// Load the model and tokenizer; runs on one thread.
    pub fn load(files: &DenseFiles) -> Result<OnnxEmbedder, RetrieveError> {
        let env = environment(&files.runtime)?;
        let session = ort::session::Session::builder(&env)
            .and_then(|b| b.with_intra_threads(1).map_err(Into::into))
            .and_then(|mut b| b.commit_from_file(&files.model))
            .map_err(|e| {
                RetrieveError::Model(format!("cannot load {}: {e}", files.model.display()))
            })?;
        let mut tokenizer = tokenizers::Tokenizer::from_file(&files.tokenizer).map_err(|e| {
            RetrieveError::Model(format!("cannot load {}: {e}", files.tokenizer.display()))
        })?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        let embedder = OnnxEmbedder {
            session: Mutex::new(session),
            tokenizer,
            dim: 0,
        };
        let dim = embedder.run("probe")?.len();
        Ok(OnnxEmbedder { dim, ..embedder })
    }

    fn run(&self, text: &str) -> Result<Vec<f32>, RetrieveError> {
        let enc = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        let ids: Vec<i64> = enc.get_ids().iter().map(|&i| i64::from(i)).collect();
        let n = ids.len();
        let mask = vec![1i64; n];
        let t_ids = ort::value::Tensor::from_array(([1usize, n], ids))
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        let t_mask = ort::value::Tensor::from_array(([1usize, n], mask))
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        let mut session = self
            .session
            .lock()
            .map_err(|_| RetrieveError::Model("the model session was poisoned".into()))?;
        let out = session
            .run(ort::inputs!["input_ids" => t_ids, "attention_mask" => t_mask])
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        let (_, v) = out["embedding"]
            .try_extract_tensor::<f32>()
            .map_err(|e| RetrieveError::Model(e.to_string()))?;
        Ok(v.to_vec())
    }
}

impl Embedder for OnnxEmbedder {
    fn dim(&self) -> usize {
        self.dim
    }

    fn embed(&self, text: &str) -> Result<Vec<f32>, RetrieveError> {
        self.run(text)
    }
}

/// Exact inner-product search over int8 unit vectors, several per document.
///
/// Vectors stay int8 in memory (a quarter of the f32 size); the query is
/// quantised to i16 and each row costs one integer dot product, which the
/// compiler vectorises. A document scores its best vector (max-sim).
#[derive(Debug, Clone)]
pub struct ExactIndex {
    dim: usize,
    docs: usize,
    /// `len × dim` int8 values, row-major.
    values: Vec<i8>,
    /// One scale per vector (value = int8 × scale).
    scales: Vec<f32>,
    /// The document each vector belongs to (ascending).
    owners: Vec<u32>,
}

fn quantise_row(row: &[f32], out: &mut Vec<i8>) -> f32 {
    let max = row.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    out.extend(
        row.iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
    );
    scale
}

impl ExactIndex {
    /// An index with one document per row of `rows` (row-major, `dim`
    /// values each; quantised to int8). A trailing partial row is ignored.
    pub fn new(dim: usize, rows: &[f32]) -> ExactIndex {
        let n = rows.len().checked_div(dim).unwrap_or(0);
        let mut values = Vec::with_capacity(n * dim);
        let mut scales = Vec::with_capacity(n);
        for row in rows.chunks_exact(dim.max(1)).take(n) {
            scales.push(quantise_row(row, &mut values));
        }
        ExactIndex {
            dim,
            docs: n,
            values,
            scales,
            owners: (0..n as u32).collect(),
        }
    }

    /// Decode a `vectors.bin` written by `tools/catalog-gen/dense.py`:
    /// `AWSMCPV2` (several vectors per document) or `AWSMCPV1` (one each).
    pub fn from_bytes(data: &[u8]) -> Result<ExactIndex, RetrieveError> {
        let bad = |m: &str| RetrieveError::Corpus(format!("vectors file: {m}"));
        let (rest, v2) = if let Some(r) = data.strip_prefix(VECTORS_MAGIC.as_slice()) {
            (r, true)
        } else if let Some(r) = data.strip_prefix(VECTORS_MAGIC_V1.as_slice()) {
            (r, false)
        } else {
            return Err(bad("missing the AWSMCPV2 header"));
        };
        let header = if v2 { 12 } else { 8 };
        if rest.len() < header {
            return Err(bad("truncated header"));
        }
        let u32_at = |b: &[u8], o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let (n, dim) = (u32_at(rest, 0) as usize, u32_at(rest, 4) as usize);
        let docs = if v2 { u32_at(rest, 8) as usize } else { n };
        let body = &rest[header..];
        let lead = if v2 { 8 } else { 4 };
        let stride = dim.checked_add(lead).ok_or_else(|| bad("bad dimension"))?;
        if dim == 0 || n.checked_mul(stride) != Some(body.len()) {
            return Err(bad("size does not match its header"));
        }
        let mut values = Vec::with_capacity(n * dim);
        let mut scales = Vec::with_capacity(n);
        let mut owners = Vec::with_capacity(n);
        for (i, row) in body.chunks_exact(stride).enumerate() {
            let owner = if v2 { u32_at(row, 0) } else { i as u32 };
            if owner as usize >= docs || owners.last().is_some_and(|&o| o > owner) {
                return Err(bad("document numbers out of order or out of range"));
            }
            owners.push(owner);
            scales.push(f32::from_le_bytes([
                row[lead - 4],
                row[lead - 3],
                row[lead - 2],
                row[lead - 1],
            ]));
            values.extend(row[lead..].iter().map(|&b| b as i8));
        }
        Ok(ExactIndex {
            dim,
            docs,
            values,
            scales,
            owners,
        })
    }

    /// The stored vectors, in order (dequantised).
    pub fn rows(&self) -> impl Iterator<Item = Vec<f32>> + '_ {
        self.values
            .chunks_exact(self.dim)
            .zip(&self.scales)
            .map(|(r, &s)| r.iter().map(|&v| f32::from(v) * s).collect())
    }

    /// The document of each stored vector, in order.
    pub fn owners(&self) -> &[u32] {
        &self.owners
    }

    /// Read a `vectors.bin` file.
    pub fn from_path(path: &Path) -> Result<ExactIndex, RetrieveError> {
        let data = std::fs::read(path)
            .map_err(|e| unavailable("dense", format!("cannot read {}: {e}", path.display())))?;
        ExactIndex::from_bytes(&data)
    }
}

/// `Σ a·b` of an int8 row and an i16 query (at most 512 long, so that the
/// sum fits an i32). 32 independent accumulators let the compiler use wide
/// integer multiply-adds even for the baseline x86-64 target: 2.5× the
/// speed of a plain `zip().sum()`.
/// Kept out of line, on fixed-size arrays: inlined into its caller, the
/// compiler was seen to emit scalar code (4× slower) in some builds.
#[inline(never)]
fn dot_i8_i16(a: &[i8], b: &[i16]) -> i32 {
    const LANES: usize = 32;
    let mut acc = [0i32; LANES];
    let (ac, bc) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        let (Ok(x), Ok(y)) = (<&[i8; LANES]>::try_from(x), <&[i16; LANES]>::try_from(y)) else {
            continue;
        };
        for i in 0..LANES {
            acc[i] += i32::from(x[i]) * i32::from(y[i]);
        }
    }
    let tail: i32 = ar
        .iter()
        .zip(br)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum();
    acc.iter().sum::<i32>() + tail
}

impl VectorIndex for ExactIndex {
    fn dim(&self) -> usize {
        self.dim
    }

    fn len(&self) -> usize {
        self.scales.len()
    }

    fn docs(&self) -> usize {
        self.docs
    }

    fn nearest(&self, query: &[f32], k: usize) -> Vec<(u32, f32)> {
        if query.len() != self.dim || k == 0 || self.docs == 0 {
            return Vec::new();
        }
        let max = query.iter().fold(0f32, |m, x| m.max(x.abs()));
        if !max.is_finite() {
            return Vec::new();
        }
        let qscale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let q: Vec<i16> = query
            .iter()
            .map(|x| (x / qscale).round().clamp(-32767.0, 32767.0) as i16)
            .collect();
        // |Σ| ≤ 384 · 127 · 32767 < i32::MAX for dim ≤ 384; i64 above that.
        let mut best = vec![f32::NEG_INFINITY; self.docs];
        for ((row, &scale), &owner) in self
            .values
            .chunks_exact(self.dim)
            .zip(&self.scales)
            .zip(&self.owners)
        {
            let dot: i64 = if self.dim <= 512 {
                i64::from(dot_i8_i16(row, &q))
            } else {
                row.iter()
                    .zip(&q)
                    .map(|(&a, &b)| i64::from(a) * i64::from(b))
                    .sum()
            };
            let sim = dot as f32 * scale * qscale;
            let b = &mut best[owner as usize];
            if sim > *b {
                *b = sim;
            }
        }
        let mut all: Vec<(u32, f32)> = best
            .into_iter()
            .enumerate()
            .filter(|x| x.1.is_finite())
            .map(|(i, s)| (i as u32, s))
            .collect();
        let k = k.min(all.len());
        if k == 0 {
            return Vec::new();
        }
        all.select_nth_unstable_by(k - 1, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        all.truncate(k);
        all.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        all
    }
}

#[derive(Debug)]
struct Doc {
    service: Box<str>,
    operation: Box<str>,
    description: Box<str>,
}

fn docs_of(corpus: &Corpus) -> Vec<Doc> {
    corpus
        .docs
        .iter()
        .map(|d| Doc {
            service: d.service.as_str().into(),
            operation: d.operation.as_str().into(),
            description: d.description.as_str().into(),
        })
        .collect()
}

/// Sentence embeddings + nearest-neighbour search over every command.
pub struct DenseRetriever {
    catalog: &'static Catalog,
    embedder: Box<dyn Embedder>,
    index: Box<dyn VectorIndex>,
    docs: Vec<Doc>,
    /// Every command's prior (the lexical engine's, scaled to at most 1).
    priors: Vec<f32>,
    /// The weight of the prior added to the cosine similarity.
    pub prior_weight: f32,
    /// Append the vocabulary tables' words to the request.
    pub expand: bool,
}

/// How many nearest commands the prior re-orders.
const PRIOR_DEPTH: usize = 200;

impl std::fmt::Debug for DenseRetriever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DenseRetriever")
            .field("docs", &self.docs.len())
            .finish()
    }
}

impl DenseRetriever {
    /// Load the model, tokenizer and vectors found by [`DenseFiles::locate`].
    pub fn new(catalog: &'static Catalog) -> Result<DenseRetriever, RetrieveError> {
        DenseRetriever::from_files(catalog, &DenseFiles::locate()?)
    }

    /// Load from the given files.
    pub fn from_files(
        catalog: &'static Catalog,
        files: &DenseFiles,
    ) -> Result<DenseRetriever, RetrieveError> {
        let corpus = Corpus::embedded()?;
        let index = ExactIndex::from_path(&files.vectors)?;
        let embedder = OnnxEmbedder::load(files)?;
        DenseRetriever::from_parts(catalog, &corpus, Box::new(embedder), Box::new(index))
    }

    /// Combine an embedder and an index whose rows are the corpus's commands, in order.
    pub fn from_parts(
        catalog: &'static Catalog,
        corpus: &Corpus,
        embedder: Box<dyn Embedder>,
        index: Box<dyn VectorIndex>,
    ) -> Result<DenseRetriever, RetrieveError> {
        if index.docs() != corpus.docs.len() {
            return Err(RetrieveError::Corpus(format!(
                "the vectors file has vectors for {} commands, the corpus {}; regenerate it with tools/catalog-gen/dense.py",
                index.docs(),
                corpus.docs.len()
            )));
        }
        if index.dim() != embedder.dim() {
            return Err(RetrieveError::Model(format!(
                "the model makes {}-dimensional vectors, the index holds {}",
                embedder.dim(),
                index.dim()
            )));
        }
        let p = super::bm25::Bm25Params::default();
        let top = (p.example_prior + p.service_prior).max(1e-6);
        let priors = super::bm25::priors(corpus, &p)
            .into_iter()
            .map(|x| x / top)
            .collect();
        Ok(DenseRetriever {
            catalog,
            embedder,
            index,
            docs: docs_of(corpus),
            priors,
            prior_weight: 0.05,
            expand: true,
        })
    }

    /// The text the model embeds for a checked query: values replaced by what they are,
    /// noise dropped, the vocabulary tables' words appended (when [`expand`](Self::expand)).
    pub fn model_text(&self, query: &str) -> String {
        // Identifiers and values (`i-0abc…`, account numbers) only distract the
        // model: say what they are instead (`instance ec2`), or drop them.
        let replaced = super::text::replace_values(query);
        let cleaned: Vec<&str> = replaced
            .split_whitespace()
            .filter(|w| {
                !super::text::words(w)
                    .iter()
                    .any(|x| super::text::is_noise(x))
            })
            .collect();
        let mut text = if cleaned.is_empty() {
            query.to_string()
        } else {
            cleaned.join(" ")
        };
        if self.expand {
            let extra = super::synonyms::expansions(&text);
            if !extra.is_empty() {
                text = format!("{text} ({})", extra.join(" "));
            }
        }
        text
    }

    /// Every command's prior in corpus order (added to the similarity with weight
    /// [`prior_weight`](Self::prior_weight)).
    pub fn priors(&self) -> &[f32] {
        &self.priors
    }

    /// Ranked (document number, similarity) for a checked query.
    fn rank(&self, query: &str, k: usize) -> Result<Vec<(u32, f32)>, RetrieveError> {
        let text = self.model_text(query);
        let v = self.embedder.embed(&text)?;
        let mut near = self.index.nearest(&v, k.max(PRIOR_DEPTH));
        for (d, s) in near.iter_mut() {
            *s += self.prior_weight * self.priors.get(*d as usize).copied().unwrap_or(0.0);
        }
        near.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        near.truncate(k);
        Ok(near)
    }

    fn suggestion(&self, d: u32, score: f32) -> Result<Suggestion, RetrieveError> {
        let m = self
            .docs
            .get(d as usize)
            .ok_or_else(|| RetrieveError::Corpus(format!("no command number {d}")))?;
        make_suggestion(
            self.catalog,
            &m.service,
            &m.operation,
            &m.description,
            score,
        )
    }
}

impl Retriever for DenseRetriever {
    fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggestion>, RetrieveError> {
        let q = check_query(query)?;
        let mut out = self
            .rank(q, k)?
            .into_iter()
            .map(|(d, s)| self.suggestion(d, s))
            .collect::<Result<Vec<_>, _>>()?;
        complete_all(self.catalog, q, &mut out);
        Ok(out)
    }

    fn name(&self) -> &str {
        "dense"
    }
}

/// Score fusion of the lexical and dense engines.
///
/// Over the union of each engine's top `depth`:
/// `score(d) = lexical(d) / max lexical + w_dense · cosine(d)`, a command
/// missing from one list taking that list's lowest value. Unlike rank fusion
/// this keeps how sure each engine is (a lexical winner far ahead of the
/// rest stays ahead).
pub struct HybridRetriever {
    lexical: Bm25Retriever,
    dense: DenseRetriever,
    /// The weight of the dense cosine similarity.
    pub w_dense: f32,
    /// How many of each ranking are fused.
    pub depth: usize,
}

impl std::fmt::Debug for HybridRetriever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HybridRetriever")
            .field("w_dense", &self.w_dense)
            .field("depth", &self.depth)
            .finish()
    }
}

impl HybridRetriever {
    /// Both engines with their default files. `w_dense` = 8: with the query
    /// encoder fine-tuned on AWS task phrasing (`tools/catalog-gen/finetune.py`)
    /// the dense engine is the stronger one and the lexical score breaks its
    /// ties. Chosen by a held-back half of the training requests
    /// (`tools/eval/suggest_training.jsonl`, 2,649 requests, the model trained on
    /// the other half): recall@1 0.594 / 0.627 / 0.637 / 0.636 / 0.629 at
    /// 2 / 4 / 8 / 16 / 32 (dense alone 0.626, lexical alone 0.409).
    ///
    /// The two halves load side by side (the lexical index on a second
    /// thread while ONNX Runtime prepares the model): the load costs the
    /// slower of the two, not their sum.
    pub fn new(catalog: &'static Catalog) -> Result<HybridRetriever, RetrieveError> {
        let (lexical, dense) = std::thread::scope(|scope| {
            let lexical = scope.spawn(|| Bm25Retriever::new(catalog));
            let dense = DenseRetriever::new(catalog);
            let lexical = lexical.join().unwrap_or_else(|_| {
                Err(RetrieveError::Corpus(
                    "the lexical index failed to load".into(),
                ))
            });
            (lexical, dense)
        });
        Ok(HybridRetriever::from_engines(lexical?, dense?))
    }

    /// The dense half.
    pub fn dense(&self) -> &DenseRetriever {
        &self.dense
    }

    /// The dense half, to adjust its constants.
    pub fn dense_mut(&mut self) -> &mut DenseRetriever {
        &mut self.dense
    }

    /// Both engines' rankings of a request before fusion, for evaluation and
    /// training tools: (lexical, dense, the command named word for word), each
    /// ranking `(command number in corpus order, score)` best first, at most `depth` long.
    #[allow(clippy::type_complexity)]
    pub fn rankings(
        &self,
        query: &str,
        depth: usize,
    ) -> Result<(Vec<(u32, f32)>, Vec<(u32, f32)>, Option<u32>), RetrieveError> {
        let q = check_query(query)?;
        Ok((
            self.lexical.rank_ids(q, depth),
            self.dense.rank(q, depth)?,
            self.lexical.named_command(q),
        ))
    }

    /// Fuse two engines built over the same corpus.
    pub fn from_engines(lexical: Bm25Retriever, dense: DenseRetriever) -> HybridRetriever {
        HybridRetriever {
            lexical,
            dense,
            w_dense: 8.0,
            depth: 100,
        }
    }
}

/// Fuse two rankings (best first): `lexical / max lexical + w_dense · dense`
/// over their union, a document missing from one list taking that list's
/// lowest value. (Min-max normalising both lists, and reciprocal rank fusion,
/// were measured too: both let the weaker dense ranking override confident
/// lexical winners and lost 2–6 points of recall@1 on the development set.)
fn fuse(lex: &[(u32, f32)], den: &[(u32, f32)], w_dense: f32) -> Vec<(u32, f32)> {
    let lex_max = lex.first().map_or(1.0, |x| x.1).max(1e-6);
    let lex_min = lex.last().map_or(0.0, |x| x.1);
    let den_min = den.last().map_or(0.0, |x| x.1);
    let mut fused: std::collections::HashMap<u32, (f32, f32)> = std::collections::HashMap::new();
    for &(d, s) in lex {
        fused.entry(d).or_insert((lex_min, den_min)).0 = s;
    }
    for &(d, s) in den {
        fused.entry(d).or_insert((lex_min, den_min)).1 = s;
    }
    fused
        .into_iter()
        .map(|(d, (l, c))| (d, l / lex_max + w_dense * c))
        .collect()
}

impl Retriever for HybridRetriever {
    fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggestion>, RetrieveError> {
        let q = check_query(query)?;
        let lex = self.lexical.rank_ids(q, self.depth);
        let den = self.dense.rank(q, self.depth)?;
        let mut all = fuse(&lex, &den, self.w_dense);
        all.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        // A request that is a command's name word for word (`aws sso login`)
        // asks for that command, whatever the model makes of the words.
        if let Some(named) = self.lexical.named_command(q) {
            let top = all.first().map_or(0.0, |x| x.1);
            all.retain(|x| x.0 != named);
            all.insert(0, (named, top));
        }
        all.truncate(k);
        let mut out = all
            .into_iter()
            .map(|(d, s)| self.dense.suggestion(d, s))
            .collect::<Result<Vec<_>, _>>()?;
        complete_all(self.dense.catalog, q, &mut out);
        Ok(out)
    }

    fn name(&self) -> &str {
        "hybrid"
    }

    /// Hybrid, or lexical alone for a request the model fails on (the lexical engine needs
    /// no file and cannot fail on a checked request).
    fn answer(&self, query: &str, k: usize) -> Result<super::Answer, RetrieveError> {
        match self.suggest(query, k) {
            Ok(suggestions) => Ok(super::Answer {
                engine: "hybrid".into(),
                suggestions,
            }),
            Err(RetrieveError::Model(_)) => Ok(super::Answer {
                engine: "lexical".into(),
                suggestions: self.lexical.suggest(query, k)?,
            }),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hybrid() -> &'static HybridRetriever {
        static H: OnceLock<HybridRetriever> = OnceLock::new();
        H.get_or_init(|| {
            HybridRetriever::new(Catalog::embedded())
                .expect("the dense engine's files (run .ci/run, or set ORT_DYLIB_PATH)")
        })
    }

    /// Development aid: `cargo test --release -p aws-mcp-core --features dense timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    #[allow(clippy::print_stdout)]
    fn timing() {
        use std::time::Instant;
        let h = hybrid();
        let q = "show me the lambda functions that run python";
        let v = h.dense.embedder.embed(q).unwrap();
        let n = 200;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(h.dense.embedder.embed(q).unwrap());
        }
        println!("embed {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(h.dense.index.nearest(&v, 200));
        }
        println!(
            "nearest {:.3} ms",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(h.lexical.rank_ids(q, 100));
        }
        println!(
            "lexical rank {:.3} ms",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(h.dense.rank(q, 100).unwrap());
        }
        println!(
            "dense rank {:.3} ms",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        let file = std::env::var("TIMING_QUERIES").unwrap_or_default();
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let qs: Vec<String> = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["query"].as_str().map(String::from))
            .collect();
        let (mut te, mut tr) = (0.0, 0.0);
        for q in &qs {
            let t = Instant::now();
            h.dense.embedder.embed(q).unwrap();
            te += t.elapsed().as_secs_f64();
            let t = Instant::now();
            h.dense.rank(q, 10).unwrap();
            tr += t.elapsed().as_secs_f64();
        }
        let m = qs.len().max(1) as f64;
        println!(
            "eval queries: embed {:.3} rank {:.3} ms",
            te * 1e3 / m,
            tr * 1e3 / m
        );
        for q in [
            "list my servers",
            "stop i-0f1e2d3c4b5a69788 for the weekend, we don't need it",
            "show our reserved instances and when they expire",
        ] {
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(h.dense.embedder.embed(q).unwrap());
            }
            let e = t.elapsed().as_secs_f64() * 1e3 / n as f64;
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(h.dense.rank(q, 10).unwrap());
            }
            let r = t.elapsed().as_secs_f64() * 1e3 / n as f64;
            let t = Instant::now();
            for _ in 0..n {
                std::hint::black_box(h.dense.suggest(q, 10).unwrap());
            }
            let s = t.elapsed().as_secs_f64() * 1e3 / n as f64;
            println!("{q}: embed {e:.3} rank {r:.3} suggest10 {s:.3} ms");
        }
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(h.suggest(q, 3).unwrap());
        }
        println!(
            "hybrid suggest {:.3} ms",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
    }

    #[test]
    fn embeddings_are_unit_vectors_and_meaningful() {
        let e = &hybrid().dense.embedder;
        assert_eq!(e.dim(), 384);
        let a = e.embed("list my virtual machines").unwrap();
        let b = e.embed("show ec2 instances").unwrap();
        let c = e.embed("translate text into spanish").unwrap();
        let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-3);
        let dot = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
        assert!(dot(&a, &b) > dot(&a, &c));
    }

    #[test]
    fn dense_finds_commands() {
        let s = hybrid()
            .dense
            .suggest("list my lambda functions", 3)
            .unwrap();
        assert_eq!(s.len(), 3);
        assert!(s.iter().any(|s| s.command == "aws lambda list-functions"));
        assert!(!s[0].parameters.is_empty() || s[0].command == "aws lambda list-functions");
    }

    #[test]
    fn hybrid_finds_commands_and_rejects_bad_input() {
        let h = hybrid();
        let s = h.suggest("show my vms", 3).unwrap();
        assert!(s.iter().any(|s| s.command == "aws ec2 describe-instances"));
        assert_eq!(h.suggest(" ", 3), Err(RetrieveError::EmptyQuery));
        assert!(h.suggest(&"a".repeat(3000), 3).is_err());
        for q in ["日本語", "🙂", "\u{0}"] {
            assert!(h.suggest(q, 3).unwrap().len() <= 3);
        }
    }

    #[test]
    fn a_request_naming_a_command_gets_it_first() {
        let h = hybrid();
        for (q, want) in [
            ("aws sso login", "aws sso login"),
            ("SSO Login", "aws sso login"),
            ("aws s3api list-buckets", "aws s3api list-buckets"),
        ] {
            let s = h.suggest(q, 3).unwrap();
            assert_eq!(s[0].command, want, "{q}: {s:?}");
        }
        // Only a command's exact name: other words are read as a request.
        assert_eq!(h.lexical.named_command("sso login please"), None);
        assert_eq!(h.lexical.named_command("aws sso"), None);
        assert_eq!(h.lexical.named_command("aws nosuch login"), None);
    }

    #[test]
    fn integer_dot_product_is_exact() {
        let a: Vec<i8> = (0..70).map(|i| (i * 37 % 255 - 127) as i8).collect();
        let b: Vec<i16> = (0..70).map(|i| (i * 911 % 65535 - 32767) as i16).collect();
        let want: i64 = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| i64::from(x) * i64::from(y))
            .sum();
        assert_eq!(i64::from(dot_i8_i16(&a, &b)), want);
        assert_eq!(dot_i8_i16(&[], &[]), 0);
    }

    #[test]
    fn several_vectors_per_document_score_their_best() {
        // V2 file: 3 vectors, dim 2, 2 documents; document 0 has two vectors
        let mut data = b"AWSMCPV2".to_vec();
        for x in [3u32, 2, 2] {
            data.extend(x.to_le_bytes());
        }
        for (owner, v) in [(0u32, [127i8, 0]), (0, [0, 127]), (1, [90, 90])] {
            data.extend(owner.to_le_bytes());
            data.extend((1.0f32 / 127.0).to_le_bytes());
            data.extend(v.map(|x| x as u8));
        }
        let idx = ExactIndex::from_bytes(&data).unwrap();
        assert_eq!((idx.len(), idx.docs()), (3, 2));
        assert_eq!(idx.owners(), &[0, 0, 1]);
        let r = idx.nearest(&[0.0, 1.0], 5);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, 0, "document 0's second vector matches exactly");
        assert!((r[0].1 - 1.0).abs() < 1e-3);
        // owners out of order are an error
        let mut bad = data.clone();
        bad[20..24].copy_from_slice(&5u32.to_le_bytes());
        assert!(ExactIndex::from_bytes(&bad).is_err());
    }

    #[test]
    fn exact_index_orders_by_similarity() {
        let v = [1.0, 0.0, 0.0, 1.0, 0.6, 0.8];
        let idx = ExactIndex::new(2, &v);
        let r = idx.nearest(&[0.0, 1.0], 2);
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1, 2]);
        assert!(idx.nearest(&[1.0], 2).is_empty());
        assert!(idx.nearest(&[1.0, 0.0], 0).is_empty());
    }

    #[test]
    fn missing_files_are_errors_not_panics() {
        let files = DenseFiles::in_dir(
            Path::new("/nonexistent/model"),
            "/nonexistent/lib.so".into(),
        );
        let e = DenseRetriever::from_files(Catalog::embedded(), &files).unwrap_err();
        assert!(matches!(e, RetrieveError::EngineUnavailable { .. }), "{e}");
        assert!(e.to_string().contains("vectors.bin"));
    }

    #[test]
    fn shipped_vectors_were_made_from_the_embedded_corpus() {
        use std::hash::Hasher;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/minilm");
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("meta.json")).unwrap()).unwrap();
        let mut h = super::super::text::Fnv::default();
        h.write(include_bytes!("../../data/retrieval.bin"));
        assert_eq!(
            meta["corpus_fnv64"].as_str().unwrap(),
            format!("{:016x}", h.finish()),
            "models/minilm is stale: rerun tools/catalog-gen/dense.py"
        );
        let corpus = Corpus::embedded().unwrap();
        let index = ExactIndex::from_path(&dir.join("vectors.bin")).unwrap();
        assert_eq!(
            (meta["docs"].as_u64(), index.docs()),
            (Some(corpus.docs.len() as u64), corpus.docs.len())
        );
        assert_eq!(meta["vectors"].as_u64(), Some(index.len() as u64));
    }

    #[test]
    fn vectors_must_cover_every_command() {
        let files = DenseFiles::locate().expect("the dense engine's files");
        let corpus = Corpus::embedded().unwrap();
        let data = std::fs::read(&files.vectors).unwrap();
        let full = ExactIndex::from_bytes(&data).unwrap();
        // The shipped file as it was before the commands only AWS CLI v2 has
        // (the last rows) had vectors: AWS CLI v1's rows only.
        let v1 = corpus.docs.iter().filter(|d| !d.v2_only).count();
        assert!(v1 < corpus.docs.len());
        let keep = full.owners().iter().filter(|&&o| (o as usize) < v1).count();
        let mut short = data[..20 + keep * (8 + full.dim())].to_vec();
        short[8..12].copy_from_slice(&(keep as u32).to_le_bytes());
        short[16..20].copy_from_slice(&(v1 as u32).to_le_bytes());
        let short = ExactIndex::from_bytes(&short).unwrap();
        assert_eq!((short.docs(), short.len()), (v1, keep));
        let e = DenseRetriever::from_parts(
            Catalog::embedded(),
            &corpus,
            Box::new(OnnxEmbedder::load(&files).unwrap()),
            Box::new(short),
        )
        .unwrap_err();
        assert!(matches!(e, RetrieveError::Corpus(_)), "{e}");
        assert!(
            e.to_string().contains(&format!(
                "vectors for {v1} commands, the corpus {}",
                corpus.docs.len()
            )) && e.to_string().contains("dense.py"),
            "{e}"
        );
        // The whole file is accepted.
        DenseRetriever::from_parts(
            Catalog::embedded(),
            &corpus,
            Box::new(OnnxEmbedder::load(&files).unwrap()),
            Box::new(full),
        )
        .unwrap();
    }

    #[test]
    fn runtime_library_names_and_directories() {
        for ok in [
            "libonnxruntime.so",
            "libonnxruntime.so.1",
            "libonnxruntime.so.1.31.1",
            "libonnxruntime.1.31.1.dylib",
            "onnxruntime.dll",
        ] {
            assert!(is_runtime_name(ok), "{ok}");
        }
        for no in [
            "libonnxruntime_providers_shared.so",
            "onnxruntime_binding.node",
            "libonnxruntime.txt",
            "onnxruntime.so",
        ] {
            assert!(!is_runtime_name(no), "{no}");
        }
        let dir = std::env::temp_dir().join(format!("aws-mcp-ort-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(runtime_in(&dir), None, "an empty directory has none");
        std::fs::write(dir.join("libonnxruntime_providers_shared.so"), b"").unwrap();
        assert_eq!(runtime_in(&dir), None);
        std::fs::write(dir.join("libonnxruntime.so.1.31.1"), b"").unwrap();
        std::fs::write(dir.join("libonnxruntime.so.1"), b"").unwrap();
        assert_eq!(runtime_in(&dir), Some(dir.join("libonnxruntime.so.1")));
        assert_eq!(runtime_in(&dir.join("missing")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_vectors_are_errors() {
        assert!(ExactIndex::from_bytes(b"").is_err());
        assert!(ExactIndex::from_bytes(b"AWSMCPV1\x01\0\0\0\x02\0\0\0").is_err());
        let mut ok = b"AWSMCPV1\x01\0\0\0\x02\0\0\0".to_vec();
        ok.extend(1.0f32.to_le_bytes());
        ok.extend([127u8, 0]);
        assert_eq!(ExactIndex::from_bytes(&ok).unwrap().len(), 1);
    }
}
