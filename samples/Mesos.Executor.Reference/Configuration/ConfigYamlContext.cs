using YamlDotNet.Serialization;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// The source-generated (reflection-free, NativeAOT-safe) YAML deserializer of <c>config.yaml</c>.
/// The generator requires this class to be public.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(ConfigDocument))]
[YamlSerializable(typeof(LoggingSection))]
[YamlSerializable(typeof(DockerSection))]
[YamlSerializable(typeof(HooksSection))]
[YamlSerializable(typeof(HealthChecksSection))]
[YamlSerializable(typeof(TimeoutsSection))]
[YamlSerializable(typeof(MemorySection))]
[YamlSerializable(typeof(AclSection))]
[YamlSerializable(typeof(NetnsSection))]
[YamlSerializable(typeof(IptablesSection))]
[YamlSerializable(typeof(NetworkSection))]
[YamlSerializable(typeof(DenyPrivilegedSection))]
[YamlSerializable(typeof(SandboxVolumesSection))]
[YamlSerializable(typeof(ForceBridgeSection))]
[YamlSerializable(typeof(ExecSection))]
[YamlSerializable(typeof(ExecCommandSection))]
public sealed partial class ConfigYamlContext : StaticContext
{
}
