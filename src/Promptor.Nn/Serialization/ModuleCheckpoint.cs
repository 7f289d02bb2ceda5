namespace Promptor.Nn.Serialization;

/// <summary>
/// Saves and loads a module's <see cref="Module.StateDict"/> as a safetensors file, with string
/// metadata (model options, vocabularies, versions) in <c>__metadata__</c>. Names and layouts are
/// PyTorch's, so the file loads into the equivalent PyTorch module with
/// <c>safetensors.torch.load_file</c> + <c>load_state_dict</c>.
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>Writes <paramref name="module"/>'s parameters and persistent buffers to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Module module, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/> (see <see cref="Module.LoadStateDict"/>;
    /// strict by default) and returns the file's metadata.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="StateDictMismatchException">The file's tensors do not fit the module.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, Module module, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var file = SafeTensors.Load(path);
        module.LoadStateDict(file.Tensors, strict);
        return file.Metadata;
    }
}
