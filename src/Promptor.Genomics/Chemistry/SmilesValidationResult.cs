namespace Promptor.Genomics.Chemistry;

/// <summary>The verdict of <see cref="SmilesValidator.Validate"/>.</summary>
/// <param name="IsValid">True when the SMILES parses, every valence is allowed and the aromatic part can be kekulised.</param>
/// <param name="Reason">Why the SMILES is invalid (e.g. <c>ring bond 1 not closed (opened at position 1)</c>,
/// <c>atom 5 (C) has valence 5 (at most 4 allowed)</c>, <c>aromatic system cannot be kekulised …</c>,
/// <c>unexpected character 'X' at position 7</c>); null when valid. Atom indices and positions count from 0.</param>
/// <param name="Molecule">The parsed molecule (with implicit hydrogens and Kekulé bond orders when valid);
/// null when the SMILES does not parse.</param>
public sealed record SmilesValidationResult(bool IsValid, string? Reason, Molecule? Molecule);
