#!/usr/bin/env python3
"""Generate golden-vector fixtures from PyTorch for the Promptor test suite.

Run with the Debian interpreter (the only one that has PyTorch 1.13):

    /usr/bin/python3 tools/reference/make_golden.py

It (re)writes one JSON file per group into
``tests/Promptor.Tests/Fixtures/golden/<group>.json``. CI has no Python, so the
generated files are committed together with this script; re-run it only when a
fixture has to change, and commit both.

Every file has exactly this layout::

    { "group": "<group>", "generator": "tools/reference/make_golden.py",
      "torch": "<torch.__version__>",
      "cases": [ { "name": "<case>", "params": {...}, "tensors": {
                   "<name>": {"shape": [..], "data": [row-major floats]}, ... } } ] }

Conventions (the C# tests rely on them):

* All tensors are float32. Values are written with 9 significant digits,
  which round-trips a float32 exactly.
* Integer index tensors (class targets, embedding ids, argmax indices) are not
  tensors here: they go to "params" as a flat int list ``<name>`` plus its shape
  ``<name>_shape``.
* Gradients come from ``backward()``. For non-scalar outputs a random upstream
  gradient ``grad_out`` is used, i.e. the implicit loss is sum(out * grad_out).
  For scalar losses the loss itself is differentiated (no ``grad_out``).
  The gradient of input ``foo`` is named ``grad_foo``.
* Generation is deterministic: single thread, and the RNG is re-seeded before
  each case from a CRC32 of "<group>/<case>", so adding or reordering cases
  does not change the other cases' data.
"""

import json
import math
import os
import warnings
import zlib

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)
torch.use_deterministic_algorithms(True)
# padding='same' with an even kernel is intended (see gen_conv1d); silence torch's note on it.
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT_DIR = os.path.join(ROOT, "tests", "Promptor.Tests", "Fixtures", "golden")
GENERATOR = "tools/reference/make_golden.py"


# --------------------------------------------------------------------------
# Serialisation helpers
# --------------------------------------------------------------------------

def f9(v):
    """A float rounded to 9 significant digits (exact for float32 values)."""
    v = float(v)
    assert math.isfinite(v), "non-finite value in fixture"
    return float("%.9g" % v)


def tensor_json(t):
    """{"shape", "data"} for a float32 tensor, flattened row-major."""
    t = t.detach()
    assert t.dtype == torch.float32, f"fixture tensor must be float32, got {t.dtype}"
    flat = t.contiguous().reshape(-1).tolist()
    return {"shape": list(t.shape), "data": [f9(v) for v in flat]}


def int_param(name, t):
    """An integer tensor as params: flat int list + "<name>_shape"."""
    assert not t.is_floating_point()
    return {name: [int(v) for v in t.reshape(-1).tolist()], name + "_shape": list(t.shape)}


class Group:
    """Collects the cases of one fixture file and writes it."""

    def __init__(self, name):
        self.name = name
        self.cases = []

    def seed(self, case_name):
        """Re-seed torch's RNG from the case name (call before drawing data)."""
        torch.manual_seed(zlib.crc32(f"{self.name}/{case_name}".encode("utf-8")))

    def add(self, case_name, params, tensors):
        assert all(c["name"] != case_name for c in self.cases), f"duplicate case {case_name}"
        for k, v in params.items():
            ok = isinstance(v, (bool, int, float, str)) or (
                isinstance(v, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in v))
            assert ok, f"param {k} of {self.name}/{case_name} is not a scalar or int list"
            if isinstance(v, float):
                assert math.isfinite(v)
        self.cases.append({
            "name": case_name,
            "params": params,
            "tensors": {k: tensor_json(v) for k, v in tensors.items()},
        })

    def write(self):
        os.makedirs(OUT_DIR, exist_ok=True)
        path = os.path.join(OUT_DIR, self.name + ".json")
        head = {"group": self.name, "generator": GENERATOR, "torch": torch.__version__}
        # One case per line keeps diffs readable while staying compact.
        lines = [json.dumps(head)[:-1] + ',\n  "cases": [']
        for i, c in enumerate(self.cases):
            sep = "," if i + 1 < len(self.cases) else ""
            lines.append("    " + json.dumps(c, separators=(",", ":"), allow_nan=False) + sep)
        lines.append("  ]\n}\n")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(lines))
        print(f"{path}: {len(self.cases)} cases, {os.path.getsize(path)} bytes")


