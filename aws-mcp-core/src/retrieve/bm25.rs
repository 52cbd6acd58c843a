//! The lexical engine: field-weighted BM25 over the embedded corpus, with
//! query expansion from [`super::synonyms`], intent and service bonuses, a
//! small prior, and a spelling fallback.
//!
//! Scoring of command `d` for a query:
//!
//! ```text
//! score(d) = Σ_t  w_q(t) · idf(t) · tf_d(t)·(k1+1) / (tf_d(t) + k1·(1 − b + b·len_d/avg_len))
//!          + intent bonus   (the operation's verb is one the request asks for)
//!          + service bonus  (the request names the command's service)
//!          + prior          (has AWS examples +, waiter/hidden/deprecated −)
//! ```
//!
//! `tf_d(t)` sums the term's occurrences over the fields with per-field
//! weights (names count most, parameter names least). `w_q(t)` is 1 for a
//! word typed, lower for a synonym, a spelling correction or a word inside a
//! name.
//!
//! Reading the request (`analyse`), general rules rather than per-query
//! vocabulary:
//!
//! * **Values are not words** ([`super::text::value_hint`]): an S3 URL, an
//!   ARN, a resource ID (`i-0abc…`), a region, an instance type, an IP
//!   address, a phone number, a host name, a path or a file name stands for
//!   what it is ("s3 bucket object", "instance ec2", …) and its own words
//!   (`s3://archive/db.dump` is not about databases) are dropped.
//! * **Names** (`image-resizer`, `web-deploy`: hyphenated words without a
//!   particle) weigh `w_name_part`, state no intent, and only imply a
//!   service they contain.
//! * **Questions** ("which…", "is…", "do we…", "how many…") ask to read:
//!   their other verbs ("can I launch", "is it running") describe the state
//!   asked about, so only read verbs stay wanted.
//! * **Verbs** come from base forms not after an article, possessive or
//!   preposition: "the build", "with tag", "tagged", "running" are not
//!   actions asked for.
//! * **Read/write mismatch**: when every wanted verb reads (or none does),
//!   operations of the other kind lose `mismatch_penalty`.
//! * **Compounds and run-together phrases**: "fail over" also looks up
//!   `failover`, "SecureString" also looks up "securestring" in the tables.
//! * Words of the vocabulary tables are never spell-corrected ("dump" is not
//!   a typo of "bump").

use std::collections::{HashMap, HashSet};

use super::corpus::{Corpus, CorpusDoc};
use super::synonyms::{INTENTS, SERVICE_ALIASES, SYNONYMS};
use super::text::{
    edit_distance, for_each_word, is_noise, is_stopword, letter_mask, stem, value_hint, words,
    FastMap,
};
use super::{check_query, complete_all, make_suggestion, RetrieveError, Retriever, Suggestion};
use crate::catalog::Catalog;

/// The lexical engine's tuning constants. The defaults were tuned on the
/// development set only (`examples/examples/eval.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Bm25Params {
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// Length normalisation of the description, parameter and example fields.
    pub b: f32,
    /// Weight of the service and operation names.
    pub w_name: f32,
    /// Weight of the service's full name.
    pub w_full_name: f32,
    /// Weight of the description.
    pub w_description: f32,
    /// Weight of the parameter names.
    pub w_params: f32,
    /// Weight of the example titles.
    pub w_examples: f32,
    /// Query weight of a synonym (a typed word weighs 1).
    pub w_synonym: f32,
    /// Query weight of a spelling correction.
    pub w_typo: f32,
    /// Bonus when the operation's verb is one the request asks for.
    pub intent_bonus: f32,
    /// Query weight of an intent word ("list", "show") as a plain word.
    pub w_intent_word: f32,
    /// Bonus when the request names the command's service.
    pub service_bonus: f32,
    /// Share of the service bonus when a synonym implies the service.
    pub implied_service: f32,
    /// Prior for commands that have AWS examples.
    pub example_prior: f32,
    /// Prior for waiters.
    pub waiter_prior: f32,
    /// Prior for hidden or deprecated commands.
    pub hidden_prior: f32,
    /// Bonus times the share of the operation's words (after its verb) the request covers.
    pub coverage_bonus: f32,
    /// Prior times the (log) share of the service's commands with AWS examples.
    pub service_prior: f32,
    /// Bonus times the share of the operation's words typed in exactly that form.
    pub form_bonus: f32,
    /// Query weight of a word inside a hyphenated name (`image-resizer`).
    pub w_name_part: f32,
    /// Penalty when the request only reads and the operation writes, or the reverse.
    pub mismatch_penalty: f32,
}

