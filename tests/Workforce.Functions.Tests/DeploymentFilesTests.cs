using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Workforce.Core.Queues;

namespace Workforce.Functions.Tests;

/// <summary>host.json, local.settings.sample.json, azure.yaml and infra/ parse, name what exists, and agree with the code and the build.</summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public void Host_json_names_the_task_hub_on_azure_storage_and_lets_the_triggers_settle()
    {
        var host = DeploymentFiles.Json("host.json");
        var durable = host["extensions"]!["durableTask"]!;
        var serviceBus = host["extensions"]!["serviceBus"]!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", durable["hubName"]!.GetValue<string>());
        Assert.Equal("AzureStorage", durable["storageProvider"]!["type"]!.GetValue<string>());
        Assert.False(serviceBus["autoCompleteMessages"]!.GetValue<bool>());
        Assert.All(new[] { "prefetchCount", "maxConcurrentCalls", "maxAutoLockRenewalDuration" }, setting => Assert.NotNull(serviceBus[setting]));
        Assert.True(host["logging"]!["applicationInsights"]!["samplingSettings"]!["isEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Local_settings_run_the_isolated_worker_on_azurite()
    {
        var local = DeploymentFiles.Json("local.settings.sample.json");

        Assert.False(local["IsEncrypted"]!.GetValue<bool>());
        Assert.Equal("dotnet-isolated", DeploymentFiles.LocalSettings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", DeploymentFiles.LocalSettings["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", DeploymentFiles.LocalSettings["Workforce__Storage__ConnectionString"]);
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_a_dotnet_function()
    {
        var service = AzureYamlService("api");

        Assert.Equal("dotnet", service["language"]);
        Assert.Equal("function", service["host"]);
        Assert.True(File.Exists(Path.Combine(DeploymentFiles.Root, service["project"], "Workforce.Functions.csproj")), $"{service["project"]} holds no Workforce.Functions.csproj.");
        Assert.True(File.Exists(Path.Combine(DeploymentFiles.Root, "infra", "main.bicep")));
    }

    [Fact]
    public void The_build_output_carries_the_host_json_of_the_repository_root()
    {
        // azd deploys the project's publish output and the Core Tools run its build output: both need host.json there.
        Assert.Equal(DeploymentFiles.Text("host.json"), File.ReadAllText(Path.Combine(FunctionsBuild.OutputDirectory, "host.json")));
        Assert.False(File.Exists(Path.Combine(DeploymentFiles.Root, "functions", "host.json")), "host.json belongs beside azure.yaml, not in functions/.");
    }

    [Fact]
    public void Main_bicep_deploys_at_subscription_scope_from_modules_that_exist_with_the_parameters_azd_passes()
    {
        var main = DeploymentFiles.Text("infra/main.bicep");
        var declared = Regex.Matches(main, @"^param (?<name>\w+) \w+(?<default> =)?", RegexOptions.Multiline).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);
        var passed = DeploymentFiles.Json("infra/main.parameters.json")["parameters"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("targetScope = 'subscription'", main, StringComparison.Ordinal);
        Assert.All(Regex.Matches(main, @"^module \w+ '(?<path>[^']+)'", RegexOptions.Multiline), module =>
            Assert.True(File.Exists(Path.Combine(DeploymentFiles.Root, "infra", module.Groups["path"].Value)), $"infra/{module.Groups["path"].Value} does not exist."));
        Assert.All(passed, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json passes {name}, which main.bicep does not declare."));
        Assert.All(declared.Where(p => !p.Value), p => Assert.Contains(p.Key, passed));
        Assert.All(new[] { "AZURE_LOCATION", "AZURE_KEY_VAULT_NAME", "SERVICE_API_NAME" }, output => Assert.Contains($"output {output} string", main, StringComparison.Ordinal));
    }

    [Fact]
    public void The_scale_settings_azure_overrides_are_host_json_settings_and_default_to_its_values()
    {
        // An AzureFunctionsJobHost__<path> app setting replaces the host.json value at <path>. Each takes a main.bicep
        // parameter of its own name, whose default must restate host.json: a default deployment runs as host.json says.
        const string Prefix = "AzureFunctionsJobHost__";
        var host = DeploymentFiles.Json("host.json");
        var main = DeploymentFiles.Text("infra/main.bicep");
        var app = DeploymentFiles.Text("infra/app/function-app.bicep");
        var overrides = DeploymentFiles.AzureAppSettings.Where(s => s.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToList();

        Assert.Contains(overrides, s => s.Key.EndsWith("__storageProvider__partitionCount", StringComparison.Ordinal));
        Assert.Contains(overrides, s => s.Key.EndsWith("__serviceBus__maxConcurrentCalls", StringComparison.Ordinal));
        Assert.All(overrides, setting =>
        {
            var inHost = setting.Key[Prefix.Length..].Split("__").Aggregate<string, JsonNode?>(host, (node, key) => node?[key]);
            Assert.True(inHost is not null, $"{setting.Key} overrides nothing: host.json has no {setting.Key[Prefix.Length..].Replace("__", ".", StringComparison.Ordinal)}.");
            var parameter = Regex.Match(setting.Value, @"^(string\()?(?<name>\w+)\)?$").Groups["name"].Value;
            Assert.Matches($@"(?m)^param {parameter} \w+$", app);
            Assert.Contains($"    {parameter}: {parameter}\n", main, StringComparison.Ordinal);
            var fallback = Regex.Match(main, $@"(?m)^param {parameter} \w+ = '?(?<value>[^'\r\n]*)'?\r?$");
            Assert.True(fallback.Success, $"main.bicep has no parameter {parameter} with a default.");
            Assert.Equal(inHost!.ToString(), fallback.Groups["value"].Value);
        });
    }

    [Fact]
    public void The_service_bus_tier_is_standard_unless_premium_is_asked_for()
    {
        var main = DeploymentFiles.Text("infra/main.bicep");
        var bus = DeploymentFiles.Text("infra/core/servicebus.bicep");

        Assert.Contains("param serviceBusSku string = 'Standard'", main, StringComparison.Ordinal);
        Assert.Contains("@allowed(['Standard', 'Premium'])", bus, StringComparison.Ordinal);
        // Premium alone takes messaging units and namespace partitions; Standard refuses both.
        Assert.Matches(@"sku: premium \? \{\s+name: 'Premium'\s+tier: 'Premium'\s+capacity: messagingUnits\s+\} : \{\s+name: 'Standard'\s+tier: 'Standard'\s+\}", bus);
        Assert.Contains("premium ? { premiumMessagingPartitions: premiumPartitions } : {}", bus, StringComparison.Ordinal);
    }

    [Fact]
    public void The_service_bus_queues_are_the_work_queues_as_defined_in_code()
    {
        var bicep = DeploymentFiles.Text("infra/core/servicebus.bicep");
        var names = Regex.Matches(Regex.Match(bicep, @"var queueNames = \[(?<names>[^\]]*)\]").Groups["names"].Value, "'(?<name>[^']+)'").Select(m => m.Groups["name"].Value);

        Assert.Equal(WorkQueues.All.Select(q => q.Name), names);
        Assert.All(WorkQueues.All, queue =>
        {
            Assert.Contains($"lockDuration: '{XmlConvert.ToString(queue.LockDuration)}'", bicep, StringComparison.Ordinal);
            Assert.Contains($"maxDeliveryCount: {queue.MaxDeliveryCount}", bicep, StringComparison.Ordinal);
            Assert.Contains($"defaultMessageTimeToLive: '{XmlConvert.ToString(queue.DefaultTimeToLive)}'", bicep, StringComparison.Ordinal);
            Assert.Contains($"deadLetteringOnMessageExpiration: {queue.DeadLetteringOnMessageExpiration.ToString().ToLowerInvariant()}", bicep, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_identity_gets_exactly_the_least_privilege_roles()
    {
        var rbac = DeploymentFiles.Text("infra/app/rbac.bicep");
        var roles = Regex.Matches(rbac, @"^\s+(?<name>\w+): '(?<id>[0-9a-f-]{36})'", RegexOptions.Multiline).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["id"].Value);

        Assert.Equal(new Dictionary<string, string>
        {
            ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
            ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
            ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
            ["signalRAppServer"] = "420fcaa2-552c-430f-98ca-3264be4806c7",
            ["keyVaultSecretsUser"] = "4633458b-17de-408a-b874-0445c86b69e6",
            ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
        }, roles);
        Assert.All(roles.Keys, role => Assert.Contains($"roles.{role}", rbac, StringComparison.Ordinal));
        Assert.All(Regex.Matches(rbac, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id => Assert.Contains(id.Value, roles.Values));
    }

    [Fact]
    public void Local_authentication_is_off_everywhere_and_the_app_runs_dotnet_isolated_10_on_flex_consumption()
    {
        Assert.Contains("allowSharedKeyAccess: false", DeploymentFiles.Text("infra/core/storage.bicep"), StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", DeploymentFiles.Text("infra/core/servicebus.bicep"), StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", DeploymentFiles.Text("infra/core/signalr.bicep"), StringComparison.Ordinal);
        Assert.Contains("value: 'Serverless'", DeploymentFiles.Text("infra/core/signalr.bicep"), StringComparison.Ordinal);
        Assert.Contains("DisableLocalAuth: true", DeploymentFiles.Text("infra/core/monitoring.bicep"), StringComparison.Ordinal);
        Assert.Contains("enableRbacAuthorization: true", DeploymentFiles.Text("infra/core/keyvault.bicep"), StringComparison.Ordinal);

        var app = DeploymentFiles.Text("infra/app/function-app.bicep");
        Assert.Matches(@"name: 'FC1'\s+tier: 'FlexConsumption'", app);
        Assert.Matches(@"runtime: \{\s+name: 'dotnet-isolated'\s+version: '10.0'", app);
        Assert.Contains("'azd-service-name': 'api'", app, StringComparison.Ordinal);
    }

    /// <summary>The keys of one service in azure.yaml, read by indentation (a YAML library does not restore here).</summary>
    private static Dictionary<string, string> AzureYamlService(string name)
    {
        var lines = DeploymentFiles.Text("azure.yaml").Split('\n');
        var start = Array.FindIndex(lines, line => line == $"  {name}:");
        Assert.True(start > 0 && lines[start - 1] == "services:", $"azure.yaml has no service {name}.");
        return lines.Skip(start + 1)
            .TakeWhile(line => line.StartsWith("    ", StringComparison.Ordinal))
            .Select(line => line.Trim().Split(':', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim());
    }
}