def forward_backward(fn, inputs, diff=None):
    """Run fn(**inputs), backprop a random grad_out, return all tensors.

    inputs: dict name -> float32 tensor (not requiring grad).
    diff:   names to differentiate (default: all inputs).
    Returns inputs + out + grad_out + grad_<name> for each name in diff.
    """
    diff = list(inputs) if diff is None else diff
    leaves = {k: v.detach().clone().requires_grad_(k in diff) for k, v in inputs.items()}
    out = fn(**leaves)
    grad_out = torch.randn_like(out)
    out.backward(grad_out)
    res = {k: v.detach() for k, v in inputs.items()}
    res["out"] = out.detach()
    res["grad_out"] = grad_out
    for k in diff:
        res["grad_" + k] = leaves[k].grad.detach()
    return res


def loss_backward(fn, inputs, diff):
    """Scalar loss: fn(**inputs).backward(); returns inputs + loss + grads."""
    leaves = {k: v.detach().clone().requires_grad_(k in diff) for k, v in inputs.items()}
    loss = fn(**leaves)
    assert loss.dim() == 0
    loss.backward()
    res = {k: v.detach() for k, v in inputs.items()}
    res["loss"] = loss.detach()
    for k in diff:
        res["grad_" + k] = leaves[k].grad.detach()
    return res


# --------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------

def gen_matmul():
    """out = op(a) @ op(b); op transposes the last two dims when trans_* is set.

    a and b are stored as given (i.e. already transposed when trans_* is true),
    so a trans_a case has a stored as (K, M).
    """
    g = Group("matmul")
    m, k, n = 3, 4, 5
    for ta in (False, True):
        for tb in (False, True):
            name = f"2d_{'t' if ta else 'n'}{'t' if tb else 'n'}"
            g.seed(name)
            a = torch.randn(k, m) if ta else torch.randn(m, k)
            b = torch.randn(n, k) if tb else torch.randn(k, n)
            fn = lambda a, b, ta=ta, tb=tb: (a.t() if ta else a) @ (b.t() if tb else b)
            g.add(name, {"trans_a": ta, "trans_b": tb}, forward_backward(fn, {"a": a, "b": b}))
    batched = [
        ("batched_3d", (2, 3, 4), (2, 4, 5)),
        ("broadcast_3d_2d", (2, 3, 4), (4, 5)),  # b shared by all batches: grad_b sums over batch
        ("batched_4d", (2, 3, 3, 4), (2, 3, 4, 5)),
    ]
    for name, sa, sb in batched:
        g.seed(name)
        a, b = torch.randn(*sa), torch.randn(*sb)
        g.add(name, {"trans_a": False, "trans_b": False},
              forward_backward(lambda a, b: torch.matmul(a, b), {"a": a, "b": b}))
    g.write()


