#!/usr/bin/env bash
# Promptor against the PyTorch reference (../shared/bench/torch_models.py), one benchmark at a time
# and in alternation: Promptor, PyTorch, Promptor, PyTorch, ... ROUNDS times per benchmark, each run
# in its own process. On a shared host whose speed drifts over minutes, the two sides of every
# round see about the same host, so the per-round ratios and their median are steadier than one
# long run of each side (bench/compare.sh).
# Usage: bash bench/interleave.sh [ROUNDS] [BENCHMARK...]   (from the repository root)
#   ROUNDS defaults to 3; BENCHMARK is cp_train, cp_infer, gpt_train, gpt_infer, mha_512 or mha_2048
#   (default: the four model benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${PROMPTOR_SHARED:-../shared}
rounds=${1:-3}
shift || true
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  cases=(cp_train cp_infer gpt_train gpt_infer)
fi
out=$(mktemp -d)
dotnet build bench/Promptor.Bench -c Release -warnaserror >/dev/null
bench="dotnet bench/Promptor.Bench/bin/Release/net10.0/Promptor.Bench.dll"
export OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1
for name in "${cases[@]}"; do
  case "$name" in
    cp_train|cp_infer) suite=condpromoter ;;
    gpt_train|gpt_infer) suite=gpt ;;
    mha_512|mha_2048) suite=attention ;;
    *) echo "interleave.sh: unknown benchmark '$name'" >&2; exit 2 ;;
  esac
  for round in $(seq "$rounds"); do
    $bench "$suite" --only "$name" | grep "^| $name " | sed "s/^/$round /" >> "$out/promptor.txt"
    /usr/bin/python3 "$shared/bench/torch_models.py" --only "$name" | tail -n 1 | sed "s/^/$round /" >> "$out/torch.txt"
    echo "$(date -u +%H:%M:%S) $name round $round done" >&2
  done
done
python3 - "$out/promptor.txt" "$out/torch.txt" <<'PY'
import json, statistics, sys
ours, torch = {}, {}
for line in open(sys.argv[1]):
    round_, rest = line.split(" ", 1)
    cells = [c.strip() for c in rest.strip().strip("|").split("|")]
    ours.setdefault(cells[0], []).append((float(cells[3]), float(cells[-1])))
for line in open(sys.argv[2]):
    round_, rest = line.split(" ", 1)
    r = json.loads(rest)
    torch.setdefault(r["bench"], []).append((r["median_s"] * 1e3, r["peak_rss_mib"]))
print("| benchmark | rounds | Promptor ms/iter, per round | PyTorch ms/iter, per round | ratio per round (PyTorch / Promptor) | median ratio | peak RSS MiB, Promptor / PyTorch |")
print("|---|---|---|---|---|---|---|")
for name, mine in ours.items():
    theirs = torch.get(name, [])
    n = min(len(mine), len(theirs))
    ratios = [theirs[i][0] / mine[i][0] for i in range(n)]
    print(f"| {name} | {n} | {', '.join(f'{m[0]:.1f}' for m in mine[:n])} | {', '.join(f'{t[0]:.1f}' for t in theirs[:n])} | "
          f"{', '.join(f'{x:.2f}×' for x in ratios)} | **{statistics.median(ratios):.2f}×** | "
          f"{max(m[1] for m in mine[:n]):.0f} / {max(t[1] for t in theirs[:n]):.0f} |")
PY
