@description('The Flex Consumption plan and the function app, on dotnet-isolated 10.0, with identity-based settings only.')
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param serviceBusNamespaceName string
param signalRName string
param adminApiKeySecretUri string
param realtimeTokenSigningKeySecretUri string
param payPalBaseUrl string
param payPalClientId string
@description('The Key Vault reference of PayPal\'s client secret; empty when billing runs offline.')
param payPalClientSecretUri string
param payPalWebhookId string
param emailHost string
param emailPort int
param emailSecurity string
param emailUserName string
@description('The Key Vault reference of the SMTP password; empty without SMTP authentication.')
param smtpSecretUri string
param emailFromAddress string
param smsAccountSid string
@description('The Key Vault reference of the Twilio auth token; empty without SMS.')
param twilioSecretUri string
param smsFrom string
param smsMessagingServiceSid string
param applicationInsightsName string
param maximumInstanceCount int
param instanceMemoryMB int
@description('0: the platform\'s default for the instance memory.')
param httpPerInstanceConcurrency int
param durableAlwaysReadyInstances int
param durablePartitionCount int
param durableTaskHubName string
param durableMaxConcurrentOrchestratorFunctions int
param durableMaxConcurrentActivityFunctions int
param serviceBusMaxConcurrentCalls int
param serviceBusPrefetchCount int

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource signalR 'Microsoft.SignalRService/signalR@2023-02-01' existing = {
  name: signalRName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the app's identity, not a system-assigned one it does not have.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: union({
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: durableAlwaysReadyInstances == 0 ? [] : [
          {
            name: 'durable'
            instanceCount: durableAlwaysReadyInstances
          }
        ]
      }, httpPerInstanceConcurrency == 0 ? {} : {
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      })
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Every connection by the managed identity: endpoints and a client id, never a key or a connection string.
  // FUNCTIONS_WORKER_RUNTIME is not set on Flex Consumption; functionAppConfig.runtime says it.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      Workforce__Storage__AccountName: storage.name
      Workforce__Storage__ManagedIdentityClientId: identityClientId
      ServiceBusConnection__fullyQualifiedNamespace: '${serviceBus.name}.servicebus.windows.net'
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      AzureSignalRConnectionString__serviceUri: 'https://${signalR.properties.hostName}'
      AzureSignalRConnectionString__credential: 'managedidentity'
      AzureSignalRConnectionString__clientId: identityClientId
      Workforce__Admin__ApiKey: '@Microsoft.KeyVault(SecretUri=${adminApiKeySecretUri})'
      Workforce__Realtime__TokenSigningKey: '@Microsoft.KeyVault(SecretUri=${realtimeTokenSigningKeySecretUri})'
      Workforce__Billing__PayPal__BaseUrl: payPalBaseUrl
      Workforce__Billing__PayPal__ClientId: payPalClientId
      Workforce__Billing__PayPal__ClientSecret: empty(payPalClientSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${payPalClientSecretUri})'
      Workforce__Billing__PayPal__WebhookId: payPalWebhookId
      Workforce__Notifications__Email__Host: emailHost
      Workforce__Notifications__Email__Port: string(emailPort)
      Workforce__Notifications__Email__Security: emailSecurity
      Workforce__Notifications__Email__UserName: emailUserName
      Workforce__Notifications__Email__Password: empty(smtpSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${smtpSecretUri})'
      Workforce__Notifications__Email__FromAddress: emailFromAddress
      Workforce__Notifications__Sms__AccountSid: smsAccountSid
      Workforce__Notifications__Sms__AuthToken: empty(twilioSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${twilioSecretUri})'
      Workforce__Notifications__Sms__From: smsFrom
      Workforce__Notifications__Sms__MessagingServiceSid: smsMessagingServiceSid
      // host.json's scale settings, overridden from the Bicep parameters (AzureFunctionsJobHost__<path>); with
      // the parameters' defaults they restate host.json's values, and a test checks both agree.
      AzureFunctionsJobHost__extensions__durableTask__hubName: durableTaskHubName
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount: string(durablePartitionCount)
      AzureFunctionsJobHost__extensions__durableTask__maxConcurrentOrchestratorFunctions: string(durableMaxConcurrentOrchestratorFunctions)
      AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions: string(durableMaxConcurrentActivityFunctions)
      AzureFunctionsJobHost__extensions__serviceBus__maxConcurrentCalls: string(serviceBusMaxConcurrentCalls)
      AzureFunctionsJobHost__extensions__serviceBus__prefetchCount: string(serviceBusPrefetchCount)
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