def gen_conv1d():
    """F.conv1d on x (N, Cin, L), weight (Cout, Cin, K), bias (Cout).

    padding is "valid", "same" (stride 1 only; total pad dilation*(K-1), split
    left = total // 2, right = total - left, so even kernels pad one extra on
    the RIGHT) or an int (symmetric zero padding).
    """
    g = Group("conv1d")
    # name, N, Cin, Cout, L, K, stride, padding, dilation, has_bias
    specs = [
        ("valid_stride1", 2, 3, 4, 10, 3, 1, "valid", 1, True),
        ("same_k5", 2, 3, 4, 9, 5, 1, "same", 1, True),
        ("same_k4_even", 2, 3, 2, 9, 4, 1, "same", 1, True),
        ("valid_stride2", 2, 3, 4, 11, 3, 2, "valid", 1, True),
        ("same_dilation2", 2, 2, 3, 10, 3, 1, "same", 2, True),
        ("pad1_stride2", 2, 3, 4, 10, 3, 2, 1, 1, True),
        ("no_bias", 2, 3, 4, 8, 3, 1, "valid", 1, False),
    ]
    for name, n, cin, cout, length, ks, stride, padding, dilation, has_bias in specs:
        g.seed(name)
        inputs = {"x": torch.randn(n, cin, length), "weight": torch.randn(cout, cin, ks) * 0.5}
        if has_bias:
            inputs["bias"] = torch.randn(cout)

        def fn(x, weight, bias=None, stride=stride, padding=padding, dilation=dilation):
            return F.conv1d(x, weight, bias, stride=stride, padding=padding, dilation=dilation)

        params = {"stride": stride, "padding": padding, "dilation": dilation, "has_bias": has_bias}
        g.add(name, params, forward_backward(fn, inputs))
    g.write()


def gen_pool1d():
    """max_pool1d / avg_pool1d, no padding, floor mode (trailing elements dropped)."""
    g = Group("pool1d")
    specs = [  # name, op, N, C, L, kernel, stride
        ("max_k2_s2", "max", 2, 3, 8, 2, 2),
        ("max_k3_s2_ragged", "max", 2, 3, 10, 3, 2),  # L=10 -> 4 windows, last element unused
        ("max_k3_s1_overlap", "max", 1, 2, 7, 3, 1),
        ("avg_k2_s2", "avg", 2, 3, 8, 2, 2),
        ("avg_k3_s2_ragged", "avg", 2, 3, 10, 3, 2),
        ("avg_k4_s3_ragged", "avg", 1, 2, 11, 4, 3),  # 3 windows, last 2 elements unused
    ]
    for name, op, n, c, length, ks, stride in specs:
        g.seed(name)
        x = torch.randn(n, c, length)  # continuous data: no ties in max windows
        if op == "max":
            fn = lambda x, ks=ks, stride=stride: F.max_pool1d(x, ks, stride)
        else:
            fn = lambda x, ks=ks, stride=stride: F.avg_pool1d(x, ks, stride)
        g.add(name, {"op": op, "kernel_size": ks, "stride": stride}, forward_backward(fn, {"x": x}))
    g.write()


def gen_layer_norm():
    """F.layer_norm over the last dim C of x (B, T, C); biased variance."""
    g = Group("layer_norm")
    specs = [("btc_2x3x8", (2, 3, 8), 1e-5, 0.0), ("btc_3x2x6_offset", (3, 2, 6), 1e-6, 10.0)]
    for name, shape, eps, offset in specs:
        g.seed(name)
        c = shape[-1]
        inputs = {"x": torch.randn(*shape) * 2.0 + offset,
                  "weight": 1.0 + 0.3 * torch.randn(c), "bias": 0.3 * torch.randn(c)}
        fn = lambda x, weight, bias, eps=eps, c=c: F.layer_norm(x, (c,), weight, bias, eps)
        g.add(name, {"eps": eps}, forward_backward(fn, inputs))
    g.write()


def gen_group_norm():
    """F.group_norm on x (N, C, L): stats over (C/groups, L) per sample and group."""
    g = Group("group_norm")
    specs = [("g2_c6", 2, 6, 5, 2), ("g3_c6", 2, 6, 4, 3), ("g1_layer", 2, 4, 5, 1),
             ("g4_instance", 2, 4, 6, 4)]
    for name, n, c, length, groups in specs:
        g.seed(name)
        eps = 1e-5
        inputs = {"x": torch.randn(n, c, length) * 1.5 + 0.5,
                  "weight": 1.0 + 0.3 * torch.randn(c), "bias": 0.3 * torch.randn(c)}
        fn = lambda x, weight, bias, groups=groups, eps=eps: F.group_norm(x, groups, weight, bias, eps)
        g.add(name, {"groups": groups, "eps": eps}, forward_backward(fn, inputs))
    g.write()


