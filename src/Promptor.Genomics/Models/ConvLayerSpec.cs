namespace Promptor.Genomics.Models;

/// <summary>
/// One convolution of the sequence encoder: <paramref name="Filters"/> kernels of width
/// <paramref name="Width"/> ('same' padding), dilation, then ReLU and max-pooling by
/// <paramref name="Pool"/> (1 = no pooling).
/// </summary>
public sealed record ConvLayerSpec(int Filters, int Width, int Dilation = 1, int Pool = 1);
