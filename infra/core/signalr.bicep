@description('Live updates: Azure SignalR Service in Serverless mode; the function app negotiates and sends.')
param name string
param location string
param tags object

@allowed(['Free_F1', 'Standard_S1'])
param skuName string = 'Standard_S1'

// Local authentication off: the app signs in with its identity (SignalR App Server).
resource signalR 'Microsoft.SignalRService/signalR@2023-02-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    capacity: 1
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
    ]
    cors: {
      allowedOrigins: ['*']
    }
    disableLocalAuth: true
  }
}

output name string = signalR.name
