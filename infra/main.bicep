targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the names of every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deployer (azd sets AZURE_PRINCIPAL_ID); it may read the Key Vault secrets, the admin key among them.')
param principalId string = ''

@secure()
@description('The platform admin key, which creates tenants. azd reads it back from Key Vault on every provision, so it stays the same.')
param adminApiKey string

@secure()
@description('Signs the live-updates access tokens. New on every provision: tokens live minutes, so rotating it costs only their renewal.')
param realtimeTokenSigningKey string = base64('${newGuid()}${newGuid()}')

@description('PayPal REST API root: the sandbox unless set to https://api-m.paypal.com for live payments.')
param payPalBaseUrl string = 'https://api-m.sandbox.paypal.com'

@description('PayPal REST app client id; empty (the default): billing runs offline, invoices issued and nothing charged.')
param payPalClientId string = ''

@secure()
@description('PayPal REST app secret, kept in Key Vault; empty with an empty client id.')
param payPalClientSecret string = ''

@description('Id of the PayPal webhook registered for https://<app>/api/v1/billing/paypal/webhook; required with credentials.')
param payPalWebhookId string = ''

@description('SMTP server that email notifications are handed to; empty (the default): email endpoints can be made, and their deliveries fail saying email is not configured.')
param emailHost string = ''

@description('Port of the SMTP server: 587 (submission) unless set.')
param emailPort int = 587

@allowed(['None', 'StartTls', 'SslOnConnect', 'Auto'])
@description('How the SMTP connection is secured: STARTTLS required unless set.')
param emailSecurity string = 'StartTls'

@description('SMTP user name; empty: no authentication.')
param emailUserName string = ''

@secure()
@description('SMTP password, kept in Key Vault; empty with an empty user name.')
param emailPassword string = ''

@description('Sender address of the notification emails; required with a host.')
param emailFromAddress string = ''

@description('Twilio account SID (AC…) that sends SMS notifications; empty (the default): SMS deliveries fail saying SMS is not configured.')
param smsAccountSid string = ''

@secure()
@description('Twilio auth token, kept in Key Vault; empty with an empty account SID.')
param smsAuthToken string = ''

@description('Twilio number (E.164) SMS are sent from; set this or smsMessagingServiceSid with an account SID.')
param smsFrom string = ''

@description('Twilio Messaging Service SID (MG…) that picks the sender; set this or smsFrom with an account SID.')
param smsMessagingServiceSid string = ''

// Scale: docs/azure.md, "Throughput of a default deployment", says what each of these limits and what raising it buys.
@minValue(1)
@maxValue(1000)
@description('Most instances the Flex Consumption plan may scale the app out to (its default, 100; at most 1,000). HTTP, the Durable functions and each queue trigger scale as separate groups within it.')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
@description('Memory of one instance, in MB; 2048 MB comes with one vCPU, which host.json\'s concurrency settings assume (4096 MB: two; raise the Durable and Service Bus concurrency with it).')
param instanceMemoryMB int = 2048

@minValue(0)
@maxValue(1000)
@description('Concurrent HTTP requests one instance takes before the platform adds another; 0 (the default): the platform\'s default for the instance memory, 16 at 2048 MB.')
param httpPerInstanceConcurrency int = 0

@minValue(0)
@maxValue(20)
@description('Always-ready instances of the Durable functions group (billed while idle); 0 (the default) lets the app scale to zero. 1 is what Durable Functions recommends on Flex Consumption.')
param durableAlwaysReadyInstances int = 0

@minValue(1)
@maxValue(16)
@description('Control queues of the Durable task hub, and so the most instances that run orchestrations at once (host.json: 4). Read when the task hub is created: to change it on a deployed app, set a new durableTaskHubName too.')
param durablePartitionCount int = 4

@minLength(3)
@maxLength(45)
@description('The Durable task hub (host.json: WorkforceHub). A new name starts an empty hub; lifecycles of tasks still open on the old one stop being watched.')
param durableTaskHubName string = 'WorkforceHub'

