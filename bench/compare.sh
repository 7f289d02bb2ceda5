#!/usr/bin/env bash
# Runs Promptor's model benchmarks and the PyTorch reference (../shared/bench/torch_models.py)
# one after the other on this machine and prints both tables and the samples/s and peak-RSS ratios.
# Usage: bash bench/compare.sh [SUITE...]   (from the repository root; needs Debian python3-torch)
#   SUITE is condpromoter, gpt or attention (default: all three). With suites named, PyTorch runs
#   only their cases (torch_models.py --only NAME, each in its own process as in the full run).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${PROMPTOR_SHARED:-../shared}
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(condpromoter gpt attention)
fi
out=$(mktemp -d)
dotnet build bench/Promptor.Bench -c Release -warnaserror >/dev/null
bench="dotnet bench/Promptor.Bench/bin/Release/net10.0/Promptor.Bench.dll"
for suite in "${suites[@]}"; do $bench "$suite"; done | tee "$out/promptor.md"
export OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1
if [ $# -eq 0 ]; then
  /usr/bin/python3 "$shared/bench/torch_models.py" --json "$out/torch.json" | tee "$out/torch.md"
else
  cases=()
  for suite in "${suites[@]}"; do
    case "$suite" in
      condpromoter) cases+=(cp_train cp_infer) ;;
      gpt) cases+=(gpt_train gpt_infer) ;;
      attention) cases+=(mha_512 mha_2048) ;;
      *) echo "compare.sh: unknown suite '$suite' (condpromoter, gpt, attention)" >&2; exit 2 ;;
    esac
  done
  for name in "${cases[@]}"; do
    /usr/bin/python3 "$shared/bench/torch_models.py" --only "$name" | tail -n 1 >> "$out/torch.jsonl"
  done
  python3 - "$out/torch.jsonl" "$out/torch.json" <<'PY'
import json, sys
results = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
json.dump({"results": results}, open(sys.argv[2], "w"))
print("| PyTorch | batch | median ms/iter | min-max ms | peak RSS MiB |\n|---|---|---|---|---|")
for r in results:
    print(f"| {r['bench']} | {r['batch']} | {r['median_s']*1e3:.1f} | {r['min_s']*1e3:.1f}-{r['max_s']*1e3:.1f} | {r['peak_rss_mib']:.0f} |")
PY
fi
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
