"""Writes the NumPy .npy fixtures that NpyReader/NpyWriter tests compare against.

Run with the Debian interpreter (numpy installed for it):
    /usr/bin/python3 tools/reference/make_npy_fixture.py
Output: tests/Promptor.Tests/Fixtures/npy/*.npy (deterministic; commit with this script).
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "Promptor.Tests", "Fixtures", "npy")


def main():
    os.makedirs(OUT, exist_ok=True)
    # (2, 3, 4): values i/8 - 1 with a few specials, so byte order and C order both show.
    a = (np.arange(24, dtype=np.float32) / 8 - 1).reshape(2, 3, 4)
    a[0, 0, 1] = -0.0
    a[1, 2, 3] = 1e-30
    np.save(os.path.join(OUT, "numpy_2x3x4_f4.npy"), a.astype("<f4"))
    np.save(os.path.join(OUT, "numpy_scalar_f4.npy"), np.float32(3.5))
    np.save(os.path.join(OUT, "numpy_empty_f4.npy"), np.zeros((0, 5), dtype="<f4"))
    # Fortran order: the reader refuses it rather than misreading.
    np.save(os.path.join(OUT, "numpy_fortran_f4.npy"), np.asfortranarray(a[0]))
    np.save(os.path.join(OUT, "numpy_2x2_f8.npy"), np.ones((2, 2), dtype="<f8"))
    print("numpy", np.__version__, "->", OUT)


if __name__ == "__main__":
    main()
