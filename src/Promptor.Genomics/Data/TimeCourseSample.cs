namespace Promptor.Genomics.Data;

/// <summary>One sample (column) of a time-course expression file.</summary>
/// <param name="Name">The sample name as in the file (e.g. <c>Heat 15'</c>, <c>Acid 0' (A)</c>).</param>
/// <param name="Course">The time course: the name without its time suffix (e.g. <c>Heat</c>, <c>msn2/4 acid</c>).</param>
/// <param name="Minutes">Minutes after the shift.</param>
/// <param name="IsReference">True for the 0' samples, the untreated references of the course.</param>
/// <param name="Column">0-based column of the sample's values in the file.</param>
public sealed record TimeCourseSample(string Name, string Course, double Minutes, bool IsReference, int Column);
