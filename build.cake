// Thin wrapper around dotnet: every setting lives in MSBuild, so `dotnet test` works alone.
// Targets: Clean, Restore, Build, Test (unit + integration, Default), Pack, Publish.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./Mesos.Executor.slnx";
var artifacts = MakeAbsolute(Directory("./artifacts"));

Task("Clean").Does(() =>
{
    CleanDirectory(artifacts);
    DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
});

Task("Restore").Does(() => DotNetRestore(solution));

Task("Build").IsDependentOn("Restore").Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true });
});

Task("Test").IsDependentOn("Build").Does(() =>
{
    // The integration tests need a real Docker engine and the local test image, and Podman's
    // Docker-compatible service with the same image (the second engine the suites run against).
    foreach (var (script, engine) in new[] { ("build/ensure-docker.sh", "Docker"), ("build/ensure-podman.sh", "Podman") })
    {
        var setup = StartProcess("bash", new ProcessSettings { Arguments = script });
        if (setup != 0)
        {
            if (EnvironmentVariable("CI") == "true")
            {
                throw new Exception($"{script} failed: the {engine} engine is required in CI");
            }
            Warning($"No {engine} engine: its tests will be reported as ignored.");
        }
    }

    // The end-to-end tests run the executor as shipped: the NativeAOT binary (trimming and AOT
    // problems show up only there).
    string executor = PublishExecutor();

    var results = artifacts.Combine("test-results");
    CleanDirectory(results);
    Exception failure = null;
    // Tests that restart dockerd run alone, after everything else: the engine is shared.
    foreach (var filter in new[] { "TestCategory!=DockerRestart", "TestCategory=DockerRestart" })
    {
        try
        {
            DotNetTest(solution, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                NoRestore = true,
                Filter = filter,
                ResultsDirectory = results,
                Loggers = new[] { "trx", "console;verbosity=minimal" },
                EnvironmentVariables = new Dictionary<string, string> { ["MESOS_EXECUTOR_TEST_BINARY"] = executor },
            });
        }
        catch (Exception ex)
        {
            failure ??= ex;
        }
    }

    // Fuzz smoke run (issue 16, benchmarks/fuzz/run.sh): every fuzz target under AFL++ for a short
    // fixed time; a crash or a hang fails the build. The committed corpus and crashes are replayed
    // above (tests/Mesos.Executor.Fuzz.Tests). --fuzz-seconds=0 skips it locally.
    var fuzzSeconds = Argument("fuzz-seconds", 15);
    if (fuzzSeconds > 0)
    {
        int fuzz = StartProcess("bash", new ProcessSettings
        {
            Arguments = $"benchmarks/fuzz/run.sh -t {fuzzSeconds} -j 2 -o {artifacts.Combine("fuzz").FullPath}",
        });
        if (fuzz != 0)
        {
            failure ??= new Exception($"the fuzz smoke run failed (exit code {fuzz}): see the table above and artifacts/fuzz/out");
        }
    }

    // One line totalling every test project, for people and for CI.
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles(results.FullPath + "/**/*.trx"))
    {
        var doc = System.Xml.Linq.XDocument.Load(trx.FullPath);
        foreach (var r in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            switch ((string)r.Attribute("outcome"))
            {
                case "Passed": passed++; break;
                case "NotExecuted": skipped++; break;
                default: failed++; break;
            }
        }
    }
    // Plain, uncoloured, alone on its line: CI reads it.
    System.Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
    if (failure != null || failed > 0)
    {
        throw new Exception("tests failed", failure);
    }
});

Task("Pack").IsDependentOn("Build").Does(() =>
{
    foreach (var project in GetFiles("./src/*/*.csproj"))
    {
        DotNetPack(project.FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = artifacts.Combine("packages"),
        });
    }
});

Task("Publish").Does(() => PublishExecutor());

Task("Default").IsDependentOn("Test");

// The reference executor ships as a NativeAOT binary (see samples/Mesos.Executor.Reference);
// linking needs a C toolchain, which build/ensure-aot.sh installs when missing. Returns its path.
string PublishExecutor()
{
    if (StartProcess("bash", new ProcessSettings { Arguments = "build/ensure-aot.sh" }) != 0)
    {
        throw new Exception("build/ensure-aot.sh failed: NativeAOT cannot link on this machine");
    }

    var output = artifacts.Combine("executor");
    DotNetPublish("./samples/Mesos.Executor.Reference/Mesos.Executor.Reference.csproj", new DotNetPublishSettings
    {
        Configuration = "Release",
        Runtime = "linux-x64",
        OutputDirectory = output,
    });
    return MakeAbsolute(output.CombineWithFilePath("mesos-executor")).FullPath;
}

RunTarget(target);
