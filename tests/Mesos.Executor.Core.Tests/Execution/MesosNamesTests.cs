using System;
using System.Reflection;
using Google.Protobuf.Reflection;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class MesosNamesTests
{
    [Test]
    public void Of_EveryTaskState_IsItsProtoName()
    {
        Assert.Multiple(() =>
        {
            foreach (TaskState state in Enum.GetValues<TaskState>())
            {
                string proto = typeof(TaskState).GetField(state.ToString())!.GetCustomAttribute<OriginalNameAttribute>()!.Name;
                Assert.That(MesosNames.Of(state), Is.EqualTo(proto), state.ToString());
            }
        });
    }

    [Test]
    public void Of_ValueThisBuildDoesNotKnow_IsItsNumber()
    {
        Assert.That(MesosNames.Of((TaskState)99), Is.EqualTo("99"));
    }
}
