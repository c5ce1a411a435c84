using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Executor;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// The agent's own checks of an executor call, in the agent's order (src/common/validation.cpp,
/// validateExecutorCall). Returns the reason text, or <see langword="null"/> when the call is valid.
/// </summary>
internal static class ExecutorCallValidator
{
    public static string? Validate(Call call)
    {
        if (!call.IsInitialized())
        {
            return "Not initialized: a required field is missing";
        }

        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        if (call.ExecutorId == null)
        {
            return "Expecting 'executor_id' to be present";
        }

        if (call.FrameworkId == null)
        {
            return "Expecting 'framework_id' to be present";
        }

        switch (call.Type)
        {
            case Call.Types.Type.Subscribe:
                return call.Subscribe == null ? "Expecting 'subscribe' to be present" : null;

            case Call.Types.Type.Update:
                return call.Update == null ? "Expecting 'update' to be present" : ValidateStatus(call, call.Update.Status);

            case Call.Types.Type.Message:
                return call.Message == null ? "Expecting 'message' to be present" : null;

            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="uuid"/> is what stout's UUID::fromBytes accepts: 16 bytes with a known version (1-5).</summary>
    public static bool IsValidUuid(ByteString uuid)
    {
        if (uuid.Length != 16)
        {
            return false;
        }

        // RFC 4122: the version is the high nibble of octet 6.
        int version = uuid[6] >> 4;
        return version is >= 1 and <= 5;
    }

    private static string? ValidateStatus(Call call, TaskStatus status)
    {
        if (!status.HasUuid)
        {
            return "Expecting 'uuid' to be present";
        }

        if (!IsValidUuid(status.Uuid))
        {
            return "Not a valid UUID";
        }

        if (status.ExecutorId != null && status.ExecutorId.Value != call.ExecutorId.Value)
        {
            return $"ExecutorID in Call: {call.ExecutorId.Value} does not match ExecutorID in TaskStatus: {status.ExecutorId.Value}";
        }

        if (status.Source != TaskStatus.Types.Source.Executor)
        {
            return $"Received Call from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} with invalid source, expecting 'SOURCE_EXECUTOR'";
        }

        if (status.State == TaskState.TaskStaging)
        {
            return $"Received TASK_STAGING from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} which is not allowed";
        }

        if (status.CheckStatus != null)
        {
            CheckStatusInfo check = status.CheckStatus;
            if (!check.HasType)
            {
                return "CheckStatusInfo must specify 'type'";
            }

            switch (check.Type)
            {
                case CheckInfo.Types.Type.Command when check.Command == null:
                    return "Expecting 'command' to be set for COMMAND check's status";
                case CheckInfo.Types.Type.Http when check.Http == null:
                    return "Expecting 'http' to be set for HTTP check's status";
                case CheckInfo.Types.Type.Tcp when check.Tcp == null:
                    return "Expecting 'tcp' to be set for TCP check's status";
                case CheckInfo.Types.Type.Unknown:
                    return "'UNKNOWN' is not a valid check's status type";
            }
        }

        return null;
    }
}
