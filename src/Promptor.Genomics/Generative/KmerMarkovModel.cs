using Promptor.Tensors;

namespace Promptor.Genomics.Generative;

/// <summary>
/// A fixed-order Markov chain over A, C, G, T: the probability of each base given the k bases
/// before it, estimated by counting with add-α (Laplace) smoothing. Every base is counted in the
/// tables of every order 0 … k its context allows; near the start of a sequence, where fewer than
/// k bases precede, the model of the available order scores the base, so every base of a sequence
/// is scored, like a language model reading the sequence from its first base. Bases other than A, C, G, T are neither counted nor scored and
/// break the context.
/// </summary>
public sealed class KmerMarkovModel
{
    private const string Bases = "ACGT";
    private readonly double[][] counts;   // per order j: 4^j contexts × 4 next bases

    private KmerMarkovModel(int order, double pseudocount, double[][] counts)
    {
        Order = order;
        Pseudocount = pseudocount;
        this.counts = counts;
    }

    /// <summary>The order k (bases of context).</summary>
    public int Order { get; }

    /// <summary>The add-α pseudocount.</summary>
    public double Pseudocount { get; }

    /// <summary>Counts every base of <paramref name="sequences"/> with its preceding context.</summary>
    /// <param name="sequences">Training DNA (either case).</param>
    /// <param name="order">k ≥ 0 (at most 12).</param>
    /// <param name="pseudocount">α &gt; 0 added to every count. Default 1.</param>
    public static KmerMarkovModel Fit(IEnumerable<string> sequences, int order, double pseudocount = 1.0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 12);
        if (!(pseudocount > 0 && double.IsFinite(pseudocount)))
        {
            throw new ArgumentOutOfRangeException(nameof(pseudocount), pseudocount, "The pseudocount must be finite and > 0.");
        }
        var tables = new double[order + 1][];
        for (int j = 0; j <= order; j++)
        {
            tables[j] = new double[(1 << (2 * j)) * 4];
        }
        foreach (var sequence in sequences)
        {
            Walk(sequence, order, allOrders: true, (j, context, next) => tables[j][context * 4 + next]++);
        }
        return new KmerMarkovModel(order, pseudocount, tables);
    }

    /// <summary>p(next | context) of the model of order <paramref name="order"/> ≤ k; context is that order's base-4 code.</summary>
    public double Probability(int order, int context, int next)
    {
        var table = counts[order];
        double total = 0;
        for (int b = 0; b < 4; b++)
        {
            total += table[context * 4 + b];
        }
        return (table[context * 4 + next] + Pseudocount) / (total + 4 * Pseudocount);
    }

    /// <summary>Summed −log₂ p over the scored bases of <paramref name="sequence"/>, and their number.</summary>
    public (double Bits, long Bases) Score(string sequence)
    {
        double bits = 0;
        long n = 0;
        Walk(sequence, Order, allOrders: false, (j, context, next) =>
        {
            bits -= Math.Log2(Probability(j, context, next));
            n++;
        });
        return (bits, n);
    }

    /// <summary>Mean bits per base over <paramref name="sequences"/> (0 when none is scored).</summary>
    public double BitsPerBase(IEnumerable<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        double bits = 0;
        long n = 0;
        foreach (var s in sequences)
        {
            var (b, c) = Score(s);
            bits += b;
            n += c;
        }
        return n == 0 ? 0 : bits / n;
    }

    /// <summary>Samples a sequence of <paramref name="length"/> bases from the chain (one uniform per base).</summary>
    public string Sample(int length, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(generator);
        var result = new char[length];
        int context = 0;
        for (int i = 0; i < length; i++)
        {
            int j = Math.Min(i, Order);
            double u = generator.NextDouble(), cumulative = 0;
            int next = 3;
            for (int b = 0; b < 4; b++)
            {
                cumulative += Probability(j, context, b);
                if (u < cumulative)
                {
                    next = b;
                    break;
                }
            }
            result[i] = Bases[next];
            context = Order == 0 ? 0 : (context * 4 + next) % (1 << (2 * Order));
        }
        return new string(result);
    }

    /// <summary>
    /// Calls <paramref name="visit"/>(order, context code, next base) for every A/C/G/T base with its
    /// longest available context (up to <paramref name="order"/>), or with each shorter one too when
    /// <paramref name="allOrders"/>.
    /// </summary>
    private static void Walk(string sequence, int order, bool allOrders, Action<int, int, int> visit)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        int available = 0, context = 0;
        int modulus = 1 << (2 * order);
        foreach (char c in sequence)
        {
            int b = Bases.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (b < 0)
            {
                available = 0;
                context = 0;
                continue;
            }
            int longest = Math.Min(available, order);
            for (int j = allOrders ? 0 : longest; j <= longest; j++)
            {
                visit(j, j == 0 ? 0 : context % (1 << (2 * j)), b);
            }
            context = order == 0 ? 0 : (context * 4 + b) % modulus;
            available++;
        }
    }
}
