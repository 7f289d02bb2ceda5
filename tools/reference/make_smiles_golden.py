"""Write the SMILES fixtures of the tokenizer and validator tests, labelled by RDKit.

Outputs (tests/Promptor.Tests/Fixtures/smiles/):
  tox21_sample.smi   500 Tox21 SMILES (seeded sample), one per line: tokenizer round trips.
  golden_validity.tsv  smiles <TAB> valid (1/0 = RDKit Chem.MolFromSmiles returns a molecule)
                       <TAB> source <TAB> RDKit's last error line (empty when valid).
     source = tox21      the first 300 SMILES of tox21_sample.smi (all valid);
              curated    classic hand-written cases (benzene, pyrrole, nitro, bad valences, …);
              corrupted  random single-character deletions/insertions/substitutions of other Tox21
                         SMILES, plus targeted breakage: an unclosed ring, an extra bond on a
                         saturated atom, an aromatic [nH] written n, a lost aromatic atom;
              markov     strings sampled from a token 4-gram model of the other Tox21 SMILES
                         (atom-level regex tokens): the kind of output an undertrained generator
                         produces, mostly invalid in realistic ways.
  respellings.tsv    for sample SMILES 300..449: RDKit's canonical SMILES and three random
                     RDKit spellings of the same molecule (MolToRandomSmilesVect, fixed seed),
                     tab-separated; all four must give one canonical string.

RDKit is used only here, offline; the C# tests read the committed files.
Run with the Debian interpreter (python3-rdkit):
    /usr/bin/python3 tools/reference/make_smiles_golden.py [path/to/tox21.csv]
The default input is ../shared/data/tox21-smiles/tox21.csv next to the repository. The output is
deterministic (fixed seed, sorted where order does not matter); commit it with this script.
"""
import contextlib
import csv
import io
import os
import random
import re
import sys

import rdkit
from rdkit import Chem, rdBase

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_CSV = os.path.join(REPO, "..", "shared", "data", "tox21-smiles", "tox21.csv")
OUT = os.path.join(REPO, "tests", "Promptor.Tests", "Fixtures", "smiles")
SEED = 20240611
N_SAMPLE = 500
N_TOX21_GOLDEN = 300
N_RANDOM_CORRUPT = 120
N_RESPELLED = 150
N_MARKOV = 300
MARKOV_ORDER = 4
TOKEN_REGEX = re.compile(
    r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|\%[0-9]{2}|[0-9])")

