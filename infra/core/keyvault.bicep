@description('Secrets the app reads through Key Vault references: the platform admin key and the access-token signing key (and PayPal\'s, later).')
param name string
param location string
param tags object

@secure()
param adminApiKey string

@secure()
param realtimeTokenSigningKey string

// Access by Azure RBAC only (Key Vault Secrets User), no access policies.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }

  resource adminApiKeySecret 'secrets' = {
    name: 'workforce-admin-key'
    properties: {
      value: adminApiKey
    }
  }

  resource realtimeTokenSigningKeySecret 'secrets' = {
    name: 'realtime-token-signing-key'
    properties: {
      value: realtimeTokenSigningKey
    }
  }
}

output name string = vault.name
// Without a version, so that a reference follows the secret when it changes.
output adminApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::adminApiKeySecret.name}/'
output realtimeTokenSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::realtimeTokenSigningKeySecret.name}/'
