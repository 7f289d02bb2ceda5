using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Promptor.Genomics.Data;

namespace Promptor.Genomics.Training;

/// <summary>
/// SHA-256 digests (lower-case hex) identifying the data of a run: the dataset tensors (float32,
/// little-endian), the gene ids and treatment names (UTF-8, one per line), the split labels, and
/// optionally the input files. A resumed run must see the same data.
/// </summary>
/// <param name="Sequences">Digest of the one-hot sequences <c>(N, L, 4)</c>.</param>
/// <param name="Targets">Digest of the targets <c>(N, T)</c>.</param>
/// <param name="Mask">Digest of the mask <c>(N, T)</c>.</param>
/// <param name="GeneIds">Digest of the gene ids.</param>
/// <param name="Treatments">Digest of the treatment names.</param>
/// <param name="Split">Digest of the split label of every gene.</param>
/// <param name="InputFiles">Digests of the input files, in the order given (empty when none were named).</param>
public sealed record DataHashes(string Sequences, string Targets, string Mask, string GeneIds, string Treatments, string Split, IReadOnlyList<FileHash> InputFiles)
{
    /// <summary>Hashes <paramref name="dataset"/>, <paramref name="split"/> and the files in <paramref name="inputFiles"/>.</summary>
    /// <exception cref="FileNotFoundException">An input file does not exist.</exception>
    public static DataHashes Of(PromoterDataset dataset, SplitAssignment split, IEnumerable<string>? inputFiles = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        var files = (inputFiles ?? []).Select(p => new FileHash(p, OfFile(p))).ToArray();
        return new DataHashes(
            OfFloats(dataset.Sequences.Data),
            OfFloats(dataset.Targets.Data),
            OfFloats(dataset.Mask.Data),
            OfLines(dataset.GeneIds),
            OfLines(dataset.Treatments),
            OfLines(split.Labels.Select(l => l.ToString()).ToArray()),
            files);
    }

    /// <summary>The SHA-256 of a file's bytes.</summary>
    public static string OfFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Input file not found: {path}", path);
        }
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when the dataset and split digests agree (input files are not compared: they may have moved).</summary>
    public bool SameDataAs(DataHashes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sequences == other.Sequences && Targets == other.Targets && Mask == other.Mask
            && GeneIds == other.GeneIds && Treatments == other.Treatments && Split == other.Split;
    }

    private static string OfFloats(float[] data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Data hashes are defined on little-endian float32.");
        }
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(data.AsSpan())));
    }

    private static string OfLines(IReadOnlyList<string> lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")));
}
