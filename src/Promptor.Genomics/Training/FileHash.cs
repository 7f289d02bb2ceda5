namespace Promptor.Genomics.Training;

/// <summary>One input file and the SHA-256 of its bytes.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Sha256">Lower-case hex digest.</param>
public sealed record FileHash(string Path, string Sha256);