impl Default for Bm25Params {
    fn default() -> Bm25Params {
        Bm25Params {
            k1: 0.9,
            b: 0.2,
            w_name: 3.0,
            w_full_name: 1.0,
            w_description: 1.0,
            w_params: 0.2,
            w_examples: 1.0,
            w_synonym: 0.5,
            w_typo: 0.8,
            intent_bonus: 4.0,
            w_intent_word: 1.0,
            service_bonus: 5.0,
            implied_service: 1.0,
            example_prior: 3.0,
            waiter_prior: -3.0,
            hidden_prior: -3.0,
            coverage_bonus: 4.5,
            service_prior: 3.0,
            form_bonus: 2.0,
            w_name_part: 0.6,
            mismatch_penalty: 3.0,
        }
    }
}

impl Bm25Params {
    /// Override constants from `name=value` pairs separated by commas
    /// (`k1=1.5,b=0.6`), for tuning runs; unknown names are errors.
    pub fn with_overrides(mut self, spec: &str) -> Result<Bm25Params, String> {
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?}: expected name=value"))?;
            let v: f32 = v
                .trim()
                .parse()
                .map_err(|_| format!("{pair:?}: not a number"))?;
            let slot = match k.trim() {
                "k1" => &mut self.k1,
                "b" => &mut self.b,
                "w_name" => &mut self.w_name,
                "w_full_name" => &mut self.w_full_name,
                "w_description" => &mut self.w_description,
                "w_params" => &mut self.w_params,
                "w_examples" => &mut self.w_examples,
                "w_synonym" => &mut self.w_synonym,
                "w_typo" => &mut self.w_typo,
                "intent_bonus" => &mut self.intent_bonus,
                "w_intent_word" => &mut self.w_intent_word,
                "service_bonus" => &mut self.service_bonus,
                "implied_service" => &mut self.implied_service,
                "example_prior" => &mut self.example_prior,
                "waiter_prior" => &mut self.waiter_prior,
                "hidden_prior" => &mut self.hidden_prior,
                "coverage_bonus" => &mut self.coverage_bonus,
                "service_prior" => &mut self.service_prior,
                "form_bonus" => &mut self.form_bonus,
                "w_name_part" => &mut self.w_name_part,
                "mismatch_penalty" => &mut self.mismatch_penalty,
                other => return Err(format!("unknown parameter {other:?}")),
            };
            *slot = v;
        }
        Ok(self)
    }
}

/// First words that make a request a question about state ("which", "is",
/// "do we have"): its answer is a read, whatever other verbs it contains.
/// "can"/"could" are left out: "can you delete …" is a request to act.
const QUESTION_WORDS: &[&str] = &[
    "what", "whats", "which", "who", "whose", "where", "when", "is", "are", "was", "were", "do",
    "does", "did", "has", "have", "any",
];

/// Words after which a verb-like word is a noun: articles, possessives and
/// prepositions ("the build", "with tag", "by status").
const NOUN_MARKERS: &[&str] = &[
    "the", "a", "an", "my", "our", "your", "this", "that", "these", "those", "its", "their",
    "with", "without", "by", "from", "of", "for", "in", "on", "at", "per", "each", "every",
];

/// Operation verbs that only read.
const READ_VERBS: &[&str] = &[
    "describe", "list", "get", "search", "lookup", "scan", "query", "check", "estimate", "preview",
    "validate", "test", "detect", "batch",
];

/// How many of the best candidates the second stage re-scores.
const RERANK: usize = 300;

/// CLI verbs of the high-level commands that are not English verbs.
const CUSTOM_VERBS: &[(&str, &str)] = &[
    ("ls", "list"),
    ("cp", "cp"),
    ("mv", "mv"),
    ("rm", "delete"),
    ("mb", "create"),
    ("rb", "delete"),
    ("presign", "get"),
];

#[derive(Debug)]
struct DocMeta {
    service: Box<str>,
    operation: Box<str>,
    description: Box<str>,
    verb: Box<str>,
    /// Term ids of the operation's words after its verb.
    op_terms: Box<[u32]>,
    prior: f32,
}

/// A query after analysis: weighted stemmed terms, wanted verbs, named services.
#[derive(Debug, Default)]
struct Analysed {
    terms: HashMap<u32, f32>,
    verbs: Vec<String>,
    services: HashSet<String>,
    implied: HashSet<String>,
    /// The request's words as typed (lower case), for exact-form matches.
    raw: HashSet<String>,
    /// `Some(true)` when every wanted verb only reads, `Some(false)` when none does.
    reads: Option<bool>,
}