def gen_batch_norm():
    """F.batch_norm on (N, C) and (N, C, L), training and eval.

    Training: normalise with the BIASED batch variance, but update
    running_var = (1 - momentum) * running_var + momentum * UNBIASED batch var
    (running_mean likewise with the batch mean). Eval: use running stats,
    which stay unchanged.
    """
    g = Group("batch_norm")
    momentum, eps = 0.1, 1e-5
    specs = [("nc_train", (6, 4), True), ("nc_eval", (6, 4), False),
             ("ncl_train", (3, 4, 5), True), ("ncl_eval", (3, 4, 5), False)]
    for name, shape, training in specs:
        g.seed(name)
        c = shape[1]
        x = torch.randn(*shape) * 1.5 + 0.7
        weight = 1.0 + 0.3 * torch.randn(c)
        bias = 0.3 * torch.randn(c)
        running_mean = 0.5 * torch.randn(c)
        running_var = 0.5 + torch.rand(c)
        rm, rv = running_mean.clone(), running_var.clone()  # updated in place by F.batch_norm

        def fn(x, weight, bias, rm=rm, rv=rv, training=training):
            return F.batch_norm(x, rm, rv, weight, bias, training=training, momentum=momentum, eps=eps)

        res = forward_backward(fn, {"x": x, "weight": weight, "bias": bias})
        tensors = {"x": res["x"], "weight": weight, "bias": bias,
                   "running_mean": running_mean, "running_var": running_var,
                   "running_mean_after": rm, "running_var_after": rv}
        for k in ("out", "grad_out", "grad_x", "grad_weight", "grad_bias"):
            tensors[k] = res[k]
        g.add(name, {"training": training, "momentum": momentum, "eps": eps}, tensors)
    g.write()


def gen_softmax():
    """softmax / log_softmax over dim -1 and dim 1 of a 3D tensor.

    One slice is shifted by +100 so that a non-max-subtracted implementation
    overflows (exp(100) > FLT_MAX).
    """
    g = Group("softmax")
    for op in ("softmax", "log_softmax"):
        for dim in (-1, 1):
            name = f"{op}_dim{'_last' if dim == -1 else dim}"
            g.seed(name)
            x = torch.randn(2, 4, 5) * 2.0
            x[1] += 100.0
            f = F.softmax if op == "softmax" else F.log_softmax
            g.add(name, {"op": op, "dim": dim},
                  forward_backward(lambda x, f=f, dim=dim: f(x, dim=dim), {"x": x}))
    g.write()


def gen_gelu():
    """Elementwise activations: gelu (erf and tanh forms), tanh, sigmoid, softplus, relu.

    x = 24 points evenly spread over [-6, 6] (0 is not hit, so relu's
    derivative is unambiguous) followed by 24 N(0, 2^2) samples.
    """
    g = Group("gelu")
    cases = [
        ("gelu_none", {"op": "gelu", "approximate": "none"}, lambda x: F.gelu(x, approximate="none")),
        ("gelu_tanh", {"op": "gelu", "approximate": "tanh"}, lambda x: F.gelu(x, approximate="tanh")),
        ("tanh", {"op": "tanh"}, torch.tanh),
        ("sigmoid", {"op": "sigmoid"}, torch.sigmoid),
        ("softplus", {"op": "softplus", "beta": 1.0, "threshold": 20.0}, F.softplus),
        ("relu", {"op": "relu"}, F.relu),
    ]
    for name, params, f in cases:
        g.seed(name)
        x = torch.cat([torch.linspace(-6.0, 6.0, 24), torch.randn(24) * 2.0]).reshape(4, 12)
        assert bool((x != 0).all())
        g.add(name, params, forward_backward(lambda x, f=f: f(x), {"x": x}))
    g.write()