# (smiles, expected RDKit verdict): the classics the C# tests also list by name.
CURATED = [
    ("c1ccccc1", True),                 # benzene
    ("C1=CC=CC=C1", True),              # benzene, Kekule
    ("c1cc[nH]c1", True),               # pyrrole
    ("[nH]1cccc1", True),               # pyrrole, H first
    ("c1ccncc1", True),                 # pyridine
    ("c1ccoc1", True),                  # furan
    ("c1ccsc1", True),                  # thiophene
    ("c1ccc2ccccc2c1", True),           # naphthalene
    ("c1ccc2[nH]ccc2c1", True),         # indole
    ("Cn1cnc2c1c(=O)n(C)c(=O)n2C", True),  # caffeine
    ("O=c1cccc[nH]1", True),            # 2-pyridone
    ("c1cc[cH-]c1", True),              # cyclopentadienide
    ("C[n+]1ccccc1", True),             # N-methylpyridinium
    ("[O-][n+]1ccccc1", True),          # pyridine N-oxide
    ("CN(=O)=O", True),                 # nitromethane, neutral 5-valent N
    ("C[N+](=O)[O-]", True),            # nitromethane, charge-separated
    ("O=[N+]([O-])c1ccccc1", True),     # nitrobenzene
    ("CS(=O)(=O)C", True),              # dimethyl sulfone
    ("CS(C)=O", True),                  # DMSO
    ("P(=O)(O)O", True),                # phosphorous acid
    ("OP(=O)(O)O", True),               # phosphoric acid
    ("[NH4+]", True),                   # ammonium
    ("[Na+].[Cl-]", True),              # salt
    ("F[B-](F)(F)F", True),             # tetrafluoroborate
    ("OCl(=O)(=O)=O", True),            # perchloric acid
    ("C[C@@H](N)C(=O)O", True),         # L-alanine
    ("F/C=C/F", True),                  # trans-difluoroethene
    ("[2H]C([2H])([2H])[2H]", True),    # deuterated methane
    ("C%12CCCCC%12", True),             # two-digit ring closure
    ("[CH3:1]C", True),                 # atom class
    ("C1CC", False),                    # ring 1 never closed
    ("c1cccc1", False),                 # five aromatic carbons: no Kekule structure
    ("n1cccc1", False),                 # pyrrole without its H
    ("c1ccccc1c", False),               # aromatic atom outside a ring
    ("C(C)(C)(C)(C)C", False),          # pentavalent carbon
    ("CC(C)(C)C", True),                # neopentane (valence 4)
    ("[CH5]", False),                   # pentavalent carbon in brackets
    ("N(C)(C)(C)C", False),             # tetravalent neutral N
    ("[N+](C)(C)(C)C", True),           # tetramethylammonium
    ("ClCl(Cl)", False),                # divalent chlorine
    ("FC(F)(F)F(F)", False),            # divalent fluorine
    ("B(F)(F)(F)F", False),             # neutral tetravalent boron
    ("[Xx]", False),                    # unknown element
    ("C==C", False),                    # two bond symbols
    ("((C))", False),                   # branch before any atom
    ("C()C", False),                    # empty branch
    ("C(C", False),                     # unclosed branch
    ("CC)", False),                     # unmatched ')'
    ("C=", False),                      # dangling bond
    ("C11", False),                     # ring closure on its own atom
    ("C1C1", False),                    # ring closure duplicating a bond
    ("C.", False),                      # dangling dot
    ("[C", False),                      # unclosed bracket
    ("CX", False),                      # unexpected character
]


