using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Promptor.Cli.Commands;

/// <summary>
/// The output folder of a training command (<c>lm train</c>, <c>seq2seq train</c>): files are
/// written into a hidden staging folder beside it and moved into place only when the run has
/// finished, so a failed or interrupted run never overwrites a previous one.
/// </summary>
internal sealed class LmRunFolder : IDisposable
{
    private readonly string target;
    private readonly List<string> names = [];

    private LmRunFolder(string target, string staging)
    {
        this.target = target;
        Staging = staging;
    }

    /// <summary>The staging folder files are written to.</summary>
    public string Staging { get; }

    /// <summary>Checks that <paramref name="dir"/> may receive output and creates the staging folder.</summary>
    public static LmRunFolder Create(string dir, bool force)
    {
        CommandErrors.CheckOutputFolder(dir, force);
        string full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(dir));
        string parent = Path.GetDirectoryName(full) ?? throw new CommandException($"{dir} has no parent folder");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        return new LmRunFolder(full, staging);
    }

    /// <summary>The staging path of file <paramref name="name"/>, recorded for the final move.</summary>
    public string File(string name)
    {
        if (!names.Contains(name))
        {
            names.Add(name);
        }
        return Path.Combine(Staging, name);
    }

    /// <summary>Writes a text file into the staging folder.</summary>
    public void WriteText(string name, string text) => System.IO.File.WriteAllText(File(name), text, new UTF8Encoding(false));

    /// <summary>Writes <paramref name="values"/> as indented JSON.</summary>
    public void WriteJson(string name, object values) =>
        WriteText(name, JsonSerializer.Serialize(values, new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>Moves every written file into the output folder.</summary>
    public void Commit()
    {
        Directory.CreateDirectory(target);
        foreach (var name in names)
        {
            System.IO.File.Move(Path.Combine(Staging, name), Path.Combine(target, name), overwrite: true);
        }
    }

    /// <summary>Removes the staging folder.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }

    /// <summary>A number formatted for a TSV or JSON file.</summary>
    public static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