def gen_losses():
    """Scalar losses with mean reduction; gradients of the loss itself."""
    g = Group("losses")

    # --- cross entropy on (N, C) logits -----------------------------------
    # With ignore_index, ignored rows contribute nothing and the mean divides
    # by the number of NON-ignored targets. Label smoothing eps mixes
    # (1-eps) * nll + eps * mean_c(-log p_c), also only over non-ignored rows.
    ce_specs = [("ce_basic", 0.0, False), ("ce_label_smoothing", 0.1, False),
                ("ce_ignore_index", 0.0, True), ("ce_ignore_index_smoothing", 0.1, True)]
    for name, ls, ignore in ce_specs:
        g.seed(name)
        n, c = 6, 5
        logits = torch.randn(n, c) * 2.0
        targets = torch.randint(0, c, (n,))
        if ignore:
            targets[1] = -100
            targets[4] = -100
        fn = lambda logits, targets=targets, ls=ls: F.cross_entropy(
            logits, targets, ignore_index=-100, label_smoothing=ls)
        res = loss_backward(fn, {"logits": logits}, ["logits"])
        params = {"op": "cross_entropy", "ignore_index": -100, "label_smoothing": ls}
        params.update(int_param("targets", targets))
        g.add(name, params, res)

    # --- cross entropy, K-dimensional form: logits (N, C, T), targets (N, T) --
    name = "ce_nct"
    g.seed(name)
    logits = torch.randn(2, 4, 3) * 2.0
    targets = torch.randint(0, 4, (2, 3))
    fn = lambda logits, targets=targets: F.cross_entropy(logits, targets)
    params = {"op": "cross_entropy", "ignore_index": -100, "label_smoothing": 0.0}
    params.update(int_param("targets", targets))
    g.add(name, params, loss_backward(fn, {"logits": logits}, ["logits"]))

    # --- BCE with logits ---------------------------------------------------
    # loss = -mean(pw * y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))
    # (pw = 1 without pos_weight). Includes |x| up to ~20 to exercise the
    # stable log-sigmoid formulation.
    for name, with_pw in (("bce_with_logits", False), ("bce_with_logits_pos_weight", True)):
        g.seed(name)
        logits = torch.randn(4, 3) * 3.0
        logits[0, 0], logits[3, 2] = 20.0, -18.0
        targets = torch.rand(4, 3)
        targets[1] = torch.tensor([0.0, 1.0, 1.0])
        inputs = {"logits": logits, "targets": targets}
        if with_pw:
            inputs["pos_weight"] = torch.tensor([0.5, 2.0, 3.0])
            fn = lambda logits, targets, pos_weight: F.binary_cross_entropy_with_logits(
                logits, targets, pos_weight=pos_weight)
        else:
            fn = lambda logits, targets: F.binary_cross_entropy_with_logits(logits, targets)
        g.add(name, {"op": "bce_with_logits", "has_pos_weight": with_pw},
              loss_backward(fn, inputs, ["logits"]))

    # --- MSE, plain and masked -----------------------------------------------
    name = "mse"
    g.seed(name)
    inputs = {"pred": torch.randn(4, 5), "target": torch.randn(4, 5)}
    g.add(name, {"op": "mse", "masked": False},
          loss_backward(lambda pred, target: F.mse_loss(pred, target), inputs, ["pred"]))

    name = "mse_masked"
    g.seed(name)
    mask = (torch.rand(4, 5) < 0.6).float()
    mask[0, 0] = 1.0
    inputs = {"pred": torch.randn(4, 5), "target": torch.randn(4, 5), "mask": mask}
    fn = lambda pred, target, mask: (mask * (pred - target) ** 2).sum() / mask.sum()
    g.add(name, {"op": "mse", "masked": True}, loss_backward(fn, inputs, ["pred"]))

    # --- Poisson NLL (log_input=True, full=False): mean(exp(x) - y * x) ------
    name = "poisson_nll"
    g.seed(name)
    inputs = {"input": torch.randn(3, 4), "target": torch.poisson(torch.rand(3, 4) * 4.0)}
    fn = lambda input, target: F.poisson_nll_loss(input, target, log_input=True, full=False)
    g.add(name, {"op": "poisson_nll", "log_input": True, "full": False},
          loss_backward(fn, inputs, ["input"]))
    g.write()


