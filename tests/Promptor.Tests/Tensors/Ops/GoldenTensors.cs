using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors;

/// <summary>Builds tensors from golden fixture cases and lists a group's cases for theories.</summary>
internal static class GoldenTensors
{
    public const double Atol = 1e-5;
    public const double Rtol = 1e-4;

    /// <summary>The fixture tensor <paramref name="name"/> as a new tensor.</summary>
    public static Tensor Get(GoldenCase c, string name, bool requiresGrad = false)
        => new(new Shape(c.Shape(name)), c.Data(name), requiresGrad);

    /// <summary>The fixture tensor, or null when the case does not have it.</summary>
    public static Tensor? Optional(GoldenCase c, string name, bool requiresGrad = false)
        => c.Has(name) ? Get(c, name, requiresGrad) : null;

    /// <summary>Asserts <paramref name="actual"/> matches fixture tensor <paramref name="name"/> in values and shape.</summary>
    public static void AssertClose(GoldenCase c, string name, Tensor? actual, double atol = Atol, double rtol = Rtol)
    {
        Assert.NotNull(actual);
        Assert.Equal(c.Shape(name), actual.Shape.ToArray());
        GoldenAssert.Close(c.Data(name), actual.Data, atol, rtol, $"{c}/{name}");
    }

    /// <summary>The case names of a fixture group.</summary>
    public static TheoryData<string> Cases(string group)
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenFixture.Load(group).Cases)
        {
            data.Add(c.Name);
        }
        return data;
    }
}
