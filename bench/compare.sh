#!/usr/bin/env bash
# Runs Promptor's model benchmarks and the PyTorch reference (../shared/bench/torch_models.py)
# one after the other on this machine and prints both tables and the samples/s and peak-RSS ratios.
# Usage: bash bench/compare.sh            (from the repository root; needs Debian python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${PROMPTOR_SHARED:-../shared}
out=$(mktemp -d)
dotnet build bench/Promptor.Bench -c Release -warnaserror >/dev/null
bench="dotnet bench/Promptor.Bench/bin/Release/net10.0/Promptor.Bench.dll"
{ $bench condpromoter; $bench gpt; $bench attention; } | tee "$out/promptor.md"
OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$shared/bench/torch_models.py" --json "$out/torch.json" | tee "$out/torch.md"
python3 - "$out/promptor.md" "$out/torch.json" <<'PY'
import json, sys
ours = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) >= 8 and cells[0] in ("cp_train", "cp_infer", "gpt_train", "gpt_infer", "mha_512", "mha_2048"):
        ours[cells[0]] = cells
torch = {r["bench"]: r for r in json.load(open(sys.argv[2]))["results"]}
print("\n| benchmark | Promptor ms/iter | PyTorch ms/iter | speed ratio (PyTorch time / Promptor time) | Promptor peak RSS MiB | PyTorch peak RSS MiB |")
print("|---|---|---|---|---|---|")
for name, cells in ours.items():
    if name not in torch:
        continue
    t = torch[name]
    ms = float(cells[3])
    rss = float(cells[-1])
    print(f"| {name} | {ms:.1f} | {t['median_s']*1e3:.1f} | {t['median_s']*1e3/ms:.2f}× | {rss:.0f} | {t['peak_rss_mib']:.0f} |")
PY
