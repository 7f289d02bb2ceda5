#!/usr/bin/env python3
"""Generate the attention golden-vector fixtures (PyTorch) for the Promptor tests.

Run with the Debian interpreter (the only one that has PyTorch 1.13):

    /usr/bin/python3 tools/reference/make_golden_attention.py

It (re)writes sdpa.json, mha.json, transformer.json, positional.json,
film_pool.json and additive.json in ``tests/Promptor.Tests/Fixtures/golden/``.
The file format and conventions are those of make_golden.py (whose helpers
this script reuses): float32 tensors written with 9 significant digits,
integer/boolean masks as flat int lists ``<name>`` plus ``<name>_shape`` in
"params", random upstream gradient ``grad_out`` (implicit loss
sum(out * grad_out)), ``grad_<name>`` for the gradient of ``<name>``, and the
RNG re-seeded before every case from a CRC32 of "<group>/<case>".

Additional conventions of this script:

* Module parameters are stored under their exact PyTorch ``state_dict`` names
  (``in_proj_weight``, ``self_attn.out_proj.bias``, ``layers.1.norm2.weight``,
  ...) and their gradients as ``grad_<state_dict name>``.
* Module parameters are NOT PyTorch's default init (which zeroes the MHA
  biases and sets LayerNorm to 1/0): every parameter is re-drawn from the case
  seed, weights ~ N(0, 1/fan_in), biases ~ 0.2 N(0, 1), LayerNorm weights
  ~ 1 + 0.2 N(0, 1), so that every term is exercised.
* Boolean masks are stored as 0/1 int lists; 1 (True) always means
  "blocked / ignore" (PyTorch's bool-mask convention for MultiheadAttention).
* ``weights`` outputs are returned alongside ``out`` but do not enter the
  implicit loss: gradients flow only from sum(out * grad_out).
* A "scale" param may be JSON null (meaning the default 1/sqrt(D)); the value
  actually used is always in "effective_scale".
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402  (shared helpers: f9, tensor_json, int_param, Group)

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
torch.use_deterministic_algorithms(True)

GENERATOR = "tools/reference/make_golden_attention.py"
int_param = mg.int_param


class Group(mg.Group):
    """make_golden.Group with this script's generator name; a param may also be None."""

    def add(self, case_name, params, tensors):
        nulls = [k for k, v in params.items() if v is None]
        clean = {k: v for k, v in params.items() if v is not None}
        super().add(case_name, clean, tensors)
        # Re-insert the nulls in their original order.
        self.cases[-1]["params"] = {k: (None if k in nulls else clean[k]) for k in params}

    def write(self):
        saved = mg.GENERATOR
        mg.GENERATOR = GENERATOR
        try:
            super().write()
        finally:
            mg.GENERATOR = saved


