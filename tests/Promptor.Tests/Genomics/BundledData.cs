using Promptor.Genomics.Data;

namespace Promptor.Tests.Genomics;

/// <summary>The project's bundled data/ folder and the default task built from it (loaded once per test run).</summary>
public static class BundledData
{
    private static readonly Lazy<YeastStressTask> s_task = new(() => YeastStressTask.Load(Directory));

    public static string Directory =>
        YeastStressTask.FindDataDirectory(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("The bundled data/ folder was not found above " + AppContext.BaseDirectory);

    public static YeastStressTask Task => s_task.Value;

    public static string PathOf(string relative) => Path.Combine(Directory, relative);
}
