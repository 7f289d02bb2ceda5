using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Promptor.Genomics.Training;

/// <summary>
/// The JSON conventions of run manifests and checkpoint metadata: snake_case names, enums as strings,
/// NaN and ±∞ as named literals (Python's <c>json</c> reads them), computed get-only properties left out,
/// and <c>required</c> members enforced on reading.
/// </summary>
internal static class TrainingJson
{
    /// <summary>Indented, for files people read.</summary>
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    /// <summary>Compact, for checkpoint metadata and hashing.</summary>
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropComputedProperties } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    // Computed properties (CondPromoterOptions.EncodedLength, TreatmentMetric.IsUndefined, …) have no
    // setter and no constructor parameter: writing them would only invite readers to trust a stale copy.
    private static void DropComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        var constructorNames = typeInfo.Type.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (int i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            if (property.Set is null && property.AttributeProvider is System.Reflection.PropertyInfo info && !constructorNames.Contains(info.Name))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
