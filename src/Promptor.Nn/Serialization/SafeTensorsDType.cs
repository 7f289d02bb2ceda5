namespace Promptor.Nn.Serialization;

/// <summary>
/// Element types of the safetensors format (header spelling in parentheses). Promptor writes
/// <see cref="F32"/>; reading converts every type except the 8-bit floats to float32 (integers
/// above 2²⁴ in magnitude lose precision, as any float32 conversion does).
/// </summary>
public enum SafeTensorsDType
{
    /// <summary>Boolean, one byte (<c>BOOL</c>).</summary>
    Bool,

    /// <summary>Unsigned 8-bit integer (<c>U8</c>).</summary>
    U8,

    /// <summary>Signed 8-bit integer (<c>I8</c>).</summary>
    I8,

    /// <summary>Signed 16-bit integer (<c>I16</c>).</summary>
    I16,

    /// <summary>Unsigned 16-bit integer (<c>U16</c>).</summary>
    U16,

    /// <summary>IEEE half precision (<c>F16</c>).</summary>
    F16,

    /// <summary>bfloat16 (<c>BF16</c>).</summary>
    BF16,

    /// <summary>Signed 32-bit integer (<c>I32</c>).</summary>
    I32,

    /// <summary>Unsigned 32-bit integer (<c>U32</c>).</summary>
    U32,

    /// <summary>IEEE single precision (<c>F32</c>).</summary>
    F32,

    /// <summary>IEEE double precision (<c>F64</c>).</summary>
    F64,

    /// <summary>Signed 64-bit integer (<c>I64</c>).</summary>
    I64,

    /// <summary>Unsigned 64-bit integer (<c>U64</c>).</summary>
    U64,

    /// <summary>8-bit float, 5-bit exponent (<c>F8_E5M2</c>); recognised but not readable.</summary>
    F8E5M2,

    /// <summary>8-bit float, 4-bit exponent (<c>F8_E4M3</c>); recognised but not readable.</summary>
    F8E4M3,
}
