using Promptor.Genomics.IO;

namespace Promptor.Genomics.Generative;

/// <summary>
/// Reads molecules for a SMILES language model: either a CSV file whose header has a column named
/// <c>smiles</c> (any case; e.g. MoleculeNet's <c>tox21.csv</c>), or plain text with one SMILES per
/// line (optionally followed by whitespace and a name, as in <c>.smi</c> files). Blank lines are
/// skipped; plain or gzip.
/// </summary>
public static class SmilesCorpus
{
    /// <summary>The SMILES of the file, in file order.</summary>
    /// <exception cref="DataFormatException">A CSV row has fewer fields than its header, or a SMILES cell is empty; names file, line and field.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        var result = new List<string>();
        string? line = reader.ReadLine();
        if (line is null)
        {
            throw new DataFormatException(path, 1, "the file is empty");
        }
        int lineNumber = 1;
        var header = line.Split(',');
        int column = Array.FindIndex(header, h => h.Trim().Trim('"').Equals("smiles", StringComparison.OrdinalIgnoreCase));
        if (column < 0)
        {
            AddPlain(line, result);
            while ((line = reader.ReadLine()) is not null)
            {
                AddPlain(line, result);
            }
            return result;
        }
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(',');
            if (fields.Length <= column)
            {
                throw new DataFormatException(path, lineNumber, $"{fields.Length} fields, but the header puts 'smiles' in field {column + 1}", "smiles");
            }
            string smiles = fields[column].Trim().Trim('"');
            if (smiles.Length == 0)
            {
                throw new DataFormatException(path, lineNumber, "empty SMILES", "smiles");
            }
            result.Add(smiles);
        }
        return result;
    }

    private static void AddPlain(string line, List<string> result)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return;
        }
        int space = trimmed.IndexOfAny([' ', '\t']);
        result.Add(space < 0 ? trimmed : trimmed[..space]);
    }
}
