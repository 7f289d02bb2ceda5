using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn;

/// <summary>Small helpers shared by the Nn tests.</summary>
internal static class NnTestUtil
{
    /// <summary>A golden tensor as a Promptor tensor.</summary>
    public static Tensor Golden(GoldenCase c, string name) => new(new Shape(c.Shape(name)), c.Data(name));

    /// <summary>Sets (overwrites) the gradient of <paramref name="t"/>.</summary>
    public static void SetGrad(Tensor t, float[] grad)
    {
        Assert.Equal(t.Size, grad.Length);
        grad.CopyTo(t.GradData, 0);
    }

    /// <summary>A fresh empty directory under the temp folder; delete it with <see cref="DeleteDirectory"/>.</summary>
    public static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "promptor-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void DeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
