using System.CommandLine;
using Promptor.Genomics.Models;

namespace Promptor.Cli.Options;

/// <summary>
/// Model flags mapped onto <see cref="CondPromoterOptions"/>. A flag left out keeps the library's default,
/// so the CLI never restates a default.
/// </summary>
public sealed class ModelFlags
{
    /// <summary>The conditioning method.</summary>
    public Option<ConditioningMethod?> Conditioning { get; } = new("--conditioning") { Description = "How the treatment enters: MultiTask, ConcatMlp, Film, CrossAttention (default) or CrossAttentionEveryBlock" };

    /// <summary>Cross-attention heads.</summary>
    public Option<int?> Heads { get; } = new("--heads") { Description = "Heads of the treatment cross-attention (default 8; 1 allowed)" };

    /// <summary>Self-attention heads.</summary>
    public Option<int?> SelfAttentionHeads { get; } = new("--self-attention-heads") { Description = "Heads of the self-attention blocks (default 8)" };

    /// <summary>Self-attention blocks.</summary>
    public Option<int?> SelfAttentionBlocks { get; } = new("--self-attention-blocks") { Description = "Self-attention blocks over the positions (default 2; 0 allowed)" };

    /// <summary>Model width.</summary>
    public Option<int?> ModelDim { get; } = new("--d-model") { Description = "Width d of positions and treatment tokens (default 128)" };

    /// <summary>Filters per convolution.</summary>
    public Option<int[]?> ConvFilters { get; } = new("--conv-filters") { Description = "Filters of each convolution, e.g. 128 128 (default); the count sets the number of convolutions", AllowMultipleArgumentsPerToken = true };

    /// <summary>Widths per convolution.</summary>
    public Option<int[]?> ConvWidths { get; } = new("--conv-widths") { Description = "Kernel width of each convolution (default 15 9)", AllowMultipleArgumentsPerToken = true };

    /// <summary>Pooling per convolution.</summary>
    public Option<int[]?> ConvPools { get; } = new("--conv-pools") { Description = "Max-pooling factor after each convolution (default 4 4)", AllowMultipleArgumentsPerToken = true };

    /// <summary>Dropout.</summary>
    public Option<float?> Dropout { get; } = new("--dropout") { Description = "Dropout in blocks and head (default 0.1)" };

    /// <summary>Head width.</summary>
    public Option<int?> HeadHidden { get; } = new("--head-hidden") { Description = "Hidden width of the prediction head (default 128)" };

    /// <summary>Query tokens per treatment.</summary>
    public Option<int?> QueriesPerTreatment { get; } = new("--queries-per-treatment") { Description = "Query tokens per treatment, averaged (default 1; cross-attention only)" };

    /// <summary>Treatment descriptors.</summary>
    public Option<string?> Descriptors { get; } = new("--descriptors")
    {
        Description = "Treatment descriptors mapped to the treatment tokens by an MLP: a TSV/CSV (treatment, f1..fk), or 'yeast' to parse the yeast stress names (type, minutes, msn2/4 mutant)",
    };

    /// <summary>Adds the flags to <paramref name="command"/>; <paramref name="withConditioning"/> adds <c>--conditioning</c>.</summary>
    public void AddTo(Command command, bool withConditioning = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (withConditioning)
        {
            command.Options.Add(Conditioning);
        }
        foreach (var option in new Option[] { Heads, SelfAttentionHeads, SelfAttentionBlocks, ModelDim, ConvFilters, ConvWidths, ConvPools, Dropout, HeadHidden, QueriesPerTreatment, Descriptors })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The model options for <paramref name="treatments"/> and <paramref name="sequenceLength"/>, validated.</summary>
    /// <exception cref="CommandException">Convolution lists of different lengths, or inconsistent options.</exception>
    public CondPromoterOptions Build(ParseResult parse, IReadOnlyList<string> treatments, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(treatments);
        var o = new CondPromoterOptions { TreatmentCount = treatments.Count, SequenceLength = sequenceLength };
        o = o with
        {
            Conditioning = parse.GetValue(Conditioning) ?? o.Conditioning,
            CrossAttentionHeads = parse.GetValue(Heads) ?? o.CrossAttentionHeads,
            SelfAttentionHeads = parse.GetValue(SelfAttentionHeads) ?? o.SelfAttentionHeads,
            SelfAttentionBlocks = parse.GetValue(SelfAttentionBlocks) ?? o.SelfAttentionBlocks,
            ModelDim = parse.GetValue(ModelDim) ?? o.ModelDim,
            Dropout = parse.GetValue(Dropout) ?? o.Dropout,
            HeadHidden = parse.GetValue(HeadHidden) ?? o.HeadHidden,
            QueriesPerTreatment = parse.GetValue(QueriesPerTreatment) ?? o.QueriesPerTreatment,
            Convolutions = Convolutions(parse, o.Convolutions),
        };
        if (parse.GetValue(Descriptors) is string source)
        {
            var table = source.Equals("yeast", StringComparison.OrdinalIgnoreCase)
                ? TreatmentDescriptorTable.ForYeastStress(treatments)
                : TreatmentDescriptorTable.Read(source);
            o = o with { TreatmentDescriptors = table.For(treatments) };
        }
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandException($"invalid model options: {e.Message}", e);
        }
        return o;
    }

    private static int[]? NullIfEmpty(int[]? values) => values is { Length: > 0 } ? values : null;

    private IReadOnlyList<ConvLayerSpec> Convolutions(ParseResult parse, IReadOnlyList<ConvLayerSpec> defaults)
    {
        // An option that was not given parses as an empty list.
        int[]? filters = NullIfEmpty(parse.GetValue(ConvFilters)), widths = NullIfEmpty(parse.GetValue(ConvWidths)), pools = NullIfEmpty(parse.GetValue(ConvPools));
        if (filters is null && widths is null && pools is null)
        {
            return defaults;
        }
        int count = (filters ?? widths ?? pools)!.Length;
        foreach (var (name, list) in new[] { ("--conv-filters", filters), ("--conv-widths", widths), ("--conv-pools", pools) })
        {
            if (list is not null && list.Length != count)
            {
                throw new CommandException($"{name} lists {list.Length} values but another convolution flag lists {count}; give one value per convolution");
            }
        }
        if (count != defaults.Count && (filters is null || widths is null || pools is null))
        {
            throw new CommandException($"{count} convolutions differ from the default {defaults.Count}: give --conv-filters, --conv-widths and --conv-pools together");
        }
        return Enumerable.Range(0, count).Select(i => new ConvLayerSpec(
            filters?[i] ?? defaults[i].Filters,
            widths?[i] ?? defaults[i].Width,
            defaults.Count == count ? defaults[i].Dilation : 1,
            pools?[i] ?? defaults[i].Pool)).ToArray();
    }
}
