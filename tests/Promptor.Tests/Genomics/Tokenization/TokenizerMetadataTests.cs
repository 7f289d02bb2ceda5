using Promptor.Genomics.Tokenization;
using Promptor.Nn.Serialization;
using Promptor.Tensors;
using Promptor.Tests.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Tokenization;

public class TokenizerMetadataTests
{
    public static TheoryData<string> Kinds => ["dna", "dna-iupac", "kmer", "kmer-overlap-n", "smiles", "smiles-unk"];

    private static ITokenizer Make(string kind) => kind switch
    {
        "dna" => new DnaTokenizer(),
        "dna-iupac" => new DnaTokenizer(iupac: true),
        "kmer" => new KmerTokenizer(4),
        "kmer-overlap-n" => new KmerTokenizer(3, stride: 1, alphabet: "ACGTN", mapUnknown: false),
        "smiles" => SmilesTokenizer.Build(SmilesFixtures.Tox21Sample.Take(100)),
        "smiles-unk" => SmilesTokenizer.Build(["CC(=O)[O-].[Na+]", "c1ccccc1Cl"], mapUnknown: true),
        _ => throw new ArgumentException(kind),
    };

    private static string Sample(string kind) => kind.StartsWith("smiles", StringComparison.Ordinal) ? "CC(=O)[O-]" : "ACGTTGCAAC";

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MetadataRoundTripKeepsVocabularyAndSettings(string kind)
    {
        var t = Make(kind);
        var metadata = t.ToMetadata();
        Assert.All(metadata.Keys, k => Assert.StartsWith("tokenizer.", k, StringComparison.Ordinal));
        var back = TokenizerMetadata.Read(metadata);
        Assert.Equal(t.GetType(), back.GetType());
        Assert.Equal(t.Vocabulary, back.Vocabulary);
        Assert.Equal(t.UnknownId, back.UnknownId);
        Assert.Equal(metadata, back.ToMetadata());
        Assert.Equal(t.Encode(Sample(kind)), back.Encode(Sample(kind)));
    }

    [Fact]
    public void VocabularyTravelsInsideASafetensorsCheckpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var tokenizer = SmilesTokenizer.Build(SmilesFixtures.Tox21Sample);
        var metadata = new Dictionary<string, string>(tokenizer.ToMetadata()) { ["model"] = "gpt" };
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["embedding.weight"] = Tensor.Zeros(tokenizer.VocabularySize, 2) }, metadata);

        var file = SafeTensors.Load(path);
        var back = (SmilesTokenizer)TokenizerMetadata.Read(file.Metadata);
        Assert.Equal(tokenizer.Vocabulary, back.Vocabulary);
        Assert.Equal(file.Tensors["embedding.weight"].Shape[0], back.VocabularySize);
        foreach (string s in SmilesFixtures.Tox21Sample.Take(50))
        {
            Assert.Equal(tokenizer.Encode(s), back.Encode(s));
        }
    }

    [Fact]
    public void MalformedMetadataIsRejected()
    {
        var good = new DnaTokenizer().ToMetadata();
        Assert.Throws<FormatException>(() => TokenizerMetadata.Read(new Dictionary<string, string>()));
        Assert.Throws<FormatException>(() => TokenizerMetadata.Read(With(good, TokenizerMetadata.TypeKey, "bpe")));
        Assert.Throws<FormatException>(() => TokenizerMetadata.Read(With(good, TokenizerMetadata.VocabularyKey, "[\"<pad>\"]")));
        Assert.Throws<FormatException>(() => TokenizerMetadata.Read(With(good, TokenizerMetadata.VocabularyKey, "not json")));
        Assert.Throws<FormatException>(() => KmerTokenizer.FromMetadata(good));
        var smiles = SmilesTokenizer.Build(["CCO"]).ToMetadata();
        Assert.Throws<FormatException>(() => TokenizerMetadata.Read(With(smiles, TokenizerMetadata.VocabularyKey, "[\"C\",\"O\"]")));
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> metadata, string key, string value) =>
        new(metadata) { [key] = value };
}