def gen_mlp():
    """Linear(8,16) -> GELU(erf) -> Linear(16,4), MSE (mean) against target.

    Weights use PyTorch's default nn.Linear init under the case seed and are
    stored in PyTorch layout (out_features, in_features). grad_x is included too.
    """
    g = Group("mlp")
    name = "linear_gelu_linear_mse"
    g.seed(name)
    fc1, fc2 = torch.nn.Linear(8, 16), torch.nn.Linear(16, 4)
    x = torch.randn(5, 8).requires_grad_(True)
    target = torch.randn(5, 4)
    out = fc2(F.gelu(fc1(x)))
    loss = F.mse_loss(out, target)
    loss.backward()
    tensors = {"x": x.detach(), "target": target,
               "fc1.weight": fc1.weight.detach(), "fc1.bias": fc1.bias.detach(),
               "fc2.weight": fc2.weight.detach(), "fc2.bias": fc2.bias.detach(),
               "out": out.detach(), "loss": loss.detach(), "grad_x": x.grad.detach()}
    for mod, mname in ((fc1, "fc1"), (fc2, "fc2")):
        tensors[f"grad_{mname}.weight"] = mod.weight.grad.detach()
        tensors[f"grad_{mname}.bias"] = mod.bias.grad.detach()
    g.add(name, {"activation": "gelu", "approximate": "none"}, tensors)
    g.write()