@minValue(1)
@description('Orchestrator episodes one instance runs at once (host.json: 32, for one vCPU: an episode mostly waits on storage).')
param durableMaxConcurrentOrchestratorFunctions int = 32

@minValue(1)
@description('Activities one instance runs at once (host.json: 16, for one vCPU).')
param durableMaxConcurrentActivityFunctions int = 16

@allowed(['Standard', 'Premium'])
@description('Service Bus tier: Standard (the default) allows 1,000 operations a second per namespace, about 500 tasks a second; Premium has dedicated messaging units.')
param serviceBusSku string = 'Standard'

@allowed([1, 2, 4, 8, 16])
@description('Premium only: messaging units (about 4 MB/s each way apiece); a multiple of serviceBusPremiumPartitions. Ignored on Standard.')
param serviceBusMessagingUnits int = 1

@allowed([1, 2, 4])
@description('Premium only: namespace partitions, fixed when the namespace is created. Ignored on Standard.')
param serviceBusPremiumPartitions int = 1

@minValue(1)
@description('Messages of one queue trigger one instance handles at once (host.json: 32).')
param serviceBusMaxConcurrentCalls int = 32

@minValue(0)
@description('Messages each queue trigger fetches ahead (host.json: 0); prefetched messages stay locked while they wait, 30 s at most.')
param serviceBusPrefetchCount int = 0

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${resourceToken}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
  }
}

module serviceBus 'core/servicebus.bicep' = {
  name: 'servicebus'
  scope: resourceGroup
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
    sku: serviceBusSku
    messagingUnits: serviceBusMessagingUnits
    premiumPartitions: serviceBusPremiumPartitions
  }
}

module signalR 'core/signalr.bicep' = {
  name: 'signalr'
  scope: resourceGroup
  params: {
    name: 'sigr-${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'core/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    adminApiKey: adminApiKey
    realtimeTokenSigningKey: realtimeTokenSigningKey
    payPalClientSecret: payPalClientSecret
    emailPassword: emailPassword
    smsAuthToken: smsAuthToken
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: resourceGroup
  params: {
    identityPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    signalRName: signalR.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusNamespaceName: serviceBus.outputs.name
    signalRName: signalR.outputs.name
    adminApiKeySecretUri: keyVault.outputs.adminApiKeySecretUri
    realtimeTokenSigningKeySecretUri: keyVault.outputs.realtimeTokenSigningKeySecretUri
    payPalBaseUrl: payPalBaseUrl
    payPalClientId: payPalClientId
    payPalClientSecretUri: keyVault.outputs.payPalClientSecretUri
    payPalWebhookId: payPalWebhookId
    emailHost: emailHost
    emailPort: emailPort
    emailSecurity: emailSecurity
    emailUserName: emailUserName
    smtpSecretUri: empty(emailPassword) ? '' : keyVault.outputs.smtpSecretUri
    emailFromAddress: emailFromAddress
    smsAccountSid: smsAccountSid
    twilioSecretUri: empty(smsAuthToken) ? '' : keyVault.outputs.twilioSecretUri
    smsFrom: smsFrom
    smsMessagingServiceSid: smsMessagingServiceSid
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    durablePartitionCount: durablePartitionCount
    durableTaskHubName: durableTaskHubName
    durableMaxConcurrentOrchestratorFunctions: durableMaxConcurrentOrchestratorFunctions
    durableMaxConcurrentActivityFunctions: durableMaxConcurrentActivityFunctions
    serviceBusMaxConcurrentCalls: serviceBusMaxConcurrentCalls
    serviceBusPrefetchCount: serviceBusPrefetchCount
  }
  // The app starts reading its storage, queues and secrets with its identity as soon as it is deployed.
  dependsOn: [rbac]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output WORKFORCE_API_URL string = '${functionApp.outputs.url}/api'
