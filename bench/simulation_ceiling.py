"""How well can any sequence model predict the simulation's noiseless response?

For each motif of `promptor simulate`'s pool (motifs.meme in its output folder), the posterior
expected number of planted sites in each sequence: the sum over windows and strands of
q·LR / (1 + q·LR), with LR the motif's probability of the window over the simulator's background
(independent bases, G+C 0.38) and q the prior of a site per window and strand (0.4 sites per
sequence). The response is additive in the planted sites, so a linear fit on these ten features
(noisy responses of the first 80 % of genes) approximates the best predictor; the script prints
its Pearson r against the noiseless response of the other 20 %.

Usage: promptor simulate --out DIR --genes 20000 --seed 1; /usr/bin/python3 bench/simulation_ceiling.py DIR
"""
import sys

import numpy as np

folder = sys.argv[1]
sequences = []
for line in open(f"{folder}/sequences.fa"):
    if line.startswith(">"):
        sequences.append("")
    else:
        sequences[-1] += line.strip().upper()
motifs, current = [], None
for line in open(f"{folder}/motifs.meme"):
    fields = line.split()
    if line.startswith("MOTIF"):
        current = [fields[1], []]
        motifs.append(current)
    elif current is not None and len(fields) == 4:
        try:
            current[1].append([float(x) for x in fields])
        except ValueError:
            pass

index = {"A": 0, "C": 1, "G": 2, "T": 3}
bases = np.array([[index.get(c, 0) for c in s] for s in sequences])      # (N, L)
n, length = bases.shape
background = np.log(np.array([0.31, 0.19, 0.19, 0.31]))
features = []
for name, rows in motifs:
    with np.errstate(divide="ignore"):                                    # match 1: impossible bases get −∞
        log_pwm = np.log(np.array(rows))
    width = len(rows)
    windows = length - width + 1
    prior = 0.4 / windows / 2                                              # per window and strand
    expected = np.zeros(n)
    for matrix in (log_pwm, log_pwm[::-1, ::-1]):                          # the motif and its reverse complement
        log_ratio = np.zeros((n, windows))
        for j in range(width):
            column = bases[:, j:windows + j]
            log_ratio += matrix[j][column] - background[column]
        odds = prior * np.exp(log_ratio)
        expected += (odds / (1 + odds)).sum(1)
    features.append(expected)
x = np.column_stack(features + [np.ones(n)])


def responses(path):
    with open(path) as table:
        treatments = len(table.readline().split("\t")) - 1
    return np.loadtxt(path, skiprows=1, usecols=range(1, treatments + 1), ndmin=2)


noiseless = responses(f"{folder}/expression_noiseless.tsv")
noisy = responses(f"{folder}/expression.tsv")
train = np.arange(n) < int(0.8 * n)
coefficients, *_ = np.linalg.lstsq(x[train], noisy[train], rcond=None)
predicted = x[~train] @ coefficients
r = [np.corrcoef(predicted[:, t], noiseless[~train, t])[0, 1] for t in range(noiseless.shape[1])]
print("Pearson r against the noiseless response, per treatment:", np.round(r, 3), "mean", round(float(np.mean(r)), 4))
