using Promptor.Genomics.Chemistry;
using Promptor.Tensors;

namespace Promptor.Genomics.Generative;

/// <summary>
/// Randomized-SMILES augmentation for a SMILES language model (Arús-Pous et al. 2019): every epoch
/// trains on a fresh random spelling of each molecule (<see cref="RandomizedSmiles"/>), so the model
/// learns molecules rather than one string per molecule. The molecules are parsed once; the spellings
/// of epoch <c>e</c> depend only on the seed and <c>e</c>, so a run (or a restart from epoch 1) is
/// reproducible. A SMILES that is not valid (<see cref="SmilesValidator"/>) cannot be re-spelled and
/// is used as given.
/// </summary>
public sealed class SmilesAugmentation
{
    private const ulong VocabularyStream = 1;
    private const ulong EpochStream = 2;

    private readonly IReadOnlyList<string> _smiles;
    private readonly Molecule?[] _molecules;
    private readonly ulong _seed;

    /// <summary>Parses and validates <paramref name="smiles"/> once.</summary>
    public SmilesAugmentation(IReadOnlyList<string> smiles, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        _smiles = smiles;
        _seed = seed;
        _molecules = new Molecule?[smiles.Count];
        for (int i = 0; i < smiles.Count; i++)
        {
            var result = SmilesValidator.Validate(smiles[i]);
            _molecules[i] = result.IsValid ? result.Molecule : null;
        }
        NotRandomizable = _molecules.Count(m => m is null);
    }

    /// <summary>Number of molecules.</summary>
    public int Count => _smiles.Count;

    /// <summary>Number of SMILES that are not valid and are used as given every epoch.</summary>
    public int NotRandomizable { get; }

    /// <summary>The spelling of every molecule for epoch <paramref name="epoch"/> (1-based), in input order.</summary>
    public string[] Epoch(int epoch) => Spellings(StreamGenerator(EpochStream, epoch));

    /// <summary>
    /// Strings to build a tokenizer's vocabulary from, so that randomized spellings meet no unknown
    /// token: the SMILES as given, then <paramref name="passes"/> randomized spellings of each, each
    /// also with its tetrahedral marks mirrored (<c>@</c> ↔ <c>@@</c>), because a re-spelled centre may
    /// need the other mark. Ring-closure digits beyond those seen in the passes remain possible but rare.
    /// </summary>
    public IEnumerable<string> VocabularyCorpus(int passes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(passes);
        foreach (var s in _smiles)
        {
            yield return s;
        }
        for (int p = 0; p < passes; p++)
        {
            foreach (var s in Spellings(StreamGenerator(VocabularyStream, p)))
            {
                yield return s;
                if (s.Contains('@', StringComparison.Ordinal))
                {
                    yield return MirrorTetrahedralMarks(s);
                }
            }
        }
    }

    // Independent generators per (stream, index); the generator's SplitMix64 seeding mixes the bits.
    private Generator StreamGenerator(ulong stream, int index) =>
        new(_seed ^ (stream << 56) ^ ((ulong)(uint)index * 0x9E3779B97F4A7C15UL));

    private string[] Spellings(Generator generator)
    {
        var result = new string[_smiles.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = _molecules[i] is { } mol ? RandomizedSmiles.Write(mol, generator) : _smiles[i];
        }
        return result;
    }

    /// <summary>The enantiomer's spelling: every <c>@</c> becomes <c>@@</c> and every <c>@@</c> becomes <c>@</c>.</summary>
    internal static string MirrorTetrahedralMarks(string smiles) =>
        smiles.Replace("@@", "\u0001", StringComparison.Ordinal).Replace("@", "@@", StringComparison.Ordinal).Replace("\u0001", "@", StringComparison.Ordinal);
}
