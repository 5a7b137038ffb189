@description('The task queues, one per priority, as core/Queues/WorkQueues.cs defines them.')
param name string
param location string
param tags object

// The same definitions as WorkQueues.All: a 30 s lock, 10 deliveries before dead-lettering, 14 days to live, and
// dead-lettering on expiry, so that a task message is never dropped silently. A test checks the two agree.
var queueNames = [
  'tasks-critical'
  'tasks-high'
  'tasks-medium'
  'tasks-low'
]

// Local authentication off: no SAS keys, only Entra ID (Azure Service Bus Data Sender and Receiver).
resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for queueName in queueNames: {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: 'PT30S'
    maxDeliveryCount: 10
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
  }
}]

output name string = namespace.name
