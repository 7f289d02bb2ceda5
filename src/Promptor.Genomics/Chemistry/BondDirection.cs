namespace Promptor.Genomics.Chemistry;

/// <summary>The cis/trans direction mark of a single bond, as written from its first atom to its second.</summary>
public enum BondDirection
{
    /// <summary>No mark.</summary>
    None,

    /// <summary><c>/</c>.</summary>
    Up,

    /// <summary><c>\</c>.</summary>
    Down,
}
