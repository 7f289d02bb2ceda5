using System.CommandLine;
using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;

namespace Promptor.Cli.Options;

/// <summary>
/// <c>--pad</c>, <c>--trim</c> and <c>--length</c>: a fixed-length model needs sequences of one length;
/// other lengths are an error naming the record's header line unless padding (with N) or trimming
/// (around the centre) is allowed.
/// </summary>
public sealed class SequenceLengthFlags
{
    /// <summary>Allow padding shorter sequences with N.</summary>
    public Option<bool> Pad { get; } = new("--pad") { Description = "Pad shorter sequences with N (centred) to the required length" };

    /// <summary>Allow trimming longer sequences.</summary>
    public Option<bool> Trim { get; } = new("--trim") { Description = "Trim longer sequences (keeping the centre) to the required length" };

    /// <summary>The length to pad or trim to (training only; a checkpoint fixes its own).</summary>
    public Option<int?> Length { get; } = new("--length") { Description = "Sequence length to pad or trim to (default: the first record's length)" };

    /// <summary>Adds the flags to <paramref name="command"/>; <paramref name="withLength"/> adds <c>--length</c>.</summary>
    public void AddTo(Command command, bool withLength)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Pad);
        command.Options.Add(Trim);
        if (withLength)
        {
            command.Options.Add(Length);
        }
    }

    /// <summary>
    /// The sequences of <paramref name="records"/> at one length: <paramref name="required"/> (e.g. a
    /// checkpoint's), else <c>--length</c>, else the first record's.
    /// </summary>
    /// <exception cref="DataFormatException">A record has another length and the flags do not allow changing it.</exception>
    public IReadOnlyList<string> Fit(ParseResult parse, IReadOnlyList<Promptor.Genomics.IO.FastaRecord> records, string path, int? required = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(records);
        bool pad = parse.GetValue(Pad), trim = parse.GetValue(Trim);
        int length = required ?? parse.GetValue(Length) ?? records[0].Length;
        if (length <= 0)
        {
            throw new CommandException($"--length must be positive, got {length}");
        }
        var mode = (pad, trim) switch
        {
            (true, true) => LengthMode.PadOrTrim,
            (true, false) => LengthMode.Pad,
            (false, true) => LengthMode.Trim,
            _ => LengthMode.Exact,
        };
        var fixedLength = new FixedLength(length, mode);
        var result = new string[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i];
            bool allowed = r.Length == length || (r.Length < length ? pad : trim);
            if (!allowed)
            {
                string reference = required is not null ? "the model's" : parse.GetValue(Length) is not null ? "--length" : $"the first record '{records[0].Id}''s";
                throw new DataFormatException(path, SourceLines.HeaderLine(path, r.Id),
                    $"record '{r.Id}' has {r.Length} bp but {reference} length is {length} bp; pass {(r.Length < length ? "--pad" : "--trim")} to accept it", r.Id);
            }
            result[i] = fixedLength.Apply(r.Sequence);
        }
        return result;
    }
}