/// Field-weighted BM25 over every command (see the module docs).
pub struct Bm25Retriever {
    catalog: &'static Catalog,
    params: Bm25Params,
    docs: Vec<DocMeta>,
    vocab: FastMap<String, u32>,
    idf: Vec<f32>,
    postings: Vec<Vec<(u32, f32)>>,
    by_len: Vec<Vec<u32>>,
    masks: Vec<u32>,
    terms: Vec<Box<str>>,
    df: Vec<u32>,
    services: HashMap<String, String>,
    intents: HashMap<String, Vec<String>>,
    synonyms: HashMap<String, Vec<String>>,
    aliases: HashMap<String, String>,
    /// Every stemmed word of the vocabulary tables: never spell-corrected.
    known: HashSet<String>,
}

impl std::fmt::Debug for Bm25Retriever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bm25Retriever")
            .field("docs", &self.docs.len())
            .field("terms", &self.vocab.len())
            .finish()
    }
}

/// Index-building state: the vocabulary and a cache from raw words to term ids.
#[derive(Default)]
struct Builder {
    vocab: FastMap<String, u32>,
    terms: Vec<Box<str>>,
    raw: FastMap<String, Option<u32>>,
}

impl Builder {
    fn term(&mut self, t: String) -> u32 {
        if let Some(&id) = self.vocab.get(&t) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(t.clone().into_boxed_str());
        self.vocab.insert(t, id);
        id
    }

    fn word(&mut self, w: &str) -> Option<u32> {
        if let Some(&id) = self.raw.get(w) {
            return id;
        }
        let id = if is_noise(w) || is_stopword(w) {
            None
        } else {
            Some(self.term(stem(w)))
        };
        self.raw.insert(w.to_string(), id);
        id
    }

    /// Append a field's terms to `occ`, tagged with the field's number.
    fn field(&mut self, text: &str, field: u8, occ: &mut Vec<(u32, u8)>) {
        for_each_word(text, |w| {
            if let Some(id) = self.word(w) {
                occ.push((id, field));
            }
        });
    }
}

/// One word of a request as the lexical engine reads it.
#[derive(Debug)]
struct QueryWord {
    /// The stemmed word (or its spelling correction).
    stem: String,
    /// Its weight in the query.
    weight: f32,
    /// Typed as a plain word, not a value's hint or part of a name.
    plain: bool,
    /// Can be the request's verb.
    verb: bool,
    /// The word as typed.
    typed: String,
}

impl Bm25Retriever {
    /// Build the index from the embedded corpus; parameters come from `catalog`.
    pub fn new(catalog: &'static Catalog) -> Result<Bm25Retriever, RetrieveError> {
        Ok(Bm25Retriever::from_corpus(catalog, &Corpus::embedded()?))
    }

    /// Build the index from a corpus.
    pub fn from_corpus(catalog: &'static Catalog, corpus: &Corpus) -> Bm25Retriever {
        Bm25Retriever::with_params(catalog, corpus, Bm25Params::default())
    }