def rdkit_label(smiles):
    """(valid, last error line) from Chem.MolFromSmiles with sanitisation."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        mol = Chem.MolFromSmiles(smiles)
    if mol is not None:
        return True, ""
    lines = [ln.strip() for ln in err.getvalue().strip().splitlines() if ln.strip()]
    message = lines[-1] if lines else ""
    # Drop the "[hh:mm:ss] " timestamp so the file is reproducible.
    if message.startswith("[") and "] " in message:
        message = message.split("] ", 1)[1]
    return False, message.replace("\t", " ")


RANDOM_ALPHABET = list("CNOSPFIcnos()=#123456[]+-@H.%") + ["Cl", "Br", "[nH]", "[O-]", "[N+]", "[C@@H]"]


def random_edit(rng, s):
    i = rng.randrange(len(s))
    kind = rng.choice(["delete", "insert", "substitute"])
    if kind == "delete":
        return s[:i] + s[i + 1:]
    if kind == "insert":
        return s[:i] + rng.choice(RANDOM_ALPHABET) + s[i:]
    return s[:i] + rng.choice(RANDOM_ALPHABET) + s[i + 1:]


def targeted_edits(rng, pool):
    """A few each of: unclosed ring, extra bond on a saturated atom, [nH] -> n, a lost aromatic atom."""
    out = []
    with_ring = [s for s in pool if "1" in s]
    for s in rng.sample(with_ring, 10):
        i = s.rindex("1")
        out.append(s[:i] + s[i + 1:])
    for s in rng.sample(pool, 10):
        quaternary = [i for i in range(len(s)) if s.startswith("C(C)(C)", i) or s.startswith("(=O)", i)]
        if quaternary:
            i = rng.choice(quaternary)
            out.append(s[:i + 1] + "(C)" + s[i + 1:])
        else:
            i = s.index("C") if "C" in s else 0
            out.append(s[:i + 1] + "(=C)(=C)" + s[i + 1:])
    with_nh = [s for s in pool if "[nH]" in s]
    for s in rng.sample(with_nh, min(10, len(with_nh))):
        out.append(s.replace("[nH]", "n", 1))
    aromatic = [s for s in pool if "cccc" in s]
    for s in rng.sample(aromatic, 10):
        i = s.index("cccc")
        out.append(s[:i] + s[i + 1:])
    return out


def markov_samples(rng, corpus, count):
    """Strings from a token n-gram model of the corpus (order MARKOV_ORDER, at most 100 tokens)."""
    successors = {}
    for s in corpus:
        tokens = ["^"] * MARKOV_ORDER + TOKEN_REGEX.findall(s) + ["$"]
        for i in range(MARKOV_ORDER, len(tokens)):
            successors.setdefault(tuple(tokens[i - MARKOV_ORDER:i]), []).append(tokens[i])
    out = []
    while len(out) < count:
        context = ["^"] * MARKOV_ORDER
        tokens = []
        while len(tokens) < 100:
            nxt = rng.choice(successors[tuple(context[-MARKOV_ORDER:])])
            if nxt == "$":
                break
            tokens.append(nxt)
            context.append(nxt)
        s = "".join(tokens)
        if s and s not in out and s not in corpus:
            out.append(s)
    return out


def main():
    csv_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV
    rdBase.LogToPythonStderr()
    with open(csv_path, newline="") as f:
        smiles = [row["smiles"] for row in csv.DictReader(f)]
    rng = random.Random(SEED)
    order = list(range(len(smiles)))
    rng.shuffle(order)
    sample = [smiles[i] for i in order[:N_SAMPLE]]
    rest = [smiles[i] for i in order[N_SAMPLE:]]

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "tox21_sample.smi"), "w", newline="\n") as f:
        f.write("".join(s + "\n" for s in sample))

    rows = []
    seen = set()

    def add(s, source):
        if s in seen or not s:
            return
        seen.add(s)
        valid, message = rdkit_label(s)
        rows.append((s, valid, source, message))

    for s in sample[:N_TOX21_GOLDEN]:
        add(s, "tox21")
    for s, expected in CURATED:
        valid, message = rdkit_label(s)
        assert valid == expected, (s, expected, message)
        add(s, "curated")
    corrupted = []
    while len(corrupted) < N_RANDOM_CORRUPT:
        s = random_edit(rng, rng.choice(rest))
        if s and s not in seen and s not in corrupted and s not in smiles:
            corrupted.append(s)
    corrupted += targeted_edits(rng, rest)
    for s in corrupted:
        add(s, "corrupted")
    for s in markov_samples(rng, sorted(rest), N_MARKOV):
        add(s, "markov")

    with open(os.path.join(OUT, "golden_validity.tsv"), "w", newline="\n") as f:
        # No comment lines: a corrupted SMILES may itself start with '#'. Provenance is in README.md.
        f.write("smiles\tvalid\tsource\trdkit_message\n")
        for s, valid, source, message in rows:
            f.write("%s\t%d\t%s\t%s\n" % (s, 1 if valid else 0, source, message))
    with open(os.path.join(OUT, "respellings.tsv"), "w", newline="\n") as f:
        for i, s in enumerate(sample[N_TOX21_GOLDEN:N_TOX21_GOLDEN + N_RESPELLED]):
            mol = Chem.MolFromSmiles(s)
            # RDKit's own canonical SMILES first, so all four spellings share its aromaticity perception.
            spellings = [Chem.MolToSmiles(mol)] + list(Chem.MolToRandomSmilesVect(mol, 3, randomSeed=SEED + i))
            f.write("\t".join(spellings) + "\n")

    counts = {}
    for _, valid, source, _ in rows:
        counts[(source, valid)] = counts.get((source, valid), 0) + 1
    print("RDKit", rdkit.__version__, "wrote", len(sample), "sample SMILES and", len(rows), "golden rows:",
          sorted(counts.items()))


if __name__ == "__main__":
    main()
