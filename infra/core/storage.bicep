@description('One account for the Functions host (AzureWebJobsStorage, Durable task hub, timers), the deployment package and the platform (Workforce:Storage).')
param name string
param location string
param tags object

var deploymentContainerName = 'app-package'

// Shared keys off: every client reaches the account with an Entra ID token, the app with its managed identity.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }
  }
}

output name string = storage.name
output deploymentContainerName string = deploymentContainerName
