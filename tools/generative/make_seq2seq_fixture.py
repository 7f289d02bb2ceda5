#!/usr/bin/env python3
"""Cuts the seq2seq test fixture: the first 46,000 bp of S. cerevisiae chrI (R64-5-1) and the
ORFs (non-dubious ORFs + blocked reading frames, BED6) that lie inside it.

Usage: tools/generative/make_seq2seq_fixture.py SHARED_DATA_DIR OUT_DIR
SHARED_DATA_DIR is the yeast-promoters-r64 folder (genome .fsa.gz and ORF BED)."""
import gzip
import sys

LENGTH = 46000


def main(src, out):
    seq = []
    with gzip.open(f"{src}/S288C_reference_sequence_R64-5-1_20240529.fsa.gz", "rt") as f:
        inside = False
        for line in f:
            if line.startswith(">"):
                if inside:
                    break
                inside = line[1:].split()[0] == "chrI"
                continue
            if inside:
                seq.append(line.strip())
                if sum(map(len, seq)) >= LENGTH:
                    break
    chrom = "".join(seq)[:LENGTH]
    with open(f"{out}/yeast_chrI_46kb.fa", "w") as f:
        f.write(">chrI first 46000 bp of S288C chrI, R64-5-1\n")
        for i in range(0, len(chrom), 60):
            f.write(chrom[i:i + 60] + "\n")
    with open(f"{src}/Scer_nondubious_ORFs_and_blocked_reading_frames.bed") as f, \
            open(f"{out}/yeast_chrI_46kb_orfs.bed", "w") as g:
        for line in f:
            fields = line.split("\t")
            if fields[0] == "chrI" and int(fields[2]) <= LENGTH:
                g.write(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
