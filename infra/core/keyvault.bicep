@description('Secrets the app reads through Key Vault references: the platform admin key and the access-token signing key and PayPal\'s client secret when billing runs online.')
param name string
param location string
param tags object

@secure()
param adminApiKey string

@secure()
param realtimeTokenSigningKey string

@secure()
@description('PayPal\'s REST client secret; empty: billing runs offline and no secret is stored.')
param payPalClientSecret string = ''

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

  resource payPalClientSecretSecret 'secrets' = if (!empty(payPalClientSecret)) {
    name: 'paypal-client-secret'
    properties: {
      value: payPalClientSecret
    }
  }
}

output name string = vault.name
// Without a version, so that a reference follows the secret when it changes.
output adminApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::adminApiKeySecret.name}/'
output realtimeTokenSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::realtimeTokenSigningKeySecret.name}/'
output payPalClientSecretUri string = empty(payPalClientSecret) ? '' : '${vault.properties.vaultUri}secrets/paypal-client-secret/'
