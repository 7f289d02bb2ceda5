using System.Reflection;

namespace Promptor.Genomics.Training;

/// <summary>Versions recorded in runs and checkpoints.</summary>
public static class PromptorVersion
{
    /// <summary>Promptor's version, e.g. <c>0.1.0</c> (the informational version without build metadata).</summary>
    public static string Current { get; } = Read();

    /// <summary>The .NET runtime, e.g. <c>.NET 10.0.0</c>.</summary>
    public static string Runtime => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>The major component of a version string (<c>"0.1.0"</c> → 0); −1 when unreadable.</summary>
    public static int MajorOf(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        int dot = version.IndexOf('.', StringComparison.Ordinal);
        return int.TryParse(dot < 0 ? version : version[..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int major)
            ? major
            : -1;
    }

    private static string Read()
    {
        var assembly = typeof(PromptorVersion).Assembly;
        string? info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(info))
        {
            int plus = info.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? info : info[..plus];
        }
        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