    /// Build the index from a corpus with given tuning constants.
    pub fn with_params(catalog: &'static Catalog, corpus: &Corpus, p: Bm25Params) -> Bm25Retriever {
        let mut b = Builder::default();
        let mut postings: Vec<Vec<(u32, f32)>> = Vec::new();
        let mut docs = Vec::with_capacity(corpus.docs.len());
        let mut services = HashMap::new();
        let priors = priors(corpus, &p);
        // pass 1: (term, field) occurrences of every document, and field lengths
        let fields = [
            (p.w_name, 0.0),
            (p.w_full_name, 0.0),
            (p.w_description, p.b),
            (p.w_params, p.b),
            (p.w_examples, p.b),
        ];
        let mut occ: Vec<(u32, u8)> = Vec::new();
        let mut bounds: Vec<usize> = Vec::with_capacity(corpus.docs.len() + 1);
        let mut flens: Vec<[f32; 5]> = Vec::with_capacity(corpus.docs.len());
        bounds.push(0);
        for (d, &prior) in corpus.docs.iter().zip(&priors) {
            let name = format!("{} {}", d.service, d.operation);
            let texts = [
                name.as_str(),
                &d.service_full_name,
                &d.description,
                &d.params,
                &d.examples,
            ];
            let mut fl = [0f32; 5];
            for (f, text) in texts.iter().enumerate() {
                let before = occ.len();
                b.field(text, f as u8, &mut occ);
                fl[f] = (occ.len() - before) as f32;
            }
            flens.push(fl);
            bounds.push(occ.len());
            services
                .entry(d.service.replace('-', ""))
                .or_insert_with(|| d.service.clone());
            let op_terms: Vec<u32> = words(&d.operation)
                .iter()
                .skip(1)
                .filter_map(|w| b.word(w))
                .collect();
            docs.push(DocMeta {
                service: d.service.as_str().into(),
                operation: d.operation.as_str().into(),
                description: d.description.as_str().into(),
                verb: verb_of(d).into(),
                op_terms: op_terms.into(),
                prior,
            });
        }
        let n = docs.len().max(1) as f32;
        let mut avg = [0f32; 5];
        for fl in &flens {
            for f in 0..5 {
                avg[f] += fl[f] / n;
            }
        }
        // pass 2: BM25F pseudo-frequency per (term, document), normalised per field
        let mut tf: Vec<(u32, f32)> = Vec::new();
        for (i, fl) in flens.iter().enumerate() {
            let mut unit = [0f32; 5];
            for f in 0..5 {
                let (w, bf) = fields[f];
                unit[f] = w / (1.0 - bf + bf * fl[f] / avg[f].max(1e-6));
            }
            tf.clear();
            tf.extend(
                occ[bounds[i]..bounds[i + 1]]
                    .iter()
                    .map(|&(t, f)| (t, unit[f as usize])),
            );
            tf.sort_unstable_by_key(|x| x.0);
            let mut j = 0;
            while j < tf.len() {
                let id = tf[j].0;
                let mut f = 0.0;
                while j < tf.len() && tf[j].0 == id {
                    f += tf[j].1;
                    j += 1;
                }
                if postings.len() <= id as usize {
                    postings.resize(id as usize + 1, Vec::new());
                }
                postings[id as usize].push((i as u32, f));
            }
        }
        drop(occ);
        postings.resize(b.terms.len(), Vec::new());
        let Builder { vocab, terms, .. } = b;
        let df: Vec<u32> = postings.iter().map(|v| v.len() as u32).collect();
        let idf = df
            .iter()
            .map(|&d| (1.0 + (n - d as f32 + 0.5) / (d as f32 + 0.5)).ln())
            .collect();
        let mut by_len: Vec<Vec<u32>> = Vec::new();
        for (id, t) in terms.iter().enumerate() {
            let l = t.chars().count();
            if by_len.len() <= l {
                by_len.resize(l + 1, Vec::new());
            }
            by_len[l].push(id as u32);
        }
        let masks = terms.iter().map(|t| letter_mask(t)).collect();
        let table = |rows: &[(&str, &str)], stemmed: bool| -> HashMap<String, Vec<String>> {
            let mut m: HashMap<String, Vec<String>> = HashMap::new();
            for (k, v) in rows {
                let vals = m.entry(stem_phrase(k)).or_default();
                for w in v.split_whitespace() {
                    let w = if stemmed { stem(w) } else { w.to_string() };
                    if !vals.contains(&w) {
                        vals.push(w);
                    }
                }
            }
            m
        };
        Bm25Retriever {
            catalog,
            params: p,
            docs,
            vocab,
            idf,
            postings,
            by_len,
            masks,
            terms,
            df,
            services,
            known: INTENTS
                .iter()
                .chain(SYNONYMS)
                .chain(SERVICE_ALIASES)
                .flat_map(|(k, _)| words(k))
                .map(|w| stem(&w))
                .collect(),
            intents: table(INTENTS, false),
            synonyms: table(SYNONYMS, true),
            aliases: SERVICE_ALIASES
                .iter()
                .map(|(k, v)| (stem_phrase(k), v.to_string()))
                .collect(),
        }
    }