def gen_optim():
    """Three optimizer steps on p0 (3x4) with given gradients g1, g2, g3.

    torch semantics worth matching:
    * SGD: buf = g on the first step, then buf = momentum*buf + g (dampening 0);
      weight decay is added to g first (g += wd*p); nesterov uses g + momentum*buf.
    * Adam: weight_decay is L2 added to the gradient (g += wd*p) before the
      moments; update p -= lr * m_hat / (sqrt(v_hat) + eps), computed as
      p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps).
    * AdamW: decoupled decay p *= (1 - lr*wd) before the Adam update.
    """
    g = Group("optim")
    specs = [
        ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9, nesterov=False, weight_decay=0.0)),
        ("sgd_nesterov_wd", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
        ("adam", "adam", dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
        ("adam_l2", "adam", dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
        ("adamw", "adamw", dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
    ]
    for name, opt_name, kw in specs:
        g.seed(name)
        p0 = torch.randn(3, 4)
        grads = [torch.randn(3, 4) for _ in range(3)]
        p = torch.nn.Parameter(p0.clone())
        if opt_name == "sgd":
            opt = torch.optim.SGD([p], foreach=False, **kw)
        elif opt_name == "adam":
            opt = torch.optim.Adam([p], foreach=False, **kw)
        else:
            opt = torch.optim.AdamW([p], foreach=False, **kw)
        tensors = {"p0": p0}
        for i, gr in enumerate(grads, start=1):
            tensors[f"g{i}"] = gr
        for i, gr in enumerate(grads, start=1):
            p.grad = gr.clone()
            opt.step()
            tensors[f"p{i}"] = p.detach().clone()
        betas = kw.get("betas", (0.0, 0.0))
        params = {"optimizer": opt_name, "lr": kw["lr"], "momentum": kw.get("momentum", 0.0),
                  "nesterov": kw.get("nesterov", False), "beta1": betas[0], "beta2": betas[1],
                  "eps": kw.get("eps", 0.0), "weight_decay": kw["weight_decay"]}
        g.add(name, params, tensors)
    g.write()


def gen_misc():
    g = Group("misc")

    # --- logsumexp (one case offset by +100 so the naive form overflows) ----
    for name, shape, dim, keepdim, offset in (("logsumexp_dim1", (3, 4, 5), 1, False, 0.0),
                                              ("logsumexp_last_keepdim", (3, 4, 5), -1, True, 100.0)):
        g.seed(name)
        x = torch.randn(*shape) * 2.0 + offset
        fn = lambda x, dim=dim, keepdim=keepdim: torch.logsumexp(x, dim=dim, keepdim=keepdim)
        g.add(name, {"op": "logsumexp", "dim": dim, "keepdim": keepdim}, forward_backward(fn, {"x": x}))

    # --- embedding: grad_weight accumulates repeated ids; unused rows get 0 --
    name = "embedding"
    g.seed(name)
    weight = torch.randn(7, 4)
    ids = torch.tensor([[1, 3, 3], [6, 0, 3]])  # id 3 appears three times, 2/4/5 unused
    res = forward_backward(lambda weight: F.embedding(ids, weight), {"weight": weight})
    params = {"op": "embedding"}
    params.update(int_param("ids", ids))
    g.add(name, params, res)

    # --- broadcasting binary ops: a (4,1,3) op b (5,1) -> (4,5,3) -----------
    ops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    for op, f in ops.items():
        name = f"broadcast_{op}"
        g.seed(name)
        a = torch.randn(4, 1, 3)
        b = torch.randn(5, 1)
        if op == "div":  # keep the divisor away from zero
            b = torch.sign(b) * (0.5 + b.abs())
        g.add(name, {"op": op}, forward_backward(lambda a, b, f=f: f(a, b), {"a": a, "b": b}))

    # --- max along a dim, with indices (continuous data: no ties) -----------
    for name, shape, dim in (("max_dim1", (3, 5), 1), ("max_dim0_3d", (4, 2, 3), 0)):
        g.seed(name)
        x = torch.randn(*shape)
        xl = x.clone().requires_grad_(True)
        values, indices = torch.max(xl, dim=dim)
        grad_out = torch.randn_like(values)
        values.backward(grad_out)
        params = {"op": "max", "dim": dim, "keepdim": False}
        params.update(int_param("indices", indices))
        g.add(name, params, {"x": x, "out": values.detach(), "grad_out": grad_out,
                             "grad_x": xl.grad.detach()})

    # --- clip_grad_norm_ (L2 over all grads jointly) -------------------------
    # clip_coef = max_norm / (total_norm + 1e-6), applied only if < 1.
    for name, max_norm in (("clip_grad_norm_clipped", 1.0), ("clip_grad_norm_unclipped", 100.0)):
        g.seed(name)
        pa = torch.nn.Parameter(torch.zeros(3, 4))
        pb = torch.nn.Parameter(torch.zeros(5))
        g_a, g_b = torch.randn(3, 4), torch.randn(5)
        pa.grad, pb.grad = g_a.clone(), g_b.clone()
        total = torch.nn.utils.clip_grad_norm_([pa, pb], max_norm=max_norm, norm_type=2.0)
        g.add(name, {"op": "clip_grad_norm", "max_norm": max_norm, "norm_type": 2.0,
                     "total_norm": f9(total.item())},
              {"g_a": g_a, "g_b": g_b, "g_a_after": pa.grad, "g_b_after": pb.grad})
    g.write()


def main():
    print(f"torch {torch.__version__}, writing to {OUT_DIR}")
    for gen in (gen_matmul, gen_conv1d, gen_pool1d, gen_layer_norm, gen_group_norm, gen_batch_norm,
                gen_softmax, gen_gelu, gen_losses, gen_mlp, gen_optim, gen_misc):
        gen()


if __name__ == "__main__":
    main()
