@description('Secrets the app reads through Key Vault references: the platform admin key and the access-token signing key, PayPal\'s client secret when billing runs online, and the SMTP password and Twilio auth token when those channels are configured.')
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

@secure()
@description('The SMTP password of the email channel; empty: no authentication (or no email) and no secret is stored.')
param emailPassword string = ''

@secure()
@description('The Twilio auth token of the SMS channel; empty: no SMS and no secret is stored.')
param smsAuthToken string = ''

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

  resource emailPasswordSecret 'secrets' = if (!empty(emailPassword)) {
    name: 'notifications-email-password'
    properties: {
      value: emailPassword
    }
  }

  resource smsAuthTokenSecret 'secrets' = if (!empty(smsAuthToken)) {
    name: 'notifications-sms-auth-token'
    properties: {
      value: smsAuthToken
    }
  }
}

output name string = vault.name
// Without a version, so that a reference follows the secret when it changes.
output adminApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::adminApiKeySecret.name}/'
output realtimeTokenSigningKeySecretUri string = '${vault.properties.vaultUri}secrets/${vault::realtimeTokenSigningKeySecret.name}/'
output payPalClientSecretUri string = empty(payPalClientSecret) ? '' : '${vault.properties.vaultUri}secrets/paypal-client-secret/'
// Whether these exist is main.bicep's to say: it knows which secrets it was given.
output smtpSecretUri string = '${vault.properties.vaultUri}secrets/notifications-email-password/'
output twilioSecretUri string = '${vault.properties.vaultUri}secrets/notifications-sms-auth-token/'