def randomize_(module):
    """Re-draw every parameter of module (in named_parameters order) from the current RNG."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            is_norm = ".norm" in "." + name  # norm1.weight, layers.0.norm2.weight, ...
            if p.dim() == 1 and is_norm and leaf == "weight":
                p.copy_(1.0 + 0.2 * torch.randn_like(p))
            elif p.dim() == 1:
                p.copy_(0.2 * torch.randn_like(p))
            else:
                p.copy_(torch.randn_like(p) / math.sqrt(p.shape[-1]))


def module_case(module, inputs, fn, extra_outputs=None):
    """Forward fn(**leaves) -> out (or (out, extras)), backprop a random grad_out.

    Returns inputs, every parameter by state_dict name, out, extra outputs,
    grad_out, grad_<input> and grad_<param>.
    """
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in inputs.items()}
    module.zero_grad(set_to_none=True)
    res = fn(**leaves)
    out, extras = (res if isinstance(res, tuple) else (res, {}))
    grad_out = torch.randn_like(out)
    out.backward(grad_out)
    tensors = {k: v.detach() for k, v in inputs.items()}
    params = dict(module.named_parameters())
    assert list(params) == [k for k in module.state_dict() if k in params], "param/state_dict name mismatch"
    for name, p in params.items():
        tensors[name] = p.detach().clone()
    tensors["out"] = out.detach()
    for k, v in extras.items():
        tensors[k] = v.detach()
    tensors["grad_out"] = grad_out
    for k in inputs:
        tensors["grad_" + k] = leaves[k].grad.detach()
    for name, p in params.items():
        tensors["grad_" + name] = p.grad.detach().clone()
    return tensors


def causal_blocked(tq, tk):
    """(Tq, Tk) bool, True where key j > query i (top-left aligned causal mask)."""
    return torch.ones(tq, tk, dtype=torch.bool).triu(1)


def mask_param(name, m):
    return int_param(name, m.to(torch.int64))


# --------------------------------------------------------------------------
# sdpa
# --------------------------------------------------------------------------

def gen_sdpa():
    """softmax(q kᵀ · scale + bias, masked) v, from primitives in float64.

    torch 1.13 has no F.scaled_dot_product_attention, so this is the explicit
    formula, evaluated (and differentiated) in float64 from the float32 inputs
    and cast to float32: scores = (q @ kᵀ) * scale + bias; masked positions
    (causal: key j > query i, top-left aligned; key_padding: 1 = ignore) are set
    to -inf; weights = softmax over the key axis; out = weights @ v.
    No case has a query whose keys are all masked.
    """
    g = Group("sdpa")
    # name, B, H, Tq, Tk, D, Dv, causal, key_padding, bias_shape, scale
    kp = [[0, 0, 0, 0, 1, 1], [0, 1, 0, 0, 0, 1]]
    specs = [
        ("no_mask", 2, 2, 4, 6, 8, 6, False, None, None, None),
        ("causal", 2, 2, 5, 7, 4, 4, True, None, None, None),
        ("causal_square", 2, 3, 5, 5, 4, 6, True, None, None, None),
        ("causal_tq_gt_tk", 2, 2, 6, 4, 4, 4, True, None, None, None),
        ("key_padding", 2, 2, 4, 6, 8, 6, False, kp, None, None),
        ("bias_b1", 2, 2, 4, 6, 4, 4, False, None, (2, 1, 4, 6), None),
        ("bias_1h", 2, 3, 3, 5, 4, 4, False, None, (1, 3, 3, 5), None),
        ("custom_scale", 2, 2, 4, 6, 8, 6, False, None, None, 0.5),
        ("combined", 2, 2, 4, 6, 4, 5, True, [[0, 0, 1, 0, 0, 1], [0, 0, 0, 1, 1, 1]], (1, 1, 4, 6), 0.4),
    ]
    for name, b, h, tq, tk, d, dv, causal, key_padding, bias_shape, scale in specs:
        g.seed(name)
        inputs = {"q": torch.randn(b, h, tq, d), "k": torch.randn(b, h, tk, d), "v": torch.randn(b, h, tk, dv)}
        if bias_shape is not None:
            inputs["bias"] = torch.randn(*bias_shape)
        eff_scale = scale if scale is not None else 1.0 / math.sqrt(d)
        kp_t = torch.tensor(key_padding, dtype=torch.bool) if key_padding is not None else None

        leaves = {k: v.double().requires_grad_(True) for k, v in inputs.items()}
        scores = (leaves["q"] @ leaves["k"].transpose(-2, -1)) * eff_scale
        if "bias" in leaves:
            scores = scores + leaves["bias"]
        if kp_t is not None:
            scores = scores.masked_fill(kp_t[:, None, None, :], float("-inf"))
        if causal:
            scores = scores.masked_fill(causal_blocked(tq, tk), float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = weights @ leaves["v"]
        grad_out = torch.randn(b, h, tq, dv)
        out.backward(grad_out.double())

        tensors = dict(inputs)
        tensors["out"] = out.detach().float()
        tensors["weights"] = weights.detach().float()
        tensors["grad_out"] = grad_out
        for k in inputs:
            tensors["grad_" + k] = leaves[k].grad.float()
        params = {"causal": causal, "scale": scale, "effective_scale": eff_scale,
                  "has_bias": bias_shape is not None, "has_key_padding": kp_t is not None}
        if kp_t is not None:
            params.update(mask_param("key_padding", kp_t))
        g.add(name, params, tensors)
    g.write()


# --------------------------------------------------------------------------
# mha
# --------------------------------------------------------------------------

def gen_mha():
    """torch.nn.MultiheadAttention(batch_first=True, dropout=0), need_weights=True.

    Self-attention cases pass ONE tensor as query, key and value; it is stored
    as "query" only and grad_query is its total gradient.
    """
    g = Group("mha")
    # name, E, H, Tq, Tk, kdim, vdim, bias, self_attn, key_padding, causal, average
    specs = [
        ("self_attention", 12, 3, 5, 5, None, None, True, True, None, False, True),
        ("self_attention_per_head", 8, 2, 5, 5, None, None, True, True, None, False, False),
        ("cross_attention", 8, 2, 4, 6, None, None, True, False, None, False, False),
        ("cross_kdim_vdim", 8, 2, 3, 5, 6, 10, True, False, None, False, True),
        ("no_bias", 8, 4, 4, 6, None, None, False, False, None, False, True),
        ("key_padding_mask", 8, 2, 4, 6, None, None, True, False,
         [[False, False, False, False, True, True], [False, True, False, False, False, True]], False, False),
        ("causal_mask", 8, 2, 6, 6, None, None, True, True, None, True, True),
    ]
    B = 2
    for name, e, h, tq, tk, kdim, vdim, bias, self_attn, key_padding, causal, average in specs:
        g.seed(name)
        mha = torch.nn.MultiheadAttention(e, h, dropout=0.0, bias=bias, kdim=kdim, vdim=vdim, batch_first=True)
        randomize_(mha)
        kp_t = torch.tensor(key_padding, dtype=torch.bool) if key_padding is not None else None
        attn_mask = causal_blocked(tq, tk) if causal else None
        if self_attn:
            inputs = {"query": torch.randn(B, tq, e)}

            def fn(query, mha=mha, kp_t=kp_t, attn_mask=attn_mask, average=average):
                out, w = mha(query, query, query, key_padding_mask=kp_t, need_weights=True,
                             attn_mask=attn_mask, average_attn_weights=average)
                return out, {"weights": w}
        else:
            inputs = {"query": torch.randn(B, tq, e), "key": torch.randn(B, tk, kdim or e),
                      "value": torch.randn(B, tk, vdim or e)}

            def fn(query, key, value, mha=mha, kp_t=kp_t, attn_mask=attn_mask, average=average):
                out, w = mha(query, key, value, key_padding_mask=kp_t, need_weights=True,
                             attn_mask=attn_mask, average_attn_weights=average)
                return out, {"weights": w}

        tensors = module_case(mha, inputs, fn)
        want_w = (B, tq, tk) if average else (B, h, tq, tk)
        assert tuple(tensors["weights"].shape) == want_w
        params = {"embed_dim": e, "num_heads": h, "kdim": kdim or e, "vdim": vdim or e, "bias": bias,
                  "batch_first": True, "dropout": 0.0, "self_attention": self_attn,
                  "separate_proj_weight": (kdim or e) != e or (vdim or e) != e,
                  "need_weights": True, "average_attn_weights": average, "causal": causal,
                  "has_key_padding_mask": kp_t is not None}
        if kp_t is not None:
            params.update(mask_param("key_padding_mask", kp_t))
        if attn_mask is not None:
            params.update(mask_param("attn_mask", attn_mask))
        g.add(name, params, tensors)
    g.write()


# --------------------------------------------------------------------------
# transformer
# --------------------------------------------------------------------------

def gen_transformer():
    """nn.TransformerEncoderLayer / TransformerDecoderLayer / 2-layer TransformerEncoder.

    batch_first=True, dropout=0.0, layer_norm_eps=1e-5, activation "relu" or
    "gelu" (exact erf GELU). Modules are in training mode (dropout is 0, so it
    only keeps PyTorch off its inference fast path).
    """
    g = Group("transformer")
    B, D, NH, FF = 2, 8, 2, 16

    # --- encoder layers ---------------------------------------------------
    enc_specs = [  # name, activation, norm_first, T, src_key_padding_mask, causal src_mask
        ("encoder_post_relu", "relu", False, 5, None, False),
        ("encoder_post_gelu", "gelu", False, 5, None, False),
        ("encoder_pre_relu", "relu", True, 5, None, False),
        ("encoder_pre_gelu", "gelu", True, 5, None, False),
        ("encoder_post_relu_masks", "relu", False, 6,
         [[False, False, False, False, False, True], [False, False, False, True, True, True]], True),
    ]
    for name, act, norm_first, t, kp, causal in enc_specs:
        g.seed(name)
        layer = torch.nn.TransformerEncoderLayer(D, NH, dim_feedforward=FF, dropout=0.0, activation=act,
                                                 batch_first=True, norm_first=norm_first)
        randomize_(layer)
        kp_t = torch.tensor(kp, dtype=torch.bool) if kp is not None else None
        src_mask = causal_blocked(t, t) if causal else None
        fn = lambda src, layer=layer, kp_t=kp_t, src_mask=src_mask: layer(
            src, src_mask=src_mask, src_key_padding_mask=kp_t)
        tensors = module_case(layer, {"src": torch.randn(B, t, D)}, fn)
        params = {"kind": "encoder_layer", "d_model": D, "nhead": NH, "dim_feedforward": FF, "dropout": 0.0,
                  "activation": act, "norm_first": norm_first, "layer_norm_eps": 1e-5, "batch_first": True,
                  "num_layers": 1, "causal": causal, "has_src_key_padding_mask": kp_t is not None}
        if src_mask is not None:
            params.update(mask_param("src_mask", src_mask))
        if kp_t is not None:
            params.update(mask_param("src_key_padding_mask", kp_t))
        g.add(name, params, tensors)

    # --- decoder layers -----------------------------------------------------
    dec_specs = [  # name, activation, norm_first, T, S, causal tgt_mask, memory_key_padding_mask
        ("decoder_post_relu", "relu", False, 4, 6, False, None),
        ("decoder_post_gelu", "gelu", False, 4, 6, False, None),
        ("decoder_pre_relu", "relu", True, 4, 6, False, None),
        ("decoder_pre_gelu", "gelu", True, 4, 6, False, None),
        ("decoder_post_relu_masks", "relu", False, 5, 6, True,
         [[False, False, False, False, True, True], [False, True, False, False, False, True]]),
        ("decoder_pre_gelu_masks", "gelu", True, 5, 6, True,
         [[False, False, False, False, True, True], [False, True, False, False, False, True]]),
    ]
    for name, act, norm_first, t, s, causal, mkp in dec_specs:
        g.seed(name)
        layer = torch.nn.TransformerDecoderLayer(D, NH, dim_feedforward=FF, dropout=0.0, activation=act,
                                                 batch_first=True, norm_first=norm_first)
        randomize_(layer)
        mkp_t = torch.tensor(mkp, dtype=torch.bool) if mkp is not None else None
        tgt_mask = causal_blocked(t, t) if causal else None
        fn = lambda tgt, memory, layer=layer, mkp_t=mkp_t, tgt_mask=tgt_mask: layer(
            tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=mkp_t)
        tensors = module_case(layer, {"tgt": torch.randn(B, t, D), "memory": torch.randn(B, s, D)}, fn)
        params = {"kind": "decoder_layer", "d_model": D, "nhead": NH, "dim_feedforward": FF, "dropout": 0.0,
                  "activation": act, "norm_first": norm_first, "layer_norm_eps": 1e-5, "batch_first": True,
                  "num_layers": 1, "causal": causal, "has_memory_key_padding_mask": mkp_t is not None}
        if tgt_mask is not None:
            params.update(mask_param("tgt_mask", tgt_mask))
        if mkp_t is not None:
            params.update(mask_param("memory_key_padding_mask", mkp_t))
        g.add(name, params, tensors)

    # --- 2-layer encoder stack (no final norm) -----------------------------
    name = "encoder_stack_2_post_relu"
    g.seed(name)
    layer = torch.nn.TransformerEncoderLayer(D, NH, dim_feedforward=FF, dropout=0.0, activation="relu",
                                             batch_first=True, norm_first=False)
    enc = torch.nn.TransformerEncoder(layer, num_layers=2, norm=None, enable_nested_tensor=False)
    randomize_(enc)  # after the deepcopy into layers.0 / layers.1, so the two layers differ
    tensors = module_case(enc, {"src": torch.randn(B, 5, D)}, lambda src, enc=enc: enc(src))
    assert "layers.1.linear2.bias" in tensors
    params = {"kind": "encoder_stack", "d_model": D, "nhead": NH, "dim_feedforward": FF, "dropout": 0.0,
              "activation": "relu", "norm_first": False, "layer_norm_eps": 1e-5, "batch_first": True,
              "num_layers": 2, "final_norm": False, "causal": False, "has_src_key_padding_mask": False}
    g.add(name, params, tensors)
    g.write()


# --------------------------------------------------------------------------
# positional
# --------------------------------------------------------------------------

def gen_positional():
    """Sinusoidal table of "Attention Is All You Need", float64 then cast.

    PE[pos, 2i] = sin(pos / base^(2i/d)), PE[pos, 2i+1] = cos(pos / base^(2i/d)),
    pos = 0..T-1, i = 0..d/2-1 (sin and cos interleaved, not concatenated).
    """
    g = Group("positional")
    for name, t, d, base in (("sinusoidal_t7_d8_base10000", 7, 8, 10000.0),
                             ("sinusoidal_t5_d6_base100", 5, 6, 100.0)):
        pos = torch.arange(t, dtype=torch.float64)[:, None]
        two_i = torch.arange(0, d, 2, dtype=torch.float64)[None, :]
        angle = pos / torch.pow(torch.tensor(base, dtype=torch.float64), two_i / d)
        pe = torch.zeros(t, d, dtype=torch.float64)
        pe[:, 0::2] = torch.sin(angle)
        pe[:, 1::2] = torch.cos(angle)
        g.add(name, {"base": base, "length": t, "d_model": d}, {"pe": pe.float()})
    g.write()


# --------------------------------------------------------------------------
# film_pool
# --------------------------------------------------------------------------

def gen_film_pool():
    g = Group("film_pool")
    B = 2

    # --- (a) FiLM: y = gamma * LayerNorm(h) + beta, [gamma, beta] = film(cond).chunk(2, -1)
    name = "film_layernorm"
    g.seed(name)
    T, C, CD, eps = 4, 6, 5, 1e-5
    film = torch.nn.Linear(CD, 2 * C)
    randomize_(film)
    holder = torch.nn.Module()
    holder.film = film

    def film_fn(h, cond, film=film, C=C, eps=eps):
        gb = film(cond)                     # (B, 2C)
        gamma, beta = gb[:, :C], gb[:, C:]  # first half gamma, second half beta
        y = gamma[:, None, :] * F.layer_norm(h, (C,), None, None, eps) + beta[:, None, :]
        return y, {"gamma": gamma, "beta": beta}

    tensors = module_case(holder, {"h": torch.randn(B, T, C) * 1.5 + 0.3, "cond": torch.randn(B, CD)}, film_fn)
    g.add(name, {"op": "film", "channels": C, "cond_dim": CD, "eps": eps, "split_order": "gamma_beta",
                 "layer_norm_affine": False}, tensors)

    # --- (b) Enformer-style attention pooling ---------------------------------
    for name, L, C, p in (("attention_pool_p2", 6, 4, 2), ("attention_pool_p3", 9, 5, 3)):
        g.seed(name)
        holder = torch.nn.Module()
        holder.to_attn_logits = torch.nn.Linear(C, C, bias=False)
        randomize_(holder)

        def pool_fn(x, holder=holder, p=p):
            b, length, c = x.shape
            logits = holder.to_attn_logits(x).reshape(b, length // p, p, c)
            attn = torch.softmax(logits, dim=2)  # over the p positions of each window, per channel
            return (x.reshape(b, length // p, p, c) * attn).sum(dim=2), {"weights": attn}

        tensors = module_case(holder, {"x": torch.randn(B, L, C)}, pool_fn)
        g.add(name, {"op": "attention_pool", "pool_size": p, "length": L, "channels": C}, tensors)

    # --- (c) gated attention MIL pooling (Ilse et al. 2018) -------------------
    for name, N, C, HD in (("gated_attention_pool", 5, 6, 4), ("gated_attention_pool_n3", 3, 8, 6)):
        g.seed(name)
        holder = torch.nn.Module()
        holder.attention_V = torch.nn.Linear(C, HD)
        holder.attention_U = torch.nn.Linear(C, HD)
        holder.attention_w = torch.nn.Linear(HD, 1)
        randomize_(holder)

        def gated_fn(h, m=holder):
            gate = torch.tanh(m.attention_V(h)) * torch.sigmoid(m.attention_U(h))  # (B, N, HD)
            a = torch.softmax(m.attention_w(gate).squeeze(-1), dim=1)               # (B, N)
            z = (a[:, :, None] * h).sum(dim=1)                                       # (B, C)
            return z, {"weights": a}

        tensors = module_case(holder, {"h": torch.randn(B, N, C)}, gated_fn)
        g.add(name, {"op": "gated_attention_pool", "instances": N, "channels": C, "hidden": HD}, tensors)
    g.write()


# --------------------------------------------------------------------------
# additive
# --------------------------------------------------------------------------

def d2l_masked_softmax(scores, valid_lens):
    """d2l.masked_softmax with 1-D valid_lens: keys j >= valid_lens[b] are REPLACED by -1e6."""
    if valid_lens is None:
        return torch.softmax(scores, dim=-1)
    tk = scores.shape[-1]
    keep = torch.arange(tk)[None, None, :] < valid_lens[:, None, None]
    return torch.softmax(scores.masked_fill(~keep, -1e6), dim=-1)


def gen_additive():
    g = Group("additive")
    B = 2
    # name, Tq, Tk, dq, dk, dv, h, valid_lens
    add_specs = [
        ("additive_no_mask", 3, 5, 4, 6, 3, 8, None),
        ("additive_valid_lens", 3, 5, 4, 6, 3, 8, [2, 4]),
        ("additive_valid_len_zero", 2, 4, 4, 5, 3, 6, [0, 3]),  # d2l: all -1e6 -> uniform weights
    ]
    for name, tq, tk, dq, dk, dv, hid, vl in add_specs:
        g.seed(name)
        m = torch.nn.Module()
        m.W_k = torch.nn.Linear(dk, hid, bias=False)
        m.W_q = torch.nn.Linear(dq, hid, bias=False)
        m.w_v = torch.nn.Linear(hid, 1, bias=False)
        randomize_(m)
        vl_t = torch.tensor(vl) if vl is not None else None

        def add_fn(q, k, v, m=m, vl_t=vl_t):
            feats = torch.tanh(m.W_q(q)[:, :, None, :] + m.W_k(k)[:, None, :, :])  # (B, Tq, Tk, h)
            scores = m.w_v(feats).squeeze(-1)                                      # (B, Tq, Tk)
            w = d2l_masked_softmax(scores, vl_t)
            return torch.bmm(w, v), {"weights": w}

        inputs = {"q": torch.randn(B, tq, dq), "k": torch.randn(B, tk, dk), "v": torch.randn(B, tk, dv)}
        tensors = module_case(m, inputs, add_fn)
        params = {"score": "additive", "num_hiddens": hid, "has_valid_lens": vl is not None, "mask_value": -1e6}
        if vl is not None:
            params.update(int_param("valid_lens", vl_t))
        g.add(name, params, tensors)

    # Luong "general" (bilinear): score = q @ W @ kᵀ, W stored as used (dq, dk).
    for name, tq, tk, dq, dk, dv, vl in (("luong_general", 3, 5, 4, 6, 3, None),
                                         ("luong_general_valid_lens", 4, 5, 4, 6, 3, [3, 5])):
        g.seed(name)
        m = torch.nn.Module()
        m.W = torch.nn.Module()
        m.W.weight = torch.nn.Parameter(torch.randn(dq, dk) / math.sqrt(dk))
        vl_t = torch.tensor(vl) if vl is not None else None

        def luong_fn(q, k, v, m=m, vl_t=vl_t):
            scores = q @ m.W.weight @ k.transpose(1, 2)  # (B, Tq, Tk), no scaling
            w = d2l_masked_softmax(scores, vl_t)
            return torch.bmm(w, v), {"weights": w}

        inputs = {"q": torch.randn(B, tq, dq), "k": torch.randn(B, tk, dk), "v": torch.randn(B, tk, dv)}
        tensors = module_case(m, inputs, luong_fn)
        params = {"score": "luong_general", "has_valid_lens": vl is not None, "mask_value": -1e6}
        if vl is not None:
            params.update(int_param("valid_lens", vl_t))
        g.add(name, params, tensors)
    g.write()


def main():
    print(f"torch {torch.__version__}, writing to {mg.OUT_DIR}")
    for gen in (gen_sdpa, gen_mha, gen_transformer, gen_positional, gen_film_pool, gen_additive):
        gen()


if __name__ == "__main__":
    main()
