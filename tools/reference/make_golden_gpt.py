#!/usr/bin/env python3
"""Generate the TinyGPT golden fixture (PyTorch) for the Promptor GPT tests.

Run with the Debian interpreter (the only one that has PyTorch 1.13):

    /usr/bin/python3 tools/reference/make_golden_gpt.py

It (re)writes ``tests/Promptor.Tests/Fixtures/golden/gpt.json`` in the format of
make_golden.py (whose helpers it reuses): float32 tensors with 9 significant
digits, integer tensors as flat int lists ``<name>`` + ``<name>_shape`` in
"params", and the RNG re-seeded before every case from a CRC32 of
"<group>/<case>", so re-running leaves the file byte-identical.

The model is TinyGPT exactly as defined in ../shared/bench/torch_models.py
(class structure mirrored below), built tiny: vocab 11, context 8, d 16,
2 heads, 2 blocks, dropout 0, eval mode. Its parameters keep PyTorch's default
init except the LayerNorms, whose weights are re-drawn as 1 + 0.2 N(0, 1) and
biases as 0.2 N(0, 1) so that every term is exercised. For ids ``idx``
(B, T + 1) the input is ``ids = idx[:, :-1]`` and the targets
``targets = idx[:, 1:]``.

Both cases use one model (seeded from "gpt/model"). Case ``tinygpt_b2_t8``
(B 2, T 8 = the full context) holds every parameter by its state_dict name
(the boolean buffer ``mask`` is omitted), ``logits`` (B, T, V), ``loss``
(scalar, mean next-token cross-entropy of logits.view(-1, V) against
targets.view(-1)) and ``grad_<name>`` of every parameter (the gradient of
``loss``). Case ``tinygpt_b3_t5`` (B 3, T 5 < context) reuses those weights
and holds only ``logits`` and ``loss``.
"""

import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402  (shared helpers: Group, int_param)

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
torch.use_deterministic_algorithms(True)

GENERATOR = "tools/reference/make_golden_gpt.py"


# ---------------------------------------------------------------- TinyGPT (torch_models.py)
class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.h, C // self.h).transpose(1, 2)
        k = k.view(B, T, self.h, C // self.h).transpose(1, 2)
        v = v.view(B, T, self.h, C // self.h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.h))
        att = att.masked_fill(mask[:T, :T], float("-inf"))
        att = self.drop(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.drop(self.proj(y))


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, heads, dropout)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(dropout))

    def forward(self, x, mask):
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab=64, ctx=128, d=128, heads=4, blocks=4, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(ctx, d)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d, heads, dropout) for _ in range(blocks)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.triu(torch.ones(ctx, ctx, dtype=torch.bool), 1))

    def forward(self, idx):
        B, T = idx.shape
        x = self.drop(self.tok(idx) + self.pos(torch.arange(T)))
        for b in self.blocks:
            x = b(x, self.mask)
        return self.head(self.ln(x))  # (B, T, vocab)


# ---------------------------------------------------------------- fixture
VOCAB, CTX, D, HEADS, BLOCKS = 11, 8, 16, 2, 2


class Group(mg.Group):
    def write(self):
        saved = mg.GENERATOR
        mg.GENERATOR = GENERATOR
        try:
            super().write()
        finally:
            mg.GENERATOR = saved


def build_model(g, name):
    g.seed(name)
    model = TinyGPT(vocab=VOCAB, ctx=CTX, d=D, heads=HEADS, blocks=BLOCKS, dropout=0.0)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if ".ln" in "." + pname:  # ln1, ln2, ln
                p.copy_((1.0 if pname.endswith("weight") else 0.0) + 0.2 * torch.randn_like(p))
    return model.eval()


def tinygpt_case(g, name, model, batch, length, with_params):
    g.seed(name)
    idx = torch.randint(0, VOCAB, (batch, length + 1))
    ids, targets = idx[:, :-1].contiguous(), idx[:, 1:].contiguous()
    model.zero_grad(set_to_none=True)
    logits = model(ids)
    loss = F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))
    loss.backward()
    params = dict(model.named_parameters())
    assert list(params) == [k for k in model.state_dict() if k != "mask"], "param/state_dict name mismatch"
    tensors = {n: p.detach().clone() for n, p in params.items()} if with_params else {}
    tensors["logits"] = logits.detach()
    tensors["loss"] = loss.detach()
    if with_params:
        for n, p in params.items():
            tensors["grad_" + n] = p.grad.detach().clone()
    meta = {"vocab": VOCAB, "ctx": CTX, "d": D, "heads": HEADS, "blocks": BLOCKS, "dropout": 0.0}
    meta.update(mg.int_param("ids", ids))
    meta.update(mg.int_param("targets", targets))
    g.add(name, meta, tensors)


def main():
    g = Group("gpt")
    model = build_model(g, "model")
    # Full context, with the parameters and every gradient.
    tinygpt_case(g, "tinygpt_b2_t8", model, 2, CTX, with_params=True)
    # Shorter than the context (mask[:T, :T], pos rows 0..4), same weights: logits and loss only.
    tinygpt_case(g, "tinygpt_b3_t5", model, 3, 5, with_params=False)
    g.write()


if __name__ == "__main__":
    main()
