namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Decides whether a SMILES string describes a valid molecule, the way RDKit's
/// <c>Chem.MolFromSmiles</c> (with sanitisation) does: it must parse (<see cref="SmilesParser"/>), every
/// atom's valence must be allowed by RDKit's default valence model (after RDKit's nitro/halogen-oxide
/// clean-up), and aromatic atoms must lie in rings and be kekulisable.
/// </summary>
/// <remarks>
/// Known differences from RDKit 2022.09: an empty SMILES is invalid here (RDKit returns an empty
/// molecule); ring closures whose two ends carry different bond orders are invalid (OpenSMILES; RDKit
/// keeps one); dative bonds <c>-&gt;</c> are not parsed; the final re-aromatisation check of RDKit's
/// sanitisation is not repeated.
/// </remarks>
public static class SmilesValidator
{
    /// <summary>Validates one SMILES string.</summary>
    public static SmilesValidationResult Validate(string smiles)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        Molecule mol;
        try
        {
            mol = SmilesParser.Parse(smiles);
        }
        catch (SmilesException e)
        {
            return new SmilesValidationResult(false, e.Message, null);
        }
        Normalization.Apply(mol);
        var explicitValence = new int[mol.Atoms.Count];
        string? reason = Valence.Assign(mol, explicitValence) ?? Kekulizer.Run(mol, explicitValence);
        return new SmilesValidationResult(reason is null, reason, mol);
    }

    /// <summary>True when <paramref name="smiles"/> is valid (<see cref="Validate"/>).</summary>
    public static bool IsValid(string smiles) => Validate(smiles).IsValid;
}
