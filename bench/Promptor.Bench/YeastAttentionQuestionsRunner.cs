using Promptor.Genomics.Interpretation;

namespace Promptor.Bench;

/// <summary>
/// <c>yeast-attention RUN_DIR [DATA_DIR]</c>: prints <see cref="YeastAttentionQuestions.Run"/>'s Markdown
/// answer for a trained yeast-demo run (Yap1 under peroxide vs heat; STRE under stress vs msn2/4).
/// </summary>
public static class YeastAttentionQuestionsRunner
{
    /// <summary>Runs the questions on the run folder given first.</summary>
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: Promptor.Bench yeast-attention RUN_DIR [DATA_DIR]");
            return 2;
        }
        Console.Write(YeastAttentionQuestions.Run(args[0], args.Length > 1 ? args[1] : null));
        return 0;
    }
}
