namespace Promptor.Genomics.Tokenization;

/// <summary>Text that a tokenizer cannot encode: an unexpected character or a token outside the vocabulary.</summary>
public sealed class TokenizationException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the token and its position.</param>
    /// <param name="token">The offending token or character.</param>
    /// <param name="position">Character offset of <paramref name="token"/> in the text (from 0).</param>
    public TokenizationException(string message, string token, int position) : base(message)
    {
        Token = token;
        Position = position;
    }

    /// <summary>The offending token or character.</summary>
    public string Token { get; }

    /// <summary>Character offset of <see cref="Token"/> in the text (from 0).</summary>
    public int Position { get; }
}
