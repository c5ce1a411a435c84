using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="SignalValues"/> and <see cref="CapabilityValues"/>.</summary>
[TestFixture]
public sealed class SignalAndCapabilityValuesTests
{
    [TestCase("SIGTERM", true)]
    [TestCase("TERM", true)]
    [TestCase("SIGRTMIN+3", true)]
    [TestCase("9", true)]
    [TestCase("64", true)]
    [TestCase("0", false)]
    [TestCase("65", false)]
    [TestCase("sigterm", false)]
    [TestCase("-9", false)]
    public void Signal_NamesAndNumbers(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(SignalValues.Signal(value), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => SignalValues.Signal(value), Throws.TypeOf<FlagValueException>());
        }
    }

    [TestCase("NET_ADMIN", true)]
    [TestCase("CAP_SYS_TIME", true)]
    [TestCase("ALL", true)]
    [TestCase("net admin", false)]
    [TestCase("", false)]
    public void Capability_Names(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(CapabilityValues.Capability(value), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => CapabilityValues.Capability(value), Throws.TypeOf<FlagValueException>());
        }
    }
}