    /// How many commands are indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no command is indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The closest known term to an unknown word, by edit distance (spelling fallback).
    fn correct(&self, word: &str) -> Option<u32> {
        let n = word.chars().count();
        if n < 4 {
            return None;
        }
        let max = if n >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, u32, u32)> = None;
        let mask = letter_mask(word);
        for l in n.saturating_sub(max)..=n + max {
            let Some(ids) = self.by_len.get(l) else {
                continue;
            };
            for &id in ids {
                if (self.masks[id as usize] ^ mask).count_ones() as usize > 2 * max {
                    continue;
                }
                let t = &self.terms[id as usize];
                if let Some(d) = edit_distance(word, t, max) {
                    let df = self.df[id as usize];
                    let better = match best {
                        None => true,
                        Some((bd, bdf, _)) => d < bd || (d == bd && df > bdf),
                    };
                    if better {
                        best = Some((d, df, id));
                    }
                }
            }
        }
        best.map(|(_, _, id)| id)
    }

    fn analyse(&self, query: &str) -> Analysed {
        let mut a = Analysed::default();
        // typed words, or their spelling correction
        let mut stems: Vec<QueryWord> = Vec::new();
        // (word, part of a hyphenated name)
        let mut typed: Vec<(String, bool)> = Vec::new();
        for tok in query.split_whitespace() {
            match value_hint(tok) {
                Some(hint) => {
                    for w in words(&hint) {
                        if let Some(svc) = self.services.get(&w) {
                            a.implied.insert(svc.clone());
                        }
                        stems.push(QueryWord {
                            stem: stem(&w),
                            weight: self.params.w_synonym,
                            plain: false,
                            verb: false,
                            typed: w,
                        });
                    }
                }
                None => {
                    let ws = words(tok);
                    let name = is_name(tok, &ws);
                    typed.extend(ws.into_iter().map(|w| (w, name)));
                }
            }
        }
        let question = typed
            .first()
            .is_some_and(|w| QUESTION_WORDS.contains(&w.0.as_str()))
            || typed.len() >= 2
                && typed[0].0 == "how"
                && matches!(typed[1].0.as_str(), "many" | "much");
        let mut prev = String::new();
        for (w, name) in typed {
            if is_noise(&w) {
                continue;
            }
            a.raw.insert(w.clone());
            let s = stem(&w);
            let weight = if name { self.params.w_name_part } else { 1.0 };
            // "the build", "with tag", "tagged", "running": nouns and
            // participles, not the action asked for
            let inflected = (w.ends_with("ed") || w.ends_with("ing")) && s != w;
            let verb = !name && !inflected && !NOUN_MARKERS.contains(&prev.as_str());
            prev.clone_from(&w);
            // A known word as typed, else its spelling correction.
            let (stem, weight) = if is_stopword(&w)
                || self.vocab.contains_key(&s)
                || self.services.contains_key(&w)
                || self.known.contains(&s)
            {
                (s, weight)
            } else if let Some(id) = self.correct(&s) {
                (
                    self.terms[id as usize].to_string(),
                    self.params.w_typo * weight,
                )
            } else {
                (s, weight)
            };
            stems.push(QueryWord {
                stem,
                weight,
                plain: !name,
                verb,
                typed: w,
            });
        }
        let add = |a: &mut Analysed, term: &str, w: f32| {
            if let Some(&id) = self.vocab.get(term) {
                let e = a.terms.entry(id).or_insert(0.0);
                *e = e.max(w);
            }
        };
        for n in 1..=3 {
            for win in stems.windows(n) {
                let phrase = win
                    .iter()
                    .map(|x| x.stem.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let plain = win.iter().all(|x| x.plain);
                if let Some(verbs) = self.intents.get(&phrase).filter(|_| plain && win[0].verb) {
                    for v in verbs {
                        if !a.verbs.contains(v) {
                            a.verbs.push(v.clone());
                        }
                    }
                }
                if let Some(exp) = self.synonyms.get(&phrase) {
                    for t in exp {
                        add(&mut a, t, self.params.w_synonym);
                        if let Some(svc) = self.services.get(t) {
                            a.implied.insert(svc.clone());
                        }
                    }
                }
                // a service named inside a name ("prod-eks") or a value only implies it
                let named = if plain {
                    &mut a.services
                } else {
                    &mut a.implied
                };
                if let Some(svc) = self.aliases.get(&phrase) {
                    named.insert(svc.clone());
                }
                let joined: String = win.iter().map(|x| x.stem.as_str()).collect();
                if let Some(svc) = self.services.get(&joined) {
                    named.insert(svc.clone());
                }
                // a phrase typed as one word ("SecureString", "EventBridge")
                let whole = stem(&win.iter().map(|x| x.typed.as_str()).collect::<String>());
                if n >= 2 {
                    if let Some(svc) = self.aliases.get(&whole) {
                        named.insert(svc.clone());
                    }
                    if let Some(exp) = self.synonyms.get(&whole) {
                        for t in exp {
                            add(&mut a, t, self.params.w_synonym);
                            if let Some(svc) = self.services.get(t) {
                                a.implied.insert(svc.clone());
                            }
                        }
                    }
                }
                // a compound typed as two words: "fail over" → failover, "sign in" → signin
                if n == 2 && plain {
                    let w = win.iter().map(|x| x.weight).fold(1.0, f32::min);
                    add(&mut a, &whole, w);
                }
            }
        }
        if question {
            // "which instance types can I launch", "is the recorder running":
            // the verbs of a question describe the state asked about; the
            // request is to read it.
            a.verbs.retain(|v| READ_VERBS.contains(&v.as_str()));
            if a.verbs.is_empty() {
                a.verbs
                    .extend(["describe", "get", "list"].map(String::from));
            }
        }
        let reading = a
            .verbs
            .iter()
            .filter(|v| READ_VERBS.contains(&v.as_str()))
            .count();
        a.reads = match reading {
            0 if !a.verbs.is_empty() => Some(false),
            n if n > 0 && n == a.verbs.len() => Some(true),
            _ => None,
        };
        for q in &stems {
            if !is_stopword(&q.stem) {
                // a verb the intent bonus already handles counts less as a plain word
                let w = if self.intents.contains_key(&q.stem) {
                    q.weight * self.params.w_intent_word
                } else {
                    q.weight
                };
                add(&mut a, &q.stem, w);
            }
        }
        a
    }

    /// The non-BM25 parts of document `i`'s score: prior, service, coverage, intent.
    fn bonuses(&self, i: usize, a: &Analysed) -> [f32; 4] {
        let p = &self.params;
        let doc = &self.docs[i];
        let service = if a.services.contains(&*doc.service) {
            p.service_bonus
        } else if a.implied.contains(&*doc.service) {
            p.service_bonus * p.implied_service
        } else {
            0.0
        };
        let mut coverage = 0.0;
        if !doc.op_terms.is_empty() {
            let matched = doc
                .op_terms
                .iter()
                .filter(|t| a.terms.contains_key(t))
                .count();
            coverage = p.coverage_bonus * matched as f32 / doc.op_terms.len() as f32;
        }
        let intent = match a.verbs.iter().position(|v| **v == *doc.verb) {
            Some(pos) => p.intent_bonus / (1.0 + 0.25 * pos as f32),
            // "show the timeout config" is not update-function-configuration
            None if a
                .reads
                .is_some_and(|r| r != READ_VERBS.contains(&&*doc.verb)) =>
            {
                -p.mismatch_penalty
            }
            None => 0.0,
        };
        [doc.prior, service, coverage, intent]
    }

    /// Ranked (document number, score) for a checked query.
    fn rank(&self, query: &str, k: usize) -> Vec<(u32, f32)> {
        let p = &self.params;
        let a = self.analyse(query);
        let mut scores = vec![0f32; self.docs.len()];
        let mut hit = vec![false; self.docs.len()];
        for (&t, &qw) in &a.terms {
            let idf = self.idf[t as usize];
            for &(d, tf) in &self.postings[t as usize] {
                let d = d as usize;
                scores[d] += qw * idf * tf * (p.k1 + 1.0) / (tf + p.k1);
                hit[d] = true;
            }
        }
        let mut out: Vec<(u32, f32)> = Vec::new();
        for (i, doc) in self.docs.iter().enumerate() {
            let named = a.services.contains(&*doc.service);
            if !hit[i] && !named {
                continue;
            }
            let s = scores[i] + self.bonuses(i, &a).iter().sum::<f32>();
            out.push((i as u32, s));
        }
        // second stage: the best candidates gain when their operation's words
        // appear in the request in exactly the form typed (plural vs singular:
        // "instances" → describe-instances rather than describe-instance-status)
        if p.form_bonus != 0.0 && !a.raw.is_empty() {
            let top = RERANK.min(out.len());
            if top > 0 {
                out.select_nth_unstable_by(top - 1, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                out.truncate(top);
            }
            for (d, s) in out.iter_mut() {
                let doc = &self.docs[*d as usize];
                let mut n = 0usize;
                let mut hits = 0usize;
                for w in doc.operation.split([' ', '-']).skip(1) {
                    n += 1;
                    if a.raw.contains(w) {
                        hits += 1;
                    }
                }
                if n > 0 {
                    *s += p.form_bonus * hits as f32 / n as f32;
                }
            }
        }
        let k = k.min(out.len());
        if k == 0 {
            return Vec::new();
        }
        out.select_nth_unstable_by(k - 1, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out.truncate(k);
        out.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out
    }

    /// The command a request names word for word (`aws sso login`, `sso
    /// login`, any case): its number in corpus order.
    #[cfg_attr(not(feature = "dense"), allow(dead_code))]
    pub(crate) fn named_command(&self, query: &str) -> Option<u32> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let words = match words.split_first() {
            Some((first, rest)) if first == "aws" => rest,
            _ => &words[..],
        };
        let [service, operation] = words else {
            return None;
        };
        self.docs
            .iter()
            .position(|d| *d.service == **service && *d.operation == **operation)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Ranked (command number in corpus order, score) for a checked query.
    #[cfg_attr(not(feature = "dense"), allow(dead_code))]
    pub(crate) fn rank_ids(&self, query: &str, k: usize) -> Vec<(u32, f32)> {
        self.rank(query, k)
    }

    /// The `k` best commands as `(service, operation, score)`, without parameter lists.
    pub fn rank_names(
        &self,
        query: &str,
        k: usize,
    ) -> Result<Vec<(&str, &str, f32)>, RetrieveError> {
        let q = check_query(query)?;
        Ok(self
            .rank(q, k)
            .into_iter()
            .map(|(d, s)| {
                let m = &self.docs[d as usize];
                (&*m.service, &*m.operation, s)
            })
            .collect())
    }
}

/// Whether a typed token is a name (`image-resizer`, `web_app`): words
/// joined by hyphens or underscores, none of them a particle. English
/// compounds keep their particles ("site-to-site", "on-demand", "sign-in")
/// and count fully; a name's words describe the resource only loosely
/// ("web-deploy" is a pipeline, not CodeDeploy), so they weigh less and
/// state no intent.
fn is_name(token: &str, words: &[String]) -> bool {
    words.len() >= 2 && token.contains(['-', '_']) && !words.iter().any(|w| is_stopword(w))
}

fn stem_phrase(p: &str) -> String {
    words(p)
        .iter()
        .map(|w| stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn verb_of(d: &CorpusDoc) -> String {
    let first = d
        .operation
        .split([' ', '-'])
        .next()
        .unwrap_or_default()
        .to_string();
    if d.custom {
        if let Some((_, v)) = CUSTOM_VERBS.iter().find(|(c, _)| *c == first) {
            return v.to_string();
        }
    }
    first
}

/// Every command's prior: [`prior_of`] plus the service's share of commands
/// with AWS examples (log scale, `service_prior` for the best-documented
/// service). Popular, documented commands are what most requests want.
pub(crate) fn priors(corpus: &Corpus, p: &Bm25Params) -> Vec<f32> {
    let mut examples_per_service: HashMap<&str, u32> = HashMap::new();
    for d in &corpus.docs {
        if d.has_examples {
            *examples_per_service.entry(d.service.as_str()).or_default() += 1;
        }
    }
    let max_ex = examples_per_service
        .values()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    corpus
        .docs
        .iter()
        .map(|d| {
            let n_ex = examples_per_service
                .get(d.service.as_str())
                .copied()
                .unwrap_or(0) as f32;
            prior_of(d, p) + p.service_prior * (1.0 + n_ex).ln() / (1.0 + max_ex).ln()
        })
        .collect()
}

fn prior_of(d: &CorpusDoc, p: &Bm25Params) -> f32 {
    let mut prior = 0.0;
    if d.has_examples {
        prior += p.example_prior;
    }
    if d.waiter {
        prior += p.waiter_prior;
    }
    if d.hidden || d.deprecated {
        prior += p.hidden_prior;
    }
    prior
}

impl Retriever for Bm25Retriever {
    fn suggest(&self, query: &str, k: usize) -> Result<Vec<Suggestion>, RetrieveError> {
        let q = check_query(query)?;
        let mut out = self
            .rank(q, k)
            .into_iter()
            .map(|(d, s)| {
                let m = &self.docs[d as usize];
                make_suggestion(self.catalog, &m.service, &m.operation, &m.description, s)
            })
            .collect::<Result<Vec<_>, _>>()?;
        complete_all(self.catalog, q, &mut out);
        Ok(out)
    }

    fn name(&self) -> &str {
        "lexical"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn engine() -> &'static Bm25Retriever {
        static E: OnceLock<Bm25Retriever> = OnceLock::new();
        E.get_or_init(|| Bm25Retriever::new(Catalog::embedded()).unwrap())
    }

    fn top(q: &str, k: usize) -> Vec<String> {
        engine()
            .rank_names(q, k)
            .unwrap()
            .into_iter()
            .map(|(s, o, _)| format!("{s} {o}"))
            .collect()
    }

    /// Development aid: `EXPLAIN="query|service op" cargo test -p aws-mcp-core explain -- --ignored --nocapture`.
    #[test]
    #[ignore]
    #[allow(clippy::print_stdout)]
    fn explain() {
        let e = engine();
        let spec = std::env::var("EXPLAIN").unwrap_or_default();
        for item in spec.split(';').filter(|x| !x.trim().is_empty()) {
            let (q, want) = item.split_once('|').unwrap_or((item, ""));
            let a = e.analyse(q);
            let mut terms: Vec<_> = a
                .terms
                .iter()
                .map(|(t, w)| format!("{}:{w:.2}", e.terms[*t as usize]))
                .collect();
            terms.sort();
            println!(
                "== {q}\n   terms {terms:?}\n   verbs {:?} services {:?} implied {:?}",
                a.verbs, a.services, a.implied
            );
            let ranked = e.rank(q, 2000);
            for (r, (d, s)) in ranked.iter().enumerate() {
                let m = &e.docs[*d as usize];
                let name = format!("{} {}", m.service, m.operation);
                if r < 5 || name == want {
                    println!(
                        "   {:>3} {s:7.2} {name} {:?}",
                        r + 1,
                        e.bonuses(*d as usize, &a)
                    );
                }
            }
        }
    }

    #[test]
    fn indexes_every_command() {
        assert_eq!(engine().len(), Catalog::embedded().entries().count());
        assert!(!engine().is_empty());
    }

    #[test]
    fn plain_requests_find_their_command() {
        assert!(top("describe ec2 instances", 3).contains(&"ec2 describe-instances".to_string()));
        assert!(top("create an s3 bucket", 3)
            .iter()
            .any(|c| c == "s3 mb" || c == "s3api create-bucket"));
    }

    #[test]
    fn synonyms_and_typos_help() {
        // "vms" is not in the corpus text of describe-instances.
        assert!(top("show my vms", 3).contains(&"ec2 describe-instances".to_string()));
        assert!(top("how much did we spend last month", 3)
            .iter()
            .any(|c| c.starts_with("ce get-cost")));
        assert!(top("firewall rules for my web servers", 5)
            .iter()
            .any(|c| c.contains("security-group")));
        // "lamda functons" misspells both words.
        assert!(top("list lamda functons", 3).contains(&"lambda list-functions".to_string()));
    }

    /// The analysed request's terms as strings, with their weights.
    fn terms_of(q: &str) -> HashMap<String, f32> {
        let e = engine();
        e.analyse(q)
            .terms
            .iter()
            .map(|(t, w)| (e.terms[*t as usize].to_string(), *w))
            .collect()
    }

    #[test]
    fn values_stand_for_what_they_are() {
        let a = engine().analyse("copy s3://backups/db.dump to the other region");
        let t = terms_of("copy s3://backups/db.dump to the other region");
        assert!(a.implied.contains("s3"), "{:?}", a.implied);
        assert!(!t.contains_key("db") && !t.contains_key("backup"), "{t:?}");
        let a = engine().analyse("terminate i-0abcdef1234567890 in eu-central-1");
        assert!(a.implied.contains("ec2"));
        assert!(top("terminate i-0abcdef1234567890 in eu-central-1", 3)
            .contains(&"ec2 terminate-instances".to_string()));
    }

    #[test]
    fn names_weigh_less_and_name_no_service() {
        let a = engine().analyse("show pipeline web-deploy");
        assert!(!a.services.contains("deploy") && a.implied.contains("deploy"));
        let t = terms_of("show pipeline web-deploy");
        assert_eq!(t.get("web"), Some(&Bm25Params::default().w_name_part));
        // an English compound is not a name
        assert_eq!(terms_of("switch to on-demand").get("demand"), Some(&1.0));
        // a verb inside a name is no intent
        assert!(engine().analyse("describe job nightly-build").verbs[0] == "describe");
        assert!(!engine()
            .analyse("describe job nightly-build")
            .verbs
            .contains(&"start".to_string()));
    }

    #[test]
    fn questions_and_nouns_are_not_actions() {
        let verbs = |q: &str| engine().analyse(q).verbs;
        let v = verbs("which images can we launch in this account");
        assert!(v.iter().all(|v| READ_VERBS.contains(&v.as_str())), "{v:?}");
        let v = verbs("list instances with tag Owner");
        assert!(!v.contains(&"tag".to_string()), "{v:?}");
        let v = verbs("delete the snapshot tagged old");
        assert!(v.contains(&"delete".to_string()) && !v.contains(&"tag".to_string()));
        let v = verbs("restart the build");
        assert!(
            !v.contains(&"start".to_string()) || v[0] == "reboot",
            "{v:?}"
        );
    }

    #[test]
    fn compounds_and_table_words() {
        assert!(terms_of("fail over the replica").contains_key("failover"));
        let t = terms_of("put a SecureString");
        assert!(
            t.contains_key("ssm") && t.contains_key("parameter"),
            "{t:?}"
        );
        // "dump" is a table word: kept, not corrected to a near word
        assert!(engine()
            .analyse("dump the table")
            .verbs
            .contains(&"scan".to_string()));
    }

    #[test]
    fn suggestions_carry_parameters() {
        let s = engine().suggest("stop an ec2 instance", 3).unwrap();
        assert_eq!(s.len(), 3);
        assert!(s[0].score >= s[1].score && s[1].score >= s[2].score);
        let stop = s
            .iter()
            .find(|s| s.command == "aws ec2 stop-instances")
            .expect("stop-instances in the top 3");
        assert!(stop
            .parameters
            .iter()
            .any(|p| p.name == "--instance-ids" && p.required));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let e = engine();
        assert_eq!(e.suggest("", 3), Err(RetrieveError::EmptyQuery));
        assert_eq!(e.suggest("   \n\t", 3), Err(RetrieveError::EmptyQuery));
        assert!(matches!(
            e.suggest(&"x".repeat(2001), 3),
            Err(RetrieveError::QueryTooLong { .. })
        ));
        for q in [
            "日本語のクエリ",
            "🚀🚀🚀",
            "i-0123456789abcdef0",
            "\u{0}\u{7f}",
            "ⅷ ǅ ß Σ",
            "--",
        ] {
            let r = e.suggest(q, 3).unwrap();
            assert!(r.len() <= 3);
        }
        assert!(e.suggest("list buckets", 0).unwrap().is_empty());
        assert!(e.suggest("list buckets", 100_000).unwrap().len() > 3);
    }
}
