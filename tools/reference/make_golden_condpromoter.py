#!/usr/bin/env python3
"""Generate the CondPromoter golden fixture (PyTorch) as a safetensors file.

Run with the Debian interpreter (the only one that has PyTorch 1.13):

    /usr/bin/python3 tools/reference/make_golden_condpromoter.py

It (re)writes ``tests/Promptor.Tests/Fixtures/golden/condpromoter.safetensors``: the
parameters of the CondPromoter of ../shared/bench/torch_models.py (class structure mirrored
below, so that the fixture does not depend on that file at test time) under their state_dict
names, which are Promptor's names too, plus the inputs and expected outputs under the prefix
``golden.``. The model is built small — 5 treatments, L 128, d 16, 4 heads, 2 post-LN encoder
blocks, dropout 0, eval mode — so the file stays a few hundred kilobytes. The LayerNorm
weights are re-drawn as 1 + 0.2 N(0, 1) and their biases as 0.2 N(0, 1) so that every term is
exercised; everything else keeps PyTorch's default initialisation under torch.manual_seed(20261122).

Tensors under ``golden.``:
  seq        (3, 128, 4) one-hot DNA (with one position of uniform 0.25, as an ambiguous N)
  tid        (3,) treatment ids as float32 (0, 4, 2)
  selected   (3,)   model(seq, tid): each sequence asked by its own treatment
  all        (3, 5) model(seq, t) for every treatment t (column t)
  target     (3,)   a regression target
  loss       ()     MSE of ``selected`` against ``target``
  grad.<name>       the gradient of ``loss`` for every parameter
The positional-encoding buffer ``pe.pe`` is not stored (Promptor computes it).
The output is deterministic (one thread, fixed seed, sorted keys).
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
torch.use_deterministic_algorithms(True)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Promptor.Tests",
                   "Fixtures", "golden", "condpromoter.safetensors")


# ------------------------------------------------------------ CondPromoter (torch_models.py)
class SinusoidalPE(nn.Module):
    def __init__(self, d, max_len=4096):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.shape[1]]


class CondPromoter(nn.Module):
    def __init__(self, n_treat=16, d=128, heads=8, blocks=2, dropout=0.1):
        super().__init__()
        self.conv1 = nn.Conv1d(4, d, 15, padding="same")
        self.conv2 = nn.Conv1d(d, d, 9, padding="same")
        self.pool = nn.MaxPool1d(4)
        self.pe = SinusoidalPE(d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=4 * d, dropout=dropout,
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, blocks, enable_nested_tensor=False)
        self.treat = nn.Embedding(n_treat, d)
        self.cross = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d, 1))

    def forward(self, seq, tid):
        x = seq.transpose(1, 2)
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = self.pe(x.transpose(1, 2))
        x = self.encoder(x)
        q = self.treat(tid).unsqueeze(1)
        a, _ = self.cross(q, x, x, need_weights=False)
        h = self.norm(q + a).squeeze(1)
        return self.head(h).squeeze(-1)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def main():
    torch.manual_seed(20261122)
    n_treat, length, d, heads, blocks, batch = 5, 128, 16, 4, 2, 3
    model = CondPromoter(n_treat=n_treat, d=d, heads=heads, blocks=blocks, dropout=0.0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_(1 + 0.2 * torch.randn_like(p) if name.endswith("weight") else 0.2 * torch.randn_like(p))
    model.eval()

    seq = F.one_hot(torch.randint(0, 4, (batch, length)), 4).float()
    seq[1, 17] = 0.25
    tid = torch.tensor([0, 4, 2])
    target = torch.randn(batch)

    selected = model(seq, tid)
    loss = F.mse_loss(selected, target)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        every = torch.stack([model(seq, torch.full((batch,), t)) for t in range(n_treat)], dim=1)

    tensors = {name: p for name, p in model.named_parameters()}
    tensors.update({f"golden.grad.{name}": p.grad for name, p in model.named_parameters()})
    tensors.update({
        "golden.seq": seq, "golden.tid": tid.float(), "golden.selected": selected,
        "golden.all": every, "golden.target": target, "golden.loss": loss.reshape(()),
    })
    metadata = {"generator": "tools/reference/make_golden_condpromoter.py", "torch": torch.__version__,
                "treatments": str(n_treat), "length": str(length), "d": str(d), "heads": str(heads), "blocks": str(blocks)}
    write_safetensors(OUT, tensors, metadata)
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes, {len(tensors)} tensors)")


if __name__ == "__main__":
    main()
