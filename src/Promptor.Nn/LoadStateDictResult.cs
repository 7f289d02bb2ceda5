namespace Promptor.Nn;

/// <summary>
/// What a non-strict <see cref="Module.LoadStateDict"/> skipped: module names the dict lacked
/// (left unchanged) and dict names the module does not have (ignored). Both are empty after a
/// successful strict load.
/// </summary>
/// <param name="MissingKeys">Names of the module's state absent from the dict, in state-dict order.</param>
/// <param name="UnexpectedKeys">Names in the dict the module does not have, sorted.</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
