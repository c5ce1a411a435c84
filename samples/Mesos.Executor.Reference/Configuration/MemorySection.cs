namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>memory</c>: how the executor keeps its resident set small.</summary>
internal sealed class MemorySection
{
    /// <summary><c>memory.release_file_pages</c>: release clean file-backed pages (see Memory/MappedFilePages.cs).</summary>
    public string? ReleaseFilePages { get; set; }

    /// <summary><c>memory.release_interval</c>: how often to release them again while tasks run.</summary>
    public string? ReleaseInterval { get; set; }
}
